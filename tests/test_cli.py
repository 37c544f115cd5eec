"""The CLI maps user mistakes to one line and exit code 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flowkit.cli import run
from flowkit.runtime import find_temporal_cli, find_test_server


def test_version(capsys):
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.startswith("flowkit ")


def test_unknown_option_is_a_usage_error(capsys):
    assert run(["worker", "--nope"]) == 2
    assert "No such option" in capsys.readouterr().err


def test_worker_with_a_broken_app_says_where(tmp_path, monkeypatch, capsys):
    (tmp_path / "server").mkdir()
    (tmp_path / "server" / "__init__.py").write_text("")
    (tmp_path / "server" / "service.py").write_text("import not_a_module_anywhere\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    assert run(["worker"]) == 2
    err = capsys.readouterr().err
    assert "cannot import server.service: ModuleNotFoundError" in err
    assert "service.py:1" in err
    assert "Traceback" not in err


def test_unreachable_server_is_one_line_with_exit_2(tmp_path):
    (tmp_path / "app.py").write_text(
        "from flowkit import Service\nfrom tests.sdk.defs import echo\n"
        "services = [Service(functions=[echo])]\n"
    )
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from flowkit.cli import main; main()",
            "worker",
            "--app",
            "app",
            "--address",
            "127.0.0.1:1",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": f"{root}:{tmp_path}", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 2
    assert (
        proc.stderr.strip()
        .splitlines()[-1]
        .startswith(
            "error: cannot reach the Temporal server at 127.0.0.1:1: start one with `flowkit dev`"
        )
    )
    assert "Traceback" not in proc.stderr


def test_binaries_are_found_without_downloading():
    assert Path(find_temporal_cli()).name == "temporal"
    assert Path(find_test_server()).name == "temporal-test-server"


def test_a_broken_pipeline_file_stops_run_and_worker_with_a_pointed_error(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    broken = tmp_path / "broken.yaml"
    broken.write_text("pipeline: Broken\nflow: A -> -> B\n")
    for argv in (["run", str(broken)], ["worker", "--pipeline", str(broken)]):
        assert run(argv) == 2
        err = capsys.readouterr().err
        assert f"--> {broken}:2:" in err
        assert "Traceback" not in err
    assert not (tmp_path / ".flowkit").exists()  # nothing half-built
    assert run(["run", str(tmp_path / "missing.yaml")]) == 2
    assert "no pipeline file" in capsys.readouterr().err
