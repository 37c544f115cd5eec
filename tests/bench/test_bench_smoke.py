"""`python -m bench --quick` runs end to end and writes a results file of the right shape.

No timing is asserted: only the keys and that the figures are numbers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.dev_server]

ROOT = Path(__file__).resolve().parents[2]


def test_quick_suite_writes_results(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    data = json.loads(out.read_text())
    assert set(data) == {"config", "devserver", "cold_start"}
    for server in ("stock", "tuned", "ratio_tuned_over_stock"):
        assert set(data["devserver"][server]) == {"step_ms", "timer_ms", "idle_cpu_pct"}
        assert all(isinstance(v, float | int) for v in data["devserver"][server].values())
    assert set(data["cold_start"]) == {"client", "workflow", "cli_help"}
    assert set(data["cold_start"]["client"]) == {"flowkit_s", "temporalio_s", "ratio"}
