"""How hard the fuzz tests try: a few thousand cases per target in the default run,
``FLOWKIT_FUZZ_EXAMPLES`` of them under ``nox -s fuzz`` (10,000 and up).

Every target holds the same contract: an input ends in a value or a
:class:`flowkit.errors.FlowkitError`, never another exception, and no case takes more
than ``CASE_DEADLINE``. The default run is derandomized so CI sees the same cases every
time; ``FLOWKIT_FUZZ_SEED`` (set by the nox session) picks fresh ones.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings

__all__ = ["CASE_DEADLINE", "EXAMPLES", "fuzz"]

F = TypeVar("F", bound=Callable[..., Any])

EXAMPLES = int(os.environ.get("FLOWKIT_FUZZ_EXAMPLES", "0") or 0)
CASE_DEADLINE = timedelta(seconds=2)
_SEEDED = bool(os.environ.get("FLOWKIT_FUZZ_SEED"))


def fuzz(default_examples: int) -> Callable[[F], F]:
    """Hypothesis settings for one fuzz target: ``default_examples`` cases in the default
    run (or ``FLOWKIT_FUZZ_EXAMPLES``), a 2 s deadline per case, reproducible cases."""
    return settings(
        max_examples=EXAMPLES or default_examples,
        deadline=CASE_DEADLINE,
        derandomize=not _SEEDED,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )
