"""Method decorators shared by ``agent`` and ``workflow``: ``run``, ``event``, ``state``.

They build Temporal handlers (the run method, updates, queries), work bare or called
(``@agent.event`` and ``@agent.event(name="greet")`` are the same), and attach a
:class:`~flowkit._sdk._definition.Definition`. A misdefined method is not reported here
but by the class decorator, together with every other problem of its class.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, Protocol, TypeVar, cast, overload

from temporalio import workflow as temporal_workflow
from temporalio.exceptions import ApplicationError, FailureError
from temporalio.workflow import UpdateMethodMultiParam

from flowkit._sdk._definition import Definition, attach, with_problems
from flowkit.errors import DefinitionError

__all__ = ["EventDecorator", "HandlerDecorators", "event", "run", "state"]

P = ParamSpec("P")
R = TypeVar("R")
F = TypeVar("F", bound=Callable[..., Any])
AsyncF = TypeVar("AsyncF", bound=Callable[..., Awaitable[Any]])


def _input_problems(fn: Callable[..., Any], what: str) -> list[str]:
    """Restack's methods take ``self`` and at most one input, passed positionally."""
    params = list(inspect.signature(fn).parameters.values())[1:]  # drop self
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(positional) != len(params) or len(params) > 1:
        return [
            f"{fn.__qualname__}: {what} takes self and at most one input argument, "
            f"got ({', '.join(p.name for p in params)})"
        ]
    return []


def _method(fn: object, decorator: str) -> None:
    """Refuse what is not a method at once: there is nothing to report it on later."""
    if not callable(fn):
        raise DefinitionError(
            f"@{decorator} decorates a method, got {fn!r} (a name goes in name=...)"
        )


def _name_problems(fn: Callable[..., Any], name: object) -> list[str]:
    if name is None or (isinstance(name, str) and name):
        return []
    return [f"{fn.__qualname__}: name must be a non-empty string, got {name!r}"]


def _input_optional(fn: AsyncF) -> AsyncF:
    """Let a one-argument method be called with no argument: the input is then None."""
    params = list(inspect.signature(fn).parameters.values())[1:]
    if not params or params[0].default is not inspect.Parameter.empty:
        return fn

    @functools.wraps(fn)
    async def call(self: Any, *args: Any) -> Any:
        return await fn(self, *(args or (None,)))

    return cast(AsyncF, call)


def _run(fn: AsyncF) -> AsyncF:
    _method(fn, "run")
    problems = _input_problems(fn, "run")
    if not inspect.iscoroutinefunction(fn):
        problems.append(f"{fn.__qualname__}: run must be `async def`")
    if "<locals>" in fn.__qualname__:  # the sandbox re-imports the class by its name
        problems.append(f"{fn.__qualname__}: a workflow class must be defined at module level")
    definition = Definition(kind="run", name=fn.__name__)
    if problems:
        stand_in = with_problems(fn, problems)
        attach(stand_in, definition)
        return cast(AsyncF, stand_in)
    method = temporal_workflow.run(_input_optional(fn))
    attach(method, definition)
    return method


class EventDecorator(Protocol):
    """What ``@agent.event(name=...)`` returns: a decorator keeping the handler's types."""

    @overload
    def __call__(self, fn: Callable[P, Awaitable[R]], /) -> UpdateMethodMultiParam[P, R]: ...
    @overload
    def __call__(self, fn: Callable[P, R], /) -> UpdateMethodMultiParam[P, R]: ...


def _event(
    fn: Callable[..., Any], name: str | None, description: str | None
) -> UpdateMethodMultiParam[..., Any]:
    _method(fn, "event")
    problems = _input_problems(fn, "an event") + _name_problems(fn, name)
    definition = Definition(kind="event", name=name or fn.__name__, description=description)
    if problems:
        stand_in = with_problems(fn, problems)
        attach(stand_in, definition)
        return cast(UpdateMethodMultiParam[..., Any], stand_in)
    wants_input = len(inspect.signature(fn).parameters) == 2
    is_async = inspect.iscoroutinefunction(fn)

    @functools.wraps(fn)
    async def handle(self: Any, *args: Any) -> Any:
        if wants_input and not args:
            args = (None,)
        try:
            result = fn(self, *args)
            return await result if is_async else result
        except FailureError:
            raise
        except Exception as exc:
            raise ApplicationError(str(exc), type=type(exc).__name__) from exc

    update = temporal_workflow.update(name=definition.name, description=description)(handle)
    attach(update, definition)
    return update


def _state(fn: F, name: str | None, description: str | None) -> F:
    _method(fn, "state")
    problems = _name_problems(fn, name)
    if inspect.iscoroutinefunction(fn):
        problems.append(f"{fn.__qualname__}: a state reader must be a plain `def`")
    definition = Definition(kind="state", name=name or fn.__name__, description=description)
    if problems:
        stand_in = with_problems(fn, problems)
        attach(stand_in, definition)
        return cast(F, stand_in)
    query = temporal_workflow.query(name=definition.name, description=description)(fn)
    attach(query, definition)
    return query


class HandlerDecorators:
    """``run``, ``event`` and ``state`` of the ``agent`` and ``workflow`` objects (a mixin).

    Overloads on static methods, not module functions wrapped in ``staticmethod()``:
    type checkers keep only the first overload of a wrapped one.
    """

    @overload
    @staticmethod
    def run(fn: AsyncF, /) -> AsyncF: ...
    @overload
    @staticmethod
    def run() -> Callable[[AsyncF], AsyncF]: ...
    @staticmethod
    def run(fn: Any = None, /) -> Any:
        """Mark the ``async def run(self[, input])`` method; a missing input arrives as None.

        Works bare (``@workflow.run``) and called (``@workflow.run()``).

        Args:
            fn: the run method, when used bare.
        """
        return _run(fn) if fn is not None else _run

    @overload
    @staticmethod
    def event(fn: Callable[P, Awaitable[R]], /) -> UpdateMethodMultiParam[P, R]: ...
    @overload
    @staticmethod
    def event(fn: Callable[P, R], /) -> UpdateMethodMultiParam[P, R]: ...
    @overload
    @staticmethod
    def event(*, name: str | None = None, description: str | None = None) -> EventDecorator: ...
    @staticmethod
    def event(
        fn: Callable[..., Any] | None = None,
        /,
        *,
        name: str | None = None,
        description: str | None = None,
    ) -> Any:
        """Declare an event handler: a Temporal update whose return value goes back to the sender.

        An exception other than a Temporal failure is reported to the sender as an
        ``ApplicationError`` of the exception's type; the run itself goes on. Add a validator
        with ``@handler.validator`` to reject bad input before it is recorded.

        Args:
            fn: the handler, when used bare (``@agent.event``).
            name: the update name; default the method's name.
            description: shown by Temporal's Web UI and CLI.
        """
        if fn is not None:
            return _event(fn, name, description)
        return functools.partial(_event, name=name, description=description)

    @overload
    @staticmethod
    def state(fn: F, /, name: str | None = None, description: str | None = None) -> F: ...
    @overload
    @staticmethod
    def state(*, name: str | None = None, description: str | None = None) -> Callable[[F], F]: ...
    @staticmethod
    def state(
        fn: Callable[..., Any] | None = None,
        /,
        name: str | None = None,
        description: str | None = None,
    ) -> Any:
        """Declare a state reader: a Temporal query (a plain ``def`` that must not change state).

        Args:
            fn: the reader, when used bare (``@agent.state``) or called Restack's way
                (``agent.state(fn, name, description)``).
            name: the query name; default the method's name.
            description: shown by Temporal's Web UI and CLI.
        """
        if fn is not None:
            return _state(fn, name, description)
        return functools.partial(_state, name=name, description=description)


run = HandlerDecorators.run
event = HandlerDecorators.event
state = HandlerDecorators.state
