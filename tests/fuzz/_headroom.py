"""Run a call on a fresh thread with only a few frames of recursion headroom left.

Workflow code runs on a worker's threads, some frames deep already; a call that needs
more stack than is left fails with RecursionError there while passing in a test's main
thread. ``with_headroom`` reproduces the tight case deterministically.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["HEADROOM", "with_headroom"]

# Frames left to the call: a Temporal workflow runs ~20 frames deep (so ~980 are left by
# default); 200 is a worker with far less than that, and what the evaluator must fit in.
HEADROOM = 200


def _depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def with_headroom(call: Callable[[], Any], frames: int = HEADROOM) -> Any:
    """``call()`` on a new thread, ``frames`` below the recursion limit; what it returns,
    or the exception it raised (returned, not raised, so a caller can compare outcomes)."""
    outcome: list[Any] = []

    def dive(remaining: int) -> None:
        if remaining > 0:
            dive(remaining - 1)
            return
        try:
            outcome.append(call())
        except BaseException as exc:  # handed back to the test as it is
            outcome.append(exc)

    def run() -> None:
        dive(sys.getrecursionlimit() - frames - _depth() - 1)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return outcome[0]
