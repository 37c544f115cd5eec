"""The pipeline compiler: expressions and YAML files → one IR → validated → Python.

Stages, each a pure function::

    parse_expression(text) | load_yaml(path)  →  build_ir(...)  →  validate(ir)
        →  render(ir, style=...)  →  FileSet.write(root)

``compile_expression`` and ``compile_file`` run them all. See ``docs/pipelines.md``.
"""

from __future__ import annotations

from flowkit._emit import FileSet
from flowkit.compiler._build_pipeline import BuiltPipeline, build_pipeline
from flowkit.compiler._compile import build_ir, compile_expression, compile_file, load_pipeline
from flowkit.compiler._for_worker import (
    BUILD_DIR,
    PIPELINE_SUFFIXES,
    load_for_worker,
    workflow_type,
)
from flowkit.compiler._graph import stages, to_dot, to_mermaid
from flowkit.compiler._parse import ParsedExpression, grammar_text, parse_expression
from flowkit.compiler._render import render
from flowkit.compiler._schema import json_schema
from flowkit.compiler._validate import validate
from flowkit.compiler._yaml import YamlDocument, load_yaml
from flowkit.compiler.ir import Pipeline

__all__ = [
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
]
