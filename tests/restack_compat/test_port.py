"""``flowkit port`` on a Restack project; the ported project then runs on flowkit.

The project (tests/restack_compat/fixtures/hello_restack) keeps its ``restack_ai``
imports; each test ports a copy.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest

from flowkit.cli import run
from flowkit.port import PortError, port_project, port_source

FIXTURE = Path(__file__).parent / "fixtures" / "hello_restack"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "hello"))


def _sources(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*.*"))}


def test_dry_run_prints_the_diff_and_writes_nothing(project: Path, capsys) -> None:
    before = _sources(project)
    assert run(["port", str(project), "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert _sources(project) == before
    assert "-from restack_ai.agent import NonRetryableError, agent, import_functions, log" in out
    assert "+from flowkit.agent import NonRetryableError, agent, import_functions, log" in out
    assert "+from flowkit import Client as Restack" in out
    assert "+flowkit-temporal" in out  # requirements.txt
    assert "would change 9 file(s)" in err


def test_what_cannot_be_ported_is_reported_with_file_and_line(project: Path, capsys) -> None:
    assert run(["port", str(project)]) == 0
    err = capsys.readouterr().err
    where = project / "hello_restack" / "schedule_interval.py"
    assert f"{where}:11: schedule_workflow(input=...)" in err
    assert "pass workflow_input=" in err
    assert "restack_ai" not in (project / "hello_restack" / "agents.py").read_text()


def test_a_name_flowkit_lacks_stays_and_is_reported() -> None:
    text, unported = port_source(
        "from restack_ai.function import function, StreamState\n", Path("f.py")
    )
    assert text == (
        "from flowkit.function import function\nfrom restack_ai.function import StreamState\n"
    )
    assert [str(u).split(":")[:3] for u in unported] == [
        ["f.py", "1", " restack_ai.function.StreamState"]
    ]


def test_bad_input_is_a_one_screen_error_with_exit_code_2(tmp_path: Path, capsys) -> None:
    assert run(["port", str(tmp_path / "missing")]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    broken = tmp_path / "broken.py"
    broken.write_text("from restack_ai.agent import agent\ndef f(:\n    pass\n")
    assert run(["port", str(broken)]) == 2
    err = capsys.readouterr().err
    assert f"{broken}:" in err
    assert "Traceback" not in err
    assert broken.read_text().startswith("from restack_ai")  # nothing written
    with pytest.raises(PortError):
        port_project(broken)


@pytest.mark.asyncio
async def test_the_ported_project_runs_on_flowkit(flowkit_env, project, monkeypatch) -> None:
    report = port_project(project)
    assert len(report.changed) == 9
    address = flowkit_env.client.service_client.config.target_host
    monkeypatch.setenv("TEMPORAL_ADDRESS", address)  # Restack() connects here
    monkeypatch.syspath_prepend(str(project))
    try:
        from hello_restack import schedule_agent, schedule_workflow, service

        serving = asyncio.create_task(service.main())
        try:
            assert await schedule_workflow.main("Ada") == "HELLO, ADA!"
            history, result = await schedule_agent.main()
            assert history == ["Hello, Grace!"]
            assert result == ["Hello, Grace!"]
        finally:
            serving.cancel()
            await asyncio.gather(serving, return_exceptions=True)
    finally:
        for name in [m for m in sys.modules if m.split(".")[0] == "hello_restack"]:
            del sys.modules[name]
