"""Validation rules about names: each must make a good, distinct Python name.

=========================  ====================================================
``invalid-name``           a pipeline or step name is not a word, or is too long
``name-shadows-module``    the pipeline's package would hide a module (``Random``)
``name-collision``         two names become the same Python name
=========================  ====================================================
"""

from __future__ import annotations

import keyword
import re
import sys
from collections.abc import Iterator

from flowkit.compiler._limits import MAX_NAME_LENGTH, clip
from flowkit.compiler.ir import RESERVED, EdgeKind, Pipeline, Step, identifier, is_dotted
from flowkit.errors import Diagnostic

__all__ = ["collisions", "pipeline_name", "step_names"]

# The expression grammar's NAME: step names from YAML follow the same rule, so every
# name is ASCII (Python folds Unicode names with NFKC, which would hide collisions).
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
# Packages the generated code imports; a pipeline package of the same name would hide them.
_TAKEN = {"flowkit", "temporalio", "pydantic", "pytest", "yaml", "typing_extensions"}
# Names the generated modules import or define at module level besides the pipeline's.
_GENERATED = {
    *("Any", "Awaitable", "BaseModel", "Callable", "Field", "TypedDict", "StartOptions"),
    *("Service", "NonRetryableError", "HumanSteps", "Saga", "DagStep", "Form", "FormField"),
    *("MockOptions", "GenerateRequest", "ApiRequest", "ApprovalResult", "GenerateResult"),
    *("ApiResponse", "ScheduledStep", "Client", "WorkflowExecutionStatus", "WorkflowHandle"),
    *("SUMMARY", "EXPRESSION", "DETAILS", "BOUND", "STEP_NAMES", "FUNCTIONS", "WORKFLOWS"),
}
# The classes generated for the pipeline itself.
_PIPELINE_CLASSES = ("", "Input", "Output", "State", "Params")


def _classes(step: Step) -> tuple[str, ...]:
    """The classes generated for a step, in either style: a function of its own gets
    input and output models (and a child workflow); bound code and child workflows an
    input model; built-in kinds none."""
    if step.kind == "function" and not step.uses:
        return tuple(step.cls + s for s in ("Input", "Output", "In", "Out", "Workflow"))
    if step.kind in ("function", "workflow"):
        return (step.cls + "Input", step.cls + "In")
    return ()


def pipeline_name(p: Pipeline) -> Iterator[Diagnostic]:
    """``invalid-name``, ``name-shadows-module`` and ``name-collision`` for the pipeline."""
    if not _NAME.fullmatch(p.name) or keyword.iskeyword(p.name):
        yield Diagnostic(
            "invalid-name",
            f"{clip(p.name)!r} is not a valid pipeline name",
            p.span,
            hint="use a Python class name such as BlogPipeline",
        )
    elif len(p.name) > MAX_NAME_LENGTH:
        yield Diagnostic(
            "invalid-name",
            f"the pipeline name {clip(p.name)} is longer than {MAX_NAME_LENGTH} characters",
            p.span,
            hint="use a shorter class name such as BlogPipeline",
        )
    elif identifier(p.name) in sys.stdlib_module_names | _TAKEN:
        yield Diagnostic(
            "name-shadows-module",
            f"the pipeline {p.name} would be the package `{identifier(p.name)}`, "
            "which hides a module of the same name",
            p.span,
            hint=f"choose a longer name, such as {p.name}Pipeline",
        )
    elif p.name in _GENERATED:
        yield Diagnostic(
            "name-collision",
            f"the pipeline {p.name} would hide the generated code's own `{p.name}`",
            p.span,
            hint=f"choose a longer name, such as {p.name}Pipeline",
        )


def step_names(p: Pipeline) -> Iterator[Diagnostic]:
    """``invalid-name`` for step names that are not words (YAML keys may be anything)."""
    for step in {s.name: s for s in reversed(p.steps)}.values():
        if not _NAME.fullmatch(step.name):
            yield Diagnostic(
                "invalid-name",
                f"{clip(step.name)!r} is not a valid step name",
                step.span,
                hint="a step name is a word of ASCII letters, digits and _, such as "
                "fetch_orders or SendEmail",
            )
        elif len(step.name) > MAX_NAME_LENGTH:
            yield Diagnostic(
                "invalid-name",
                f"the step name {clip(step.name)} is longer than {MAX_NAME_LENGTH} characters",
                step.span,
                hint="use a shorter name",
            )


def collisions(p: Pipeline) -> Iterator[Diagnostic]:
    """``name-collision``: two steps, or a step and the pipeline, share a Python name."""
    owners: dict[str, str] = {}
    classes: dict[str, str] = {}
    pipeline = {p.name + suffix for suffix in _PIPELINE_CLASSES}
    for step in p.steps:
        other = owners.setdefault(step.ident, step.name)
        if other != step.name:
            yield Diagnostic(
                "name-collision",
                f"the steps {other} and {step.name} both become `{step.ident}` in Python",
                step.span,
                hint="rename one of them",
            )
            continue
        other = classes.setdefault(step.cls, step.name) if _classes(step) else step.name
        if other != step.name:  # A_1 and A1: a_1 and a1, but both A1Input
            yield Diagnostic(
                "name-collision",
                f"the steps {other} and {step.name} both become `{step.cls}` in Python",
                step.span,
                hint="rename one of them",
            )
        clash = [c for c in _classes(step) if c in pipeline]
        own_function = step.kind == "function" and not step.uses  # a def in functions.py
        if clash or (own_function and step.ident == p.name):
            yield Diagnostic(
                "name-collision",
                f"the step {step.name} and the pipeline {p.name} both define "
                f"`{(clash or [p.name])[0]}` in Python",
                step.span,
                hint="rename the step or the pipeline",
            )
    yield from _generated_functions(p, owners)
    yield from _bound(p)


def _bound(p: Pipeline) -> Iterator[Diagnostic]:
    """Code bound with ``uses:``/``--map`` is imported by its own name, and Temporal names
    an activity (or workflow) after it: two such names must differ, and differ from what
    flowkit generates."""
    generated = {s.ident for s in p.steps if not s.uses} | _GENERATED | RESERVED
    generated |= {c for s in p.steps for c in _classes(s)}
    generated |= {p.name + suffix for suffix in _PIPELINE_CLASSES}
    paths: dict[str, str] = {}
    for step in p.steps:
        if not step.uses or not is_dotted(step.uses):
            continue  # not a path: invalid-dotted-path says so
        attr = step.uses.rpartition(".")[2]
        other = paths.setdefault(attr, step.uses)
        if other != step.uses:
            yield Diagnostic(
                "name-collision",
                f"{step.name} uses {clip(step.uses)} and another step {clip(other)}: both are "
                f"`{attr}`, and Temporal tells functions and workflows apart by name",
                step.span,
                hint="give one of them another name",
            )
        elif attr in generated:
            yield Diagnostic(
                "name-collision",
                f"{step.name} uses {clip(step.uses)}, whose name `{attr}` the generated code "
                "already has",
                step.span,
                hint="bind a function or workflow of another name",
            )


def _generated_functions(p: Pipeline, owners: dict[str, str]) -> Iterator[Diagnostic]:
    """A step or input named like what flowkit generates for a guarded step: its
    condition ``when_<step>`` (a function beside the step functions) and its switch
    ``run_<step>`` (an input field)."""
    guarded = {e.target for e in p.edges if e.kind is EdgeKind.CONDITIONAL}
    guarded |= {s.name for s in p.steps if s.when is not None}
    inputs = {f.name for f in p.inputs}
    for step in {s.name: s for s in p.steps if s.name in guarded}.values():
        condition, switch = f"when_{step.ident}", f"run_{step.ident}"
        if condition in owners:
            other = p.step(owners[condition])
            yield Diagnostic(
                "name-collision",
                f"the step {other.name} has the name of the condition of {step.name} "
                f"(`{condition}`)",
                other.span,
                hint="rename one of them",
            )
        if switch in inputs:
            yield Diagnostic(
                "name-collision",
                f"the input {switch} has the name of the switch of {step.name} (`{switch}`)",
                step.span,
                hint="rename the input",
            )
