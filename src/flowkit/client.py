"""The client and its options (Restack's ``restack_ai.restack``).

``from restack_ai.restack import CloudConnectionOptions, ServiceOptions`` becomes
``from flowkit.client import CloudConnectionOptions, ServiceOptions``; ``Restack`` is an
alias of :class:`Client`.
"""

from temporalio.client import (
    ScheduleCalendarSpec,
    ScheduleIntervalSpec,
    ScheduleRange,
    ScheduleSpec,
)

from flowkit.runtime import (
    AgentEvent,
    Client,
    CloudConnectionOptions,
    ResourceOptions,
    Service,
    ServiceOptions,
)

Restack = Client

__all__ = [
    "AgentEvent",
    "Client",
    "CloudConnectionOptions",
    "ResourceOptions",
    "Restack",
    "ScheduleCalendarSpec",
    "ScheduleIntervalSpec",
    "ScheduleRange",
    "ScheduleSpec",
    "Service",
    "ServiceOptions",
]
