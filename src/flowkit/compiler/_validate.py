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
``invalid-name``           the pipeline or a step name is not a Python name
``name-shadows-module``    the pipeline's package would hide a module (``Random``)
``name-collision``         two steps become the same Python name
``invalid-dotted-path``    ``uses:``, ``--map``, ``--cond`` need ``module.name``
=========================  ====================================================

Numbers are bounded by what Temporal takes (``_limits``). The rules about names live in
``_validate_names``, those of built-in step kinds in ``_validate_kinds``; the shapes of
their values are checked while reading the YAML (``_kinds``).

Every rule is linear in the pipeline (or n log n), and none recurses: a 10,000-step chain
validates in well under a second.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowkit._hints import did_you_mean
from flowkit.compiler._limits import (
    MAX_LOOP_ROUNDS,
    MAX_PARALLEL,
    MAX_RETRIES,
    MAX_STEPS_PER_RUN,
    clip,
    whole_number,
)
from flowkit.compiler._validate_kinds import kinds_rules
from flowkit.compiler._validate_names import collisions, pipeline_name, step_names
from flowkit.compiler.ir import (
    LOOP_SETTINGS,
    STEP_SETTINGS,
    EdgeKind,
    Pipeline,
    Setting,
    is_dotted,
)
from flowkit.errors import Diagnostic, Span, ValidationError
from flowkit.policy import MAX_DURATION, format_duration, parse_duration

__all__ = ["validate"]


def validate(pipeline: Pipeline) -> Pipeline:
    """Check every rule and return the pipeline unchanged when it passes.

    Raises:
        ValidationError: one or more rules are broken; it carries every diagnostic.
    """
    problems = list(pipeline.notes)
    rules = (pipeline_name, _loops, _used_once, collisions, _settings, _graph, _paths)
    for rule in (*rules, kinds_rules, step_names, _run_numbers):
        problems.extend(rule(pipeline))
    if problems:
        raise ValidationError(problems)
    return pipeline


def _loops(p: Pipeline) -> Iterator[Diagnostic]:
    for loop in p.loops:
        if len(loop.steps) != 2:
            span = loop.extra_spans[0] if loop.extra_spans else loop.span
            shown = [*loop.steps, "A", "B", "C"]
            yield Diagnostic(
                "loop-needs-two-steps",
                "a refinement loop joins exactly two steps",
                span,
                label=f"a second ⇄ here; write {shown[0]} ⇄ {shown[1]} → {shown[2]}"
                if len(loop.steps) > 2
                else "",
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
                hint="give each use its own name, e.g. " + f"{clip(step.name)}2",
            )
        seen.add(step.name)


def _check_settings(
    settings: tuple[Setting, ...], known: dict[str, str], where: str, fallback: Span | None
) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for setting in settings:
        span = setting.span or fallback
        if setting.key not in known:
            yield Diagnostic(
                "unknown-setting",
                f"{where} has no setting {clip(setting.key)!r}",
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
                f"{setting.key}={clip(setting.value)} is not valid: {problem}",
                span,
                hint="durations look like 90s, 10m, 1h; counts are whole numbers",
            )


def _value_problem(value: str, kind: str, key: str) -> str:
    if kind == "duration":
        try:
            seconds = parse_duration(value).total_seconds()
            if seconds <= 0:
                return "it must be longer than zero"
            if seconds < 0.001:  # generated code spells durations in whole milliseconds
                return "it must be at least 1ms"
        except ValueError as exc:
            if "longer than" in str(exc):  # well formed, past what Temporal carries
                return f"the longest duration Temporal takes is {format_duration(MAX_DURATION)}"
            return "expected a duration"
        return ""
    number = whole_number(value)  # ASCII digits only: "²".isdigit() is true, int("²") fails
    if number is None:
        return "expected a whole number"
    if key == "max" and number < 1:
        return "a loop runs at least once"
    if key == "max" and number > MAX_LOOP_ROUNDS:
        return f"a loop runs at most {MAX_LOOP_ROUNDS} rounds"
    if number > MAX_RETRIES:
        return f"Temporal takes at most {MAX_RETRIES} attempts (a 32-bit number)"
    return ""


def _settings(p: Pipeline) -> Iterator[Diagnostic]:
    for step in p.steps:
        yield from _check_settings(step.settings, STEP_SETTINGS, f"step {step.name}", step.span)
    for loop in p.loops:  # a limit from the settings files has no span: point at the loop
        yield from _check_settings(loop.settings, LOOP_SETTINGS, "a loop", loop.span)
    yield from _check_settings(p.defaults, STEP_SETTINGS, "defaults", p.span)


def _run_numbers(p: Pipeline) -> Iterator[Diagnostic]:
    """Bounds on numbers that may come from the settings files rather than the source."""
    for what, value, limit in (
        ("continue_as_new.after_steps", p.max_steps_per_run, MAX_STEPS_PER_RUN),
        ("max_parallel", p.max_parallel, MAX_PARALLEL),
    ):
        if value is not None and not 1 <= value <= limit:
            yield Diagnostic(
                "invalid-setting-value",
                f"{what} must be a whole number from 1 to {limit}, got {clip(str(value))}",
                p.span,
            )


def _graph(p: Pipeline) -> Iterator[Diagnostic]:
    names = set(p.step_names)
    order = {name: i for i, name in enumerate(p.step_names)}
    spans = {s.name: s.span for s in reversed(p.steps)}
    for edge in p.edges:
        for end in (edge.source, edge.target):
            if end not in names:
                yield Diagnostic(
                    "unknown-step",
                    f"{clip(end)} is not a step of this pipeline",
                    edge.span,
                    hint=did_you_mean(end, names),
                )
    handlers = p.handlers
    if len(names - handlers) > 1:
        joined = {e.source for e in p.edges} | {e.target for e in p.edges} | handlers
        for name in sorted(names - joined, key=order.__getitem__):
            yield Diagnostic(
                "orphan-step",
                f"the step {name} is not joined to any other step",
                spans[name],
                hint="add it to the flow or give it needs:",
            )
    after: dict[str, list[str]] = {n: [] for n in names}
    for edge in p.edges:
        if edge.kind is not EdgeKind.LOOP and edge.source in names and edge.target in names:
            after[edge.source].append(edge.target)
    if len(names) < len(p.steps):
        return  # a step used twice makes circles of its own; that error says it all
    cycle = _find_cycle(after, p.step_names)
    if cycle:
        shown = [*cycle, cycle[0]] if len(cycle) <= 20 else [*cycle[:10], "…", cycle[0]]
        yield Diagnostic(
            "cycle",
            "the steps go round in a circle: " + " → ".join(shown),
            spans[cycle[0]],
            hint="only a ⇄ loop may repeat steps; remove one of these needs",
        )
    if names and all(after[n] for n in names):
        yield Diagnostic(
            "no-sink", "no step comes last", p.span, hint="one step must need no other"
        )


def _find_cycle(after: dict[str, list[str]], order: list[str]) -> list[str]:
    """The first circle a depth-first search meets, or ``[]``.

    Iterative (an explicit stack of iterators), so a 10,000-step chain of ``needs:``
    cannot exhaust Python's recursion limit; it visits nodes in the order a recursive
    search would, and so finds the same circle.
    """
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in order:
        if root in state:
            continue
        state[root] = 1
        path = [root]
        pending = [iter(after[root])]
        while pending:
            nxt = next(pending[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                pending.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt) :]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                pending.append(iter(after[nxt]))
    return []


def _paths(p: Pipeline) -> Iterator[Diagnostic]:
    for step in p.steps:
        # A `when:` that is not a dotted path is an expression (checked by kinds_rules).
        if step.uses is not None and not is_dotted(step.uses):
            yield Diagnostic(
                "invalid-dotted-path",
                f"uses of {step.name} must be a dotted path, got {clip(step.uses)!r}",
                step.span,
                hint="write module.name, e.g. myapp.functions.research",
            )
