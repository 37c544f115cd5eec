"""``flowkit compile``, ``flowkit graph`` and ``flowkit schema``: thin calls into the compiler.

Each command raises :class:`flowkit.errors.FlowkitError` subclasses for user mistakes; the
main CLI prints them and exits 2. The compiler is imported inside the commands so
``flowkit --help`` stays fast.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from flowkit.cli._options import parse_pairs
from flowkit.errors import UsageError

if TYPE_CHECKING:
    from flowkit.compiler import Pipeline

__all__ = ["register"]

# Characters of the expression language that never appear in a pipeline's file name, and
# line breaks: a source with one of them is an expression, and the file system is not
# asked about it (a 300-byte expression made `stat` fail with "File name too long").
_EXPRESSION_ONLY = frozenset('→⇄⊕[]{}()=,#"<>\n\r\x00')
_MAX_COMPONENT = 255  # bytes in one path component (Linux, macOS)
_MAX_PATH = 4096


def _is_file(source: str) -> bool:
    """Whether ``source`` names a pipeline file rather than being an expression.

    A file is a path ending in .yaml, .yml or .flow, or an existing file; text with
    operators, brackets, line breaks or spaces (and no such suffix), or too long to be a
    path, is an expression without a look at the disk. Never raises.
    """
    if not source or any(c in _EXPRESSION_ONLY for c in source):
        return False
    from flowkit.compiler import PIPELINE_SUFFIXES  # here: --help need not load the compiler

    if source.endswith(PIPELINE_SUFFIXES):
        return True
    try:
        encoded = os.fsencode(source)
    except UnicodeError:
        return False
    too_long = len(encoded) > _MAX_PATH or any(len(p) > _MAX_COMPONENT for p in encoded.split(b"/"))
    if too_long or any(c.isspace() for c in source):
        return False
    try:
        return Path(source).is_file()
    except (OSError, ValueError):
        return False


def _load(
    source: str, name: str | None, mapping: dict[str, str], conditions: dict[str, str]
) -> Pipeline:
    from flowkit.compiler import build_ir, load_pipeline, parse_expression, validate

    if _is_file(source):
        return load_pipeline(source, name=name, mapping=mapping, conditions=conditions)
    parsed = parse_expression(source)
    return validate(
        build_ir(parsed, name=name or "Pipeline", mapping=mapping, conditions=conditions)
    )


def compile_command(
    source: str = typer.Argument(
        ..., help="An operator expression in quotes, or a pipeline file (.yaml, .flow)."
    ),
    name: str | None = typer.Option(
        None, "--name", "-n", help="The workflow class name (required for an expression)."
    ),
    style: str | None = typer.Option(
        None, "--style", "-s", help="functions (default) or subworkflows."
    ),
    mapping: list[str] | None = typer.Option(
        None, "--map", help="Bind a step to existing code: STEP:module.name (repeatable)."
    ),
    conditions: list[str] | None = typer.Option(
        None, "--cond", help="A step's condition: STEP:module.fn (repeatable)."
    ),
    output: Path = typer.Option(Path("."), "--output", "-o", help="Where to write the files."),
    force: bool = typer.Option(False, "--force", "-f", help="Overwrite files that differ."),
    dry_run: bool = typer.Option(
        False, "--dry-run", "--pretend", help="Show what would be written; write nothing."
    ),
) -> None:
    """Compile a pipeline into a Temporal workflow, its steps and a test for it."""
    from flowkit.compiler import compile_expression, compile_file

    maps, conds = parse_pairs(mapping, "--map"), parse_pairs(conditions, "--cond")
    if _is_file(source):
        files = compile_file(source, style=style, name=name, mapping=maps, conditions=conds)
    else:
        if not name:
            raise UsageError("compiling an expression needs --name, e.g. --name BlogPipeline")
        files = compile_expression(
            source, name=name, style=style or "functions", mapping=maps, conditions=conds
        )
    report = files.write(output, force=force, dry_run=dry_run)
    if dry_run:
        typer.echo(f"would write {len(files)} files to {output} (a dry run: nothing written):")
    for line in report.lines():
        typer.echo(line)


def graph_command(
    source: str = typer.Argument(..., help="An operator expression, or a pipeline file."),
    fmt: str = typer.Option("mermaid", "--format", help="mermaid or dot."),
    name: str | None = typer.Option(None, "--name", "-n", help="The pipeline name."),
) -> None:
    """Draw a pipeline as a Mermaid flowchart or a Graphviz digraph."""
    from flowkit.compiler import to_dot, to_mermaid

    if fmt not in ("mermaid", "dot"):
        raise UsageError(f"unknown graph format {fmt!r}; use mermaid or dot")
    pipeline = _load(source, name, {}, {})
    typer.echo(to_mermaid(pipeline) if fmt == "mermaid" else to_dot(pipeline), nl=False)


def schema_command() -> None:
    """Print the JSON Schema of pipeline YAML files (for editor completion)."""
    import json

    from flowkit.compiler import json_schema

    typer.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    """Add ``compile``, ``graph`` and ``schema`` to the main app."""
    app.command("compile")(compile_command)
    app.command("graph")(graph_command)
    app.command("schema")(schema_command)
