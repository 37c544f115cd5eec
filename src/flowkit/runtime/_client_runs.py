"""The part of ``flowkit.Client`` that starts runs and talks to them (Restack's names)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict, Unpack

import temporalio.client
from temporalio.client import (
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleSpec,
    WithStartWorkflowOperation,
    WorkflowHandle,
    WorkflowUpdateStage,
)
from temporalio.common import WorkflowIDConflictPolicy

from flowkit import policy
from flowkit.runtime._keywords import ignore_unknown
from flowkit.runtime._options import AgentEvent

__all__ = ["RunCalls", "StartOptions"]


class StartOptions(TypedDict, total=False):
    """The keywords :meth:`RunCalls.schedule_workflow` and ``schedule_agent`` share."""

    task_queue: str | None
    schedule: ScheduleSpec | None
    event: AgentEvent | None
    summary: str | None
    details: str | None


def _known(options: Any, call: str, required: set[str], kind: str) -> StartOptions:
    """``options`` without the keywords a start does not take, which it warns about."""
    names = set(StartOptions.__annotations__)
    ignore_unknown(
        call,
        {k: v for k, v in options.items() if k not in names},
        names | required | {f"{kind}_input"},
        kind=kind,
    )
    known: StartOptions = {k: v for k, v in options.items() if k in names}  # type: ignore[assignment]
    return known


class RunCalls:
    """Starting runs (``schedule_workflow``, ``schedule_agent``, ``start_workflow``) and
    talking to them (handles, results, state, events); mixed into :class:`Client`."""

    if TYPE_CHECKING:

        async def connect(self) -> temporalio.client.Client: ...

    # -- starting runs --------------------------------------------------------------

    async def schedule_workflow(
        self,
        *,
        workflow_name: str,
        workflow_id: str,
        workflow_input: Any = None,
        is_agent: bool = False,
        **options: Unpack[StartOptions],
    ) -> str:
        """Start a workflow (or agent) and return its run id.

        Starting again with the same id while the first run is open returns that run
        (an idempotent start). With ``schedule``, create a schedule instead and return its
        id. With ``event``, start and deliver the event in one call (update-with-start),
        returning once the agent has handled it.
        Other keywords are ignored with an :class:`IgnoredKeywordWarning`, as Restack
        ignores them (``input=`` does not give the run its input: ``workflow_input=`` does).

        Args:
            workflow_name: the registered name of the workflow or agent.
            workflow_id: the run's id.
            workflow_input: the one argument its run receives; ``None`` passes none.
            is_agent: recorded in the run's memo.
            options: ``task_queue`` (default the ``worker.task_queue`` setting),
                ``schedule``, ``event``, ``summary`` and ``details`` (shown in the Web UI).
        """
        kind = "agent" if is_agent else "workflow"
        known = _known(options, f"schedule_{kind}", {f"{kind}_name", f"{kind}_id"}, kind)
        client = await self.connect()
        queue = known.get("task_queue") or policy.current().worker.task_queue
        schedule, event = known.get("schedule"), known.get("event")
        start: dict[str, Any] = {
            "args": [] if workflow_input is None else [workflow_input],
            "id": workflow_id,
            "task_queue": queue,
            "memo": {"agent": is_agent},
            "static_summary": known.get("summary"),
            "static_details": known.get("details"),
        }
        if schedule is not None:
            action = ScheduleActionStartWorkflow(workflow_name, **start)
            await client.create_schedule(workflow_id, Schedule(action=action, spec=schedule))
            return workflow_id
        conflict = WorkflowIDConflictPolicy.USE_EXISTING
        if event is not None:
            operation: WithStartWorkflowOperation[Any, Any] = WithStartWorkflowOperation(
                workflow_name, id_conflict_policy=conflict, **start
            )
            await client.start_update_with_start_workflow(
                event.name,
                *([] if event.input is None else [event.input]),
                start_workflow_operation=operation,
                # As Restack (execute_update_with_start): the event has been handled.
                wait_for_stage=WorkflowUpdateStage.COMPLETED,
            )
            handle = await operation.workflow_handle()
        else:
            handle = await client.start_workflow(
                workflow_name, id_conflict_policy=conflict, **start
            )
        return str(handle.first_execution_run_id or handle.result_run_id)

    async def schedule_agent(
        self,
        *,
        agent_name: str,
        agent_id: str,
        agent_input: Any = None,
        **options: Unpack[StartOptions],
    ) -> str:
        """Start an agent; see :meth:`schedule_workflow` (its ``options`` too)."""
        return await self.schedule_workflow(
            workflow_name=agent_name,
            workflow_id=agent_id,
            workflow_input=agent_input,
            is_agent=True,
            **options,
        )

    async def start_workflow(
        self, name: str, input: Any = None, *, id: str | None = None, task_queue: str | None = None
    ) -> WorkflowHandle[Any, Any]:
        """Short form: start ``name`` with ``input`` and return its handle.

        Without an id, one is made from the name and a random suffix.
        """
        import uuid

        workflow_id = id or f"{name}-{uuid.uuid4().hex[:12]}"
        await self.schedule_workflow(
            workflow_name=name, workflow_id=workflow_id, workflow_input=input, task_queue=task_queue
        )
        return await self.get_workflow_handle(workflow_id)

    # -- talking to runs ------------------------------------------------------------

    async def get_workflow_handle(
        self, workflow_id: str, run_id: str | None = None
    ) -> WorkflowHandle[Any, Any]:
        """The handle of a run (the latest run of ``workflow_id`` without ``run_id``)."""
        return (await self.connect()).get_workflow_handle(workflow_id, run_id=run_id)

    async def get_workflow_result(self, workflow_id: str, run_id: str | None = None) -> Any:
        """Wait for a run to finish and return its result (following continue-as-new)."""
        return await (await self.get_workflow_handle(workflow_id, run_id)).result()

    async def get_agent_handle(
        self, agent_id: str, run_id: str | None = None
    ) -> WorkflowHandle[Any, Any]:
        """The handle of an agent's run; see :meth:`get_workflow_handle`."""
        return await self.get_workflow_handle(agent_id, run_id)

    async def get_agent_result(self, agent_id: str, run_id: str | None = None) -> Any:
        """Wait for an agent's run to finish and return its result."""
        return await self.get_workflow_result(agent_id, run_id)

    async def get_agent_state(
        self, agent_id: str, state_name: str, run_id: str | None = None
    ) -> Any:
        """Read an agent's ``@agent.state`` (a Temporal query)."""
        return await (await self.get_workflow_handle(agent_id, run_id)).query(state_name)

    async def send_agent_event(
        self,
        event_name: str,
        agent_id: str,
        run_id: str | None = None,
        event_input: Any = None,
        *,
        wait_for_completion: bool = False,
    ) -> Any:
        """Send an event (a Temporal update) to an agent.

        With ``wait_for_completion`` return the handler's value; otherwise return the
        update handle once the agent has accepted the event.
        """
        handle = await self.get_workflow_handle(agent_id, run_id)
        args = [] if event_input is None else [event_input]
        if wait_for_completion:
            return await handle.execute_update(event_name, args=args)
        return await handle.start_update(
            event_name, args=args, wait_for_stage=WorkflowUpdateStage.ACCEPTED
        )

    async def send_event(self, id: str, event_name: str, payload: Any = None) -> Any:
        """Short form: send an event and return the handler's value."""
        return await self.send_agent_event(
            event_name, id, event_input=payload, wait_for_completion=True
        )
