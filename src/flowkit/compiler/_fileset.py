"""FileSet: generated files as a mapping, written to disk only on request."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from flowkit._files import write_all
from flowkit.errors import GenerateError

__all__ = ["FileSet"]


class FileSet(Mapping[str, str]):
    """Generated files: ``{relative path: text}``, in a stable order.

    Nothing touches the disk until :meth:`write` is called.
    """

    def __init__(self, files: Mapping[str, str]) -> None:
        self._files = dict(sorted(files.items()))

    def __getitem__(self, path: str) -> str:
        return self._files[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def __repr__(self) -> str:
        return f"FileSet({list(self._files)})"

    def write(self, root: str | Path, *, force: bool = False, dry_run: bool = False) -> list[Path]:
        """Write every file under ``root``; all or nothing.

        Args:
            root: the output folder (created when missing).
            force: overwrite files that exist and differ.
            dry_run: only report what would be written.

        Returns:
            The paths written (or that would be written), in order.

        Raises:
            GenerateError: a file exists with other content and ``force`` is off, or a
                write failed (files already written are restored); nothing was written.
        """
        base = Path(root)
        targets = [(base / rel, text) for rel, text in self._files.items()]
        try:
            clashes = [str(path) for path, text in targets if _differs(path, text)]
        except (OSError, ValueError) as exc:  # a name too long, a NUL in it
            raise GenerateError(f"cannot write under {root}: {exc}") from None
        if clashes and not force:
            raise GenerateError(
                "these files exist and differ; nothing was written (use --force to overwrite):\n  "
                + "\n  ".join(clashes)
            )
        if not dry_run:
            write_all(targets)
        return [path for path, _ in targets]


def _differs(path: Path, text: str) -> bool:
    """Whether a file is in the way: there, and not exactly ``text`` (or not UTF-8)."""
    if not path.exists():
        return False
    if not path.is_file():
        return True
    try:
        return path.read_text(encoding="utf-8") != text
    except UnicodeDecodeError:
        return True
