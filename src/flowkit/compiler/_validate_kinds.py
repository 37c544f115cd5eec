"""Validation rules of built-in step kinds: expressions, sagas, approvals, retries.

=========================  ====================================================
``invalid-expression``     a ``when:``/``expression:``/``until:``/variable is not an expression
``unsafe-expression``      it uses attribute access, calls or dunder names
``unknown-name``           it names something that is not in the run's context
``unknown-handler``        ``compensate:`` or ``on_reject:`` names a step that is not there
``handler-with-needs``     a compensation or rejection step is also part of the flow
``kind-in-loop``           a ``⇄`` loop joins a step of a built-in kind (only functions loop)
``when-in-loop``           the second step of a loop has a condition (it guards the loop: put
                           it on the first)
``invalid-setting-value``  an ``ai_generate`` step whose retries cannot cover its schema retries
=========================  ====================================================
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterator
from dataclasses import replace

from flowkit._hints import did_you_mean
from flowkit.compiler._limits import whole_number
from flowkit.compiler.ir import Pipeline, Step, is_dotted
from flowkit.errors import Diagnostic, Span
from flowkit.steps import Expression, ExpressionError, UnsafeExpressionError

__all__ = ["context_names", "expressions", "kinds_rules"]


def context_names(p: Pipeline) -> list[str]:
    """The names an expression may use: ``input`` and every step's name."""
    return ["input", *p.step_names]


def expressions(step: Step) -> Iterator[tuple[str, str, Span | None]]:
    """Every expression a step carries: (what, text, where)."""
    if step.when is not None and not is_dotted(step.when):
        yield "when", step.when, step.when_span or step.span
    if step.kind == "conditional" and step.option("expression"):
        yield "expression", str(step.option("expression")), step.option_span("expression")
    if step.kind == "wait_until" and step.option("until"):
        yield "until", str(step.option("until")), step.option_span("until")
    for name, text in dict(step.option("variables") or {}).items():
        yield f"variables.{name}", str(text), step.option_span("variables")


def _point(span: Span | None, column: int, width: int, single_line: bool) -> Span | None:
    """The span moved onto the offending part of an expression, when it is on one line."""
    if span is None or not column or not single_line:
        return span
    quoted = span.text[span.column - 1 : span.column] in ("'", '"')
    start = span.column + column - 1 + (1 if quoted else 0)
    return replace(span, column=start, end_column=start + max(width, 1))


def _check_expression(
    step: Step, what: str, text: str, span: Span | None, names: list[str]
) -> Iterator[Diagnostic]:
    single = "\n" not in text.strip() and not what.startswith("variables")
    lead = len(text) - len(text.lstrip())  # columns count in the stripped text
    try:
        with warnings.catch_warnings():  # `1if x else 2` warns; it is valid, or reported
            warnings.simplefilter("ignore", SyntaxWarning)
            parsed = Expression.parse(text)
            tree = ast.parse(parsed.text.strip(), mode="eval")
    except (RecursionError, MemoryError, ValueError):
        # Python's parser gives up on very deep nesting (MemoryError, RecursionError) and
        # on text it cannot encode (lone surrogates: ValueError).
        yield Diagnostic(
            "invalid-expression",
            f"{what} of {step.name} is not an expression Python can parse: too deeply "
            "nested, too long, or not valid text",
            span,
            hint="write a shorter expression, e.g. collect['words'] > 100",
        )
        return
    except UnsafeExpressionError as exc:
        reason = str(exc).rsplit(": ", 1)[-1]
        reason = reason.removesuffix(" are not allowed").removesuffix(" is not allowed")
        yield Diagnostic(
            "unsafe-expression",
            f"{what} of {step.name} uses {reason}, which expressions do not allow",
            _point(span, exc.column and exc.column + lead, len(exc.part), single),
            label=f"`{exc.part}`" if exc.part else "",
            hint="expressions may use and/or/not, comparisons, arithmetic, [subscripts], "
            "len, any and all",
        )
        return
    except ExpressionError as exc:
        reason = str(exc).rsplit(": ", 1)[-1].removeprefix("not an expression ")
        yield Diagnostic(
            "invalid-expression",
            f"{what} of {step.name} is not an expression {reason}",
            span,
            hint="write a Python-like expression, e.g. collect['words'] > 100",
        )
        return
    for node in ast.walk(tree):
        is_call = isinstance(node, ast.Call)
        if is_call or not isinstance(node, ast.Name) or node.id in ("len", "any", "all"):
            continue
        if node.id not in names:
            yield Diagnostic(
                "unknown-name",
                f"{what} of {step.name} names {node.id!r}, which the run's context does not have",
                _point(
                    span,
                    node.col_offset + 1 + lead,
                    len(node.id),
                    single and not what.startswith("var"),
                ),
                hint=did_you_mean(node.id, names),
            )


def kinds_rules(p: Pipeline) -> Iterator[Diagnostic]:
    """Every rule of this module, in step order."""
    names = context_names(p)
    known = set(p.step_names)
    handlers = p.handlers
    needed = {e.source for e in p.edges} | {e.target for e in p.edges}
    for step in p.steps:
        for what, text, span in expressions(step):
            if what != "when" or not p.when_paths:
                yield from _check_expression(step, what, text, span, names)
        targets = [("compensate", step.compensate, step.compensate_span)]
        if step.kind == "approval":
            targets.append(("on_reject", step.option("on_reject"), step.option_span("on_reject")))
        for key, target, span in targets:
            if target is None:
                continue
            if target not in known or target == step.name:
                yield Diagnostic(
                    "unknown-handler",
                    f"{key} of {step.name} names {target}, which is not another step",
                    span,
                    hint=did_you_mean(str(target), known - {step.name}),
                )
        if step.kind == "ai_generate":
            yield from _schema_retries(p, step)
    for loop in p.loops:
        second = p.step(loop.second) if loop.second in known and len(loop.steps) > 1 else None
        if second is not None and second.when is not None:
            yield Diagnostic(
                "when-in-loop",
                f"{second.name} is the second step of a loop; a condition guards the whole "
                f"loop, so it goes on {loop.first}",
                second.when_span or second.span,
                hint=f"move when: to {loop.first} (or --cond to {loop.first}:…)",
            )
        for name in loop.steps:
            looped = p.step(name) if name in known else None
            if looped is not None and looped.kind not in ("function", "workflow"):
                kind = looped.kind
                yield Diagnostic(
                    "kind-in-loop",
                    f"{name} is {'an' if kind[0] in 'aeiou' else 'a'} {kind} step, "
                    "which a ⇄ loop cannot repeat",
                    looped.span,
                    hint="loop two function steps; put the built-in step before or after",
                )
    order = {name: i for i, name in enumerate(p.step_names)}
    for name in sorted(handlers & needed, key=order.__getitem__):
        step = p.step(name)
        yield Diagnostic(
            "handler-with-needs",
            f"{name} undoes or answers another step, so it cannot be part of the flow too",
            step.span,
            hint="remove its needs: (and the needs: naming it); it runs only when called for",
        )


def _schema_retries(p: Pipeline, step: Step) -> Iterator[Diagnostic]:
    retries = step.setting("retries") or next(
        (s.value for s in p.defaults if s.key == "retries"), None
    )
    wanted = int(step.option("max_schema_retries", 2))
    attempts = whole_number(retries) if retries is not None else None
    if attempts is not None and 0 < attempts < wanted + 1:
        yield Diagnostic(
            "invalid-setting-value",
            f"{step.name} allows {retries} attempts, too few for {wanted} schema retries",
            step.span,
            hint=f"set retries: {wanted + 1} or more, or lower max_schema_retries",
        )
