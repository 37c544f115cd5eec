"""The samples' recorded histories (``tests/replay/histories``, written by
``python -m tests.replay.record_samples`` from runs on the time-skipping server) replay on
the samples as they are; a deliberately nondeterministic edit of one does not, and the
failure names the file, the event, its position and the code."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from flowkit.cli import run as cli
from flowkit.testing import assert_replays
from tests.replay import changed_samples, samples

HISTORIES = Path(__file__).parent / "histories"


@pytest.mark.asyncio
async def test_every_sample_history_replays() -> None:
    report = await assert_replays(HISTORIES, workflows=samples.WORKFLOWS)
    assert report.counts()["ok"] == len(list(HISTORIES.glob("*.json"))) >= 6
    assert {r.workflow for r in report.runs} == {w.__name__ for w in samples.WORKFLOWS}


@pytest.mark.asyncio
async def test_an_edited_sample_fails_naming_file_event_and_code() -> None:
    with pytest.raises(AssertionError) as caught:
        await assert_replays(HISTORIES, workflows=changed_samples.WORKFLOWS)
    text = str(caught.value)
    lines, first = inspect.getsourcelines(changed_samples.HotelFirst)
    step = first + next(i for i, line in enumerate(lines) if "workflow.step(" in line)
    booked = HISTORIES / "trip-saga-booked.json"
    events = booked.read_text().count('"eventId"')
    assert (
        f"{booked}: nondeterministic at event 5 of {events} (ActivityTaskScheduled "
        f"'book_flight'), from the code at tests/replay/changed_samples.py:{step}"
    ) in text
    assert "'book_hotel'" in text  # temporalio's own message follows
    # the other samples' histories are not TripSaga's: their workflows are not registered
    assert text.splitlines()[0] == "6 runs replayed: 2 nondeterministic, 4 failed"


def test_the_cli_passes_on_every_sample_history(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli(["replay", str(HISTORIES), "--app", "tests.replay.samples:WORKFLOWS"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.splitlines()[-1] == "6 runs replayed: 6 ok"
