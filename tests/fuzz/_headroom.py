"""Run a call on a fresh thread with only a few frames of recursion headroom left.

Workflow code runs on a worker's threads, some frames deep already; a call that needs
more stack than is left fails with RecursionError there while passing in a test's main
thread. ``with_headroom`` reproduces the tight case deterministically.
"""

from __future__ import annotations

import queue
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
    """``call()`` on a thread ``frames`` below the recursion limit; what it returns, or the
    exception it raised (returned, not raised, so that a caller can compare outcomes).

    One thread per ``frames`` serves every call (starting a thread per call would cost
    more than most calls): it recurses once to the depth, then runs calls from there.
    """
    # Keyed by the recursion limit too: hypothesis raises the limit while it generates
    # data, and a thread parked that deep would be past a lower limit later, which
    # CPython cannot recover from (a fatal "stack overflow" that kills the test run).
    key = (frames, sys.getrecursionlimit())
    with _LOCK:
        if key not in _WORKERS:
            _WORKERS[key] = _start(frames)
        calls, results = _WORKERS[key]
        calls.put(call)
        return results.get()


_LOCK = threading.Lock()
_WORKERS: dict[tuple[int, int], tuple[queue.SimpleQueue[Any], queue.SimpleQueue[Any]]] = {}


def _start(frames: int) -> tuple[queue.SimpleQueue[Any], queue.SimpleQueue[Any]]:
    calls: queue.SimpleQueue[Any] = queue.SimpleQueue()
    results: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def serve() -> None:
        while True:
            call = calls.get()
            try:
                results.put(call())
            except BaseException as exc:  # handed back to the test as it is
                results.put(exc)

    def dive(remaining: int) -> None:
        if remaining > 0:
            dive(remaining - 1)
        else:
            serve()

    def run() -> None:
        # serve() is one frame below the dive: each call gets `frames`, its own included
        dive(sys.getrecursionlimit() - frames - _depth() - 2)

    threading.Thread(target=run, name=f"headroom-{frames}", daemon=True).start()
    return calls, results
