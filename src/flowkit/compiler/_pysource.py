"""Python source for values: string literals, docstring and comment text, durations.

Generated code is code the user owns: every value from a pipeline (text from YAML, an
expression's comments, a file name) must come out as valid, one-line-per-line Python,
whatever characters it holds, and read as ``ruff format`` would write it.
"""

from __future__ import annotations

import re
from datetime import timedelta

__all__ = ["py_doc", "py_duration", "py_string", "py_text"]


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
