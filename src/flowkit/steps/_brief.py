"""Short, safe renderings of run data for error messages and rejection reasons.

A message built from a run's data ends up in a Temporal failure or an update rejection,
which is a protobuf string: it must be valid UTF-8, and it should be one short line. The
data may be anything a payload can carry — a megabyte string, a list of a million items,
an integer of 5,000 digits (whose ``repr`` raises), text with lone surrogates or NUL
characters — so nothing here calls ``repr`` on a value it has not first made small.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

__all__ = ["brief", "printable"]

_TEXT = 60  # characters of a string shown before "…"
_ITEMS = 4  # items of a list, tuple or dict shown before "…"
_LEVELS = 2  # containers shown inside containers before "…"
_INT_BITS = 128  # integers past this are described ("an integer of 5000 bits"), not printed
_WHOLE = 120  # characters of the whole rendering (4 items of 4 items of text add up)


def printable(text: str, limit: int = 200) -> str:
    """``text`` on one line, at most about ``limit`` characters, every character printable.

    Control characters, line breaks and lone surrogates are written as escapes (``\\n``,
    ``\\x00``, ``\\ud800``), so the result always encodes as UTF-8.
    """
    clipped = text if len(text) <= limit else text[:limit] + "…"
    if clipped.isprintable():
        return clipped
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in clipped)


def brief(value: Any) -> str:
    """A ``repr``-like rendering of ``value`` that is short and cheap whatever its size."""
    shown = _brief(value, 0)
    return shown if len(shown) <= _WHOLE else shown[:_WHOLE] + "…"


def _brief(value: Any, level: int) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        bits = value.bit_length()
        return repr(value) if bits <= _INT_BITS else f"<an integer of {bits} bits>"
    if isinstance(value, str):
        if len(value) <= _TEXT:
            return repr(value)
        quoted = repr(value[:_TEXT])
        return quoted[:-1] + "…" + quoted[-1]
    if isinstance(value, list | tuple | dict):
        if level >= _LEVELS:
            return f"<{type(value).__name__} of {len(value)}>"
        if isinstance(value, dict):
            shown = [
                f"{_brief(k, level + 1)}: {_brief(v, level + 1)}"
                for k, v in islice(value.items(), _ITEMS)
            ]
            opening, closing = "{", "}"
        else:
            shown = [_brief(v, level + 1) for v in islice(value, _ITEMS)]
            opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
        more = ", …" if len(value) > _ITEMS else ""
        return opening + ", ".join(shown) + more + closing
    return f"<{type(value).__name__}>"  # its repr could be anything: long, slow, or raise
