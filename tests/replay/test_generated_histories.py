"""Generated pipeline tests record one history per scenario on their first run, replay
them on later runs, and fail when the pipeline is recompiled into code the recorded runs
cannot replay on (run as a user runs them: ``pytest`` in a fresh process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flowkit.compiler import compile_expression

pytestmark = pytest.mark.slow


def _pytest(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=600)


def test_recorded_scenarios_replay_and_an_incompatible_recompile_fails(tmp_path: Path) -> None:
    compile_expression("IDEATE → PLAN", name="Blog", style="functions").write(tmp_path)
    histories = tmp_path / "blog" / "histories"

    first = _pytest(tmp_path)
    assert first.returncode == 0, first.stdout[-3000:]
    recorded = sorted(p.name for p in histories.glob("*.json"))
    assert recorded == ["continue-as-new.json", "in-order.json", "resumed.json"]
    stamps = {p: p.stat().st_mtime_ns for p in histories.glob("*.json")}

    second = _pytest(tmp_path)
    assert second.returncode == 0, second.stdout[-3000:]
    assert {p: p.stat().st_mtime_ns for p in histories.glob("*.json")} == stamps  # replayed

    compile_expression("PLAN → IDEATE", name="Blog", style="functions").write(tmp_path, force=True)
    third = _pytest(tmp_path)
    assert third.returncode == 1
    out = third.stdout
    assert "in-order.json: nondeterministic at event 5" in out
    assert "(ActivityTaskScheduled 'ideate'), from the code at " in out
    assert f"delete {histories / 'in-order.json'} to record it anew" in out
