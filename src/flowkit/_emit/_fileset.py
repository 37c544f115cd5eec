"""A set of generated files, ``{relative path: text}``, written all at once or not at all.

The compiler and the generators both return one; nothing touches the disk until
:meth:`FileSet.write`, which checks every path stays inside the target folder, leaves
identical files alone, refuses to overwrite a file that differs unless forced (or, in a
dry run, reports it as a conflict), and writes atomically, all or nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from flowkit._emit._write import write_all
from flowkit.errors import GenerateError

__all__ = ["FileSet", "WriteReport", "remove_files"]


@dataclass
class WriteReport:
    """What :meth:`FileSet.write` did (or would do, in a dry run), by relative path."""

    created: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    identical: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """One ``action path`` line per file, Rails style."""
        out = [f"{'create':>10}  {p}" for p in self.created]
        out += [f"{'force':>10}  {p}" for p in self.overwritten]
        out += [f"{'update':>10}  {p}" for p in self.updated]
        out += [f"{'identical':>10}  {p}" for p in self.identical]
        out += [f"{'remove':>10}  {p}" for p in self.removed]
        out += [
            f"{'conflict':>10}  {p} (exists and differs; --force overwrites it)"
            for p in self.conflicts
        ]
        return out

    @property
    def changed(self) -> bool:
        """Whether any file was (or would be) created, overwritten or removed."""
        return bool(self.created or self.overwritten or self.updated or self.removed)

    @property
    def paths(self) -> list[str]:
        """Every path the write concerned, sorted."""
        return sorted(
            self.created + self.overwritten + self.updated + self.identical + self.conflicts
        )

    def to_json(self) -> dict[str, list[str]]:
        """A JSON-ready dict of the non-empty lists."""
        return {k: v for k, v in self.__dict__.items() if v}


def _check_path(relpath: str) -> None:
    path = PurePosixPath(relpath)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in relpath:
        raise GenerateError(f"refusing to write outside the project folder: {relpath!r}")


class FileSet(MutableMapping[str, str]):
    """Files to write: relative POSIX path → text, iterated in sorted order.

    Nothing touches disk until :meth:`write`.
    """

    def __init__(self, files: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        self._files: dict[str, str] = {}
        #: Paths this set edits on purpose (``server/service.py``): never a conflict.
        self.edits: set[str] = set()
        self.update(files)

    def __getitem__(self, relpath: str) -> str:
        return self._files[relpath]

    def __setitem__(self, relpath: str, text: str) -> None:
        _check_path(relpath)
        self._files[relpath] = text

    def __delitem__(self, relpath: str) -> None:
        del self._files[relpath]
        self.edits.discard(relpath)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._files))

    def __len__(self) -> int:
        return len(self._files)

    def __repr__(self) -> str:
        return f"FileSet({list(self)})"

    def edit(self, relpath: str, text: str) -> None:
        """Add a file that replaces an existing one on purpose (not a conflict)."""
        self[relpath] = text
        self.edits.add(relpath)

    def conflicts(self, root: Path) -> list[str]:
        """Paths that exist under ``root`` with different content, sorted."""
        out = []
        for relpath, text in self.items():
            path = root / relpath
            if relpath in self.edits and path.is_file():
                continue
            if path.exists() and (not path.is_file() or _read(path) != text):
                out.append(relpath)
        return out

    def diff(self, root: Path) -> str:
        """A unified diff from what is on disk to this file set."""
        chunks: list[str] = []
        for relpath, text in self.items():
            path = root / relpath
            old = _read(path) if path.is_file() else ""
            chunks += difflib.unified_diff(
                old.splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"a/{relpath}" if path.exists() else "/dev/null",
                tofile=f"b/{relpath}",
            )
        return "".join(chunks)

    def write(self, root: str | Path, *, force: bool = False, dry_run: bool = False) -> WriteReport:
        """Write every file, or none.

        Files that already hold the same text are left alone (so generating twice changes
        nothing); files with other text are overwritten only with ``force``.

        Args:
            root: the folder the paths are relative to (created when missing).
            force: overwrite files whose content differs.
            dry_run: report what would happen and touch nothing; files that differ are
                reported as ``conflicts`` instead of raising.

        Raises:
            GenerateError: files differ and ``force`` is off (the message lists them), or
                a write failed (files already written are restored first); nothing was
                written.
        """
        base = Path(root)
        try:
            return self._write(base, force, dry_run)
        except (OSError, ValueError) as exc:  # a name too long, a NUL in it, no access
            raise GenerateError(f"cannot write under {root}: {exc}; nothing was written") from None

    def _write(self, base: Path, force: bool, dry_run: bool) -> WriteReport:
        conflicts = [] if force else self.conflicts(base)
        if conflicts and not dry_run:
            listed = "\n".join(f"  {p}" for p in conflicts)
            raise GenerateError(
                f"these files exist and differ; nothing was written:\n{listed}\n"
                "  pass --force to overwrite them"
            )
        report = WriteReport(conflicts=conflicts)
        for relpath, text in self.items():
            path = base / relpath
            if relpath in conflicts:
                continue
            if path.is_file() and _read(path) == text:
                report.identical.append(relpath)
            elif relpath in self.edits and path.is_file():
                report.updated.append(relpath)
            elif path.exists():
                report.overwritten.append(relpath)
            else:
                report.created.append(relpath)
        if dry_run:
            return report
        changed = report.created + report.overwritten + report.updated
        write_all([(base / relpath, self[relpath]) for relpath in sorted(changed)])
        return report


def remove_files(root: Path, relpaths: Iterable[str], *, dry_run: bool = False) -> WriteReport:
    """Remove the files that exist among ``relpaths`` (what ``flowkit destroy`` does)."""
    report = WriteReport()
    for relpath in sorted(set(relpaths)):
        _check_path(relpath)
        path = root / relpath
        if path.is_file():
            report.removed.append(relpath)
            if not dry_run:
                path.unlink()
    return report


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):  # unreadable or not text: it differs
        return "\0"
