"""Validation: every rule runs, every problem is gathered, then one error is raised.

Each rule has a stable kebab-case code (the snapshot tests pin the rendered text):

=========================  ====================================================
``loop-needs-two-steps``   ``A ⇄ B ⇄ C``: a refinement loop joins exactly two steps
``step-used-twice``        a step appears more than once
``orphan-step``            a step is joined to no other step
``cycle``                  ``needs:`` go round in a circle (only ⇄ may loop)
``no-sink``                no step is last
``unknown-step``           ``needs:``, ``--map`` or ``--cond`` name a step that is not there
``unknown-setting``        a setting flowkit does not know (with a "did you mean")
``duplicate-setting``      the same setting twice on one step
``invalid-setting-value``  ``timeout=soon``, ``retries=-1``, ``max=0``
``invalid-name``           the pipeline name is not a Python class name
``name-shadows-module``    the pipeline's package would hide a module (``Random``)
``name-collision``         two steps become the same Python name
``invalid-dotted-path``    ``uses:``, ``--map``, ``--cond`` need ``module.name``
=========================  ====================================================

The rules of built-in step kinds live in ``_validate_kinds``; the shapes of their values
are checked while reading the YAML (``_kinds``).
"""

from __future__ import annotations

import difflib
import keyword
import re
import sys
from collections.abc import Iterable, Iterator

from flowkit.compiler._validate_kinds import kinds_rules
from flowkit.compiler.ir import (
    LOOP_SETTINGS,
    STEP_SETTINGS,
    EdgeKind,
    Pipeline,
    Setting,
    Step,
    identifier,
)
from flowkit.errors import Diagnostic, ValidationError
from flowkit.policy import parse_duration

__all__ = ["did_you_mean", "validate"]

_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")
_CLASS = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Packages the generated code imports; a pipeline package of the same name would hide them.
_TAKEN = {"flowkit", "temporalio", "pydantic", "pytest", "yaml", "typing_extensions"}


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "did you mean …?" hint, or a list of the choices when nothing is close."""
    options = sorted(choices)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return "expected one of: " + ", ".join(options)


def validate(pipeline: Pipeline) -> Pipeline:
    """Check every rule and return the pipeline unchanged when it passes.

    Raises:
        ValidationError: one or more rules are broken; it carries every diagnostic.
    """
    problems = list(pipeline.notes)
    for rule in (_name, _loops, _used_once, _collisions, _settings, _graph, _paths, kinds_rules):
        problems.extend(rule(pipeline))
    if problems:
        raise ValidationError(problems)
    return pipeline


def _name(p: Pipeline) -> Iterator[Diagnostic]:
    if not _CLASS.match(p.name) or keyword.iskeyword(p.name):
        yield Diagnostic(
            "invalid-name",
            f"{p.name!r} is not a valid pipeline name",
            p.span,
            hint="use a Python class name such as BlogPipeline",
        )
    elif identifier(p.name) in sys.stdlib_module_names | _TAKEN:
        yield Diagnostic(
            "name-shadows-module",
            f"the pipeline {p.name} would be the package `{identifier(p.name)}`, "
            "which hides a module of the same name",
            p.span,
            hint=f"choose a longer name, such as {p.name}Pipeline",
        )


def _loops(p: Pipeline) -> Iterator[Diagnostic]:
    for loop in p.loops:
        if len(loop.steps) != 2:
            span = loop.extra_spans[0] if loop.extra_spans else loop.span
            a, b, *rest = loop.steps
            yield Diagnostic(
                "loop-needs-two-steps",
                "a refinement loop joins exactly two steps",
                span,
                label=f"a second ⇄ here; write {a} ⇄ {b} → {rest[0]}",
                hint="a loop runs its first step, then its second, until the second says done",
            )


def _used_once(p: Pipeline) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for step in p.steps:
        if step.name in seen:
            yield Diagnostic(
                "step-used-twice",
                f"the step {step.name} is used more than once",
                step.span,
                label="used again here",
                hint="give each use its own name, e.g. " + f"{step.name}2",
            )
        seen.add(step.name)


def _collisions(p: Pipeline) -> Iterator[Diagnostic]:
    owners: dict[str, str] = {}
    for step in p.steps:
        other = owners.setdefault(step.ident, step.name)
        if other != step.name:
            yield Diagnostic(
                "name-collision",
                f"the steps {other} and {step.name} both become `{step.ident}` in Python",
                step.span,
                hint="rename one of them",
            )


def _check_settings(
    settings: tuple[Setting, ...], known: dict[str, str], where: str, fallback: Step | None
) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for setting in settings:
        span = setting.span or (fallback.span if fallback else None)
        if setting.key not in known:
            yield Diagnostic(
                "unknown-setting",
                f"{where} has no setting {setting.key!r}",
                span,
                hint=did_you_mean(setting.key, known),
            )
            continue
        if setting.key in seen:
            yield Diagnostic("duplicate-setting", f"{setting.key} is set twice on {where}", span)
        seen.add(setting.key)
        problem = _value_problem(setting.value, known[setting.key], setting.key)
        if problem:
            yield Diagnostic(
                "invalid-setting-value",
                f"{setting.key}={setting.value} is not valid: {problem}",
                span,
                hint="durations look like 90s, 10m, 1h; counts are whole numbers",
            )


def _value_problem(value: str, kind: str, key: str) -> str:
    if kind == "duration":
        try:
            if parse_duration(value).total_seconds() <= 0:
                return "it must be longer than zero"
        except ValueError:
            return "expected a duration"
        return ""
    if not value.isdigit():
        return "expected a whole number"
    if key == "max" and int(value) < 1:
        return "a loop runs at least once"
    return ""


def _settings(p: Pipeline) -> Iterator[Diagnostic]:
    for step in p.steps:
        yield from _check_settings(step.settings, STEP_SETTINGS, f"step {step.name}", step)
    for loop in p.loops:
        yield from _check_settings(loop.settings, LOOP_SETTINGS, "a loop", None)
    yield from _check_settings(p.defaults, STEP_SETTINGS, "defaults", None)


def _graph(p: Pipeline) -> Iterator[Diagnostic]:
    names = set(p.step_names)
    spans = {s.name: s.span for s in reversed(p.steps)}
    for edge in p.edges:
        for end in (edge.source, edge.target):
            if end not in names:
                yield Diagnostic(
                    "unknown-step",
                    f"{end} is not a step of this pipeline",
                    edge.span,
                    hint=did_you_mean(end, names),
                )
    if len(names - p.handlers) > 1:
        joined = {e.source for e in p.edges} | {e.target for e in p.edges} | p.handlers
        for name in sorted(names - joined, key=p.step_names.index):
            yield Diagnostic(
                "orphan-step",
                f"the step {name} is not joined to any other step",
                spans[name],
                hint="add it to the flow or give it needs:",
            )
    forward = [e for e in p.edges if e.kind is not EdgeKind.LOOP and e.source in names]
    after: dict[str, list[str]] = {n: [] for n in names}
    for edge in forward:
        if edge.target in names:
            after[edge.source].append(edge.target)
    if len(names) < len(p.steps):
        return  # a step used twice makes circles of its own; that error says it all
    cycle = _find_cycle(after, p.step_names)
    if cycle:
        yield Diagnostic(
            "cycle",
            "the steps go round in a circle: " + " → ".join([*cycle, cycle[0]]),
            spans[cycle[0]],
            hint="only a ⇄ loop may repeat steps; remove one of these needs",
        )
    if names and all(after[n] for n in names):
        yield Diagnostic(
            "no-sink", "no step comes last", p.span, hint="one step must need no other"
        )


def _find_cycle(after: dict[str, list[str]], order: list[str]) -> list[str]:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in after[node]:
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        stack.pop()
        return []

    for node in order:
        if node not in state and (found := visit(node)):
            return found
    return []


def _paths(p: Pipeline) -> Iterator[Diagnostic]:
    for step in p.steps:
        # A `when:` that is not a dotted path is an expression (checked by kinds_rules).
        for what, value in (("uses", step.uses),):
            if value is not None and not _DOTTED.match(value):
                yield Diagnostic(
                    "invalid-dotted-path",
                    f"{what} of {step.name} must be a dotted path, got {value!r}",
                    step.span,
                    hint="write module.name, e.g. myapp.functions.research",
                )
