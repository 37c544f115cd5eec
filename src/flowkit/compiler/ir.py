"""The one intermediate representation that expressions and YAML files both become.

A :class:`Pipeline` is steps plus edges between them. Validation and code generation
look only at this, never at the source format. Positions (:class:`~flowkit.errors.Span`)
ride along for error messages but take no part in equality.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

from flowkit.errors import Diagnostic, Span

__all__ = [
    "LOOP_SETTINGS",
    "RESERVED",
    "STEP_SETTINGS",
    "Edge",
    "EdgeKind",
    "InputField",
    "Loop",
    "Option",
    "Pipeline",
    "Setting",
    "Step",
    "class_name",
    "identifier",
    "is_dotted",
]

_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+", re.ASCII)

_WORD_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_UNDERSCORES = re.compile(r"_+")

#: Settings a step accepts, with what each value must look like.
STEP_SETTINGS = {"timeout": "duration", "heartbeat": "duration", "retries": "integer"}
#: Settings a loop accepts.
LOOP_SETTINGS = {"max": "integer"}

#: Names the generated code uses itself; a step called one of these gets ``_step``.
RESERVED = {
    *("params", "feedback", "round", "resume", "max_steps_per_run", "self", "input", "text"),
    *("done", "run", "stubs", "rounds", "expected", "want", "by_stage", "step_name"),
    *("start_options", "replace", "timedelta", "asyncio", "workflow", "function", "uuid"),
    *("import_functions", "workflow_info", "pytest", "result", "steps", "handle", "any"),
    # flowkit.steps names the generated workflow imports for built-in step kinds
    *("form", "approval", "sleep", "wait_until", "when", "evaluate", "ai_generate"),
    *("api_call", "run_dag", "saga", "context", "verdict", "services"),
}


class EdgeKind(StrEnum):
    """How one step follows another."""

    SEQUENCE = "sequence"
    LOOP = "loop"
    CONDITIONAL = "conditional"
    FAN_OUT = "fan-out"
    NEED = "need"


@dataclass(frozen=True)
class Setting:
    """One ``key=value`` setting as written (checked by validation, parsed by render)."""

    key: str
    value: str
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Option:
    """One key of a built-in step kind as written (``template``, ``fields``, ``url`` …).

    ``value`` is the YAML value with its plain Python types (text, numbers, lists, dicts).
    """

    key: str
    value: Any = field(hash=False)
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Step:
    """One step of a pipeline.

    Attributes:
        name: the step's name as written (``RESEARCH``, ``SendEmail``).
        settings: inline or YAML settings (``timeout``, ``retries``, ``heartbeat``).
        uses: a dotted path to an existing function or workflow to call instead of a stub.
        when: a dotted path to a condition function ``fn(params, results) -> bool``, or a
            safe expression over the run's context (see :func:`is_dotted`).
        kind: ``function`` (the default), ``workflow``, ``form``, ``approval``,
            ``ai_generate``, ``api_call``, ``conditional``, ``sleep`` or ``wait_until``.
        options: the kind's own keys (``fields``, ``template``, ``url`` …).
        compensate: the step that undoes this one when a later step fails (a saga).
        span: where the step is named in the source.
    """

    name: str
    settings: tuple[Setting, ...] = ()
    uses: str | None = None
    when: str | None = None
    kind: str = "function"
    options: tuple[Option, ...] = ()
    compensate: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False)
    when_span: Span | None = field(default=None, compare=False, repr=False)
    compensate_span: Span | None = field(default=None, compare=False, repr=False)

    def setting(self, key: str) -> str | None:
        """The value of a setting, or ``None`` when it is not set."""
        return next((s.value for s in self.settings if s.key == key), None)

    def option(self, key: str, default: Any = None) -> Any:
        """The value of one of the kind's keys, or ``default`` when it is not set."""
        return next((o.value for o in self.options if o.key == key), default)

    def option_span(self, key: str) -> Span | None:
        """Where one of the kind's keys is set (the step's own span when it is not)."""
        return next((o.span for o in self.options if o.key == key), None) or self.span

    # Cached: validation and rendering ask for them many times per step.
    @cached_property
    def ident(self) -> str:
        """The snake_case Python name of the step (field and function names)."""
        return identifier(self.name)

    @cached_property
    def cls(self) -> str:
        """The PascalCase Python name of the step (model and class names)."""
        return class_name(self.name)


@dataclass(frozen=True)
class Edge:
    """``target`` runs after ``source``; ``kind`` says how."""

    source: str
    target: str
    kind: EdgeKind
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Loop:
    """A refinement loop. Valid loops join exactly two steps: ``first ⇄ second``."""

    steps: tuple[str, ...]
    settings: tuple[Setting, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False)
    # Where each extra ⇄ is, for the error that says a loop joins two steps.
    extra_spans: tuple[Span | None, ...] = field(default=(), compare=False, repr=False)

    @property
    def first(self) -> str:
        """The step that does the work (gets the second's output as feedback)."""
        return self.steps[0]

    @property
    def second(self) -> str:
        """The step that judges the work (its output's ``done`` ends the loop)."""
        return self.steps[-1]

    def setting(self, key: str) -> str | None:
        """The value of a setting, or ``None`` when it is not set."""
        return next((s.value for s in self.settings if s.key == key), None)


@dataclass(frozen=True)
class InputField:
    """A typed field of the pipeline's input model (``topic: str``)."""

    name: str
    type: str = "str"
    default: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Pipeline:
    """A whole pipeline: the single input to validation and code generation.

    Attributes:
        name: the workflow class name (``BlogPipeline``).
        steps: every step, in source order (duplicates kept so validation can report them).
        edges: every edge between steps.
        loops: refinement loops (their inner edge is also in ``edges`` with kind loop).
        description: a sentence for the static details in the Web UI.
        expression: the operator expression, when there is one (shown in the Web UI).
        inputs: fields of the pipeline's input model.
        defaults: settings applied to every step that does not set them itself.
        max_steps_per_run: continue as new after this many stages (``None``: only
            when the server suggests it).
        max_parallel: with ``fail_fast``, set for a ``needs:`` DAG run by
            ``flowkit.steps.run_dag``: how many steps run at once (``None``: no limit).
        fail_fast: cancel the running steps of such a DAG at the first failure.
        source: the file or label the pipeline came from (for messages only: nothing
            after the front end decides by it).
        when_paths: each step's ``when`` names a condition function by dotted path
            (``--cond`` on an expression) rather than holding an expression to check.
        implicit_subject: with no ``inputs``, the run takes one ``subject: str`` (a
            pipeline written as an expression has no input model of its own).
        notes: problems found while building, reported by validation.
        span: where the pipeline starts in the source.
    """

    name: str
    steps: tuple[Step, ...]
    edges: tuple[Edge, ...] = ()
    loops: tuple[Loop, ...] = ()
    description: str = ""
    expression: str | None = None
    inputs: tuple[InputField, ...] = ()
    defaults: tuple[Setting, ...] = ()
    max_steps_per_run: int | None = None
    max_parallel: int | None = None
    fail_fast: bool | None = None
    source: str = "<expression>"
    when_paths: bool = False
    implicit_subject: bool = False
    span: Span | None = field(default=None, compare=False, repr=False)
    # Problems found while building (unknown YAML keys, --map of a missing step);
    # validation reports them together with its own.
    notes: tuple[Diagnostic, ...] = field(default=(), compare=False, repr=False)

    # Lookups are cached: validation and rendering ask them per step and per edge, and a
    # linear scan each time made a 10,000-step pipeline take minutes.
    @cached_property
    def _by_name(self) -> dict[str, Step]:
        by_name: dict[str, Step] = {}
        for step in self.steps:
            by_name.setdefault(step.name, step)
        return by_name

    def step(self, name: str) -> Step:
        """The step called ``name`` (the first, if it is used twice).

        Raises:
            KeyError: there is no such step.
        """
        return self._by_name[name]

    @property
    def step_names(self) -> list[str]:
        """Step names in source order, each once."""
        return list(self._by_name)

    @cached_property
    def _handlers(self) -> frozenset[str]:
        named = {s.compensate for s in self.steps if s.compensate and s.compensate != s.name}
        named |= {
            str(s.option("on_reject"))
            for s in self.steps
            if s.option("on_reject") and s.option("on_reject") != s.name
        }
        return frozenset(named & self._by_name.keys())

    @property
    def handlers(self) -> set[str]:
        """Steps that run only as another's ``compensate:`` or an approval's ``on_reject:``."""
        return set(self._handlers)

    @property
    def run_as_dag(self) -> bool:
        """True when the steps run through ``flowkit.steps.run_dag`` (``max_parallel`` or
        ``fail_fast`` given) rather than in stages."""
        return self.max_parallel is not None or self.fail_fast is not None


def is_dotted(value: str) -> bool:
    """True for ``module.name``: a ``when:`` that names a function, not an expression.

    The safe expression language refuses attribute access, so no valid expression looks
    like a dotted path and the two readings never overlap. The whole text must be the
    path (no spaces or line breaks around it), since it is imported as written.
    """
    return bool(_DOTTED.fullmatch(value))


def identifier(name: str) -> str:
    """``SendEmail`` → ``send_email``, ``IDEATE`` → ``ideate``; never a keyword."""
    snake = _WORD_BREAK.sub("_", name).lower()
    snake = _UNDERSCORES.sub("_", snake).strip("_") or "step"
    if keyword.iskeyword(snake) or snake in RESERVED or snake.startswith("model_"):
        snake += "_step"
    if snake[0].isdigit():
        snake = "step_" + snake
    return snake


def class_name(name: str) -> str:
    """``fetch_orders`` → ``FetchOrders``, ``IDEATE`` → ``Ideate``."""
    return "".join(part[:1].upper() + part[1:] for part in identifier(name).split("_") if part)
