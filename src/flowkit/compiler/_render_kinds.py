"""Python for built-in step kinds: module constants and the body of each step's method.

Values from YAML (forms, prompts, schemas, bodies) become module-level constants laid out
the way ``ruff format`` lays them out (one line when it fits, else one item a line with a
trailing comma), so the step methods stay short and read like the SDK samples.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from typing import Any

from flowkit._emit import LINE_LENGTH, py_duration, py_string
from flowkit.compiler.ir import Step
from flowkit.policy import parse_duration

__all__ = ["OUTPUTS", "KindCode", "call", "call_lines", "kind_code", "py_literal"]

#: The type of each built-in kind's result (a field of the pipeline's output model).
OUTPUTS = {
    "form": "dict[str, Any]",
    "approval": "ApprovalResult",
    "ai_generate": "GenerateResult",
    "api_call": "ApiResponse",
    "conditional": "bool",
    "sleep": "float",
    "wait_until": "float",
}


@dataclass
class KindCode:
    """What one built-in step adds to ``workflow.py``.

    Attributes:
        constants: module-level assignments (already laid out).
        body: the lines of the step's method after its guard, indented 8 spaces.
        names: what the module imports from ``flowkit.steps`` for it.
    """

    constants: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    uses_timedelta: bool = False
    uses_error: bool = False


def _long_string(value: str, indent: int) -> str:
    """A string literal split over lines in parentheses (for values too long for one)."""
    pieces: list[str] = []
    for line in value.splitlines(keepends=True):
        pieces += textwrap.wrap(
            line, width=LINE_LENGTH - indent - 8, drop_whitespace=False, replace_whitespace=False
        ) or [line]
    pad = " " * (indent + 4)
    return "(\n" + "".join(f"{pad}{py_string(p)}\n" for p in pieces) + " " * indent + ")"


def py_literal(value: Any, indent: int = 0, prefix: int = 0, tail: int = 0) -> str:
    """``value`` as Python source, laid out as ``ruff format`` would at ``indent``.

    Args:
        value: text, numbers, booleans, ``None``, lists and dicts of them.
        indent: the indentation of the line the literal starts on.
        prefix: characters before the literal on that line.
        tail: characters after it (``,`` or ``)``).
    """
    flat = _flat(value)
    if indent + prefix + len(flat) + tail <= LINE_LENGTH:
        return flat
    pad = " " * (indent + 4)
    if isinstance(value, str):
        return _long_string(value, indent)
    if isinstance(value, dict):
        items = [
            f"{pad}{py_string(str(k))}: {py_literal(v, indent + 4, len(py_string(str(k))) + 2, 1)},"
            for k, v in value.items()
        ]
        return "{\n" + "\n".join(items) + "\n" + " " * indent + "}"
    if isinstance(value, list | tuple):
        items = [f"{pad}{py_literal(v, indent + 4, 0, 1)}," for v in value]
        open_, close = ("[", "]") if isinstance(value, list) else ("(", ")")
        return open_ + "\n" + "\n".join(items) + "\n" + " " * indent + close
    return flat


def _flat(value: Any) -> str:
    if isinstance(value, str):
        return py_string(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float) and not math.isfinite(value):  # YAML .inf and .nan
        return f'float("{value}")'
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_string(str(k))}: {_flat(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple):
        inner = ", ".join(_flat(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(_flat(v) for v in value) + "]"
    return py_string(str(value))  # YAML gives nothing else; a hand-built option might


def call(name: str, args: list[tuple[str, str]], indent: int, prefix: int, tail: int = 0) -> str:
    """``name(k=v, ...)`` on one line when it fits, else one argument a line."""
    flat = f"{name}(" + ", ".join(f"{k}={v}" for k, v in args) + ")"
    if "\n" not in flat and indent + prefix + len(flat) + tail <= LINE_LENGTH:
        return flat
    pad = " " * (indent + 4)
    lines = [f"{pad}{k}={v}," for k, v in args]
    return f"{name}(\n" + "\n".join(lines) + "\n" + " " * indent + ")"


def call_lines(lead: str, name: str, args: list[str], indent: int, tail: str = "") -> str:
    """``lead name(args) tail`` laid out as ``ruff format`` does at ``indent``: on one
    line, else the arguments on a line of their own, else one argument a line."""
    pad, inner = " " * indent, " " * (indent + 4)
    flat = f"{pad}{lead}{name}({', '.join(args)}){tail}"
    if len(flat) <= LINE_LENGTH:
        return flat
    if len(inner) + len(", ".join(args)) <= LINE_LENGTH:
        return f"{pad}{lead}{name}(\n{inner}{', '.join(args)}\n{pad}){tail}"
    return f"{pad}{lead}{name}(\n" + "".join(f"{inner}{a},\n" for a in args) + f"{pad}){tail}"


def _constant(name: str, value: Any, annotation: str = "") -> str:
    head = f"{name}: {annotation} = " if annotation else f"{name} = "
    return head + py_literal(value, 0, len(head))


def _form(step: Step, const: str, code: KindCode) -> str:
    fields = []
    for spec in step.option("fields"):
        args = [(k, py_literal(v)) for k, v in spec.items() if k != "choices"]
        if spec.get("choices"):
            args.append(("choices", _flat(tuple(str(c) for c in spec["choices"]))))
        fields.append(call("FormField", args, 8, 0, 1))
    args = []
    if step.option("title"):
        args.append(("title", py_literal(step.option("title"), 4, 6, 1)))
    if step.option("allow_extra"):
        args.append(("allow_extra", "True"))
    items = "".join(f"        {f},\n" for f in fields)
    args.append(("fields", f"(\n{items}    )"))
    code.names |= {"Form", "FormField", "form"}
    return f"{const} = " + call("Form", args, 0, len(const) + 3)


B = " " * 8  # a step method's body is indented this much


def kind_code(step: Step, *, policy: list[tuple[str, str]], handler_method: str) -> KindCode:
    """The constants and method body of a built-in step (not ``function``/``workflow``).

    Args:
        step: the step.
        policy: ``retry_policy``, ``start_to_close_timeout`` and ``heartbeat_timeout``
            arguments for the steps that are activities.
        handler_method: the method of its ``on_reject:`` step, if any.
    """
    code = KindCode()
    const = step.ident.upper()
    target = f"self._out.{step.ident}"
    summary = py_string(step.name)
    name = py_string(step.name)
    wait = step.setting("timeout")
    wait_arg = [f"timeout={py_duration(parse_duration(wait))}"] if wait else []
    code.uses_timedelta = bool(wait) or step.kind == "sleep"
    body = code.body
    if step.kind == "form":
        code.constants.append(_form(step, f"{const}_FORM", code))
        body.append(f"{B}{target} = await form({', '.join([name, f'{const}_FORM', *wait_arg])})")
    elif step.kind == "approval":
        code.names |= {"approval"}
        parts = [name, f"approvers={_flat(list(step.option('approvers') or []))}", *wait_arg]
        if step.option("title"):
            parts.append(f"title={py_string(step.option('title'))}")
        line = f"{B}verdict = await approval({', '.join(parts)})"
        if len(line) > LINE_LENGTH:
            line = f"{B}verdict = await approval(\n" + "".join(f"{B}    {a},\n" for a in parts)
            line += f"{B})"
        body += [line, f"{B}{target} = verdict"]
        rejected = ["rejected"] + (["timed_out"] if step.option("on_timeout") == "reject" else [])
        if step.option("on_reject"):
            outcomes = " or ".join(f'verdict.outcome == "{o}"' for o in rejected)
            body += [
                f"{B}if {outcomes}:",
                f"{B}    await self.{handler_method}()",
                f"{B}    self._ended = True  # the rejection was answered: no later stage runs",
                f"{B}    return",
            ]
        if step.option("on_timeout") == "approve":
            body += [f'{B}if verdict.outcome != "timed_out":', f"{B}    verdict.require()"]
        else:
            body.append(f"{B}verdict.require()  # a rejection or a timeout ends the run failed")
    elif step.kind in ("ai_generate", "api_call"):
        lead = target if step.kind == "ai_generate" else "response"
        body += _activity(step, const, code, policy, lead)
        if step.kind == "api_call":
            body += _status_check(step, const, code)
            body.append(f"{B}{target} = response")
    elif step.kind == "conditional":
        code.names |= {"when"}
        code.constants.append(_constant(f"{const}_EXPRESSION", step.option("expression")))
        # step= names the step when the expression fails at run time
        args = [f"{const}_EXPRESSION", "self._context()", f"step={name}"]
        body.append(call_lines(f"{target} = ", "when", args, 8))
    elif step.kind == "sleep":
        code.names |= {"sleep"}
        span = parse_duration(step.option("duration"))
        body += [
            f"{B}await sleep({py_duration(span)}, summary={summary})",
            f"{B}{target} = {span.total_seconds()!r}",
        ]
    elif step.kind == "wait_until":
        code.names |= {"evaluate", "wait_until"}
        code.constants.append(_constant(f"{const}_UNTIL", step.option("until")))
        body += [
            call_lines(
                "moment = ", "evaluate", [f"{const}_UNTIL", "self._context()", f"step={name}"], 8
            ),
            f"{B}waited = await wait_until(str(moment), summary={summary})",
            f"{B}{target} = waited.total_seconds()",
        ]
    return code


def _activity(
    step: Step, const: str, code: KindCode, policy: list[tuple[str, str]], lead: str
) -> list[str]:
    variables = "self._context()"
    if step.option("variables"):
        code.constants.append(
            _constant(f"{const}_VARIABLES", step.option("variables"), "dict[str, str]")
        )
        variables = f"self._variables({const}_VARIABLES, {py_string(step.name)})"
        code.names |= {"evaluate"}
    args: list[tuple[str, str]] = []
    if step.kind == "ai_generate":
        code.names |= {"GenerateRequest", "ai_generate"}
        code.constants.append(_constant(f"{const}_PROMPT", step.option("template")))
        args.append(("template", f"{const}_PROMPT"))
        if step.option("system"):
            code.constants.append(_constant(f"{const}_SYSTEM", step.option("system")))
            args.append(("system", f"{const}_SYSTEM"))
        args.append(("variables", variables))
        if step.option("output_schema") is not None:
            schema = step.option("output_schema")
            code.constants.append(_constant(f"{const}_SCHEMA", schema, "dict[str, Any]"))
            args.append(("output_schema", f"{const}_SCHEMA"))
        args.append(("max_schema_retries", str(int(step.option("max_schema_retries", 2)))))
        for key in ("provider", "model"):
            if step.option(key):
                args.append((key, py_string(str(step.option(key)))))
        if step.option("mock"):
            code.names |= {"MockOptions"}
            mock = [(k, py_literal(v)) for k, v in step.option("mock").items()]
            args.append(("mock", call("MockOptions", mock, 16, 5, 1)))
        function, request = "ai_generate", "GenerateRequest"
    else:
        code.names |= {"ApiRequest", "api_call"}
        args.append(("url", py_string(step.option("url"))))
        if step.option("method", "GET") != "GET":
            args.append(("method", py_string(step.option("method"))))
        for key in ("headers", "params"):
            if step.option(key):
                code.constants.append(
                    _constant(f"{const}_{key.upper()}", step.option(key), "dict[str, str]")
                )
                args.append((key, f"{const}_{key.upper()}"))
        if step.option("body") is not None:
            code.constants.append(_constant(f"{const}_BODY", step.option("body"), "Any"))
            args.append(("json_body", f"{const}_BODY"))
        args.append(("variables", variables))
        function, request = "api_call", "ApiRequest"
    return [
        f"{B}{lead} = await workflow.step(",
        f"{B}    function={function},",
        f"{B}    function_input={call(request, args, 12, 15, 1)},",
        *(f"{B}    {k}={v}," for k, v in policy),
        f"{B}    summary={py_string(step.name)},",
        f"{B})",
    ]


def _status_check(step: Step, const: str, code: KindCode) -> list[str]:
    statuses = step.option("expect_status")
    if not statuses:
        return []
    code.uses_error = True
    code.constants.append(f"{const}_EXPECT = {_flat(tuple(statuses))}")
    expected = " or ".join(str(s) for s in statuses)
    message = f"{step.name}: {{response.url}} answered {{response.status}}, expected {expected}"
    return [
        f"{B}if response.status not in {const}_EXPECT:",
        f"{B}    raise NonRetryableError(",
        f"{B}        f{py_string(message)},",
        f'{B}        type="UnexpectedStatus",',
        f"{B}    )",
    ]
