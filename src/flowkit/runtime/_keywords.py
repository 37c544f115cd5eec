"""Restack's tolerance of unknown keywords, kept with a warning that names the right one.

Restack's client methods take ``**kwargs`` and read the keys they know, so a script that
passes ``input=`` to ``schedule_workflow`` starts its run without input and says nothing.
flowkit's take the same keywords and ignore the same unknown ones, but warn, naming the
keyword that was probably meant.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["IgnoredKeywordWarning", "ignore_unknown"]

#: The keyword scripts in the wild pass for the one meant, per method.
MEANT = {"input": "{kind}_input", "name": "{kind}_name", "id": "{kind}_id"}


class IgnoredKeywordWarning(UserWarning):
    """A keyword Restack would silently ignore was given; flowkit ignores it too."""


def ignore_unknown(
    call: str, unknown: Mapping[str, Any], known: Iterable[str], *, kind: str = "workflow"
) -> None:
    """Warn once per keyword in ``unknown`` that ``call`` ignores it, and what to pass."""
    known = sorted(known)
    for keyword in unknown:
        meant = MEANT.get(keyword, "").format(kind=kind)
        if meant not in known:
            close = difflib.get_close_matches(keyword, known, n=1)
            meant = close[0] if close else ""
        hint = f"; pass {meant}= instead" if meant else f"; it takes {', '.join(known)}"
        warnings.warn(
            f"{call}() ignores the keyword {keyword}= (as Restack does){hint}",
            IgnoredKeywordWarning,
            stacklevel=3,
        )
