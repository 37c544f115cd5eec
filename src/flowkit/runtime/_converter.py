"""flowkit's payload converter: pydantic JSON, with limits checked at the edge.

Two failures used to leave a run running forever, its workflow task retried by Temporal
with the cause only in a worker log:

- **an input that does not fit its model** (``{"priority": "high"}`` for an ``int``):
  pydantic's ``ValidationError`` while decoding is not a Temporal failure, so decoding a
  run's input failed the workflow task. Here it becomes :class:`InvalidInput`, a
  :class:`~flowkit.workflow.StepError`, so the run (or the step, for a function's input)
  fails at once, saying which fields are wrong;
- **a payload over Temporal's size limit** (2 MB per blob by default): the server refuses
  the workflow task that carries it, and an update carrying one is never answered. Here
  every payload is measured as it is made, and one over ``limits.payload_bytes`` raises
  :class:`PayloadTooLarge` on the side that made it: the client that starts a run or sends
  an event or form input, the function that returns a result, the workflow that passes
  one to a step.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import PydanticPayloadConverter

from flowkit import policy
from flowkit.workflow import StepError

__all__ = ["FlowkitPayloadConverter", "InvalidInput", "PayloadTooLarge", "describe_invalid"]

_SHOWN_ERRORS = 5


def _size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1_000:
        return f"{size / 1_000:.0f} kB"
    return f"{size} bytes"


class PayloadTooLarge(StepError):
    """A payload is larger than ``limits.payload_bytes`` (below Temporal's own limit).

    Attributes:
        size: the payload's size in bytes.
        limit: the limit in bytes.
    """

    def __init__(self, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(
            f"a payload of {_size(size)} ({size} bytes) is over the {_size(limit)} limit "
            "(setting limits.payload_bytes; Temporal refuses 2 MB): keep large data "
            "outside the run and pass a reference to it"
        )


def describe_invalid(exc: ValidationError) -> str:
    """A pydantic validation error on one line: the model, then each wrong field."""
    problems = []
    for error in exc.errors(include_url=False)[:_SHOWN_ERRORS]:
        where = ".".join(str(p) for p in error["loc"]) or "the value"
        got = repr(error.get("input"))
        got = got if len(got) <= 40 else got[:39] + "…"
        problems.append(f"{where}: {error['msg']} (got {got})")
    more = exc.error_count() - _SHOWN_ERRORS
    if more > 0:
        problems.append(f"and {more} more")
    return f"does not fit {exc.title}: " + "; ".join(problems)


class InvalidInput(StepError):
    """A payload does not fit the model its receiver declares (a run's input, an event's,
    a function's input or result)."""

    def __init__(self, exc: ValidationError) -> None:
        super().__init__("the input " + describe_invalid(exc))


class FlowkitPayloadConverter(PydanticPayloadConverter):
    """Pydantic JSON conversion with a size limit on what is made and model errors on
    what is read, both as :class:`~flowkit.workflow.StepError` (see the module
    docstring). The limit is read from the settings when the converter is made."""

    def __init__(self) -> None:
        super().__init__()
        self.payload_limit = policy.current().limits.payload_bytes

    def to_payloads(self, values: Sequence[Any]) -> list[Payload]:
        """Encode ``values``; raise :class:`PayloadTooLarge` for one over the limit."""
        payloads = super().to_payloads(values)
        for payload in payloads:
            size = payload.ByteSize()
            if size > self.payload_limit:
                raise PayloadTooLarge(size, self.payload_limit)
        return payloads

    def from_payloads(
        self, payloads: Sequence[Payload], type_hints: list[type] | None = None
    ) -> list[Any]:
        """Decode ``payloads``; raise :class:`InvalidInput` for one that fits no model."""
        try:
            return super().from_payloads(payloads, type_hints)
        except ValidationError as exc:
            raise InvalidInput(exc) from None
