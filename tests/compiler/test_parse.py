"""Parsing: the grammar, operator precedence, positions and friendly syntax errors."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowkit.compiler import build_ir, compile_expression, grammar_text, parse_expression
from flowkit.compiler._parse import SYNTAX_EXAMPLES
from flowkit.errors import CompileError, ParseError

from .conftest import ROOT, SEED


def edges(text: str) -> set[tuple[str, str, str]]:
    pipeline = build_ir(parse_expression(text), name="P")
    return {(e.source, e.target, e.kind.value) for e in pipeline.edges}


def test_grammar_is_the_repo_file() -> None:
    assert grammar_text() == (ROOT / "grammar" / "flowkit.lark").read_text(encoding="utf-8")


def test_seed_parses_into_loops_sequences_and_a_condition() -> None:
    pipeline = build_ir(parse_expression(SEED), name="BlogPipeline")
    assert [lp.steps for lp in pipeline.loops] == [("IDEATE", "RESEARCH"), ("DRAFT", "REVIEW")]
    assert ("PROMOTE", "REPURPOSE", "conditional") in edges(SEED)
    assert ("RESEARCH", "PLAN", "sequence") in edges(SEED)
    assert len(pipeline.step_names) == 10


def test_loop_binds_tighter_than_sequence() -> None:
    assert edges("A ⇄ B → C") == {("A", "B", "loop"), ("B", "C", "sequence")}
    assert edges("C → A ⇄ B") == {("C", "A", "sequence"), ("A", "B", "loop")}


def test_ascii_spellings_build_the_same_ir() -> None:
    unicode = build_ir(parse_expression("A ⇄ B → C →? D ⊕ {E, F}"), name="P")
    ascii_ = build_ir(parse_expression("A <-> B -> C ->? D + {E, F}"), name="P")
    assert unicode.edges == ascii_.edges
    assert unicode.loops == ascii_.loops


def test_fan_out_joins_before_what_follows() -> None:
    assert edges("A ⊕ {B, C} → D") == {
        ("A", "B", "fan-out"),
        ("A", "C", "fan-out"),
        ("B", "D", "sequence"),
        ("C", "D", "sequence"),
    }


def test_comments_and_line_breaks() -> None:
    text = "# a pipeline\nA  # first\n  → B\n\n  → C # last\n"
    assert edges(text) == {("A", "B", "sequence"), ("B", "C", "sequence")}


def test_settings_and_loop_limits_are_kept() -> None:
    pipeline = build_ir(parse_expression("(A ⇄ B)[max=5] → C[timeout=10m, retries=3]"), name="P")
    assert pipeline.loops[0].setting("max") == "5"
    assert pipeline.step("C").setting("timeout") == "10m"
    assert pipeline.step("C").setting("retries") == "3"


def test_loop_limit_comes_from_settings_then_policy() -> None:
    parsed = parse_expression("A ⇄ B")
    given_ = build_ir(parsed, name="P", settings={"loops": {"A_B": {"max": 7}}})
    default = build_ir(parsed, name="P", settings={})
    assert given_.loops[0].setting("max") == "7"
    assert default.loops[0].setting("max") == "3"


def test_continue_as_new_after_steps_comes_from_settings() -> None:
    parsed = parse_expression("A → B")
    assert build_ir(parsed, name="P", settings={}).max_steps_per_run is None
    given_ = build_ir(parsed, name="P", settings={"continue_as_new": {"after_steps": 4}})
    assert given_.max_steps_per_run == 4


def test_positions_point_at_the_step() -> None:
    pipeline = build_ir(parse_expression("A →\n  LONG_NAME"), name="P")
    span = pipeline.step("LONG_NAME").span
    assert span is not None
    assert (span.line, span.column, span.end_column) == (2, 3, 12)
    assert span.text == "  LONG_NAME"


@pytest.mark.parametrize(
    ("label", "example"),
    [(label, ex) for label, examples in SYNTAX_EXAMPLES.items() for ex in examples],
)
def test_syntax_examples_get_their_friendly_code(label: tuple[str, str, str], example: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_expression(example)
    assert info.value.codes == [label[0]]
    assert "expected" in str(info.value)


def test_stray_character_names_the_character_and_position() -> None:
    with pytest.raises(ParseError) as info:
        parse_expression("A → B & C")
    [diagnostic] = info.value.diagnostics
    assert diagnostic.code == "unexpected-character"
    assert diagnostic.span is not None
    assert diagnostic.span.column == 7
    assert "'&'" in diagnostic.message


def test_empty_input_is_an_error() -> None:
    with pytest.raises(ParseError) as info:
        parse_expression("  # nothing\n")
    assert info.value.codes == ["empty-pipeline"]


def test_grammar_falls_back_to_the_repo_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    from flowkit.compiler import _parse

    class Missing:
        def joinpath(self, *_: str) -> Missing:
            return self

        def read_text(self, encoding: str = "utf-8") -> str:
            raise FileNotFoundError("not in the package")

    monkeypatch.setattr("importlib.resources.files", lambda _pkg: Missing())
    assert "start:" in _parse.grammar_text()
    assert Path(_parse.__file__).resolve().parents[3] == ROOT


_ALPHABET = st.sampled_from(
    [*'AB CD_x1[]{}(),=#\n"', "→", "->", "⇄", "<->", "→?", "->?", "⊕", "+", "10m", "max"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=25).map("".join))
def test_random_text_raises_only_compile_errors(text: str) -> None:
    error: CompileError | None = None
    try:
        compile_expression(text, name="Random")
    except CompileError as exc:
        error = exc
    if error is not None:
        assert error.diagnostics
        assert str(error).endswith("nothing was written")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_any_unicode_raises_only_compile_errors(text: str) -> None:
    with contextlib.suppress(CompileError):
        build_ir(parse_expression(text), name="P")
