"""Sources and the mapping from positions in an expression to positions in a file.

An expression given on the command line points into itself. An expression inside a
YAML ``flow:`` value points into the YAML file, so a :class:`Source` carries the whole
file and a function that moves a (line, column) of the expression into the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flowkit.errors import Span

__all__ = ["Source"]


def _identity(line: int, column: int) -> tuple[int, int]:
    return line, column


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

    def span(self, line: int, column: int, end_column: int | None = None) -> Span:
        """A span in the file for a (line, column) range in the text."""
        file_line, file_column = self.locate(line, column)
        end = None
        if end_column is not None:
            end = file_column + (end_column - column)
        return Span.at(self.file_text or self.text, self.file, file_line, file_column, end)

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
