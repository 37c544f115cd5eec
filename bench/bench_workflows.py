"""The cost of flowkit's SDK over plain temporalio, measured side by side in one run.

Each variant is a workflow that runs one activity (a step) and returns its result. The
flowkit variant uses ``@workflow.defn``/``workflow.step`` (which applies the default
policy, a summary, the pydantic converter and flowkit's sandbox passthrough); the plain
variant calls ``temporalio.workflow.execute_activity`` with the same timeouts.

    python -m bench.bench_workflows [--server dev|time-skipping] [--runs 200]

Prints latency percentiles of sequential runs and the throughput of concurrent runs for
both variants, on the same server, interleaved to cancel drift.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from datetime import timedelta

from temporalio import activity
from temporalio import workflow as tw

from flowkit.function import function
from flowkit.testing import run_worker, start_dev_server, start_time_skipping
from flowkit.workflow import workflow


@activity.defn(name="plain_double")
async def plain_double(n: int) -> int:
    return n * 2


@function.defn(name="flowkit_double")
async def flowkit_double(n: int) -> int:
    return n * 2


@tw.defn(name="PlainBench")
class PlainBench:
    @tw.run
    async def run(self, n: int) -> int:
        return await tw.execute_activity(
            plain_double, n, start_to_close_timeout=timedelta(minutes=2)
        )


@workflow.defn(name="FlowkitBench")
class FlowkitBench:
    @workflow.run
    async def run(self, n: int) -> int:
        result: int = await workflow.step(function=flowkit_double, function_input=n)
        return result


VARIANTS = {"plain temporalio": PlainBench, "flowkit": FlowkitBench}


async def _one(client, cls, queue: str) -> float:
    began = time.perf_counter()
    workflow_id = f"bench-{uuid.uuid4()}"
    result = await client.execute_workflow(cls.run, 21, id=workflow_id, task_queue=queue)
    assert result == 42
    return time.perf_counter() - began


async def main(server: str, runs: int) -> None:
    env = await (start_dev_server() if server == "dev" else start_time_skipping())
    client = env.client
    try:
        async with run_worker(
            client, workflows=list(VARIANTS.values()), functions=[plain_double, flowkit_double]
        ) as queue:
            for cls in VARIANTS.values():  # warm up: imports, sandbox, caches
                for _ in range(10):
                    await _one(client, cls, queue)
            latencies: dict[str, list[float]] = {name: [] for name in VARIANTS}
            for _ in range(runs):
                for name, cls in VARIANTS.items():
                    latencies[name].append(await _one(client, cls, queue))
            throughput = {}
            for name, cls in VARIANTS.items():
                began = time.perf_counter()
                await asyncio.gather(*(_one(client, cls, queue) for _ in range(runs)))
                throughput[name] = runs / (time.perf_counter() - began)
    finally:
        await env.shutdown()

    print(f"server={server} runs={runs} (then {runs} at once) python={sys.version.split()[0]}")
    print(f"{'variant':<18} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'wf/s':>8}")
    for name, values in latencies.items():
        ordered = sorted(values)
        p50 = ordered[len(ordered) // 2] * 1000
        p95 = ordered[int(len(ordered) * 0.95) - 1] * 1000
        mean = statistics.fmean(values) * 1000
        print(f"{name:<18} {p50:8.2f} {p95:8.2f} {mean:8.2f} {throughput[name]:8.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", choices=["dev", "time-skipping"], default="dev")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.server, args.runs))
    sys.stdout.flush()
    os._exit(0)  # skip teardown: Temporal's core runtime can crash there (sdk-python#300)
