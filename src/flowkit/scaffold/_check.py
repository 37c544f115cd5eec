"""One finding of ``flowkit doctor``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Check", "Status"]

Status = Literal["ok", "warn", "error"]


@dataclass(frozen=True)
class Check:
    """One finding: ``status`` ``ok``, ``warn`` or ``error``; ``fix`` says what to do."""

    name: str
    status: Status
    message: str
    fix: str = ""
