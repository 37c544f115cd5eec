"""The definition decorators: ``agent.defn``, ``workflow.defn`` and ``function.defn``.

Each works bare and called (``@workflow.defn`` is ``@workflow.defn()``), attaches one
:class:`~flowkit._sdk._definition.Definition`, and reports every problem it finds, its
own, its methods' and Temporal's, in one :class:`~flowkit.errors.DefinitionError`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, overload

from temporalio import activity
from temporalio import workflow as temporal_workflow

from flowkit._sdk._definition import Definition, Kind, attach, definition_of, problems_in
from flowkit.errors import DefinitionError

__all__ = ["ClassDecorator", "define_function"]

C = TypeVar("C", bound=type)
F = TypeVar("F", bound=Callable[..., Any])

# Temporal's wording when a class has no run method; a misdefined run method (reported
# already) leaves the class without one, and saying so twice would mislead.
_NO_RUN = "Missing @workflow.run method"


def _temporal_reasons(error: Exception) -> list[str]:
    """Temporal's own list of problems, from the one error it raises for all of them."""
    text = str(error)
    single = "Invalid workflow class: "
    if text.startswith(single):
        return [text.removeprefix(single)]
    head, sep, tail = text.partition(" reasons: ")
    if sep and head.startswith("Invalid workflow class for "):
        count = head.removeprefix("Invalid workflow class for ")
        reasons = tail.split(", ")
        if count.isdigit() and int(count) == len(reasons):
            return reasons
    return [text]


def _option_problems(name: object, description: object, mcp: object) -> list[str]:
    problems = []
    if name is not None and not (isinstance(name, str) and name):
        problems.append(f"name must be a non-empty string, got {name!r}")
    if description is not None and not isinstance(description, str):
        problems.append(f"description must be a string, got {description!r}")
    if not isinstance(mcp, bool):
        problems.append(f"mcp must be True or False, got {mcp!r}")
    return problems


def _define_class(cls: Any, kind: Kind, name: Any, description: Any, mcp: Any) -> Any:
    if not isinstance(cls, type):
        raise DefinitionError(f"@{kind}.defn decorates a class, got {cls!r}")
    problems = [f"{cls.__qualname__}: {p}" for p in _option_problems(name, description, mcp)]
    problems += problems_in(cls)
    has_run = any(
        (found := definition_of(member)) is not None and found.kind == "run"
        for member in vars(cls).values()
    )
    try:
        temporal_workflow.defn(
            name=name if isinstance(name, str) and name else None, sandboxed=True
        )(cls)
    except (TypeError, ValueError) as exc:
        problems += [
            f"{cls.__qualname__}: {reason}"
            for reason in _temporal_reasons(exc)
            if not (has_run and reason == _NO_RUN)
        ]
    if problems:
        raise DefinitionError(problems)
    attach(cls, Definition(kind, name or cls.__name__, description, mcp))
    return cls


def define_function(fn: F, name: str | None = None) -> F:
    """Make ``fn`` a function (a Temporal activity) named ``name`` (default its own).

    Raises:
        DefinitionError: ``fn`` cannot be a function; every problem is listed.
    """
    if not callable(fn):
        raise DefinitionError(f"@function.defn decorates a function, got {fn!r}")
    what = getattr(fn, "__qualname__", repr(fn))
    problems = [f"{what}: {p}" for p in _option_problems(name, None, False)]
    if hasattr(fn, "__temporal_activity_definition"):
        problems.append(f"{what}: is already a function (decorated twice?)")
    keyword_only = [
        p.name
        for p in inspect.signature(fn).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    if keyword_only:
        problems.append(
            f"{what}: takes keyword-only arguments ({', '.join(keyword_only)}); "
            "a step passes its input positionally"
        )
    if not problems:
        try:
            fn = activity.defn(name=name)(fn)
        except (TypeError, ValueError) as exc:
            problems.append(f"{what}: {exc}")
    if problems:
        raise DefinitionError(problems)
    registered = getattr(fn, "__temporal_activity_definition", None)
    attach(fn, Definition("function", str(getattr(registered, "name", None) or fn.__name__)))
    return fn


class ClassDecorator:
    """``defn`` of the ``workflow`` and ``agent`` objects (a mixin); ``_kind`` says which."""

    _kind: ClassVar[Kind] = "workflow"

    @overload
    def defn(self, cls: C, /) -> C: ...
    @overload
    def defn(
        self, name: str | None = None, description: str | None = None, *, mcp: bool = False
    ) -> Callable[[C], C]: ...
    def defn(
        self,
        name: str | Callable[..., Any] | None = None,
        description: str | None = None,
        *,
        mcp: bool = False,
    ) -> Any:
        """Declare a class as a workflow or an agent (a sandboxed Temporal workflow that
        events drive), bare or called.

        Args:
            name: the workflow type name; default the class name.
            description: kept on the definition (``__flowkit_definition__.description``).
            mcp: kept for Restack compatibility (``__restack_mcp__``); flowkit ignores it.

        Raises:
            DefinitionError: the class or its methods are misdefined; every problem is listed.
        """
        if callable(name) and not isinstance(name, str):  # used bare: @workflow.defn
            return _define_class(name, self._kind, None, None, False)
        return lambda cls: _define_class(cls, self._kind, name, description, mcp)
