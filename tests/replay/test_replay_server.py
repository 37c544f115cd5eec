"""``flowkit replay --from-server`` against the Temporal dev server (the time-skipping
server has no visibility queries): runs listed by a query, histories fetched, progress on
stderr. The CLI runs its own event loop, so it runs in a thread beside the test's worker."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from flowkit.cli import run as cli
from flowkit.runtime import replay_histories, server_histories
from flowkit.testing import result, run_worker
from tests.replay import changed, defs

pytestmark = [pytest.mark.asyncio, pytest.mark.dev_server, pytest.mark.slow]


async def _record_runs(client, n: int) -> str:
    """Complete ``n`` Article runs; return a query that lists exactly them."""
    tag = uuid.uuid4().hex[:8]
    async with run_worker(client, workflows=defs.WORKFLOWS, functions=defs.FUNCTIONS) as tq:
        for i in range(n):
            handle = await client.start_workflow(
                "Article", f"t{i}", id=f"srv-{tag}-{i}", task_queue=tq
            )
            await result(handle)
    query = f"WorkflowType='Article' AND WorkflowId STARTS_WITH 'srv-{tag}-'"
    for _ in range(100):  # visibility is eventually consistent
        if (await client.count_workflows(query)).count == n:
            return query
        await asyncio.sleep(0.1)
    raise AssertionError("the runs never became visible")


async def test_from_server_cli_and_library(flowkit_dev_env, capsys):
    client = flowkit_dev_env.client
    query = await _record_runs(client, 3)
    address = client.service_client.config.target_host

    async def flowkit(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = await asyncio.to_thread(cli, ["replay", *argv, "--address", address])
        out, err = capsys.readouterr()
        return code, out, err

    base = ["--from-server", "--query", query]
    code, out, err = await flowkit(*base, "--app", "tests.replay.defs:WORKFLOWS", "--json")
    assert code == 0, err
    assert json.loads(out)["counts"] == {"ok": 3, "nondeterministic": 0, "failed": 0}
    assert err.count("fetched ") == 3  # progress, one line per run

    code, out, err = await flowkit(*base, "--limit", "2", "--app", "tests.replay.changed:SWAPPED")
    assert code == 1
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[:2]] == ["NONDETERMINISTIC"] * 2
    assert lines[-1] == "2 runs replayed: 2 nondeterministic"

    seen: list[str] = []
    listed = server_histories(client, query, limit=1, progress=seen.append)
    report = await replay_histories(listed, changed.EXTRA_STEP)
    assert [r.status for r in report.runs] == ["nondeterministic"]
    assert report.runs[0].source == "server"
    assert len(seen) == 1
