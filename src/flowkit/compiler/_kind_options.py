"""Reading the keys of built-in step kinds from YAML, each with its own checks.

(Just past 300 lines: every kind's option table; it splits by kind with the planned
``compiler/kinds/`` package.)

The shapes of values (a form's fields, a regex, a JSON Schema, a template's syntax) are
checked here, where the YAML nodes still carry their positions; what needs the whole
pipeline (expressions' names, ``compensate:`` targets) is checked by validation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import yaml

from flowkit._hints import did_you_mean
from flowkit.compiler._kinds import FIELD_KEYS, FIELD_TYPES, METHODS, MOCK_MODES
from flowkit.compiler._limits import MAX_RETRIES
from flowkit.compiler._yaml import YamlDocument, scalar
from flowkit.compiler.ir import Option
from flowkit.errors import Diagnostic
from flowkit.policy import parse_duration

__all__ = ["read_option"]

# Generated code spells durations in whole milliseconds: anything shorter would be 0.
_SHORTEST = timedelta(milliseconds=1)
_Reader = Callable[[YamlDocument, str, yaml.Node, list[Diagnostic]], Any]


def _problem(
    doc: YamlDocument, node: yaml.Node, code: str, message: str, hint: str = ""
) -> Diagnostic:
    return Diagnostic(code, message, doc.span(node), hint=hint)


def _text(doc: YamlDocument, where: str, node: yaml.Node, out: list[Diagnostic]) -> Any:
    value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if not isinstance(value, str) or not value.strip():
        out.append(_problem(doc, node, "invalid-type", f"{where} must be text"))
        return None
    return value


def _template(doc: YamlDocument, where: str, node: yaml.Node, out: list[Diagnostic]) -> Any:
    value = _text(doc, where, node, out)
    if value is not None:
        _check_templates(doc, where, node, value, out)
    return value


def _check_templates(
    doc: YamlDocument, where: str, node: yaml.Node, value: Any, out: list[Diagnostic]
) -> None:
    from jinja2 import TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

    texts = [value] if isinstance(value, str) else []
    if isinstance(value, dict | list):
        stack: list[Any] = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack += [*item.keys(), *item.values()]
            elif isinstance(item, list):
                stack += item
            elif isinstance(item, str):
                texts.append(item)
    for text in texts:
        try:
            SandboxedEnvironment().parse(text)
        except TemplateSyntaxError as exc:
            out.append(
                _problem(
                    doc, node, "invalid-template", f"{where} is not a valid template: {exc.message}"
                )
            )
        except (RecursionError, MemoryError):  # Jinja's parser recurses per nested bracket
            message = f"{where} is not a valid template: it nests too deeply"
            out.append(_problem(doc, node, "invalid-template", message))


def _any(doc: YamlDocument, where: str, node: yaml.Node, out: list[Diagnostic]) -> Any:
    value = scalar(node)
    _check_templates(doc, where, node, value, out)
    return value


def _mapping(doc: YamlDocument, where: str, node: yaml.Node, out: list[Diagnostic]) -> Any:
    value = scalar(node) if isinstance(node, yaml.MappingNode) else None
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        out.append(_problem(doc, node, "invalid-type", f"{where} must be a mapping of names"))
        return None
    return value


def _strings(doc: YamlDocument, where: str, node: yaml.Node, out: list[Diagnostic]) -> Any:
    value = _mapping(doc, where, node, out)
    if value is not None and not all(isinstance(v, str) for v in value.values()):
        out.append(_problem(doc, node, "invalid-type", f"{where}: every value must be text"))
        return None
    if value is not None and not where.startswith("variables"):
        _check_templates(doc, where, node, value, out)
    return value


def _choice(options: tuple[str, ...], upper: bool = False) -> _Reader:
    def read(doc: YamlDocument, where: str, node: yaml.Node, out: list[Diagnostic]) -> Any:
        value = _text(doc, where, node, out)
        if value is None:
            return None
        value = value.upper() if upper else value
        if value not in options:
            hint = did_you_mean(value, options)
            out.append(
                _problem(doc, node, "invalid-setting-value", f"{where} cannot be {value!r}", hint)
            )
            return None
        return value

    return read


def _count(doc: YamlDocument, where: str, node: yaml.Node, out: list[Diagnostic]) -> Any:
    value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        out.append(
            _problem(doc, node, "invalid-setting-value", f"{where} must be a whole number ≥ 0")
        )
        return None
    if value > MAX_RETRIES:  # counts of attempts, like retries: Temporal's int32
        message = f"{where} can be at most {MAX_RETRIES}"
        out.append(_problem(doc, node, "invalid-setting-value", message))
        return None
    return value


def _flag(doc: YamlDocument, where: str, node: yaml.Node, out: list[Diagnostic]) -> Any:
    value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if not isinstance(value, bool):
        out.append(_problem(doc, node, "invalid-type", f"{where} must be true or false"))
        return None
    return value


def _duration(doc: YamlDocument, where: str, node: yaml.Node, out: list[Diagnostic]) -> Any:
    value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
    try:
        if value is None or isinstance(value, bool) or parse_duration(value) < _SHORTEST:
            raise ValueError(value)
    except ValueError:
        out.append(
            _problem(
                doc, node, "invalid-setting-value", f"{where} must be a duration", "e.g. 90s, 10m"
            )
        )
        return None
    return str(value)


def _names(doc: YamlDocument, where: str, node: yaml.Node, out: list[Diagnostic]) -> Any:
    value = scalar(node)
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) and v.strip() for v in items):
        out.append(
            _problem(doc, node, "invalid-type", f"{where} must be a name or a list of names")
        )
        return None
    return items


def _statuses(doc: YamlDocument, where: str, node: yaml.Node, out: list[Diagnostic]) -> Any:
    value = scalar(node)
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(v, int) and not isinstance(v, bool) and 100 <= v <= 599 for v in items):
        message = f"{where} must be an HTTP status or a list of them"
        out.append(_problem(doc, node, "invalid-setting-value", message, "e.g. [200, 201]"))
        return None
    return items


def _schema(doc: YamlDocument, where: str, node: yaml.Node, out: list[Diagnostic]) -> Any:
    import jsonschema

    value = _mapping(doc, where, node, out)
    if value is None:
        return None
    try:
        jsonschema.validators.validator_for(value).check_schema(value)
    except jsonschema.SchemaError as exc:
        path = "/".join(map(str, exc.path)) or "(root)"
        out.append(
            _problem(
                doc, node, "invalid-schema", f"{where} is not a JSON Schema: {path}: {exc.message}"
            )
        )
        return None
    except (TypeError, ValueError, RecursionError):  # e.g. `$schema: [x]` (unhashable)
        out.append(_problem(doc, node, "invalid-schema", f"{where} is not a JSON Schema"))
        return None
    return value


def _mock(doc: YamlDocument, where: str, node: yaml.Node, out: list[Diagnostic]) -> Any:
    value = _mapping(doc, where, node, out)
    if value is None:
        return None
    for item in node.value:  # the nodes, for positions (value has the same str keys)
        key = scalar(item[0])
        if key not in ("mode", "seed", "failures"):
            hint = did_you_mean(key, ("mode", "seed", "failures"))
            out.append(_problem(doc, item[0], "unknown-key", f"{where} has no key {key!r}", hint))
        elif key == "mode":
            _choice(MOCK_MODES)(doc, f"{where}.mode", item[1], out)
        else:
            _count(doc, f"{where}.{key}", item[1], out)
    return value


def _fields(doc: YamlDocument, where: str, node: yaml.Node, out: list[Diagnostic]) -> Any:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        out.append(_problem(doc, node, "invalid-type", f"{where} must be a list of fields"))
        return None
    fields: list[dict[str, Any]] = []
    for item in node.value:
        value = scalar(item)
        spec: dict[str, Any] = {"key": value} if isinstance(value, str) else value
        if not isinstance(spec, dict) or not isinstance(spec.get("key"), str):
            message = f"each of {where} is a key, or a mapping with key:"
            out.append(_problem(doc, item, "invalid-field", message, "e.g. {key: age, type: int}"))
            continue
        for key in spec:
            if key not in FIELD_KEYS:
                hint = did_you_mean(str(key), FIELD_KEYS)
                message = f"field {spec['key']} has no key {key!r}"
                out.append(_problem(doc, item, "invalid-field", message, hint))
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", spec["key"]):
            message = f"field key {spec['key']!r} is not a name"
            out.append(_problem(doc, item, "invalid-field", message))
        if any(f["key"] == spec["key"] for f in fields):
            out.append(_problem(doc, item, "invalid-field", f"field {spec['key']} appears twice"))
        kind = spec.get("type", "str")
        if kind not in FIELD_TYPES:
            message = f"field {spec['key']} has type {kind!r}, which forms do not know"
            out.append(
                _problem(doc, item, "invalid-field", message, did_you_mean(str(kind), FIELD_TYPES))
            )
        if "required" in spec and not isinstance(spec["required"], bool):
            out.append(
                _problem(
                    doc, item, "invalid-field", f"field {spec['key']}: required is true or false"
                )
            )
        choices = spec.get("choices")
        if kind == "choice" and not (isinstance(choices, list) and choices):
            out.append(_problem(doc, item, "invalid-field", f"field {spec['key']} needs choices:"))
        pattern = spec.get("pattern")
        if pattern is not None:
            try:
                re.compile(str(pattern))
            except (re.error, RecursionError, OverflowError, MemoryError) as exc:
                message = (
                    f"field {spec['key']} has a pattern that is not a regular expression: {exc}"
                )
                out.append(_problem(doc, item, "invalid-pattern", message))
        fields.append(spec)
    return fields


_READERS: dict[str, _Reader] = {
    "uses": _text,
    "fields": _fields,
    "title": _text,
    "allow_extra": _flag,
    "approvers": _names,
    "on_timeout": _choice(("approve", "reject", "fail")),
    "on_reject": _text,
    "template": _template,
    "system": _template,
    "variables": _strings,
    "output_schema": _schema,
    "max_schema_retries": _count,
    "provider": _choice(("mock", "openai")),
    "model": _text,
    "mock": _mock,
    "url": _template,
    "method": _choice(METHODS, upper=True),
    "headers": _strings,
    "params": _strings,
    "body": _any,
    "expect_status": _statuses,
    "expression": _text,
    "duration": _duration,
    "until": _text,
}


def read_option(
    doc: YamlDocument, step: str, key: str, node: yaml.Node, out: list[Diagnostic]
) -> Option | None:
    """Read one kind key of ``step``; problems are appended to ``out``."""
    value = _READERS[key](doc, f"{key} of {step}", node, out)
    return None if value is None else Option(key, value, doc.span(node))
