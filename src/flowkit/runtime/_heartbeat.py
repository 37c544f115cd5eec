"""A worker interceptor that heartbeats for running functions (activities).

A step gets a heartbeat timeout (30 s by default) so a dead worker's step is retried
soon; most functions never heartbeat, so flowkit heartbeats on their behalf every third
of that timeout while they run, async or sync (the beats are sent from the worker's
event loop, never from the function's thread). Nothing is scheduled until the first
interval has passed, and short functions cost one timer handle.

A function that calls ``activity.heartbeat(...)`` itself takes over: from its first
heartbeat on, flowkit sends none for it. Until then the automatic beats carry the
details of the previous attempt, so they never overwrite what a function saved for
resumption. ``policy.auto_heartbeat: false`` (``FLOWKIT_POLICY__AUTO_HEARTBEAT=false``)
turns the beats off; a step with ``heartbeat_timeout=timedelta(0)`` has no timeout.
"""

from __future__ import annotations

import asyncio
from typing import Any

from temporalio import activity
from temporalio.worker import (
    ActivityInboundInterceptor,
    ActivityOutboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
)

from flowkit import policy

__all__ = ["AutoHeartbeat"]


class _Outbound(ActivityOutboundInterceptor):
    def __init__(self, next: ActivityOutboundInterceptor) -> None:
        super().__init__(next)
        self.user_took_over = False

    def heartbeat(self, *details: Any) -> None:
        self.user_took_over = True
        super().heartbeat(*details)

    def auto_heartbeat(self, *details: Any) -> None:
        self.next.heartbeat(*details)


class _Inbound(ActivityInboundInterceptor):
    _outbound: _Outbound | None = None

    def init(self, outbound: ActivityOutboundInterceptor) -> None:
        self._outbound = _Outbound(outbound)
        super().init(self._outbound)

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        info = activity.info()
        timeout = info.heartbeat_timeout
        outbound = self._outbound
        if (
            outbound is None
            or not timeout
            or timeout.total_seconds() <= 0
            or not policy.current().policy.auto_heartbeat
        ):
            return await self.next.execute_activity(input)
        interval = timeout.total_seconds() / 3
        previous = tuple(info.heartbeat_details)
        loop = asyncio.get_running_loop()
        handle: asyncio.TimerHandle | None = None

        def beat() -> None:
            nonlocal handle
            if outbound.user_took_over:
                return
            outbound.auto_heartbeat(*previous)
            handle = loop.call_later(interval, beat)

        handle = loop.call_later(interval, beat)
        try:
            return await self.next.execute_activity(input)
        finally:
            handle.cancel()


class AutoHeartbeat(Interceptor):
    """Heartbeats for each running function (see the module docstring)."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _Inbound(next)
