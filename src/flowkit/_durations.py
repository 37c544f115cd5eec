"""Durations as people write them (``90s``, ``10m``, ``2d``) and as Python prints them.

Part of :mod:`flowkit.policy`, which re-exports every name here.
"""

from __future__ import annotations

import math
import re
from datetime import timedelta

__all__ = ["MAX_DURATION", "format_duration", "parse_duration"]

_DURATION = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h|d|w)?\s*", re.ASCII)
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}

#: The longest duration flowkit accepts: the largest protobuf ``Duration`` (10,000 years),
#: which is what Temporal's API carries timeouts and timers in. A longer one would compile
#: and then fail every call at run time.
MAX_DURATION = timedelta(seconds=315_576_000_000)


def _shown(value: object) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int past Python's 4,300-digit limit for str()
        return "a number of thousands of digits"
    return text if len(text) <= 40 else text[:39] + "…"


def _checked(seconds: float, value: object) -> timedelta:
    if math.isnan(seconds):
        raise ValueError(f"{_shown(value)} is not a duration; write it like 90s, 10m, 1h or 2d")
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative: {_shown(value)}")
    if seconds > MAX_DURATION.total_seconds():  # also inf, 1e400, and 400-digit numbers
        raise _too_long(value)
    return timedelta(seconds=seconds)


def _too_long(value: object) -> ValueError:
    return ValueError(
        f"{_shown(value)} is longer than {format_duration(MAX_DURATION)}, "
        "the longest duration Temporal takes"
    )


def parse_duration(value: str | int | float | timedelta) -> timedelta:
    """Parse ``90s``, ``10m``, ``1.5h``, ``2d``, ``500ms`` or a number of seconds.

    Raises:
        ValueError: the text is not a duration, is negative, or is longer than
            :data:`MAX_DURATION`.
    """
    if isinstance(value, timedelta):
        if value > MAX_DURATION:
            raise _too_long(value)
        return value
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration; write it like 90s, 10m, 1h or 2d")
    if isinstance(value, int | float):
        try:
            seconds = float(value)
        except OverflowError:  # an int too large for a float
            seconds = math.inf
        return _checked(seconds, value)
    match = _DURATION.fullmatch(str(value))
    if not match:
        raise ValueError(f"{_shown(value)} is not a duration; write it like 90s, 10m, 1h or 2d")
    number, unit = match.groups()
    return _checked(float(number) * _UNIT_SECONDS[unit or "s"], value)


def format_duration(value: timedelta) -> str:
    """The shortest exact spelling of a duration: ``2m``, ``90s``, ``1500ms``."""
    millis = round(value.total_seconds() * 1000)
    for unit, factor in (("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000)):
        if millis and millis % factor == 0:
            return f"{millis // factor}{unit}"
    return f"{millis}ms"
