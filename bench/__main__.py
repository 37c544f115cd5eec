"""``python -m bench [--quick] [--rounds N] [--out bench/results.json]``: the suite.

Runs, in one process and one sitting: `flowkit dev` tuned vs ``--stock`` (bench.devserver),
then cold-start times of imports and of ``flowkit --help`` — flowkit's and temporalio's
alternated ABAB. Medians over the rounds and flowkit/temporalio ratios go to the results
file. ``--quick`` is a tiny configuration for smoke tests: its figures mean nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import devserver

# (name, flowkit's statement, temporalio's statement of the same parts)
IMPORTS = (
    ("client", "from flowkit import Client", "from temporalio.client import Client"),
    ("workflow", "import flowkit.workflow", "import temporalio.workflow"),
)


def cold_seconds(code: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - t0


def cold_starts(rounds: int) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for name, ours, theirs in IMPORTS:
        a: list[float] = []
        b: list[float] = []
        for _ in range(rounds):  # ABAB
            a.append(cold_seconds(ours))
            b.append(cold_seconds(theirs))
        fk, tp = statistics.median(a), statistics.median(b)
        out[name] = {
            "flowkit_s": round(fk, 3),
            "temporalio_s": round(tp, 3),
            "ratio": round(fk / tp, 3),
        }
    helps = [
        cold_seconds("from flowkit.cli import run; raise SystemExit(run(['--help']))")
        for _ in range(rounds)
    ]
    out["cli_help"] = {"flowkit_s": round(statistics.median(helps), 3)}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tiny configuration (smoke test)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("bench/results.json"))
    args = parser.parse_args(argv)
    rounds = 1 if args.quick else max(args.rounds, 3)
    dev_args = argparse.Namespace(
        rounds=rounds,
        steps=2 if args.quick else 20,
        timers=1 if args.quick else 5,
        idle=0.5 if args.quick else 5.0,
        extra=[],
    )
    results = {
        "config": {"quick": args.quick, "rounds": rounds, "python": sys.version.split()[0]},
        "devserver": asyncio.run(devserver.main(dev_args)),
        "cold_start": cold_starts(rounds),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
