import pytest

from tests.sdk import defs


@pytest.mark.asyncio
async def test_defaults_workflow_runs(flowkit_env, flowkit_worker):
    async with flowkit_worker(workflows=[defs.DefaultsWorkflow], functions=[defs.echo]) as tq:
        result = await flowkit_env.client.execute_workflow(
            defs.DefaultsWorkflow.run, id="smoke-1", task_queue=tq
        )
    assert result == ["A", "B"]
