"""Keep flowkit's log usable across tests that capture output.

flowkit's logger binds the ``sys.stderr`` of the moment it is first built; when that was
a capsys capture, later log lines (in the samples' functions) fail with "I/O operation on
closed file". A stream that looks ``sys.stderr`` up on every write avoids that.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from flowkit._sdk._log import configure_logging


class _CurrentStderr:
    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


@pytest.fixture(autouse=True, scope="module")
def _log_to_the_current_stderr() -> Iterator[None]:
    configure_logging(stream=_CurrentStderr())  # type: ignore[arg-type]
    yield
    configure_logging()  # back to the default for other folders' tests
