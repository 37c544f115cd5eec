"""Input for runs: JSON read strictly, form submissions and approval decisions.

A run's validator refuses a bad submission or decision before anything is recorded, so
a refused one changes nothing and the run goes on waiting; it comes back here as
:class:`flowkit.errors.InputRejected` with every reason the run gave.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import temporalio.client
from temporalio.client import WorkflowUpdateFailedError

from flowkit.errors import InputRejected, UsageError
from flowkit.policy import environment
from flowkit.runtime._operations import temporal_errors
from flowkit.runtime._run_data import Sent

__all__ = ["decide", "parse_input", "submit_form"]

_DECISIONS = ("approve", "reject")


def parse_input(text: str | None, *, label: str = "input") -> Any:
    """Read a run's input: JSON text, or ``@path`` to a JSON file; ``None`` is no input.

    ``NaN`` and ``Infinity`` are refused: Python's ``json`` reads them, but they are not
    JSON, and a run would break on them later, far from the mistake.

    Args:
        label: what to call the text in errors (``--input`` on the command line).

    Raises:
        UsageError: the file does not exist, or the text is not JSON (with where).
    """
    if text is None:
        return None
    source = label
    if text.startswith("@"):
        path = Path(text[1:])
        if not path.is_file():
            raise UsageError(f"{label} {text}: no such file")
        source, text = str(path), path.read_text(encoding="utf-8")
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{source} is not JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
            "write a JSON value, or @file.json"
        ) from None
    except ValueError as exc:  # NaN or Infinity, or a number past Python's digit limit
        raise UsageError(f"{source}: {exc}") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number; write a finite number or a string")


def _current_user() -> str | None:
    """Who decides when nobody is named: ``$FLOWKIT_USER``, then the login name."""
    if environment().get("FLOWKIT_USER"):
        return environment()["FLOWKIT_USER"]
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers)
        return None


async def submit_form(
    client: temporalio.client.Client,
    workflow_id: str,
    step: str,
    data: Mapping[str, Any],
) -> Sent:
    """Send the values a form step waits for (the ``submit`` update).

    Args:
        data: the form's fields and their values, as JSON-ready values.

    Raises:
        InputRejected: the run refused them (every reason is in ``reasons``); the run
            keeps waiting.
        UsageError: ``data`` is not a mapping, or the run has ended.
        RunNotFound: no run has this id.
        PayloadTooLarge: the values are over ``limits.payload_bytes``.
    """
    if not isinstance(data, Mapping):
        raise UsageError(
            f"the input of form step {step!r} must be a JSON object of its fields, "
            f"not {_json_kind(data)}"
        )
    answer = await _update(client, workflow_id, "submit", {"step": step, "data": dict(data)})
    return Sent(workflow_id, step, "submit", None, answer)


async def decide(
    client: temporalio.client.Client,
    workflow_id: str,
    step: str,
    decision: Literal["approve", "reject"],
    *,
    by: str | None = None,
    comment: str | None = None,
) -> Sent:
    """Approve or reject an approval step (the ``approve`` / ``reject`` update).

    Args:
        decision: ``approve`` or ``reject``.
        by: who decides (default: ``$FLOWKIT_USER``, then the login name); a step
            with an approver list refuses anyone else.
        comment: a note kept with the decision.

    Raises:
        InputRejected: the run refused the decision (not an approver, no such step
            waiting); the run keeps waiting.
        UsageError: ``decision`` is neither, or the run has ended.
        RunNotFound: no run has this id.
    """
    if decision not in _DECISIONS:
        raise UsageError(f"decision {decision!r}: use approve or reject")
    who = by or _current_user()
    payload = {"step": step, "by": who, "comment": comment}
    answer = await _update(client, workflow_id, decision, payload)
    return Sent(workflow_id, step, decision, who, answer)


async def _update(
    client: temporalio.client.Client, workflow_id: str, update: str, payload: dict[str, Any]
) -> dict[str, Any]:
    handle = client.get_workflow_handle(workflow_id)
    with temporal_errors():
        try:
            answer = await handle.execute_update(update, payload)
        except WorkflowUpdateFailedError as exc:
            message, reasons = _rejection(exc)
            raise InputRejected(update, message, reasons) from None
    return answer if isinstance(answer, dict) else {"answer": answer}


def _rejection(exc: WorkflowUpdateFailedError) -> tuple[str, list[str]]:
    """The run's message and its list of reasons (``HumanSteps`` puts them in the
    failure's first detail as ``{"reasons": [...]}``)."""
    cause = exc.cause
    details = list(getattr(cause, "details", None) or [])
    first = details[0] if details and isinstance(details[0], dict) else {}
    reasons = first.get("reasons", [])
    return str(getattr(cause, "message", cause)), [str(r) for r in reasons]


def _json_kind(value: Any) -> str:
    kinds = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    for kind, name in kinds.items():
        if isinstance(value, kind):
            return name
    return "a number" if isinstance(value, int | float) else type(value).__name__
