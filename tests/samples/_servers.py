"""Helpers for tests that drive flowkit as a user does: real processes, real ports."""

from __future__ import annotations

import json
import socket
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FLOWKIT = [sys.executable, "-c", "from flowkit.cli import main; main()"]


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 30) -> None:
    """Wait until something accepts connections on ``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


def ui_json(ui_port: int, path: str) -> Any:
    """GET the Temporal Web UI's own API (what the UI shows)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{ui_port}/api/v1{path}", timeout=10) as r:
        return json.load(r)
