"""Golden files: the exact output of `flowkit new` + `g agent|workflow|function`.

Regenerate after a deliberate template change with
``FLOWKIT_UPDATE_GOLDEN=1 pytest tests/scaffold/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flowkit.cli import run

GOLDEN = Path(__file__).parent / "golden" / "demo"
COMMANDS = [
    ["g", "agent", "Hello"],
    ["g", "workflow", "HelloFlow", "--retry.max_attempts", "3", "--heartbeat", "10s"],
    ["g", "function", "SendEmail"],
]
CHECKED = [
    "server/service.py",
    "src/demo/common/retries.py",
    "src/demo/agents/hello.py",
    "tests/agents/test_hello.py",
    "src/demo/workflows/hello_flow.py",
    "tests/workflows/test_hello_flow.py",
    "src/demo/functions/send_email.py",
    "tests/functions/test_send_email.py",
]


def test_generated_files_match_the_golden_files(project: Path) -> None:
    for argv in COMMANDS:
        assert run([*argv, "--quiet"]) == 0
    update = "1" in (
        os.environ.get("FLOWKIT_UPDATE_GOLDEN"),
        os.environ.get("FLOWKIT_REGEN_GOLDEN"),
    )
    for relpath in CHECKED:
        actual = (project / relpath).read_text()
        golden = GOLDEN / (relpath + ".golden")
        if update:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(actual)
            continue
        if not golden.is_file():
            pytest.fail(f"no golden file for {relpath}; run with FLOWKIT_UPDATE_GOLDEN=1")
        assert actual == golden.read_text(), f"{relpath} differs from {golden}"
