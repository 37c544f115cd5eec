"""Writing generated files: each one atomically, and all of them or none.

The file set writes through here, so neither the compiler nor a generator can
leave a half-written project behind.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from flowkit.errors import GenerateError

__all__ = ["atomic_write", "write_all"]


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.flowkit-tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temporary, path)


def write_all(files: Sequence[tuple[Path, str]]) -> None:
    """Write every ``(path, text)``, or none.

    Raises:
        GenerateError: a write failed; the files already written were restored to what
            they held before (or removed, if new) first.
    """
    done: list[tuple[Path, str | None]] = []  # (path, previous text, or None if new)
    try:
        for path, text in files:
            previous = path.read_text(encoding="utf-8") if path.is_file() else None
            atomic_write(path, text)
            done.append((path, previous))
    except OSError as exc:
        for path, previous in reversed(done):
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write(path, previous)
        raise GenerateError(
            f"cannot write {exc.filename}: {exc.strerror}; nothing was written"
        ) from None
