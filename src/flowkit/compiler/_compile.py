"""The library calls: compile an expression or a file into a FileSet in one go."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from flowkit._emit import FileSet
from flowkit.compiler._build import build_ir as _build_expression
from flowkit.compiler._parse import ParsedExpression, parse_expression
from flowkit.compiler._render import render
from flowkit.compiler._source import read_source
from flowkit.compiler._validate import validate
from flowkit.compiler._views import Style
from flowkit.compiler._yaml import YamlDocument, load_yaml
from flowkit.compiler._yaml_ir import build_yaml_ir
from flowkit.compiler.ir import Pipeline, is_dotted
from flowkit.errors import Diagnostic, UsageError

__all__ = ["build_ir", "compile_expression", "compile_file", "compile_path", "load_pipeline"]

STYLES = ("functions", "subworkflows")


def build_ir(
    parsed: ParsedExpression | YamlDocument,
    *,
    name: str | None = None,
    mapping: Mapping[str, str] | None = None,
    conditions: Mapping[str, str] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Pipeline:
    """Build the IR from a parsed expression or a composed YAML file (one IR for both).

    Problems found while building are kept in ``Pipeline.notes`` for :func:`validate`.

    Raises:
        ParseError: a YAML ``flow:`` expression does not parse.
        ValidationError: the steps would be joined by more than 100,000 edges.
    """
    if isinstance(parsed, YamlDocument):
        pipeline = build_yaml_ir(
            parsed, name=name, mapping=mapping, conditions=conditions, settings=settings
        )
    else:
        pipeline = _build_expression(
            parsed,
            name=name or "Pipeline",
            mapping=mapping,
            conditions=conditions,
            settings=settings,
        )
    # --cond names a function; a YAML when: may also be an expression.
    bad = [
        Diagnostic(
            "invalid-dotted-path",
            f"--cond for {step} must be a dotted path, got {path!r}",
            hint="write module.name, e.g. myapp.checks.ready",
        )
        for step, path in sorted((conditions or {}).items())
        if not is_dotted(path)
    ]
    return replace(pipeline, notes=pipeline.notes + tuple(bad)) if bad else pipeline


def _style(style: str | None) -> Style:
    chosen = style or "functions"
    if chosen == "subworkflows":
        return "subworkflows"
    if chosen != "functions":
        raise UsageError(f"unknown style {chosen!r}; use functions or subworkflows")
    return "functions"


def _flags(mapping: Mapping[str, str] | None, conditions: Mapping[str, str] | None) -> str:
    out = [f" --map {shlex.quote(f'{k}:{v}')}" for k, v in sorted((mapping or {}).items())]
    out += [f" --cond {shlex.quote(f'{k}:{v}')}" for k, v in sorted((conditions or {}).items())]
    return "".join(out)


def compile_expression(
    text: str,
    *,
    name: str,
    style: str = "functions",
    mapping: Mapping[str, str] | None = None,
    conditions: Mapping[str, str] | None = None,
    source: str = "<expression>",
) -> FileSet:
    """Compile an operator expression into Python files (nothing is written).

    Args:
        text: the expression, e.g. ``IDEATE ⇄ RESEARCH → PLAN``.
        name: the pipeline's workflow class name, e.g. ``BlogPipeline``.
        style: ``functions`` or ``subworkflows``.
        mapping: step → dotted path of an existing function (or workflow) to call.
        conditions: step → dotted path of a condition ``fn(params, results) -> bool``.
        source: the label used in error messages.

    Raises:
        ParseError: the expression does not parse.
        ValidationError: it parses but breaks rules (all of them are listed).
        UsageError: an unknown style.
    """
    chosen = _style(style)
    pipeline = validate(
        build_ir(
            parse_expression(text, source=source),
            name=name,
            mapping=mapping,
            conditions=conditions,
        )
    )
    command = (
        f"flowkit compile {shlex.quote(' '.join(text.split()))} --name {name} --style {chosen}"
        + _flags(mapping, conditions)
    )
    return render(pipeline, style=chosen, command=command)


def load_pipeline(
    path: str | Path,
    *,
    name: str | None = None,
    mapping: Mapping[str, str] | None = None,
    conditions: Mapping[str, str] | None = None,
) -> Pipeline:
    """Read, build and validate a YAML pipeline file (``.yaml``/``.yml``) or an
    expression file (any other suffix, e.g. ``.flow``).

    Raises:
        UsageError: the file cannot be read.
        CompileError: it does not compile (or is not UTF-8).
    """
    file = Path(path)
    if file.suffix in (".yaml", ".yml"):
        doc = load_yaml(file)
        return validate(build_ir(doc, name=name, mapping=mapping, conditions=conditions))
    parsed = parse_expression(read_source(file), source=str(file))
    pipeline_name = name or "".join(p.capitalize() for p in file.stem.replace("-", "_").split("_"))
    return validate(build_ir(parsed, name=pipeline_name, mapping=mapping, conditions=conditions))


def compile_file(
    path: str | Path,
    *,
    style: str | None = None,
    name: str | None = None,
    mapping: Mapping[str, str] | None = None,
    conditions: Mapping[str, str] | None = None,
) -> FileSet:
    """Compile a YAML pipeline file (or an expression file) into Python files.

    Raises:
        UsageError: the file cannot be read, or an unknown style.
        CompileError: the file does not compile (every problem is listed).
    """
    return compile_path(path, style=style, name=name, mapping=mapping, conditions=conditions)[1]


def compile_path(
    path: str | Path,
    *,
    style: str | None = None,
    name: str | None = None,
    mapping: Mapping[str, str] | None = None,
    conditions: Mapping[str, str] | None = None,
) -> tuple[Pipeline, FileSet]:
    """:func:`compile_file`, also returning the validated IR the files were rendered from."""
    chosen = _style(style)
    pipeline = load_pipeline(path, name=name, mapping=mapping, conditions=conditions)
    command = f"flowkit compile {shlex.quote(Path(path).name)} --style {chosen}"
    if name:
        command += f" --name {name}"
    return pipeline, render(pipeline, style=chosen, command=command + _flags(mapping, conditions))
