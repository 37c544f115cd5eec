"""The compiler's public names are pinned: a change here is a change to the library API."""

from __future__ import annotations

import flowkit.compiler

PUBLIC = {
    "BUILD_DIR",
    "PIPELINE_SUFFIXES",
    "BuiltPipeline",
    "FileSet",
    "ParsedExpression",
    "Pipeline",
    "YamlDocument",
    "build_ir",
    "build_pipeline",
    "compile_expression",
    "compile_file",
    "grammar_text",
    "json_schema",
    "load_for_worker",
    "load_pipeline",
    "load_yaml",
    "parse_expression",
    "render",
    "stages",
    "to_dot",
    "to_mermaid",
    "validate",
    "workflow_type",
}


def test_public_names_are_pinned() -> None:
    assert set(flowkit.compiler.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(flowkit.compiler, name) is not None


def test_public_callables_have_docstrings() -> None:
    for name in PUBLIC:
        assert getattr(flowkit.compiler, name).__doc__, name


def test_top_level_lazy_exports() -> None:
    import flowkit

    assert {"compile_expression", "compile_file"} <= set(flowkit.__all__)
    assert flowkit.compile_expression is flowkit.compiler.compile_expression
    assert flowkit.compile_file is flowkit.compiler.compile_file
