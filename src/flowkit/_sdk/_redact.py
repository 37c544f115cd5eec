"""Masking secrets and personal data in log lines (a structlog processor, on by default).

A field is masked whole when its name says it holds a secret (``password``, ``token``,
``api_key`` …, plus the ``log.redact_keys`` setting). In every other string, values that
look like secrets or personal data are masked where they stand: bearer tokens, well-known
API key shapes, emails, phone numbers written as phone numbers (``+44 20 7946 0958``,
``(555) 123-4567``), card numbers that pass the Luhn check, and US social security
numbers. Plain numbers, timestamps, UUIDs and hashes are left alone. Field names in
``log.redact_allow`` are never masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["MASK", "Redactor", "luhn_ok"]

MASK = "[redacted]"
SECRET_KEYS = (
    "password", "passwd", "pwd", "secret", "token", "api_key", "apikey", "authorization",
    "auth", "credential", "private_key", "access_key", "session", "cookie", "ssn",
    "card_number", "cvv", "iban",
)  # fmt: skip
_VALUE_PATTERNS = [
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(r"\b(?:sk|pk|rk)[-_](?:live|test|proj)?[-_]?[A-Za-z0-9]{16,}\b"),
    re.compile(r"\b(?:ghp|gho|ghs|github_pat|xox[abprs])_[A-Za-z0-9_]{16,}\b"),
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b"),  # JWT
    re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b"),
    re.compile(r"\b\d{3}-\d{2}-\d{4}\b"),  # US SSN
    re.compile(r"(?<![\w+])\+\d{1,3}[ .-]?(?:\(?\d{1,4}\)?[ .-]?){2,5}\d{2,4}\b"),
    re.compile(r"(?<!\w)\(\d{3}\)\s?\d{3}[ .-]\d{4}\b|\b\d{3}[.-]\d{3}[.-]\d{4}\b"),
]
_CARD = re.compile(r"(?<![\w.-])(?:\d[ -]?){12,18}\d(?![\w-]|\.\d)")  # not part of a decimal


def luhn_ok(digits: str) -> bool:
    """Whether a digit string passes the Luhn check (card numbers do)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"[ -]", "", match.group())
    return MASK if 13 <= len(digits) <= 19 and luhn_ok(digits) else match.group()


class Redactor:
    """The structlog processor: ``Redactor()(logger, method, event_dict)``."""

    def __init__(self, keys: Iterable[str] = (), allow: Iterable[str] = ()) -> None:
        self.keys = tuple(k.lower() for k in (*SECRET_KEYS, *keys))
        self.allow = {a.lower() for a in allow}

    def secret_key(self, name: str) -> bool:
        """Whether a field's name says it holds a secret."""
        lowered = name.lower().replace("-", "_")
        return lowered not in self.allow and any(k in lowered for k in self.keys)

    def text(self, value: str) -> str:
        """``value`` with secret-looking parts masked."""
        for pattern in _VALUE_PATTERNS:
            value = pattern.sub(MASK, value)
        return _CARD.sub(_card, value)

    def value(self, name: str, value: Any) -> Any:
        """A field's value as it may be logged."""
        if name.lower() in self.allow:
            return value
        if self.secret_key(name) and value not in (None, "", False):
            return MASK
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {k: self.value(str(k), v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.value(name, v) for v in value)
        return value

    def __call__(self, logger: Any, method: str, event: dict[str, Any]) -> dict[str, Any]:
        return {k: self.value(k, v) if k != "level" else v for k, v in event.items()}
