"""The one frozen record every flowkit decorator attaches: :class:`Definition`.

``@agent.defn``, ``@workflow.defn``, ``@function.defn``, ``@workflow.run``,
``@agent.event`` and ``@agent.state`` each set ``__flowkit_definition__`` on what they
decorate (as temporalio sets ``__temporal_workflow_definition``), so tooling reads one
object instead of loose attributes. The attributes Restack-era code reads on classes
(``__restack_description__``, ``__restack_mcp__``, ``__flowkit_description__``) are
copied from it.

A method decorator that finds problems does not raise at once: it returns a stand-in
carrying them, and the class decorator reports them together with its own in one
:class:`~flowkit.errors.DefinitionError`, so a class with three mistakes shows three.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from flowkit.errors import DefinitionError

__all__ = [
    "ATTRIBUTE",
    "Definition",
    "Kind",
    "attach",
    "definition_of",
    "problems_in",
    "with_problems",
]

#: The attribute each decorator sets.
ATTRIBUTE = "__flowkit_definition__"
_PROBLEMS = "__flowkit_problems__"

Kind = Literal["agent", "workflow", "function", "run", "event", "state"]


@dataclass(frozen=True)
class Definition:
    """What a flowkit decorator declared.

    Attributes:
        kind: which decorator: ``agent``, ``workflow``, ``function`` (a class or a
            function), or ``run``, ``event``, ``state`` (a method).
        name: the name Temporal knows it by: the workflow type, activity, update or
            query name (the method's name for ``run``).
        description: the ``description=`` given, if any.
        mcp: Restack's ``mcp=`` flag (agents and workflows); flowkit keeps but ignores it.
    """

    kind: Kind
    name: str
    description: str | None = None
    mcp: bool = False


def attach(target: Any, definition: Definition) -> None:
    """Set ``definition`` on ``target``; on a class, also the attributes Restack reads."""
    setattr(target, ATTRIBUTE, definition)
    if isinstance(target, type):
        target.__restack_description__ = definition.description  # type: ignore[attr-defined]
        target.__restack_mcp__ = definition.mcp  # type: ignore[attr-defined]
        target.__flowkit_description__ = definition.description  # type: ignore[attr-defined]


def definition_of(target: Any) -> Definition | None:
    """The definition a flowkit decorator attached to ``target``, if any.

    A class's own only: a subclass does not inherit its base's definition, as it does
    not inherit its Temporal one.
    """
    if isinstance(target, type):
        found = vars(target).get(ATTRIBUTE)
    else:
        found = getattr(target, ATTRIBUTE, None)
    return found if isinstance(found, Definition) else None


def with_problems(fn: Callable[..., Any], problems: Sequence[str]) -> Callable[..., Any]:
    """A stand-in for a misdefined method: it carries ``problems`` for the class decorator
    to report, and raises them if it is ever called (its class was not decorated by
    flowkit, which would have reported them)."""

    @functools.wraps(fn)
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise DefinitionError(problems)

    # `@handler.validator` in the class body must not fail before the class decorator
    # reports the real problems.
    broken.validator = lambda validator: validator  # type: ignore[attr-defined]
    setattr(broken, _PROBLEMS, tuple(problems))
    return broken


def problems_in(cls: type) -> list[str]:
    """The problems the method decorators recorded on ``cls`` and its bases, in order."""
    found: list[str] = []
    for klass in reversed(cls.__mro__[:-1]):
        for member in vars(klass).values():
            recorded = getattr(member, _PROBLEMS, ())
            # Only our stand-ins' tuples: a member's __getattr__ may answer anything.
            for problem in recorded if isinstance(recorded, tuple) else ():
                if problem not in found:
                    found.append(problem)
    return found
