"""Turn a parsed expression into the IR: a Lark Transformer, then edges between units.

The Transformer is a separate step from parsing (so positions come from the tokens the
parser kept). It builds *units* — a step, a loop or a fan-out group — and
:func:`build_ir` joins consecutive units with edges of the operator's kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from lark import Token, Transformer

from flowkit.compiler._limits import MAX_EDGES
from flowkit.compiler._parse import ParsedExpression
from flowkit.compiler._source import Source
from flowkit.compiler.ir import Edge, EdgeKind, Loop, Pipeline, Setting, Step
from flowkit.errors import Diagnostic, ValidationError

__all__ = ["Chain", "Group", "LoopUnit", "build_ir", "loop_limit", "steps_per_run", "to_chain"]

_EDGE_KINDS = {
    "then_edge": EdgeKind.SEQUENCE,
    "cond_edge": EdgeKind.CONDITIONAL,
    "fan_edge": EdgeKind.FAN_OUT,
}


@dataclass(frozen=True)
class LoopUnit:
    """``A ⇄ B`` (possibly with settings, possibly wrongly with more steps)."""

    steps: tuple[Step, ...]
    operators: tuple[Token, ...]
    settings: tuple[Setting, ...] = ()


@dataclass(frozen=True)
class Group:
    """``{B, C}``: the steps a fan-out starts."""

    steps: tuple[Step, ...]


Unit = Step | LoopUnit | Group


@dataclass
class Chain:
    """The units of an expression and the operator kind that joins each to the last."""

    first: Unit
    links: list[tuple[EdgeKind, Token, Unit]] = field(default_factory=list)


class _ToUnits(Transformer[Token, Any]):
    def __init__(self, source: Source) -> None:
        super().__init__()
        self._source = source

    def _span(self, token: Token) -> Any:
        line, column = token.line or 1, token.column or 1
        return self._source.span(line, column, column + len(str(token)))

    def step(self, children: list[Any]) -> Step:
        name: Token = children[0]
        settings = children[1] if len(children) > 1 else ()
        return Step(name=str(name), settings=settings, span=self._span(name))

    def settings(self, children: list[Setting]) -> tuple[Setting, ...]:
        return tuple(children)

    def setting(self, children: list[Any]) -> Setting:
        key: Token = children[0]
        value: Token = children[1]
        span = self._span(key)
        if value.line == key.line and value.column is not None and key.column is not None:
            span = self._source.span(
                key.line or 1, key.column, value.column + len(str(value))
            )  # the whole key=value
        return Setting(key=str(key), value=str(value).strip('"'), span=span)

    def word_value(self, children: list[Token]) -> Token:
        return children[0]

    number_value = string_value = word_value

    def loop(self, children: list[Any]) -> LoopUnit:
        steps = tuple(c for c in children if isinstance(c, Step))
        operators = tuple(c for c in children if isinstance(c, Token))
        return LoopUnit(steps=steps, operators=operators)

    def loop_group(self, children: list[Any]) -> LoopUnit:
        unit = self.loop(children)
        settings = next((c for c in children if isinstance(c, tuple)), ())
        return replace(unit, settings=settings)

    def group(self, children: list[Step]) -> Group:
        return Group(steps=tuple(children))

    def _edge(self, kind: str, children: list[Any]) -> tuple[EdgeKind, Token, Unit]:
        return (_EDGE_KINDS[kind], children[0], children[1])

    def then_edge(self, children: list[Any]) -> tuple[EdgeKind, Token, Unit]:
        return self._edge("then_edge", children)

    def cond_edge(self, children: list[Any]) -> tuple[EdgeKind, Token, Unit]:
        return self._edge("cond_edge", children)

    def fan_edge(self, children: list[Any]) -> tuple[EdgeKind, Token, Unit]:
        return self._edge("fan_edge", children)

    def pipeline(self, children: list[Any]) -> Chain:
        return Chain(first=children[0], links=list(children[1:]))


def to_chain(parsed: ParsedExpression) -> Chain:
    """Transform a parsed expression into its chain of units."""
    chain: Chain = _ToUnits(parsed.source).transform(parsed.tree)
    return chain


def _entries(unit: Unit) -> list[Step]:
    return [unit.steps[0]] if isinstance(unit, LoopUnit) else _exits(unit)


def _exits(unit: Unit) -> list[Step]:
    if isinstance(unit, Step):
        return [unit]
    if isinstance(unit, LoopUnit):
        return [unit.steps[-1]]
    return list(unit.steps)


def loop_limit(first: str, second: str, settings: Mapping[str, Any] | None = None) -> int:
    """The loop limit from settings ``pipeline.loops.<A>_<B>.max``, else ``policy.loop_max``."""
    from flowkit import policy

    loops = (settings if settings is not None else policy.current().pipeline).get("loops") or {}
    entry = loops.get(f"{first}_{second}") if isinstance(loops, Mapping) else None
    limit = entry.get("max") if isinstance(entry, Mapping) else None
    if isinstance(limit, int) and not isinstance(limit, bool):
        return limit  # validation bounds it (with the loop's position)
    return policy.current().policy.loop_max


def build_ir(
    parsed: ParsedExpression,
    *,
    name: str,
    mapping: Mapping[str, str] | None = None,
    conditions: Mapping[str, str] | None = None,
    settings: Mapping[str, Any] | None = None,
    step_overrides: Mapping[str, Step] | None = None,
    description: str = "",
) -> Pipeline:
    """Build the IR of an expression.

    Args:
        parsed: from :func:`parse_expression`.
        name: the pipeline (workflow class) name.
        mapping: step name → dotted path of an existing function or workflow to call.
        conditions: step name → dotted path of a condition ``fn(params, results) -> bool``.
        settings: the ``pipeline`` settings section (loop limits); default: in force.
        step_overrides: settings, ``uses`` and ``when`` for steps (from YAML ``steps:``).
        description: a sentence for the Web UI.

    Raises:
        ValidationError: the expression would join its steps with more than
            ``MAX_EDGES`` edges (a group after a group).
    """
    chain = to_chain(parsed)
    units: list[Unit] = [chain.first] + [unit for _, _, unit in chain.links]
    steps: list[Step] = []
    edges: list[Edge] = []
    loops: list[Loop] = []
    for unit in units:
        steps.extend([unit] if isinstance(unit, Step) else unit.steps)
        if isinstance(unit, LoopUnit):
            pairs = zip(unit.steps, unit.steps[1:], strict=False)
            edges += [Edge(a.name, b.name, EdgeKind.LOOP, b.span) for a, b in pairs]
            limit = [s for s in unit.settings if s.key == "max"] or [
                Setting("max", str(loop_limit(unit.steps[0].name, unit.steps[-1].name, settings)))
            ]
            extra = tuple(
                parsed.source.span(t.line or 1, t.column or 1) for t in unit.operators[1:]
            )
            loops.append(
                Loop(
                    steps=tuple(s.name for s in unit.steps),
                    settings=tuple(s for s in unit.settings if s.key != "max") + tuple(limit),
                    span=unit.steps[0].span,
                    extra_spans=extra,
                )
            )
    notes: list[Diagnostic] = []
    previous = chain.first
    for kind, token, unit in chain.links:
        exits, entries = _exits(previous), _entries(unit)
        # A fan-out after a fan-out joins every step of one group to every step of the
        # next: a short text could ask for millions of edges. Stop before building them.
        if len(edges) + len(exits) * len(entries) > MAX_EDGES:
            # Nothing else is worth checking (every step after this would be an orphan).
            raise ValidationError(
                [
                    Diagnostic(
                        "pipeline-too-large",
                        f"the pipeline joins its steps with more than {MAX_EDGES} edges",
                        parsed.source.span(token.line or 1, token.column or 1),
                        hint="a group after a group joins every step of one to every step of "
                        "the other; put one step between them",
                    )
                ]
            )
        edges += [Edge(a.name, b.name, kind, b.span) for a in exits for b in entries]
        previous = unit
    steps = _bind(steps, mapping or {}, "uses", notes)
    steps = _bind(steps, conditions or {}, "when", notes)
    overrides = step_overrides or {}
    steps = [_merge(s, overrides[s.name]) if s.name in overrides else s for s in steps]
    return Pipeline(
        name=name,
        steps=tuple(steps),
        edges=tuple(edges),
        loops=tuple(loops),
        description=description,
        expression=" ".join(parsed.source.text.split()),
        max_steps_per_run=steps_per_run(settings),
        source=parsed.source.file,
        when_paths=True,
        implicit_subject=True,
        notes=tuple(notes),
    )


def steps_per_run(settings: Mapping[str, Any] | None = None) -> int | None:
    """``pipeline.continue_as_new.after_steps`` from settings (``None``: not set)."""
    from flowkit import policy

    section = settings if settings is not None else policy.current().pipeline
    can = section.get("continue_as_new")  # from a settings file: any shape
    value = can.get("after_steps") if isinstance(can, Mapping) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _merge(step: Step, override: Step) -> Step:
    keys = {s.key for s in override.settings}
    return replace(
        step,
        settings=tuple(s for s in step.settings if s.key not in keys) + override.settings,
        uses=override.uses or step.uses,
        when=override.when or step.when,
        when_span=override.when_span or step.when_span,
        kind=override.kind,
        options=override.options,
        compensate=override.compensate,
        compensate_span=override.compensate_span,
    )


def _bind(
    steps: list[Step], binding: Mapping[str, str], attr: str, notes: list[Diagnostic]
) -> list[Step]:
    names = {s.name for s in steps}
    flag = "--map" if attr == "uses" else "--cond"
    for key in binding:
        if key not in names:
            notes.append(
                Diagnostic(
                    "unknown-step",
                    f"{flag} names {key!r}, which is not a step of this pipeline",
                    hint="steps are: "
                    + ", ".join(sorted(names)[:10])
                    + (f", … ({len(names)} in all)" if len(names) > 10 else ""),
                )
            )
    out = []
    for step in steps:
        if step.name in binding and attr == "uses":
            step = replace(step, uses=binding[step.name])
        elif step.name in binding:
            step = replace(step, when=binding[step.name])
        out.append(step)
    return out
