from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from flowkit.cli import run
from flowkit.scaffold._doctor import _probe, check_registrations, format_checks, run_checks


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_server_is_an_error_with_the_fix(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    address = f"127.0.0.1:{_free_port()}"
    assert run(["doctor", "--address", address]) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("✗ server"))
    assert address in line
    assert "flowkit dev" in line
    assert "✓ service: server/service.py imports" in out


def test_a_failing_import_is_reported(project: Path) -> None:
    assert run(["g", "function", "SendEmail"]) == 0
    module = project / "src/demo/functions/send_email.py"
    module.write_text(module.read_text() + "\nimport not_a_module_anywhere\n")
    checks = check_registrations(project)
    [service] = [c for c in checks if c.name == "service"]
    assert service.status == "error"
    assert "cannot import server.service" in service.message
    assert "not_a_module_anywhere" in service.message


def test_unregistered_and_duplicate_registrations(project: Path) -> None:
    assert run(["g", "workflow", "HelloFlow"]) == 0
    service = project / "server/service.py"
    text = service.read_text().replace("functions=[ping, hello_flow_step]", "functions=[ping]")
    text = text.replace("workflows=[HelloFlow]", "workflows=[HelloFlow, HelloFlow]")
    service.write_text(text)
    messages = [(c.status, c.message) for c in check_registrations(project)]
    assert ("error", "HelloFlow is registered twice on 'flowkit'") in messages
    assert (
        "error",
        "HelloFlow calls function hello_flow_step, registered on no worker",
    ) in messages


def test_a_healthy_project_passes_offline(project: Path) -> None:
    assert run(["g", "agent", "Hello"]) == 0
    checks = run_checks(project, server=False)
    assert [c for c in checks if c.status == "error"] == []
    assert any(c.name == "registration" and c.status == "ok" for c in checks)
    assert any(c.name == "git" and c.status == "warn" for c in checks)  # not a repository


def test_missing_init_and_bad_module_names(project: Path) -> None:
    (project / "src/demo/extra").mkdir()
    (project / "src/demo/extra/thing.py").write_text("")
    (project / "src/demo/functions/send-email.py").write_text("")
    text = format_checks(run_checks(project, server=False))
    assert "! packages: src/demo/extra/ has no __init__.py" in text
    assert "✗ names: src/demo/functions/send-email.py is not an importable module name" in text


def test_json_output(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["doctor", "--json", "--address", f"127.0.0.1:{_free_port()}"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    statuses = {c["name"]: c["status"] for c in data["checks"]}
    assert statuses["server"] == "error"
    assert statuses["service"] == "ok"


@pytest.mark.dev_server
@pytest.mark.asyncio
async def test_a_running_server_is_reachable(flowkit_dev_env: Any) -> None:
    address = flowkit_dev_env.client.service_client.config.target_host
    ok = await _probe({"target_host": address, "namespace": "default"})
    assert (ok.status, ok.name) == ("ok", "server")
    missing = await _probe({"target_host": address, "namespace": "no-such-namespace"})
    assert missing.status == "error"
    assert "does not exist" in missing.message


def test_a_pending_patch_is_reported(project: Path) -> None:
    (project / "server/service.py.patch").write_text("--- a\n+++ b\n")
    text = format_checks(run_checks(project, server=False))
    assert "! patch: server/service.py.patch is waiting" in text


def test_the_address_comes_from_temporal_address_like_the_client(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    port = _free_port()
    monkeypatch.setenv("TEMPORAL_ADDRESS", f"127.0.0.1:{port}")
    assert run(["doctor", "--root", str(project)]) == 1
    assert f"nothing listens at 127.0.0.1:{port}" in capsys.readouterr().out
