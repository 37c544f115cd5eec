"""Events sent with a start (Restack's ``restack_ai.event``).

``schedule_agent(..., event=AgentEvent(name="greet", input={...}))`` starts the agent (or
finds it running) and delivers the event in one call.
"""

from __future__ import annotations

from dataclasses import dataclass

from flowkit.runtime import AgentEvent

__all__ = ["AgentEvent", "SendAgentEvent"]


@dataclass
class SendAgentEvent:
    """An event and, optionally, the workflow it is for (Restack's shape)."""

    event: AgentEvent
    workflow: str | None = None
