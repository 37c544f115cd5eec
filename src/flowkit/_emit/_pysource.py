"""Python source helpers shared by the compiler and the generators.

Generated code is code the user owns: every value from a pipeline or a command line
(text from YAML, an expression's comments, a file name) must come out as valid,
one-line-per-line Python, whatever characters it holds, laid out as ``ruff format`` and
ruff's isort would write it.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from datetime import timedelta

__all__ = [
    "LINE_LENGTH",
    "Imports",
    "define",
    "import_from",
    "isort_names",
    "py_doc",
    "py_duration",
    "py_string",
    "py_text",
    "wrapped_string",
]

#: The width generated Python is laid out for.
LINE_LENGTH = 88  # ruff's default, so generated code is formatted wherever it lands


def py_duration(value: timedelta) -> str:
    """``timedelta(minutes=10)``: the plainest spelling of a duration in Python."""
    millis = round(value.total_seconds() * 1000)
    for unit, factor in (("days", 86_400_000), ("hours", 3_600_000), ("minutes", 60_000)):
        if millis % factor == 0:
            return f"timedelta({unit}={millis // factor})"
    if millis % 1000 == 0:
        return f"timedelta(seconds={millis // 1000})"
    return f"timedelta(milliseconds={millis})"


# Characters that may not appear as they are in generated source: Python reads "\r" as a
# line break and refuses NUL, lone surrogates cannot be written as UTF-8, and the other
# controls (and U+2028/2029) would be invisible or break lines in an editor.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def py_text(value: str) -> str:
    """``value`` with every character that is unsafe in source escaped (``\\x00``, ``\\n``):
    for comments and docstrings, which must stay one line and valid."""
    return _UNSAFE.sub(_escape, value.replace("\n", "\\n"))


def py_doc(value: str) -> str:
    """``value`` for a line of a docstring: backslashes doubled, quotes escaped when
    they could end it, unsafe characters escaped."""
    value = value.replace("\\", "\\\\")
    if '""' in value or value.endswith('"'):
        value = value.replace('"', '\\"')
    return py_text(value)


def py_string(value: str) -> str:
    """A Python string literal in ruff's quote style: double quotes, unless the text has
    double quotes and no single ones. Characters unsafe in source are escaped."""
    body = _UNSAFE.sub(_escape, value.replace("\\", "\\\\").replace("\n", "\\n"))
    if '"' in value and "'" not in value:
        return f"'{body}'"
    body = body.replace('"', '\\"')
    return f'"{body}"'


def wrapped_string(value: str, indent: int, prefix: int) -> str:
    """A string literal that fits the line after ``prefix`` characters at ``indent``,
    parenthesized or split into implicit concatenation as ruff format would."""
    literal = py_string(value)
    if indent + prefix + len(literal) <= LINE_LENGTH:
        return literal
    if indent + 4 + len(literal) <= LINE_LENGTH:  # ruff keeps one string in parentheses
        return f"(\n{' ' * (indent + 4)}{literal}\n{' ' * indent})"
    pieces = textwrap.wrap(value, width=LINE_LENGTH - indent - 8, drop_whitespace=False)
    body = "".join(f"\n{' ' * (indent + 4)}{py_string(piece)}" for piece in pieces)
    return f"({body}\n{' ' * indent})"


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    # Natural order, as ruff's isort compares: "Step2" before "Step10".
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part
    )


def _isort_key(name: str) -> tuple[int, tuple[tuple[int, int | str], ...], str]:
    # isort's order-by-type: CONSTANTS, then Classes, then everything else; within each,
    # case-insensitive natural order ("BlogInput" before "BOut"), ties by case.
    if name.isupper() and len(name) > 1:
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return (kind, _natural(name.lower()), name)


def isort_names(names: Iterable[str]) -> list[str]:
    """Imported names in the order ruff's isort wants them: CONSTANTS, Classes, functions."""
    return sorted(set(names), key=_isort_key)


def import_from(module: str, names: Iterable[str], indent: str = "") -> str:
    """``from module import a, b`` as ruff's isort writes it, wrapped past the line."""
    ordered = isort_names(names)
    line = f"{indent}from {module} import {', '.join(ordered)}"
    if len(line) <= LINE_LENGTH:
        return line
    body = "".join(f"{indent}    {n},\n" for n in ordered)
    return f"{indent}from {module} import (\n{body}{indent})"


def define(head: str, params: str, returns: str, indent: str = "") -> str:
    """A ``def`` line as ruff format writes it: on one line when it fits, else wrapped."""
    line = f"{indent}{head}({params}) -> {returns}:"
    if len(line) <= LINE_LENGTH:
        return line
    return f"{indent}{head}(\n{indent}    {params}\n{indent}) -> {returns}:"


class Imports:
    """The import block of a generated module, in ruff's isort sections and order."""

    def __init__(self) -> None:
        self._sections: dict[str, dict[str, set[str]]] = {"stdlib": {}, "third": {}, "first": {}}
        self._plain: dict[str, set[str]] = {"stdlib": set(), "third": set(), "first": set()}

    def add(self, section: str, module: str, *names: str) -> Imports:
        """Add ``from module import names`` to ``stdlib``, ``third`` or ``first``."""
        self._sections[section].setdefault(module, set()).update(names)
        return self

    def add_module(self, section: str, module: str) -> Imports:
        """Add ``import module`` to ``stdlib``, ``third`` or ``first``."""
        self._plain[section].add(module)
        return self

    def merge(self, other: Imports) -> Imports:
        """Add every import of ``other``."""
        for section, modules in other._sections.items():
            for module, names in modules.items():
                self.add(section, module, *names)
        for section, plain in other._plain.items():
            self._plain[section].update(plain)
        return self

    def render(self) -> str:
        """The block, starting with ``from __future__ import annotations``."""
        blocks = ["from __future__ import annotations"]
        for section, modules in self._sections.items():
            # isort puts `import x` before `from x import y` within a section.
            lines = [f"import {m}" for m in sorted(self._plain[section])]
            lines += [import_from(m, modules[m]) for m in sorted(modules)]
            if lines:
                blocks.append("\n".join(lines))
        return "\n\n".join(blocks)
