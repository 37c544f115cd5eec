"""Hints for error messages: "did you mean …?" and values quoted short.

They sit with the errors (the top layer), so every layer that reports a mistake words its
hints one way, and none has to reach into another for them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["clip", "did_you_mean"]

_SHOWN_CHOICES = 10  # a "did you mean" lists at most this many (there may be 10,000 steps)
# difflib compares the word with every choice; past this many (after dropping those too
# long or too short to reach the cutoff) a search per typo would cost a second or more.
_SEARCHED_CHOICES = 1_000


def clip(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters with ``…``, for quoting a value in a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "did you mean …?" hint, or a list of the choices when nothing is close."""
    options = sorted(choices)
    word = clip(word, 200)
    # A ratio of 0.6 needs the shorter of the two to be at least 3/7 of the longer.
    near = [o for o in options if 3 * max(len(o), len(word)) <= 7 * min(len(o), len(word))]
    close: list[str] = []
    if len(near) <= _SEARCHED_CHOICES:
        close = difflib.get_close_matches(word, near, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    if len(options) > _SHOWN_CHOICES:
        shown = ", ".join(options[:_SHOWN_CHOICES])
        return f"expected one of: {shown}, … ({len(options)} in all)"
    return "expected one of: " + ", ".join(options)
