"""A `flowkit dev` server process per test, for the end-to-end sample tests."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.samples._servers import FLOWKIT, free_port, wait_for_port


@pytest.fixture
def dev_server(tmp_path: Path) -> Iterator[tuple[int, int, subprocess.Popen[str]]]:
    """``flowkit dev`` on free ports in ``tmp_path``: (port, ui_port, process)."""
    port, ui_port = free_port(), free_port()
    proc = subprocess.Popen(
        [*FLOWKIT, "dev", "--port", str(port), "--ui-port", str(ui_port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_for_port(ui_port)
    yield port, ui_port, proc
    if proc.poll() is None:  # the test did not stop it: stop it as Ctrl-C would
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
