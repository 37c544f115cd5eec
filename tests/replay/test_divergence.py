"""find_divergence on a recorded history: it keeps a code location only when its own
alignment of the commands agrees with temporalio's message, and otherwise falls back to
the event the message names (or to nothing)."""

from __future__ import annotations

from pathlib import Path

from temporalio.bridge.proto.workflow_commands import WorkflowCommand

from flowkit.runtime import read_history
from flowkit.runtime._replay_trace import find_divergence

EVENTS = list(
    read_history(Path(__file__).parent / "histories" / "trip-saga-booked.json").history.events
)


def _activity(name: str) -> WorkflowCommand:
    command = WorkflowCommand()
    command.schedule_activity.activity_type = name
    return command


def _mismatch(event: str, command: str) -> str:
    """temporalio's text for an activity scheduled under another name."""
    return (
        f"Activity type of scheduled event '{event}' does not match activity type of "
        f"activity command '{command}'"
    )


def test_agreeing_alignment_keeps_the_location() -> None:
    trace = [(_activity("book_hotel"), "wf.py:7")]
    message = _mismatch("book_flight", "book_hotel")
    d = find_divergence(EVENTS, message, trace)
    assert d is not None
    assert (d.event_id, d.event_type, d.event_name, d.location) == (
        5,
        "ActivityTaskScheduled",
        "book_flight",
        "wf.py:7",
    )


def test_disagreement_drops_the_location() -> None:
    trace = [(_activity("book_hotel"), "wf.py:7")]
    # temporalio names another event than the alignment finds: trust it, not the guess
    d = find_divergence(EVENTS, "No command scheduled for event HistoryEvent(id: 11, x)", trace)
    assert d is not None
    assert (d.event_id, d.location) == (11, None)
    assert find_divergence(EVENTS, "something else went wrong", trace) is None


def test_matching_commands_are_skipped() -> None:
    trace = [(_activity("book_flight"), "wf.py:5"), (_activity("book_car"), "wf.py:6")]
    message = _mismatch("book_hotel", "book_car")
    d = find_divergence(EVENTS, message, trace)
    assert d is not None
    assert (d.event_name, d.location) == ("book_hotel", "wf.py:6")
