"""The one formatting step: generated Python laid out by ruff's formatter, at its defaults.

Templates lay code out close to ruff's style, but a template cannot know how long a
step's name or a model's field list will be; ruff can. Running ``ruff format`` on what
was rendered means the files pass ``ruff format --check`` wherever they are written,
with no configuration (88 columns, double quotes). One process formats a whole file set.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from flowkit._emit._pysource import LINE_LENGTH
from flowkit.errors import GenerateError

__all__ = ["format_python"]


def _ruff() -> str:
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]  # its binary

    return str(find_ruff_bin())


def format_python(files: Mapping[str, str]) -> dict[str, str]:
    """``files`` with every ``.py`` text run through ``ruff format`` (others as they are).

    Raises:
        GenerateError: ruff refused a file (generated code that does not parse: a bug
            in flowkit, reported with ruff's message).
    """
    python = {path: text for path, text in files.items() if path.endswith(".py")}
    if not python:
        return dict(files)
    with tempfile.TemporaryDirectory(prefix="flowkit-format-") as tmp:
        root = Path(tmp)
        for index, text in enumerate(python.values()):
            (root / f"f{index}.py").write_text(text, encoding="utf-8")
        command = [_ruff(), "format", "--isolated", "--quiet", "--no-cache"]
        command += ["--line-length", str(LINE_LENGTH), "--target-version", "py311", tmp]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise GenerateError(f"ruff could not format the generated code: {done.stderr.strip()}")
        formatted = {
            path: (root / f"f{index}.py").read_text(encoding="utf-8")
            for index, path in enumerate(python)
        }
    return {path: formatted.get(path, text) for path, text in files.items()}
