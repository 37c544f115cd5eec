"""``flowkit check`` on the command line: exit codes, text and --json output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flowkit.cli import run as cli

BAD = """\
import time
from flowkit.workflow import workflow

@workflow.defn()
class W:
    @workflow.run
    async def run(self) -> float:
        return time.time()
"""


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_findings_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ok.py").write_text(BAD.replace("time.time()", "0.0"))
    code, out, _ = _cli(capsys, str(tmp_path))
    assert (code, out) == (0, "1 file checked: clean\n")

    bad = tmp_path / "bad.py"
    bad.write_text(BAD)
    code, out, _ = _cli(capsys, str(tmp_path))
    assert code == 1
    assert out.splitlines()[0].startswith(f"{bad}:8:16: FK101 wall-clock: time.time()")
    assert out.splitlines()[-1] == "2 files checked: 1 finding"

    code, out, _ = _cli(capsys, str(bad), "--json")
    doc = json.loads(out)
    assert (code, doc["ok"], doc["files"]) == (1, False, 1)
    assert doc["findings"][0]["rule"] == "FK101"
    assert doc["findings"][0]["line"] == 8


def test_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(capsys, str(tmp_path / "missing.py"))
    assert (code, out) == (2, "")
    assert "no such file or folder" in err
    broken = tmp_path / "broken.py"
    broken.write_text("class W(:\n")
    code, out, err = _cli(capsys, str(broken))
    assert (code, out) == (2, "")
    assert f"{broken}:1:9" in err
    assert "Traceback" not in err
    assert len(err.splitlines()) < 10
    code, _, _ = _cli(capsys)
    assert code == 2
