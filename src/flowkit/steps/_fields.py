"""Form fields and their validation: every reason a submission is wrong, in one pass.

Pure code with no I/O, so a workflow's update validator can call it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["FieldType", "Form", "FormField", "validate_submission"]

FieldType = Literal["str", "text", "int", "float", "bool", "email", "url", "date", "choice"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
_INT = re.compile(r"^[+-]?\d+$")
_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}


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
        if isinstance(value, str) and _INT.match(value.strip()):
            return int(value), None
        return value, f"must be an integer, got {value!r}"
    if kind == "float":
        if isinstance(value, int | float):
            return float(value), None
        try:
            return float(str(value)), None
        except ValueError:
            return value, f"must be a number, got {value!r}"
    if kind == "bool":
        if isinstance(value, bool):
            return value, None
        text = str(value).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE, None
        return value, f"must be true or false, got {value!r}"
    if not isinstance(value, str):
        return value, f"must be text, got {type(value).__name__}"
    if kind == "email" and not _EMAIL.match(value):
        return value, f"{value!r} is not an email address"
    if kind == "url" and not _URL.match(value):
        return value, f"{value!r} is not an http(s) URL"
    if kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return value, f"{value!r} is not a date (YYYY-MM-DD)"
    if kind == "choice" and value not in field.choices:
        return value, f"{value!r} is not one of {', '.join(field.choices)}"
    return value, None


def validate_submission(form: Form, data: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Check ``data`` against ``form``.

    Returns:
        The values converted to their fields' types, and every reason the submission is
        wrong (empty when it is valid), each naming its field.
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
        if problem is None and field.pattern and not re.fullmatch(field.pattern, str(value)):
            problem = f"{value!r} does not match the pattern {field.pattern}"
        if problem is not None:
            reasons.append(f"{field.key}: {problem}")
        else:
            values[field.key] = converted
    known = {f.key for f in form.fields}
    extra: Sequence[str] = sorted(k for k in data if k not in known)
    if extra and not form.allow_extra:
        reasons.extend(f"{k}: not a field of this form" for k in extra)
    elif extra:
        values.update({k: data[k] for k in extra})
    return values, reasons
