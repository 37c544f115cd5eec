"""Form fields and their validation: every reason a submission is wrong, in one pass.

Pure code with no I/O, so a workflow's update validator can call it. It is total over
JSON-like data (dicts, lists, text, numbers, booleans and None, nested): whatever a sender
submits, it returns reasons and never raises, and each reason is one short line.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from flowkit.steps._brief import brief, printable

__all__ = ["FieldType", "Form", "FormField", "validate_submission"]

FieldType = Literal["str", "text", "int", "float", "bool", "email", "url", "date", "choice"]

_URL = re.compile(r"https?://[^\s/$.?#][^\s]*")
_INT = re.compile(r"[+-]?\d+")
_AT_OR_SPACE = re.compile(r"[@\s]")
_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}
# Longest value checked against a field's own `pattern`. A pattern with nested
# quantifiers can backtrack for a time that grows with the value's length (polynomially,
# or worse); a validator runs on the workflow's thread, so a long value is refused unread.
# Codes and identifiers, what patterns are for, are far shorter.
_MAX_MATCHED = 1_000
# Longest integer text converted: Python's default int/str limit (int() raises past it,
# or, where an application lifted the limit, takes time quadratic in the length).
_MAX_DIGITS = 4_300


class FormField(BaseModel):
    """One field of a form.

    Attributes:
        key: the name the value is submitted and returned under.
        type: ``str``, ``text``, ``int``, ``float``, ``bool``, ``email``, ``url``,
            ``date`` (ISO ``YYYY-MM-DD``) or ``choice`` (one of ``choices``).
        required: a submission without it is rejected.
        pattern: a regular expression the whole (string) value must match.
        choices: the allowed values of a ``choice`` field.
        label: shown to people; default the key.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    type: FieldType = "str"
    required: bool = True
    pattern: str | None = None
    choices: tuple[str, ...] = ()
    label: str | None = None


class Form(BaseModel):
    """What a ``form`` step asks for: its fields, and whether other keys are refused.

    Attributes:
        fields: the fields, in the order they are shown.
        allow_extra: accept keys that are not fields (they are passed through as given).
        title: shown to people while the run waits.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    fields: tuple[FormField, ...] = Field(default_factory=tuple)
    allow_extra: bool = False
    title: str | None = None

    @classmethod
    def of(cls, *fields: FormField | str, **options: Any) -> Form:
        """Shorthand: ``Form.of("name", FormField(key="age", type="int"))``."""
        made = tuple(f if isinstance(f, FormField) else FormField(key=f) for f in fields)
        return cls(fields=made, **options)


def _is_email(value: str) -> bool:
    r"""``local@domain.tld``: no spaces or second ``@``, a dot inside the domain.

    Checked by hand: the regular expression this replaces (``[^@\s]+@[^@\s]+\.[^@\s]+``)
    backtracks quadratically on ``a@a.a.a.….a `` (4 s for 32,000 characters).
    """
    local, at, domain = value.partition("@")
    if not (local and at) or _AT_OR_SPACE.search(local) or _AT_OR_SPACE.search(domain):
        return False
    return "." in domain[1:-1]


def _integer(text: str) -> tuple[int | None, str | None]:
    limit = min(_MAX_DIGITS, sys.get_int_max_str_digits() or _MAX_DIGITS)
    if len(text.lstrip("+-")) > limit:
        return None, f"must be an integer of at most {limit} digits"
    return int(text), None


def _convert(field: FormField, value: Any) -> tuple[Any, str | None]:
    """The value as the field's type, or the reason it is not one."""
    kind = field.type
    if kind in ("int", "float") and isinstance(value, bool):
        return value, f"must be {'an integer' if kind == 'int' else 'a number'}, not a boolean"
    if kind == "int":
        if isinstance(value, int):
            return value, None
        if isinstance(value, float) and value.is_integer():
            return int(value), None
        if isinstance(value, str) and _INT.fullmatch(value.strip()):
            number, problem = _integer(value.strip())
            return (value, problem) if problem else (number, None)
        return value, f"must be an integer, got {brief(value)}"
    if kind == "float":
        return _number(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value, None
        text = value.strip().lower() if isinstance(value, str) else None
        if isinstance(value, int) and value in (0, 1):
            text = str(value)
        if text in _TRUE or text in _FALSE:
            return text in _TRUE, None
        return value, f"must be true or false, got {brief(value)}"
    if not isinstance(value, str):
        return value, f"must be text, got {type(value).__name__}"
    if kind == "email" and not _is_email(value):
        return value, f"{brief(value)} is not an email address"
    if kind == "url" and not _URL.fullmatch(value):
        return value, f"{brief(value)} is not an http(s) URL"
    if kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return value, f"{brief(value)} is not a date (YYYY-MM-DD)"
    if kind == "choice" and value not in field.choices:
        return value, f"{brief(value)} is not one of {', '.join(field.choices)}"
    return value, None


def _number(value: Any) -> tuple[Any, str | None]:
    """A finite float: NaN and the infinities are not numbers a form can mean, and JSON
    has no form for them (``float("nan")``, ``"inf"``, ``1e999`` all parse to one)."""
    try:
        if isinstance(value, int | float):
            number = float(value)
        elif isinstance(value, str):
            number = float(value.strip())
        else:
            return value, f"must be a number, got {type(value).__name__}"
    except OverflowError:  # an integer past the float range
        return value, "must be a number of at most 308 digits"
    except ValueError:
        return value, f"must be a number, got {brief(value)}"
    if not math.isfinite(number):
        return value, f"must be a finite number, got {brief(value)}"
    return number, None


def _pattern_problem(pattern: str, value: Any) -> str | None:
    """Why ``value`` does not match ``pattern`` (the whole of its text), or None."""
    too_long = f"is longer than {_MAX_MATCHED} characters, too long to check against {pattern}"
    if isinstance(value, int) and value.bit_length() > 4 * _MAX_MATCHED:  # str() may raise
        return too_long
    text = value if isinstance(value, str) else str(value)
    if len(text) > _MAX_MATCHED:
        return too_long
    try:
        matched = re.fullmatch(pattern, text) is not None
    except re.error:  # a form built in code, not checked by the compiler
        return f"cannot be checked: the pattern {pattern} is not a regular expression"
    return None if matched else f"{brief(value)} does not match the pattern {pattern}"


def validate_submission(form: Form, data: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Check ``data`` against ``form``.

    Returns:
        The values converted to their fields' types, and every reason the submission is
        wrong (empty when it is valid), each naming its field. It never raises, whatever
        ``data`` holds.
    """
    if not isinstance(data, Mapping):
        return {}, [f"the input must be an object of fields, got {type(data).__name__}"]
    values: dict[str, Any] = {}
    reasons: list[str] = []
    for field in form.fields:
        value = data.get(field.key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if field.required:
                reasons.append(f"{field.key}: required")
            continue
        converted, problem = _convert(field, value)
        if problem is None and field.pattern:
            problem = _pattern_problem(field.pattern, value)
        if problem is not None:
            reasons.append(f"{field.key}: {problem}")
        else:
            values[field.key] = converted
    known = {f.key for f in form.fields}
    extra = sorted((k for k in data if k not in known), key=_order)
    if extra and not form.allow_extra:
        reasons.extend(f"{_name(k)}: not a field of this form" for k in extra)
    elif extra:
        values.update({k: data[k] for k in extra})
    return values, reasons


def _order(key: Any) -> tuple[bool, str]:
    """Sort keys as text; keys that are not text (they cannot come from JSON) go last."""
    return (not isinstance(key, str), key if isinstance(key, str) else type(key).__name__)


def _name(key: Any) -> str:
    return printable(key, 60) if isinstance(key, str) else brief(key)
