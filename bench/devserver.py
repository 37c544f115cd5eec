"""`flowkit dev` (tuned) against `flowkit dev --stock`, both running, measured ABAB.

    python -m bench.devserver [--rounds 3] [--steps 20] [--timers 5] [--json bench/results.json]

Per round and server: the median time of one sequential activity step (a workflow of
``--steps`` activities, divided by the steps), a workflow that sleeps 10 ms (its wall
time from start to result), and the server's CPU while idle. Prints medians over the
rounds and the tuned/stock ratio; with ``--json`` merges them into that file under
``"devserver"``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from temporalio import activity
from temporalio import workflow as tw
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from flowkit.runtime._devserver import DevServer, stop_process

QUEUE = "bench-devserver"


@activity.defn(name="bench_step")
async def bench_step(n: int) -> int:
    return n + 1


@tw.defn(name="BenchSteps")
class BenchSteps:
    @tw.run
    async def run(self, steps: int) -> int:
        n = 0
        for _ in range(steps):
            n = await tw.execute_activity(
                bench_step, n, start_to_close_timeout=timedelta(seconds=30)
            )
        return n


@tw.defn(name="BenchTimer")
class BenchTimer:
    @tw.run
    async def run(self, ms: int) -> None:
        await asyncio.sleep(ms / 1000)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its waited-for children, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


async def step_ms(client: Client, steps: int) -> float:
    t0 = time.perf_counter()
    await client.execute_workflow(BenchSteps.run, steps, id=f"s-{uuid.uuid4()}", task_queue=QUEUE)
    return (time.perf_counter() - t0) * 1000 / steps


async def timer_ms(client: Client) -> float:
    t0 = time.perf_counter()
    await client.execute_workflow(BenchTimer.run, 10, id=f"t-{uuid.uuid4()}", task_queue=QUEUE)
    return (time.perf_counter() - t0) * 1000


class _Tried(DevServer):
    """The tuned server plus ``--extra`` dynamic-config values under trial."""

    extra: tuple[str, ...] = ()

    def command(self) -> list[str]:
        return super().command() + [a for v in self.extra for a in ("--dynamic-config-value", v)]


async def main(args: argparse.Namespace) -> dict[str, dict[str, float]]:
    tmp = Path(tempfile.mkdtemp(prefix="flowkit-bench-"))
    servers: dict[str, DevServer] = {
        "stock": DevServer(port=free_port(), ui_port=free_port(), db_file=tmp / "s.db", stock=True),
        "tuned": _Tried(port=free_port(), ui_port=free_port(), db_file=tmp / "t.db"),
    }
    servers["tuned"].extra = tuple(args.extra)  # type: ignore[attr-defined]
    procs = {name: s.start() for name, s in servers.items()}
    samples: dict[str, dict[str, list[float]]] = {
        n: {"step_ms": [], "timer_ms": [], "idle_cpu_pct": []} for n in servers
    }
    try:
        clients = {n: await Client.connect(s.address) for n, s in servers.items()}
        workers = [
            Worker(
                c,
                task_queue=QUEUE,
                workflows=[BenchSteps, BenchTimer],
                activities=[bench_step],
                # the same for both servers; this module is not sandbox-safe (tempfile)
                workflow_runner=UnsandboxedWorkflowRunner(),
            )
            for c in clients.values()
        ]
        async with workers[0], workers[1]:
            for c in clients.values():  # warm up
                await step_ms(c, 2)
                await timer_ms(c)
            for _ in range(args.rounds):
                for name, c in clients.items():  # ABAB
                    samples[name]["step_ms"].append(await step_ms(c, args.steps))
                    timers = [await timer_ms(c) for _ in range(args.timers)]
                    samples[name]["timer_ms"].append(statistics.median(timers))
        for _ in range(args.rounds):  # idle: no worker polls
            for name, proc in procs.items():
                before, t0 = cpu_seconds(proc.pid), time.monotonic()
                await asyncio.sleep(args.idle)
                used = cpu_seconds(proc.pid) - before
                samples[name]["idle_cpu_pct"].append(100 * used / (time.monotonic() - t0))
    finally:
        for proc in procs.values():
            stop_process(proc)
    result = {
        n: {k: round(statistics.median(v), 2) for k, v in m.items()} for n, m in samples.items()
    }
    result["ratio_tuned_over_stock"] = {
        k: round(result["tuned"][k] / result["stock"][k], 3) if result["stock"][k] else 0.0
        for k in result["tuned"]
    }
    return result


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--timers", type=int, default=5)
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of idle CPU sampling")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--extra", action="append", default=[], help="KEY=VALUE to try")
    args = parser.parse_args()
    result = asyncio.run(main(args))
    print(json.dumps(result, indent=2))
    if args.json is not None:
        data = json.loads(args.json.read_text()) if args.json.exists() else {}
        data["devserver"] = {"rounds": args.rounds, "steps": args.steps, **result}
        args.json.write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    cli()
