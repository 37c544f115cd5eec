"""Edits of ``server/service.py``: add or remove a resource's import and list entry.

The file is parsed with :mod:`ast` only to find where things are; the edit splices text at
those places, so formatting and comments elsewhere stay as they were. Each edit is
idempotent. When the file is not in a shape that can be edited safely, a
:class:`RegistryError` says why, and :func:`snippet`/:func:`patch` give the lines to add.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from flowkit._emit import LINE_LENGTH, import_from
from flowkit.errors import GenerateError, RegistryError
from flowkit.policy import TASK_QUEUE

__all__ = ["Registration", "RegistryError", "patch", "register", "snippet", "unregister"]

Kind = Literal["agents", "workflows", "functions"]
KINDS: tuple[Kind, ...] = ("agents", "workflows", "functions")


@dataclass(frozen=True)
class Registration:
    """One name to list in a ``Service``, e.g. ``("agents", "demo.agents.hello", "Hello")``."""

    kind: Kind
    module: str
    symbol: str


class _Source:
    """The text being edited, with its syntax tree and ast position → offset mapping."""

    def __init__(self, text: str) -> None:
        self.text = text
        try:
            self.tree = ast.parse(text)
        except SyntaxError as exc:
            raise RegistryError(f"it does not parse (line {exc.lineno}: {exc.msg})") from None
        self.starts = [0]
        for line in text.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))

    def offset(self, lineno: int, col: int) -> int:
        line = self.text[self.starts[lineno - 1] : self.starts[lineno]]
        return self.starts[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8"))

    def span(self, node: ast.expr | ast.stmt) -> tuple[int, int]:
        assert node.end_lineno is not None
        assert node.end_col_offset is not None
        return self.offset(node.lineno, node.col_offset), self.offset(
            node.end_lineno, node.end_col_offset
        )

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def line_end(self, offset: int) -> int:
        end = self.text.find("\n", offset)
        return len(self.text) if end < 0 else end

    def splice(self, start: int, end: int, new: str) -> str:
        return self.text[:start] + new + self.text[end:]

    def imports(self) -> list[ast.ImportFrom]:
        return [n for n in self.tree.body if isinstance(n, ast.ImportFrom) and n.level == 0]

    def services(self) -> ast.List:
        for node in self.tree.body:
            target: ast.expr | None = None
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
            elif isinstance(node, ast.AnnAssign):
                target = node.target
            if isinstance(target, ast.Name) and target.id == "services":
                value = node.value  # type: ignore[attr-defined]
                if not isinstance(value, ast.List):
                    raise RegistryError("`services` is not a list literal")
                return value
        raise RegistryError("it has no `services = [...]` list")

    def service_calls(self) -> list[tuple[ast.Call, str | None]]:
        out: list[tuple[ast.Call, str | None]] = []
        for element in self.services().elts:
            if not isinstance(element, ast.Call):
                continue
            func = element.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name != "Service":
                continue
            queue: str | None = None
            for kw in element.keywords:
                if kw.arg == "task_queue":
                    if not isinstance(kw.value, ast.Constant) or not isinstance(
                        kw.value.value, str
                    ):
                        raise RegistryError("a Service's task_queue is not a string literal")
                    queue = kw.value.value
            out.append((element, queue))
        return out


def _ensure_import(src: _Source, reg: Registration) -> str:
    for node in src.imports():
        for alias in node.names:
            bound = alias.asname or alias.name
            if bound != reg.symbol:
                continue
            if node.module == reg.module and alias.name == reg.symbol:
                return src.text
            raise GenerateError(
                f"server/service.py already imports {reg.symbol} from {node.module}; "
                "pick another name or `flowkit destroy` the other resource first"
            )
    for node in src.imports():
        if node.module == reg.module:
            start, end = src.span(node)
            if "#" in src.text[start:end] or any(a.asname for a in node.names):
                raise RegistryError(f"the import from {reg.module} has comments or aliases")
            names = [a.name for a in node.names] + [reg.symbol]
            return src.splice(start, end, import_from(reg.module, names))
    line = import_from(reg.module, [reg.symbol]) + "\n"
    package = reg.module.split(".")[0]
    siblings = [n for n in src.imports() if (n.module or "").split(".")[0] == package]
    for node in siblings:
        if (node.module or "").lower() > reg.module.lower():
            start = src.line_start(src.span(node)[0])
            return src.splice(start, start, line)
    if siblings:
        end = src.line_end(src.span(siblings[-1])[1]) + 1
        return src.splice(end, end, line)
    statements = [n for n in src.tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    if not statements:
        return line + "\n" + src.text
    end = src.line_end(src.span(statements[-1])[1]) + 1
    return src.splice(end, end, "\n" + line)


def _append(src: _Source, target: ast.List, element: str) -> str:
    start, end = src.span(target)
    last = target.elts[-1] if target.elts else None
    vertical = last is not None and (last.end_lineno or 0) < (target.end_lineno or 0)
    if not vertical:
        if "#" in src.text[start:end]:
            raise RegistryError("a list on one line holds a comment")
        items = [src.text[slice(*src.span(e))] for e in target.elts]
        flat = f"[{', '.join([*items, _one_line(element)])}]"
        line_start, line_end = src.line_start(start), src.line_end(end)
        width = (start - line_start) + len(flat) + (line_end - end)
        if "\n" not in element and width <= LINE_LENGTH:
            return src.splice(start, end, flat)
        indent = _indent(src, start)
        body = "\n".join(_indented(item + ",", indent + "    ") for item in [*items, element])
        return src.splice(start, end, f"[\n{body}\n{indent}]")
    assert last is not None
    last_end = src.span(last)[1]
    indent = _indent(src, src.span(last)[0])
    rest = src.text[last_end : src.line_end(last_end)]
    comma = "" if rest.lstrip().startswith(",") else ","
    text = src.splice(last_end, last_end, comma)
    eol = src.line_end(last_end) + len(comma)
    return text[:eol] + "\n" + _indented(element + ",", indent) + text[eol:]


def _indent(src: _Source, offset: int) -> str:
    line = src.text[src.line_start(offset) : offset]
    return line[: len(line) - len(line.lstrip())]


def _indented(text: str, indent: str) -> str:
    return "\n".join(indent + line if line else line for line in text.split("\n"))


def _one_line(element: str) -> str:
    # Service(\n    task_queue="q",\n    agents=[A],\n) -> Service(task_queue="q", agents=[A])
    lines = [line.strip() for line in element.split("\n")]
    if len(lines) == 1:
        return element
    return lines[0] + " ".join(lines[1:-1]).rstrip(",") + lines[-1]


def _service_text(reg: Registration, task_queue: str) -> str:
    lists = "".join(f"    {kind}=[{reg.symbol if kind == reg.kind else ''}],\n" for kind in KINDS)
    return f'Service(\n    task_queue="{task_queue}",\n{lists})'


def register(
    text: str,
    registrations: Iterable[Registration],
    task_queue: str,
    default_queue: str = TASK_QUEUE,
) -> str:
    """Return ``text`` with each registration imported and listed in the queue's Service.

    A ``Service`` without ``task_queue`` counts as ``default_queue``. A missing Service
    for the queue is appended to ``services``. Registering twice changes nothing.

    Raises:
        RegistryError: the file cannot be edited safely (the reason is the message).
        GenerateError: the name is already imported from another module.
    """
    for reg in registrations:
        text = _ensure_import(_Source(text), reg)
        src = _Source(text)
        for call, queue in src.service_calls():
            if (queue or default_queue) != task_queue:
                continue
            lists = [kw.value for kw in call.keywords if kw.arg == reg.kind]
            if not lists or not isinstance(lists[0], ast.List):
                raise RegistryError(f"the Service for {task_queue!r} has no {reg.kind}=[...] list")
            if any(isinstance(e, ast.Name) and e.id == reg.symbol for e in lists[0].elts):
                break
            text = _append(src, lists[0], reg.symbol)
            break
        else:
            text = _append(src, src.services(), _service_text(reg, task_queue))
    return text


def unregister(text: str, registrations: Iterable[Registration]) -> str:
    """Return ``text`` without the registrations' list entries and unused imports.

    Raises:
        RegistryError: the file cannot be edited safely.
    """
    for reg in registrations:
        while True:
            src = _Source(text)
            found = _find_entry(src, reg)
            if found is None:
                break
            text = _remove_element(src, *found)
        text = _drop_import(_Source(text), reg)
    return _drop_empty_services(text)


def _drop_empty_services(text: str) -> str:
    """Remove Services left with nothing to run (a worker refuses them), keeping one."""
    while True:
        src = _Source(text)
        services = src.services()
        calls = src.service_calls()
        if len(calls) < 2:
            return text
        for call, _queue in reversed(calls):  # the first Service is the project's main one
            lists = [kw.value for kw in call.keywords if kw.arg in KINDS]
            others = [kw for kw in call.keywords if kw.arg not in (*KINDS, "task_queue")]
            start, end = src.span(call)
            if (
                not others
                and not call.args
                and all(isinstance(v, ast.List) and not v.elts for v in lists)
                and "#" not in src.text[start:end]
            ):
                text = _remove_element(src, services, services.elts.index(call))
                break
        else:
            return text


def _find_entry(src: _Source, reg: Registration) -> tuple[ast.List, int] | None:
    for call, _queue in src.service_calls():
        for kw in call.keywords:
            if kw.arg == reg.kind and isinstance(kw.value, ast.List):
                for i, element in enumerate(kw.value.elts):
                    if isinstance(element, ast.Name) and element.id == reg.symbol:
                        return kw.value, i
    return None


def _remove_element(src: _Source, target: ast.List, index: int) -> str:
    elements = target.elts
    start, end = src.span(elements[index])
    if len(elements) == 1:
        list_start, list_end = src.span(target)
        if "#" in src.text[list_start:list_end]:
            raise RegistryError("the list holds a comment")
        return src.splice(list_start, list_end, "[]")
    before = src.text[src.line_start(start) : start]
    after = src.text[end : src.line_end(end)].lstrip()
    if not before.strip() and (after in ("", ",") or after.startswith(("#", ", #", ",#"))):
        return src.splice(src.line_start(start), src.line_end(end) + 1, "")
    if index > 0:
        return src.splice(src.span(elements[index - 1])[1], end, "")
    return src.splice(start, src.span(elements[1])[0], "")


def _drop_import(src: _Source, reg: Registration) -> str:
    used = any(isinstance(n, ast.Name) and n.id == reg.symbol for n in ast.walk(src.tree))
    if used:
        return src.text
    for node in src.imports():
        if node.module != reg.module or reg.symbol not in [a.name for a in node.names]:
            continue
        start, end = src.span(node)
        names = [a.name for a in node.names if a.name != reg.symbol]
        if names:
            if "#" in src.text[start:end] or any(a.asname for a in node.names):
                raise RegistryError(f"the import from {reg.module} has comments or aliases")
            return src.splice(start, end, import_from(reg.module, names))
        first, last = src.line_start(start), src.line_end(end) + 1
        text = src.splice(first, last, "")
        # Leave one blank line where the import separated two blocks.
        if text[first - 2 : first] == "\n\n" and text[first : first + 1] == "\n":
            text = text[:first] + text[first + 1 :]
        return text
    return src.text


def snippet(registrations: Iterable[Registration], task_queue: str) -> str:
    """The lines to add by hand when :func:`register` cannot edit the file."""
    regs = list(registrations)
    modules: dict[str, list[str]] = {}
    for reg in regs:
        modules.setdefault(reg.module, []).append(reg.symbol)
    imports = "\n".join(import_from(m, names) for m, names in sorted(modules.items()))
    lists = ", ".join(
        f"{kind}=[{', '.join(r.symbol for r in regs if r.kind == kind)}]" for kind in KINDS
    )
    return f'{imports}\n\nservices.append(Service(task_queue="{task_queue}", {lists}))\n'


def patch(relpath: str, text: str, registrations: Iterable[Registration], task_queue: str) -> str:
    """A unified diff that appends :func:`snippet` to the file (``git apply`` takes it)."""
    new = (
        text
        + ("" if text.endswith("\n") or not text else "\n")
        + "\n"
        + snippet(registrations, task_queue)
    )
    return "".join(
        difflib.unified_diff(
            text.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"a/{relpath}",
            tofile=f"b/{relpath}",
        )
    )
