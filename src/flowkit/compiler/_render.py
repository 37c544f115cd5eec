"""Render a valid pipeline into Python files with Jinja (one environment, StrictUndefined)."""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Callable

from flowkit._emit import (
    LINE_LENGTH,
    FileSet,
    environment,
    header,
    isort_names,
    py_doc,
    wrapped_string,
)
from flowkit.compiler._context import build_context
from flowkit.compiler._validate import validate
from flowkit.compiler._views import Context, StepView, Style
from flowkit.compiler.ir import Pipeline

__all__ = ["render"]

_isort = isort_names


def _user_imports(c: Context) -> list[str]:
    by_module: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for module, attr, alias in c.user_imports:
        by_module[module].append((attr, alias))
    lines = []
    for module in sorted(by_module):
        plain = _isort({a for a, alias in by_module[module] if a == alias})
        aliased = sorted((a, alias) for a, alias in by_module[module] if a != alias)
        if plain:
            lines.append(f"from {module} import {', '.join(plain)}")
        lines += [f"from {module} import {a} as {alias}" for a, alias in aliased]
    return lines


def _policy_sub(c: Context, names: Callable[[list[StepView]], str]) -> str:
    """What a subworkflows-style workflow module imports from ``flowkit.policy``."""
    builtins = [s for s in c.steps if s.kind in ("ai_generate", "api_call")]
    used = set(filter(None, names(builtins).split(", ")))
    if any(s.kind in ("function", "workflow") for s in c.steps):
        used.add("DEFAULT_RETRY")
    return ", ".join(sorted(used))


def _api_status(c: Context) -> int:
    """The status the generated test's api_call stub answers: one every step accepts."""
    accepted = [set(s.expect) for s in c.steps if s.expect]
    common = set.intersection(*accepted) if accepted else {200}
    return min(common or {200})


def render(pipeline: Pipeline, *, style: Style = "functions", command: str = "") -> FileSet:
    """Render a validated pipeline into files (nothing is written).

    Args:
        pipeline: the IR, normally after :func:`validate` (render checks it again).
        style: ``functions`` (one activity per step) or ``subworkflows`` (one child
            workflow per step, each running its step's function).
        command: the command line shown in the ``@generated`` header.

    Returns:
        ``{relative path: text}``: the package ``<name>/`` (``models.py``,
        ``functions.py``, ``workflow.py`` and, for subworkflows, ``children.py``) and
        ``test_<name>.py`` beside it.

    Raises:
        ValidationError: the pipeline breaks a rule (it was not validated).
    """
    # Cheap next to rendering, and it makes render total: an IR built by hand that breaks
    # a rule gets a ValidationError here, not some exception deep in a template.
    validate(pipeline)
    top = header(command or f"flowkit {style}").rstrip("\n")
    c = build_context(pipeline, style=style, header=top)
    own = [s for s in c.steps if not s.uses and s.kind == "function"]
    models = {s.input_cls for s in own} | {s.output_cls for s in own}
    called = [s for s in c.steps if s.kind in ("function", "workflow")]
    children = _isort({s.child_cls for s in own}) if style == "subworkflows" else []
    mapped = {s.fn for s in c.steps if s.uses}
    functions = _isort({s.fn for s in own})
    guarded = any(n.switch for stage in c.stages for n in stage.nodes)
    wf_models = {f"{c.name}{x}" for x in ("Input", "Output", "State")}
    if c.inputs or guarded or c.kinds:
        wf_models.add(f"{c.name}Params")
    wf_models |= {s.input_cls for s in called} | {
        s.output_cls for s in own if s.loop_role == "second"
    }
    if style == "subworkflows":
        c.user_imports = [u for u in c.user_imports if u[2] != u[1] or u[1] in mapped]
    env = environment("flowkit.compiler")

    def policy_names(steps: list[StepView]) -> str:
        steps = [s for s in steps if s.kind in ("function", "workflow", "ai_generate", "api_call")]
        if not steps:
            return ""
        used = {"DEFAULT_RETRY"}
        used |= {s.timeout for s in steps if s.timeout == "DEFAULT_STEP_TIMEOUT"}
        used |= {s.heartbeat for s in steps if s.heartbeat == "DEFAULT_HEARTBEAT"}
        return ", ".join(sorted(used))

    expression_lines = [
        py_doc(line)
        for line in textwrap.wrap(c.expression, width=LINE_LENGTH - 8, break_long_words=False)
    ]
    k = c.kinds
    bound_steps = {s.fn: s for s in c.steps if s.uses}
    bound_workflows = _isort({f for f, s in bound_steps.items() if s.child})
    bound_functions = _isort({f for f, s in bound_steps.items() if not s.child})
    if style == "subworkflows":  # a bound function runs inside a generated child
        bound_functions, bound_workflows = [], _isort(set(bound_steps))
    by_module: dict[str, set[str]] = defaultdict(set)
    by_module["flowkit"].add("Service")
    for name in k.builtins if k else []:
        by_module["flowkit.steps"].add(name)
    for fn, step in bound_steps.items():
        by_module[step.uses_module].add(fn)
    worker_imports = [
        f"from {module} import {', '.join(_isort(names))}"
        for module, names in sorted(by_module.items())
    ]
    shared = {
        "api_status": _api_status(c),
        "bound_workflows": bound_workflows,
        "bound_functions": bound_functions,
        "worker_imports": worker_imports,
        "c": c,
        "k": k,
        "k_timedelta": bool(k) and any("timedelta(" in line for s in c.steps for line in s.body),
        "called": called,
        "children": children,
        "functions": functions,
        "bound": _isort(mapped),
        "user_imports": _user_imports(c),
        "policy_all": policy_names(c.steps),
        "policy_sub": _policy_sub(c, policy_names),
        "child_calls": any(s.child and s.kind in ("function", "workflow") for s in c.steps),
        "policy_own": policy_names(own),
        "expression_lines": expression_lines,
        "summary_literal": wrapped_string(c.description or c.name, 0, len("SUMMARY = ")),
        "expression_literal": wrapped_string(c.expression, 0, len("EXPRESSION = ")),
        "test_models": _isort(models | {f"{c.name}{x}" for x in ("Input", "Output", "State")}),
        "test_workflow_names": _isort(
            {c.name, "DETAILS", "SUMMARY"}
            | {const for const, _ in c.loops}
            | ({"BOUND"} if mapped else set())
        ),
    }
    pkg = c.package
    files = {
        f"{pkg}/__init__.py": f'{c.header}\n"""The {c.name} pipeline, compiled by flowkit."""\n',
        f"{pkg}/models.py": env.get_template("models.py.jinja").render(shared),
        f"{pkg}/workflow.py": env.get_template("workflow.py.jinja").render(
            {**shared, "names": _isort(wf_models)}
        ),
        f"test_{pkg}.py": env.get_template("test_pipeline.py.jinja").render(shared),
    }
    files[f"{pkg}/worker.py"] = env.get_template("worker.py.jinja").render(shared)
    if k is not None:
        files[f"test_{pkg}.py"] = env.get_template("test_kinds.py.jinja").render(shared)
    if own:
        files[f"{pkg}/functions.py"] = env.get_template("functions.py.jinja").render(
            {**shared, "names": _isort(models - {"Any"})}
        )
    if style == "subworkflows" and own:
        files[f"{pkg}/children.py"] = env.get_template("children.py.jinja").render(
            {**shared, "names": _isort(models - {"Any"})}
        )
    return FileSet(files)
