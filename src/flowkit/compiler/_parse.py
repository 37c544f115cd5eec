"""Parse operator expressions with the Lark grammar shipped in the package.

Parsing only builds a Lark tree; turning it into the IR is a separate step
(:func:`flowkit.compiler.build_ir`). Every Lark error becomes a
:class:`~flowkit.errors.ParseError` that names the position and the expected tokens.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from flowkit.compiler._source import Source
from flowkit.errors import Diagnostic, ParseError

__all__ = ["ParsedExpression", "grammar_text", "parse_expression", "parse_source"]

# What the user sees for each terminal Lark may expect.
_TOKEN_NAMES = {
    "NAME": "a step name",
    "NUMBER": "a number or duration",
    "STRING": 'a "quoted string"',
    "THEN": "→",
    "COND": "→?",
    "LOOP": "⇄",
    "FAN": "⊕",
    "LPAR": "(",
    "RPAR": ")",
    "LSQB": "[",
    "RSQB": "]",
    "LBRACE": "{",
    "RBRACE": "}",
    "COMMA": ",",
    "EQUAL": "=",
    "$END": "the end",
}

# A match_examples table: broken inputs that share a parser state share a message.
# The examples double as tests (tests/compiler/test_parse.py runs each one).
SYNTAX_EXAMPLES: dict[tuple[str, str, str], list[str]] = {
    (
        "missing-step",
        "an operator needs a step after it",
        "write a step name after the operator, e.g. A → B",
    ): [
        "A →",
        "A → → B",
        "A ->?",
        "A ⇄",
        "A -> ->? B",
        "A ⇄ → B",
        "A →? → B",
        "A → B → → C",
        "A → B →? → C",
        "A → B ⊕ {C} → → D",
        "A → B ⇄",
    ],
    (
        "fan-out-needs-group",
        "a fan-out takes a group of steps in braces",
        "write A ⊕ {B, C} (or A + {B, C})",
    ): ["A ⊕ B", "A + B", "A → B + C"],
    (
        "missing-operator",
        "two steps with no operator between them",
        "join steps with → (or ->), ⇄ (<->), →? (->?) or ⊕ {…} (+ {…})",
    ): ["A B", "A → B C", "A[retries=1] B", "A ⊕ {B} C"],
    (
        "unclosed-group",
        "a fan-out group is not closed",
        "close the group with }, e.g. A ⊕ {B, C}",
    ): ["A ⊕ {B, C", "A ⊕ {B", "A ⊕ {B C}", "A ⊕ {B, C → D"],
    (
        "bad-setting",
        "a setting is written key=value",
        "write settings like DRAFT[timeout=10m, retries=3, heartbeat=1m]",
    ): ["A[timeout]", "A[=3]", "A[timeout=]", "A[]", "A[timeout 3]"],
}


@dataclass(frozen=True)
class ParsedExpression:
    """A parsed expression: the Lark tree and the source it came from."""

    tree: Tree[Token]
    source: Source


def grammar_text() -> str:
    """The grammar, read from the installed package or, in a source checkout, the repo."""
    try:
        ref = resources.files("flowkit").joinpath("grammar/flowkit.lark")
        return ref.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError, OSError):
        # Editable installs have no package copy; the canonical file sits at the repo root.
        repo_root = Path(__file__).resolve().parents[3]
        return (repo_root / "grammar" / "flowkit.lark").read_text(encoding="utf-8")


@functools.cache
def _parser() -> Lark:
    return Lark(grammar_text(), parser="lalr", propagate_positions=True, maybe_placeholders=False)


def parse_expression(text: str, *, source: str = "<expression>") -> ParsedExpression:
    """Parse an operator expression such as ``IDEATE ⇄ RESEARCH → PLAN``.

    Args:
        text: the expression.
        source: the file name or label used in error messages.

    Raises:
        ParseError: the text is not a pipeline expression.
    """
    return parse_source(Source(text=text, file=source))


def parse_source(source: Source) -> ParsedExpression:
    """Parse a :class:`Source` (positions map into its file; used for YAML ``flow:``).

    Raises:
        ParseError: the text is not a pipeline expression.
    """
    if not source.text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in source.text.splitlines()
    ):
        raise ParseError(
            [
                Diagnostic(
                    "empty-pipeline",
                    "the pipeline has no steps",
                    source.span(1, 1),
                    hint="write steps joined by operators, e.g. IDEATE ⇄ RESEARCH → PLAN",
                )
            ]
        )
    try:
        tree = _parser().parse(source.text)
    except UnexpectedInput as exc:
        raise ParseError([_diagnose(exc, source)]) from None
    return ParsedExpression(tree=tree, source=source)


def _expected(names: set[str] | frozenset[str]) -> str:
    shown = sorted({_TOKEN_NAMES.get(n, n) for n in names if not n.startswith("__")})
    if not shown:
        return ""
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " or " + shown[-1]


def _diagnose(exc: UnexpectedInput, source: Source) -> Diagnostic:
    label = None
    try:
        if not isinstance(exc, UnexpectedCharacters):  # a stray character is its own problem
            label = exc.match_examples(_parser().parse, SYNTAX_EXAMPLES, use_accepts=True)
    except Exception:
        label = None
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream or 0
        char = source.text[pos] if pos < len(source.text) else ""
        span = source.span(exc.line, exc.column, exc.column + 1)
        expected = _expected(exc.allowed or set())
        if label is None:
            return Diagnostic(
                "unexpected-character",
                f"unexpected character {char!r}",
                span,
                label=f"expected {expected}" if expected else "not part of the language",
                hint="steps are words; operators are → ⇄ →? ⊕ (or -> <-> ->? +)",
            )
    elif isinstance(exc, UnexpectedToken) and exc.token.type != "$END":
        token = exc.token
        end = token.column + len(str(token)) if token.column is not None else None
        span = source.span(token.line or 1, token.column or 1, end)
        expected = _expected(exc.accepts or exc.expected)
        if label is None:
            return Diagnostic(
                "unexpected-token",
                f"unexpected {str(token)!r}",
                span,
                label=f"expected {expected}",
            )
    else:
        span = source.end
        expected = ""
        if isinstance(exc, UnexpectedEOF):
            expected = _expected(set(exc.expected))
        elif isinstance(exc, UnexpectedToken):
            expected = _expected(exc.accepts or exc.expected)
        if label is None:
            return Diagnostic(
                "unexpected-end",
                "the pipeline ends too early",
                span,
                label=f"expected {expected}" if expected else "",
            )
    code, message, hint = label
    return Diagnostic(code, message, span, label=f"expected {expected}", hint=hint)
