"""``flowkit replay`` and its library (flowkit.runtime.replay_histories) on histories
recorded on Temporal's time-skipping server: the same code replays, an edited one is
reported nondeterministic with the event where it diverged."""

from __future__ import annotations

import inspect
import json
import uuid
from pathlib import Path

import pytest
import pytest_asyncio

from flowkit.cli import run as cli
from flowkit.runtime import read_histories, read_history, replay_histories
from flowkit.testing import record_history, result, run_worker
from tests.replay import changed, defs

APP = "tests.replay.defs:WORKFLOWS"


@pytest_asyncio.fixture(scope="module")
async def recorded(flowkit_env, tmp_path_factory) -> Path:
    """A folder with the histories of two completed Article runs."""
    folder = tmp_path_factory.mktemp("histories")
    async with run_worker(
        flowkit_env.client, workflows=defs.WORKFLOWS, functions=defs.FUNCTIONS
    ) as tq:
        for topic in ("timers", "sagas"):
            run_id = f"article-{topic}-{uuid.uuid4().hex[:6]}"
            handle = await flowkit_env.client.start_workflow(
                "Article", topic, id=run_id, task_queue=tq
            )
            assert await result(handle) == f"reviewed draft of {topic}"
            assert await record_history(handle, folder) == folder / f"{run_id}.json"
    return folder


@pytest.mark.asyncio
async def test_library_same_code_replays(recorded):
    report = await replay_histories(read_histories([recorded]), defs.WORKFLOWS)
    assert report.ok
    assert [r.status for r in report.runs] == ["ok", "ok"]
    assert {r.workflow for r in report.runs} == {"Article"}
    assert all(r.run_id and r.workflow_id.startswith("article-") for r in report.runs)


@pytest.mark.asyncio
@pytest.mark.parametrize("edited", [changed.SWAPPED, changed.EXTRA_STEP], ids=["swap", "extra"])
async def test_library_edit_is_nondeterministic(recorded, edited):
    report = await replay_histories(read_histories([recorded]), edited)
    assert not report.ok
    assert report.counts()["nondeterministic"] == 2
    message = report.runs[0].message or ""
    # temporalio's own text, naming the recorded event that diverged, unwrapped
    assert message.startswith("[TMPRL1100] Nondeterminism error: Activity type of scheduled")
    assert "'draft'" in message
    assert "Failure {" not in message


def _line_of(cls: type, text: str) -> str:
    """``tests/replay/changed.py:N``: the line of ``cls``'s source that holds ``text``."""
    lines, first = inspect.getsourcelines(cls)
    index = next(i for i, line in enumerate(lines) if text in line)
    return f"tests/replay/changed.py:{first + index}"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("edited", "event", "code"),
    [
        (changed.SWAPPED, (5, "ActivityTaskScheduled", "draft"), "function=review"),
        (changed.EXTRA_STEP, (5, "ActivityTaskScheduled", "draft"), "function=publish"),
        (changed.SHORT, (11, "ActivityTaskScheduled", "review"), None),
        (changed.LONGER, (17, "WorkflowExecutionCompleted", None), "function=publish"),
    ],
    ids=["swap", "extra", "short", "longer"],
)
async def test_divergence_names_the_event_and_the_code(recorded, edited, event, code):
    one = sorted(recorded.glob("*.json"))[:1]
    (run,) = (await replay_histories(read_histories(one), edited)).runs
    assert run.divergence is not None
    d = run.divergence
    assert (d.event_id, d.event_type, d.event_name) == event
    assert d.location == (_line_of(edited[0], code) if code else None)
    assert run.to_json()["event"] == dict(zip(("id", "type", "name"), event, strict=True))
    assert run.to_json()["location"] == d.location


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_ok_and_json(recorded, capsys):
    code, out, err = _cli(capsys, "replay", str(recorded), "--app", APP)
    assert code == 0, err
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[:2]] == ["ok", "ok"]
    assert lines[-1] == "2 runs replayed: 2 ok"

    code, out, err = _cli(capsys, "replay", str(recorded), "--app", APP, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["ok"] is True
    assert doc["counts"] == {"ok": 2, "nondeterministic": 0, "failed": 0}


def test_cli_nondeterministic_exits_1(recorded, capsys):
    one = sorted(recorded.glob("*.json"))[0]
    app = "tests.replay.changed:SWAPPED"
    code, out, _ = _cli(capsys, "replay", str(one), "--app", app)
    assert code == 1
    assert out.startswith(f"NONDETERMINISTIC {one.stem}: ")
    code_at = _line_of(changed.ArticleSwapped, "function=review")
    where = f"(event 5 ActivityTaskScheduled 'draft', code at {code_at})"
    assert where in out.splitlines()[0]
    code, out, _ = _cli(capsys, "replay", str(one), "--app", app, "--json")
    assert code == 1
    doc = json.loads(out)
    assert doc["ok"] is False
    assert doc["runs"][0]["status"] == "nondeterministic"
    assert doc["runs"][0]["workflow_id"] == one.stem
    assert doc["runs"][0]["message"]
    assert doc["runs"][0]["event"] == {"id": 5, "type": "ActivityTaskScheduled", "name": "draft"}


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ('{"events": [', "not valid JSON"),
        ('["x"]', 'expected an object with "events"'),
        ('{"events": [{"eventType": "NoSuchType"}]}', "not a workflow history"),
        ('{"events": []}', "not a workflow history"),
    ],
)
def test_cli_bad_file_exits_2(tmp_path, capsys, text, what):
    bad = tmp_path / "broken.json"
    bad.write_text(text)
    code, out, err = _cli(capsys, "replay", str(bad), "--app", APP)
    assert code == 2
    assert str(bad) in err
    assert what in err
    assert "Traceback" not in err
    assert out == ""


def test_cli_missing_path_and_bad_flags(tmp_path, capsys):
    code, _, err = _cli(capsys, "replay", str(tmp_path / "nope.json"), "--app", APP)
    assert (code, "no such file or folder" in err) == (2, True)
    code, _, err = _cli(capsys, "replay", str(tmp_path), "--app", APP)
    assert (code, "no *.json history files" in err) == (2, True)
    code, _, err = _cli(capsys, "replay", "--app", APP)
    assert code == 2
    code, _, err = _cli(capsys, "replay", str(tmp_path), "--query", "x", "--app", APP)
    assert code == 2


def test_read_history_names_workflow(recorded):
    one = sorted(recorded.glob("*.json"))[0]
    assert read_history(one).workflow == "Article"
    assert read_history(one, "given-id").history.workflow_id == "given-id"


def test_cli_unregistered_workflow_is_failed(recorded, capsys):
    code, out, _ = _cli(capsys, "replay", str(recorded), "--app", "tests.replay.changed:RENAMED")
    assert code == 1
    assert out.splitlines()[0].startswith("FAILED ")
    assert "Workflow class Article is not registered" in out.splitlines()[0]
    assert out.splitlines()[-1] == "2 runs replayed: 2 failed"


def test_cli_main_function_app_exits_2(recorded, capsys):
    code, _, err = _cli(capsys, "replay", str(recorded), "--app", "tests.replay.changed:main")
    assert code == 2
    assert "point --app at the services" in err
