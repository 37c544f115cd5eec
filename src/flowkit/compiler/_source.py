"""Sources and the mapping from positions in an expression to positions in a file.

An expression given on the command line points into itself. An expression inside a
YAML ``flow:`` value points into the YAML file, so a :class:`Source` carries the whole
file and a function that moves a (line, column) of the expression into the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from flowkit.errors import Diagnostic, ParseError, Span, UsageError

__all__ = ["Source", "line_at", "read_source", "split_lines"]

# YAML's line breaks (PyYAML counts lines by these); an expression's are "\n" only (Lark's).
_YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def split_lines(text: str, *, yaml: bool = False) -> list[str]:
    """The lines of a source as its parser counts them (without their line breaks).

    Computed once per source: taking a line's text for each of thousands of diagnostics
    from a fresh ``str.splitlines()`` made error reports quadratic in the input.
    """
    if yaml:
        return _YAML_BREAKS.split(text)
    return [line.removesuffix("\r") for line in text.split("\n")]


def line_at(lines: list[str], line: int) -> str:
    """The text of 1-based ``line`` (empty past the end)."""
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _identity(line: int, column: int) -> tuple[int, int]:
    return line, column


def read_source(path: str | Path) -> str:
    """A source file's text: UTF-8, without a byte-order mark.

    Raises:
        UsageError: it cannot be read (missing, a folder, no permission, a bad name).
        ParseError: it is not UTF-8 (``invalid-encoding``, pointing at the first bad byte).
    """
    label = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {label}: {exc.strerror or exc}") from None
    except ValueError as exc:  # a NUL in the name, an unencodable name
        raise UsageError(f"cannot read {label}: {exc}") from None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", errors="replace").removeprefix("\ufeff")
        lines = split_lines(before, yaml=label.endswith((".yaml", ".yml")))
        line, column = len(lines), len(lines[-1]) + 1
        text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
        shown = line_at(split_lines(text, yaml=label.endswith((".yaml", ".yml"))), line)
        raise ParseError(
            [
                Diagnostic(
                    "invalid-encoding",
                    f"the file is not UTF-8: it has the byte 0x{data[exc.start]:02x} here",
                    Span(label, line, column, column + 1, shown),
                    hint="save the file as UTF-8",
                )
            ]
        ) from None


@dataclass(frozen=True)
class Source:
    """Text to parse, with where it came from.

    Attributes:
        text: the expression itself.
        file: the file name or a label such as ``<expression>``.
        file_text: the whole file the text sits in (defaults to ``text``).
        locate: maps a 1-based (line, column) in ``text`` to one in ``file_text``.
    """

    text: str
    file: str = "<expression>"
    file_text: str | None = None
    locate: Callable[[int, int], tuple[int, int]] = field(default=_identity, compare=False)

    @cached_property
    def _lines(self) -> list[str]:
        if self.file_text is None:
            return split_lines(self.text)
        return split_lines(self.file_text, yaml=True)  # only a YAML flow: points into a file

    def span(self, line: int, column: int, end_column: int | None = None) -> Span:
        """A span in the file for a (line, column) range in the text."""
        file_line, file_column = self.locate(line, column)
        end = None
        if end_column is not None:
            end = file_column + (end_column - column)
        text = line_at(self._lines, file_line)
        return Span(self.file, file_line, file_column, end, text)

    def span_at_offset(self, offset: int, width: int = 1) -> Span:
        """A span for a 0-based character offset into the text."""
        before = self.text[:offset]
        line = before.count("\n") + 1
        column = offset - (before.rfind("\n") + 1) + 1
        return self.span(line, column, column + max(width, 1))

    @property
    def end(self) -> Span:
        """The span just past the last non-blank character (for "unexpected end")."""
        stripped = self.text.rstrip()
        return self.span_at_offset(len(stripped))
