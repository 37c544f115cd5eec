"""``.env``: read by the settings, the connection, doctor and model steps; the
environment wins over it, and it never reaches ``os.environ``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flowkit import policy
from flowkit.cli import run
from flowkit.runtime import connect_config


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "FLOWKIT_POLICY__RETRY__MAX_ATTEMPTS"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".env").write_text(
        "# a comment\nTEMPORAL_ADDRESS=localhost:7299\nTEMPORAL_NAMESPACE='from-dotenv'\n"
        "FLOWKIT_POLICY__RETRY__MAX_ATTEMPTS=4\n",
        encoding="utf-8",
    )
    return tmp_path


def test_settings_read_dotenv_and_the_environment_wins(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert policy.load_settings(root=project).policy.retry.max_attempts == 4
    monkeypatch.setenv("FLOWKIT_POLICY__RETRY__MAX_ATTEMPTS", "7")
    assert policy.load_settings(root=project).policy.retry.max_attempts == 7


def test_the_connection_reads_dotenv(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = policy.load_settings(root=project).temporal
    config = connect_config(settings=settings)
    assert (config["target_host"], config["namespace"]) == ("localhost:7299", "from-dotenv")
    assert "TEMPORAL_ADDRESS" not in os.environ  # read, not exported
    monkeypatch.setenv("TEMPORAL_ADDRESS", "localhost:7300")
    assert connect_config(settings=settings)["target_host"] == "localhost:7300"
    assert connect_config("localhost:7301", settings=settings)["target_host"] == "localhost:7301"


def test_a_changed_dotenv_is_read_again(project: Path) -> None:
    assert policy.environment(project)["TEMPORAL_ADDRESS"] == "localhost:7299"
    (project / ".env").write_text("TEMPORAL_ADDRESS=localhost:7302\n", encoding="utf-8")
    os.utime(project / ".env", (1, 1))  # a different mtime even within one clock tick
    assert policy.environment(project)["TEMPORAL_ADDRESS"] == "localhost:7302"


def test_no_dotenv_is_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert policy.environment() is os.environ


def test_doctor_checks_the_server_dotenv_names(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["doctor", "--root", str(project)])
    out = capsys.readouterr()
    assert "localhost:7299" in out.out + out.err
