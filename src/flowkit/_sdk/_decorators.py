"""Decorators shared by ``agent`` and ``workflow``: ``defn``, ``run``, ``event``, ``state``.

They build Temporal definitions (sandboxed workflows, updates, queries) and work bare or
called: ``@agent.event`` and ``@agent.event(name="greet")`` are the same.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar, cast, overload

from temporalio import workflow as temporal_workflow
from temporalio.exceptions import FailureError

from flowkit.errors import DefinitionError

__all__ = ["defn", "event", "run", "state"]

C = TypeVar("C", bound=type)
F = TypeVar("F", bound=Callable[..., Any])


def defn(
    name: str | None = None, description: str | None = None, *, mcp: bool = False
) -> Callable[[C], C]:
    """Declare a class as a Temporal workflow (an agent or a workflow).

    Args:
        name: the workflow type name; default the class name.
        description: shown by tooling; stored as ``__flowkit_description__``.
        mcp: kept for Restack compatibility (``__restack_mcp__``); flowkit ignores it.

    Raises:
        DefinitionError: the class is not a valid workflow; every problem is listed.
    """
    if callable(name):  # used bare: @workflow.defn
        return defn()(name)

    def decorate(cls: C) -> C:
        cls.__flowkit_description__ = description  # type: ignore[attr-defined]
        cls.__restack_description__ = description  # type: ignore[attr-defined]
        cls.__restack_mcp__ = mcp  # type: ignore[attr-defined]
        try:
            return temporal_workflow.defn(name=name, sandboxed=True)(cls)
        except ValueError as exc:
            raise DefinitionError(f"{cls.__qualname__}: {exc}") from None

    return decorate


def _arity(fn: Callable[..., Any], what: str) -> int:
    params = list(inspect.signature(fn).parameters.values())[1:]  # drop self
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(positional) != len(params) or len(params) > 1:
        raise DefinitionError(
            f"{fn.__qualname__}: {what} takes self and at most one input argument, "
            f"got ({', '.join(p.name for p in params)})"
        )
    return len(params)


def _input_optional(fn: F) -> F:
    """Let a one-argument method be called with no argument: the input is then None."""
    params = list(inspect.signature(fn).parameters.values())[1:]
    if not params or params[0].default is not inspect.Parameter.empty:
        return fn

    @functools.wraps(fn)
    async def call(self: Any, *args: Any) -> Any:
        return await fn(self, *(args or (None,)))

    return call  # type: ignore[return-value]


def run(fn: F) -> F:
    """Mark the ``async def run(self[, input])`` method; a missing input arrives as None."""
    _arity(fn, "run")
    if not inspect.iscoroutinefunction(fn):
        raise DefinitionError(f"{fn.__qualname__}: run must be `async def`")
    return temporal_workflow.run(_input_optional(fn))


@overload
def event(fn: F, /) -> F: ...
@overload
def event(*, name: str | None = None, description: str | None = None) -> Callable[[F], F]: ...
def event(
    fn: F | None = None, /, *, name: str | None = None, description: str | None = None
) -> Any:
    """Declare an event handler: a Temporal update whose return value goes back to the sender.

    An exception other than a Temporal failure is reported to the sender as an
    ``ApplicationError`` of the exception's type; the run itself goes on. Add a validator
    with ``@handler.validator`` to reject bad input before it is recorded.
    """

    def decorate(f: F) -> F:
        wants_input = _arity(f, "an event") == 1
        is_async = inspect.iscoroutinefunction(f)

        @functools.wraps(f)
        async def handle(self: Any, *args: Any) -> Any:
            if wants_input and not args:
                args = (None,)
            try:
                result = f(self, *args)
                return await result if is_async else result
            except FailureError:
                raise
            except Exception as exc:
                from temporalio.exceptions import ApplicationError

                raise ApplicationError(str(exc), type=type(exc).__name__) from exc

        update = temporal_workflow.update(name=name or f.__name__, description=description)
        return cast(F, update(handle))

    return decorate(fn) if fn is not None else decorate


@overload
def state(fn: F, /, name: str | None = None, description: str | None = None) -> F: ...
@overload
def state(*, name: str | None = None, description: str | None = None) -> Callable[[F], F]: ...
def state(fn: F | None = None, /, name: str | None = None, description: str | None = None) -> Any:
    """Declare a state reader: a Temporal query (a plain ``def`` that must not change state)."""

    def decorate(f: F) -> F:
        if inspect.iscoroutinefunction(f):
            raise DefinitionError(f"{f.__qualname__}: a state reader must be a plain `def`")
        query = temporal_workflow.query(name=name or f.__name__, description=description)
        return query(f)

    return decorate(fn) if fn is not None else decorate
