"""Cold-start structure: what an import pulls in (never how long it takes)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _loaded(statement: str, candidates: list[str]) -> list[str]:
    code = (
        f"import sys, json\n{statement}\n"
        f"print(json.dumps([m for m in {candidates!r} if m in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("statement", ["import flowkit.cli", "import flowkit"])
def test_cli_and_package_import_no_sdk(statement: str) -> None:
    heavy = ["temporalio.worker", "temporalio.client", "pydantic", "flowkit.runtime"]
    assert _loaded(statement, heavy) == []


def test_client_does_not_load_operations_or_app_loading() -> None:
    rest = ["flowkit.runtime._app", "flowkit.runtime._operations", "flowkit.runtime._run_input"]
    assert _loaded("from flowkit import Client", rest) == []
