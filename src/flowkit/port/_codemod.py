"""``flowkit port``: rewrite a Restack project to flowkit (a libcst codemod).

Imports of ``restack_ai`` become imports of flowkit's mirror modules (per
:data:`flowkit.port.MODULES` / :data:`NAMES`), keeping every other byte of the file; the
``restack-ai`` requirement becomes ``flowkit-temporal``. What cannot be ported that way is
reported with its file and line: names flowkit does not have (with the reason from
:data:`flowkit.port.DIFFERENCES`), and calls whose meaning differs (``input=`` given to
``schedule_workflow``, which Restack and flowkit both ignore; keywords a step refuses).
Nothing is written until every file has been read and rewritten.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from flowkit.errors import Diagnostic, Span, UsageError
from flowkit.port._differences import DIFFERENCES
from flowkit.port._mapping import MODULES, flowkit_name

__all__ = ["PortError", "PortReport", "Unported", "port_project", "port_source"]

_SKIP_DIRS = {".git", ".venv", "venv", "__pycache__", "node_modules", ".tox", "build", "dist"}
_REQUIREMENT = re.compile(r"""(?P<q>["']?)restack[-_]ai(?P<spec>[^"'\s,;#]*)(?P=q)""", re.I)
_STEP_KEYWORDS = {
    "step": {
        "function",
        "function_input",
        "task_queue",
        "retry_policy",
        "schedule_to_close_timeout",
        "schedule_to_start_timeout",
        "start_to_close_timeout",
        "heartbeat_timeout",
        "summary",
    },
}
_IGNORED_INPUT = {"schedule_workflow": "workflow_input", "schedule_agent": "agent_input"}


class PortError(UsageError):
    """The path cannot be ported: it does not exist, or a file is not Python."""


@dataclass(frozen=True)
class Unported:
    """Something ``flowkit port`` left for a person, and where."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class PortReport:
    """What a port changed (``{path: (before, after)}``) and what it could not port."""

    root: Path
    changed: dict[Path, tuple[str, str]] = field(default_factory=dict)
    unported: list[Unported] = field(default_factory=list)

    def diff(self) -> str:
        """The unified diff of every change, paths relative to the root."""
        chunks: list[str] = []
        for path, (before, after) in sorted(self.changed.items()):
            name = path.relative_to(self.root).as_posix() if path != self.root else path.name
            chunks += difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                f"a/{name}",
                f"b/{name}",
            )
        return "".join(chunks)


def _reason(subject: str) -> str:
    module = subject.rpartition(".")[0]
    for difference in DIFFERENCES:
        if subject in difference.subjects or module in difference.subjects:
            instead = f"; instead: {difference.instead}" if difference.instead else ""
            return f"{difference.reason.rstrip('.')}{instead}"
    return "flowkit has no counterpart"


def _dotted(node: cst.BaseExpression | None) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _has_name(module: str, name: str) -> bool:
    from importlib import import_module

    try:
        return hasattr(import_module(module), name)
    except ImportError:
        return False


class _Port(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.unported: list[Unported] = []

    def _line(self, node: cst.CSTNode) -> int:
        return int(self.get_metadata(PositionProvider, node).start.line)

    def _report(self, node: cst.CSTNode, message: str) -> None:
        self.unported.append(Unported(self.path, self._line(node), message))

    def leave_ImportFrom(
        self, original: cst.ImportFrom, updated: cst.ImportFrom
    ) -> cst.BaseSmallStatement | cst.FlattenSentinel[cst.BaseSmallStatement]:
        module = _dotted(original.module)
        if original.relative or not (module == "restack_ai" or module.startswith("restack_ai.")):
            return updated
        if isinstance(original.names, cst.ImportStar):
            self._report(original, f"from {module} import *: list the names to port it")
            return updated
        groups: dict[str, list[cst.ImportAlias]] = {}
        kept: list[cst.ImportAlias] = []
        for alias in original.names:
            name = _dotted(alias.name)
            bound = alias.asname.name.value if alias.asname else name  # type: ignore[union-attr]
            where = flowkit_name(module, name)
            if where is None or not _has_name(*where):
                self._report(original, f"{module}.{name}: {_reason(f'{module}.{name}')}")
                kept.append(alias.with_changes(comma=cst.MaybeSentinel.DEFAULT))
                continue
            target, new_name = where
            asname = None if new_name == bound else cst.AsName(name=cst.Name(bound))
            groups.setdefault(target, []).append(
                cst.ImportAlias(name=cst.Name(new_name), asname=asname)
            )
        statements: list[cst.BaseSmallStatement] = [
            cst.ImportFrom(module=cst.parse_expression(target), names=names)  # type: ignore[arg-type]
            for target, names in groups.items()
        ]
        if kept:
            statements.append(updated.with_changes(names=kept))
        if len(statements) == 1:
            return statements[0]
        return cst.FlattenSentinel(statements)

    def leave_Import(
        self, original: cst.Import, updated: cst.Import
    ) -> cst.Import | cst.RemovalSentinel:
        names = []
        for alias in updated.names:
            name = _dotted(alias.name)
            module = MODULES.get(name)
            if name.split(".")[0] != "restack_ai":
                names.append(alias)
            elif alias.asname is None or module is None:
                self._report(original, f"import {name}: write `from {name} import ...` to port it")
                names.append(alias)
            else:
                names.append(alias.with_changes(name=cst.parse_expression(module)))
        return updated.with_changes(names=names)

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
        # One Restack import may become several: one line each, the first keeping the
        # original line's comments.
        if len(original.body) != 1 or len(updated.body) == 1:
            return updated
        lines = [
            cst.SimpleStatementLine(
                body=[statement.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)]
            )
            for statement in updated.body
        ]
        lines[0] = lines[0].with_changes(
            leading_lines=updated.leading_lines, trailing_whitespace=updated.trailing_whitespace
        )
        return cst.FlattenSentinel(lines)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        func = original.func
        called = func.attr.value if isinstance(func, cst.Attribute) else _dotted(func)
        keywords = [a.keyword.value for a in original.args if a.keyword is not None]
        if called in _IGNORED_INPUT and "input" in keywords:
            meant = _IGNORED_INPUT[called]
            self._report(
                original,
                f"{called}(input=...): Restack and flowkit ignore input= and start the run "
                f"without input; pass {meant}= to give the run its input",
            )
        if called in _STEP_KEYWORDS and isinstance(func, cst.Attribute):
            owner = _dotted(func.value)
            unknown = sorted(set(keywords) - _STEP_KEYWORDS[called])
            if owner in ("agent", "workflow") and unknown:
                self._report(
                    original,
                    f"{owner}.{called}(): flowkit refuses {', '.join(k + '=' for k in unknown)} "
                    "(Restack ignores unknown keywords); remove or rename them",
                )
        if called == "stream_to_websocket":
            self._report(
                original,
                "stream_to_websocket: flowkit heartbeats each chunk instead of sending it to "
                "Restack's websocket",
            )
        return updated


def _parse_error(path: Path, text: str, exc: cst.ParserSyntaxError) -> PortError:
    lines = text.splitlines()
    line = exc.raw_line
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    diagnostic = Diagnostic(
        code="not-python",
        message=f"cannot parse {path.name}: {exc.message}",
        span=Span(str(path), line, exc.raw_column + 1, text=source),
        hint="fix the syntax (or move the file out of the project) and run flowkit port again",
    )
    return PortError(diagnostic.render())


def port_source(text: str, path: Path = Path("<source>")) -> tuple[str, list[Unported]]:
    """Port one Python source: its new text and what could not be ported.

    Raises:
        PortError: the text is not Python (the error points at the line and column).
    """
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        raise _parse_error(path, text, exc) from None
    transformer = _Port(path)
    new = MetadataWrapper(module).visit(transformer)
    return new.code, transformer.unported


def _requirements(text: str) -> str:
    return _REQUIREMENT.sub(lambda m: f"{m['q']}flowkit-temporal{m['q']}", text)


def _files(root: Path) -> Sequence[Path]:
    if root.is_file():
        return [root]
    found = []
    for path in sorted(root.rglob("*")):
        if any(part in _SKIP_DIRS for part in path.relative_to(root).parts[:-1]):
            continue
        if path.is_file() and (
            path.suffix == ".py" or path.name in ("pyproject.toml", "requirements.txt")
        ):
            found.append(path)
    return found


def port_project(path: Path | str, *, dry_run: bool = False) -> PortReport:
    """Port every Python file (and the requirements) under ``path``.

    Args:
        path: a project directory, or one file.
        dry_run: compute the report (and its diff) without writing.

    Raises:
        PortError: ``path`` does not exist, or a file is not Python; nothing is written.
    """
    root = Path(path)
    if not root.exists():
        raise PortError(f"{root}: no such file or directory")
    report = PortReport(root=root)
    for file in _files(root):
        try:
            before = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise PortError(f"{file}: not UTF-8 text") from None
        if file.suffix == ".py":
            after, unported = port_source(before, file)
            report.unported += unported
        else:
            after = _requirements(before)
        if after != before:
            report.changed[file] = (before, after)
    if not dry_run:
        for file, (_, after) in report.changed.items():
            file.write_text(after, encoding="utf-8")
    return report
