"""The limits on what a pipeline may say, each set by what Temporal (or Python) takes.

A number the compiler accepts must work at run time: a value that compiles and then fails
every task (``retries=2147483648``) is a compile error here instead. ``docs/pipelines.md``
lists these limits.
"""

from __future__ import annotations

import re

from flowkit._hints import clip
from flowkit.policy import MAX_DURATION

__all__ = [
    "MAX_DURATION",
    "MAX_EDGES",
    "MAX_LOOP_ROUNDS",
    "MAX_NAME_LENGTH",
    "MAX_PARALLEL",
    "MAX_RETRIES",
    "MAX_STEPS_PER_RUN",
    "MAX_YAML_DEPTH",
    "clip",
    "whole_number",
]

#: ``retries``: Temporal's ``RetryPolicy.maximum_attempts`` is an int32 (0 means unlimited).
MAX_RETRIES = 2**31 - 1
#: A loop's ``max``. Each round is two steps (about 12 history events) and a loop cannot
#: continue as new half-way, so 500 rounds (~6,000 events) keep one loop under Temporal's
#: 10,240-event history warning and flowkit's 10,000-event continue-as-new threshold.
MAX_LOOP_ROUNDS = 500
#: ``continue_as_new.after_steps``. Every stage adds several events to a history that
#: Temporal ends at 51,200, so no run gets this far without continuing as new anyway.
MAX_STEPS_PER_RUN = 10_000
#: ``max_parallel``: Temporal's default limit of pending activities (and of pending child
#: workflows) per workflow execution.
MAX_PARALLEL = 2_000
#: Step and pipeline names. They become Python names, Temporal activity and workflow type
#: names (limited to 1,000 characters by the server) and ids with prefixes and suffixes.
MAX_NAME_LENGTH = 128
#: Edges between steps. A group after a group joins every step of one to every step of the
#: other, so a few kilobytes of text could ask for millions (and the generated code would
#: list each); a 10,000-step chain has 10,000.
MAX_EDGES = 100_000
#: Nesting of YAML lists and mappings. Real pipelines nest a few levels (a JSON Schema or a
#: request body perhaps twenty); the generated code must stay well inside Python's parser
#: limit of 200 nested brackets, and nothing recurses deeper than this.
MAX_YAML_DEPTH = 64

_DIGITS = re.compile(r"[0-9]+", re.ASCII)
# Past this many digits a number is larger than every limit; int() is never asked
# (it refuses past 4,300 digits, and is slow well before that).
_MAX_DIGITS = 18


def whole_number(text: str) -> int | None:
    """The value of ASCII digits (``"12"``), ``None`` for anything else (``"²"``, ``"-1"``).

    ``str.isdigit()`` accepts Unicode digits such as ``"²"`` that ``int()`` refuses; this
    does not. A number of more than 18 digits counts as ``10**18``.
    """
    if not _DIGITS.fullmatch(text):
        return None
    digits = text.lstrip("0") or "0"
    return 10**_MAX_DIGITS if len(digits) > _MAX_DIGITS else int(digits)
