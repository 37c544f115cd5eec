"""``flowkit check``'s library: read Python files, find the rules' sources in their
workflow code, drop the findings a ``# flowkit: ignore[...]`` comment suppresses.

Nothing is imported: the files are parsed with :mod:`ast`, so checking code is safe even
when importing it would not be.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flowkit.check._detect import Hit, mutable_globals, walk_workflow_code
from flowkit.check._imports import first_party, sandbox_imports
from flowkit.check._names import Names
from flowkit.check._rules import RULES, rule_for
from flowkit.check._scope import workflow_code
from flowkit.errors import Diagnostic, Span, UsageError, render

__all__ = ["CheckReport", "Finding", "check_paths", "check_source", "python_files"]

_IGNORE = re.compile(r"#\s*flowkit:\s*ignore\b(?:\[([^\]]*)\])?", re.IGNORECASE)
_SKIPPED_DIRS = frozenset(
    {".git", ".venv", "venv", "__pycache__", "node_modules", ".tox", ".nox", "build", "dist"}
)


@dataclass(frozen=True)
class Finding:
    """One use of a nondeterministic source in workflow code.

    Attributes:
        file: the file's path as given.
        line: 1-based line.
        column: 1-based column (in characters).
        rule: the rule's id, such as ``FK101``.
        name: the rule's name, such as ``wall-clock``.
        message: what was used and why it breaks replay.
        alternative: the deterministic thing to use instead.
    """

    file: str
    line: int
    column: int
    rule: str
    name: str
    message: str
    alternative: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}:{self.column}: {self.rule} {self.name}: "
            f"{self.message}; instead: {self.alternative}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "name": self.name,
            "message": self.message,
            "alternative": self.alternative,
        }


@dataclass(frozen=True)
class CheckReport:
    """Every finding in the files checked, in file and line order."""

    files: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        checked = f"{self.files} file{'s' if self.files != 1 else ''} checked"
        n = len(self.findings)
        return f"{checked}: {n} finding{'s' if n != 1 else ''}" if n else f"{checked}: clean"

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "files": self.files,
            "findings": [f.to_json() for f in self.findings],
        }


def _suppressions(source: str) -> dict[int, set[str] | None]:
    """Line → the rule ids its ``# flowkit: ignore[...]`` comment names (``None``: all)."""
    out: dict[int, set[str] | None] = {}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return out
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        found = _IGNORE.search(token.string)
        if found is None:
            continue
        line = token.start[0]
        if found.group(1) is None:
            out[line] = None
            continue
        rules = {r.id for key in found.group(1).split(",") if (r := rule_for(key))}
        if out.get(line, set()) is not None:
            out[line] = (out.get(line) or set()) | rules
    return out


def _column(lines: list[str], line: int, offset: int) -> int:
    """A 1-based character column from ast's 0-based UTF-8 byte offset."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(text.encode("utf-8")[:offset].decode("utf-8", errors="ignore")) + 1


def _syntax_error(source: str, file: str, exc: SyntaxError) -> UsageError:
    line = exc.lineno or 1
    column = max(exc.offset or 1, 1)
    diagnostic = Diagnostic(
        code="syntax",
        message=f"cannot check {file}: {exc.msg}",
        span=Span.at(source, file, line, column),
        label="here",
    )
    return UsageError(render(diagnostic))


def check_source(source: str, file: str = "<source>", path: Path | None = None) -> list[Finding]:
    """The findings in one module's source text.

    Args:
        source: the module's text.
        file: the name findings carry.
        path: where the module is, to tell the project's own imports from third-party
            ones (FK107); without it, only relative imports count as the project's.

    Raises:
        UsageError: the source is not valid Python (the message points at the error).
    """
    try:
        tree = ast.parse(source, filename=file)
    except SyntaxError as exc:
        raise _syntax_error(source, file, exc) from None
    except ValueError as exc:  # e.g. a NUL byte
        raise UsageError(f"cannot check {file}: {exc}") from None
    names = Names(tree)
    classes, functions = workflow_code(tree, names)
    if not classes:
        return []
    hits: list[Hit] = []
    walk_workflow_code(classes, names, mutable_globals(tree, names), hits.append)
    walk_workflow_code(functions, names, mutable_globals(tree, names), hits.append)
    for stmt, module in sandbox_imports(tree, names, first_party(path)):
        hits.append((stmt, "FK107", f"import {module}", None))
    lines = source.splitlines()
    ignored = _suppressions(source)
    found: dict[tuple[int, int, str], Finding] = {}
    for node, rule_id, used, alternative in hits:
        line = getattr(node, "lineno", 1)
        column = _column(lines, line, getattr(node, "col_offset", 0))
        if line in ignored and (ignored[line] is None or rule_id in (ignored[line] or set())):
            continue
        rule = RULES[rule_id]
        found.setdefault(
            (line, column, rule_id),
            Finding(
                file=file,
                line=line,
                column=column,
                rule=rule.id,
                name=rule.name,
                message=f"{used} {rule.summary}",
                alternative=alternative or rule.alternative,
            ),
        )
    return [found[k] for k in sorted(found)]


def python_files(paths: Iterable[Path]) -> list[Path]:
    """Each file given, and every ``*.py`` under each folder given (virtualenvs, caches
    and build output skipped), in order.

    Raises:
        UsageError: a path does not exist.
    """
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(
                p
                for p in path.rglob("*.py")
                if not any(part in _SKIPPED_DIRS for part in p.relative_to(path).parts[:-1])
            )
        elif path.is_file():
            out.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return list(dict.fromkeys(out))


def check_paths(paths: Iterable[Path]) -> CheckReport:
    """Check every Python file in ``paths`` (files, or folders searched for ``*.py``).

    Raises:
        UsageError: a path does not exist, or a file cannot be read or is not valid
            Python (the message names the file, line and column).
    """
    files = python_files(paths)
    findings: list[Finding] = []
    for path in files:
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}: cannot read: {exc}") from None
        findings += check_source(source, str(path), path)
    return CheckReport(files=len(files), findings=findings)
