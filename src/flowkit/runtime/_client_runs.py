"""The part of ``flowkit.Client`` that starts runs and talks to them (Restack's names)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
from flowkit.runtime._options import AgentEvent

__all__ = ["RunCalls"]


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
        task_queue: str | None = None,
        schedule: ScheduleSpec | None = None,
        event: AgentEvent | None = None,
        is_agent: bool = False,
        summary: str | None = None,
        details: str | None = None,
    ) -> str:
        """Start a workflow (or agent) and return its run id.

        Starting again with the same id while the first run is open returns that run
        (an idempotent start). With ``schedule``, create a schedule instead and return its
        id. With ``event``, start and deliver the event in one call (update-with-start).
        """
        client = await self.connect()
        queue = task_queue or policy.current().worker.task_queue
        args = [] if workflow_input is None else [workflow_input]
        memo = {"agent": is_agent}
        if schedule is not None:
            action = ScheduleActionStartWorkflow(
                workflow_name,
                args=args,
                id=workflow_id,
                task_queue=queue,
                memo=memo,
                static_summary=summary,
                static_details=details,
            )
            await client.create_schedule(workflow_id, Schedule(action=action, spec=schedule))
            return workflow_id
        if event is not None:
            operation: WithStartWorkflowOperation[Any, Any] = WithStartWorkflowOperation(
                workflow_name,
                args=args,
                id=workflow_id,
                task_queue=queue,
                memo=memo,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                static_summary=summary,
                static_details=details,
            )
            await client.start_update_with_start_workflow(
                event.name,
                *([] if event.input is None else [event.input]),
                start_workflow_operation=operation,
                wait_for_stage=WorkflowUpdateStage.ACCEPTED,
            )
            handle = await operation.workflow_handle()
            return str(handle.first_execution_run_id or handle.result_run_id)
        handle = await client.start_workflow(
            workflow_name,
            args=args,
            id=workflow_id,
            task_queue=queue,
            memo=memo,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            static_summary=summary,
            static_details=details,
        )
        return str(handle.first_execution_run_id or handle.result_run_id)

    async def schedule_agent(
        self,
        *,
        agent_name: str,
        agent_id: str,
        agent_input: Any = None,
        task_queue: str | None = None,
        schedule: ScheduleSpec | None = None,
        event: AgentEvent | None = None,
    ) -> str:
        """Start an agent; see :meth:`schedule_workflow`."""
        return await self.schedule_workflow(
            workflow_name=agent_name,
            workflow_id=agent_id,
            workflow_input=agent_input,
            task_queue=task_queue,
            schedule=schedule,
            event=event,
            is_agent=True,
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

    get_agent_handle = get_workflow_handle
    get_agent_result = get_workflow_result

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
