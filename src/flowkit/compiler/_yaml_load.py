"""Reading YAML safely: every input becomes a node tree or diagnostics, never a crash.

PyYAML's composer and constructor recurse (10,000 nested ``[`` exhaust the stack), expand
aliases (a "billion laughs" file of a kilobyte becomes gigabytes) and raise whatever a
tag's converter raises (``!!int abc``: ValueError). So flowkit composes the node tree
itself from PyYAML's event stream, without recursion, and refuses up front what a
pipeline file has no use for:

=====================  ==========================================================
``yaml-syntax``        not YAML at all (with PyYAML's position), or a character YAML forbids
``unsupported-yaml``   anchors and aliases, tags other than the standard scalar ones,
                       merge keys (``<<``), keys that are lists or mappings, several
                       documents, or nesting deeper than ``MAX_YAML_DEPTH``
``invalid-type``       a tagged value that is not of its tag (``!!int abc``), a number of
                       more than 100 digits
``duplicate-key``      the same key twice in one mapping, anywhere in the file
=====================  ==========================================================

(A file that is not UTF-8 is ``invalid-encoding``, found while reading it: ``_source``.)
Values are then built by ``_yaml_values.scalar`` (also without recursion), with JSON's
types: text, numbers, booleans, null, lists and mappings. Dates stay text as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from flowkit.compiler._limits import MAX_YAML_DEPTH, clip
from flowkit.compiler._source import line_at, split_lines
from flowkit.compiler._yaml_values import TAG, scalar_problem
from flowkit.errors import Diagnostic, Span

__all__ = ["compose"]

_TAG = TAG
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}
_HINT = "pipeline files use plain YAML: text, numbers, true/false, lists and mappings"


def _span(lines: list[str], label: str, mark: Any, width: int | None = None) -> Span:
    line, column = mark.line + 1, mark.column + 1
    return Span(label, line, column, column + width if width else None, line_at(lines, line))


def compose(text: str, label: str) -> tuple[yaml.Node | None, list[Diagnostic]]:
    """The node tree of a one-document YAML text, or the problems that stop it.

    Returns:
        ``(root, [])`` (``root`` is ``None`` for an empty document), or ``(None, problems)``.
    """
    lines = split_lines(text, yaml=True)
    loader = yaml.SafeLoader(text) if not _has_bad_character(text) else None
    if loader is None:
        return None, [_character_problem(text, lines, label)]
    problems: list[Diagnostic] = []
    try:
        root = _Composer(loader, lines, label, problems).run()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = _span(lines, label, mark) if mark else Span(label, 1, 1, None, line_at(lines, 1))
        problem = exc.problem or exc.context or "not valid YAML"
        problems.append(Diagnostic("yaml-syntax", f"not valid YAML: {problem}", span))
        return None, problems
    except yaml.YAMLError as exc:  # nothing else is raised by the reader for str input
        span = Span(label, 1, 1, None, line_at(lines, 1))
        problems.append(Diagnostic("yaml-syntax", f"not valid YAML: {exc}", span))
        return None, problems
    finally:
        loader.dispose()
    if root is not None:  # complete (aliases stand in as nulls): check all of it
        problems += _check_tree(root, lines, label)
    return (None, problems) if problems else (root, [])


# What YAML's reader refuses (checked first, so the error has a line and a column).
_BAD_CHARACTER = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _has_bad_character(text: str) -> bool:
    return _BAD_CHARACTER.search(text) is not None


def _character_problem(text: str, lines: list[str], label: str) -> Diagnostic:
    match = _BAD_CHARACTER.search(text)
    assert match is not None
    before = split_lines(text[: match.start()], yaml=True)
    line, column = len(before), len(before[-1]) + 1
    char = match.group()
    return Diagnostic(
        "yaml-syntax",
        f"not valid YAML: the character U+{ord(char):04X} cannot appear in a YAML file",
        Span(label, line, column, column + 1, line_at(lines, line)),
        hint="remove it (control characters other than tab and line breaks are not allowed)",
    )


class _Composer:
    """Builds nodes from events with an explicit stack, refusing what pipelines do not use."""

    def __init__(
        self, loader: yaml.SafeLoader, lines: list[str], label: str, problems: list[Diagnostic]
    ) -> None:
        self.loader = loader
        self.lines = lines
        self.label = label
        self.problems = problems
        self.root: yaml.Node | None = None
        # Open collections, each with the key node waiting for its value (mappings).
        self.stack: list[tuple[yaml.Node, list[yaml.Node]]] = []

    def problem(self, code: str, message: str, mark: Any, hint: str = _HINT) -> None:
        span = _span(self.lines, self.label, mark)
        self.problems.append(Diagnostic(code, message, span, hint=hint))

    def run(self) -> yaml.Node | None:
        documents = 0
        while not self.loader.check_event(yaml.StreamEndEvent):
            event: Any = self.loader.get_event()  # type: ignore[no-untyped-call]
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.problem(
                        "unsupported-yaml",
                        "a pipeline file holds one YAML document; this is a second",
                        event.start_mark,
                        hint="remove the --- line and what follows, or split the file",
                    )
                    return None
            elif isinstance(event, yaml.CollectionEndEvent):
                node, _pending = self.stack.pop()
                node.end_mark = event.end_mark
            elif isinstance(event, yaml.NodeEvent) and not self.node(event):
                return None
        return self.root

    def node(self, event: Any) -> bool:
        """Handle one node event; False stops composing (nesting too deep)."""
        start, end = event.start_mark, event.end_mark
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            what = "an alias" if isinstance(event, yaml.AliasEvent) else "an anchor"
            self.problem(
                "unsupported-yaml",
                f"{what} (&name or *name): pipeline files do not support anchors and aliases",
                start,
                hint="write the value out; settings every step shares go in defaults:",
            )
            if isinstance(event, yaml.AliasEvent):
                self.add(yaml.ScalarNode(_TAG + "null", "", start, end))
                return True
        if isinstance(event, yaml.ScalarEvent):
            tag = self.tag(yaml.ScalarNode, event)
            self.add(yaml.ScalarNode(tag, event.value, start, end, style=event.style))
            return True
        if len(self.stack) >= MAX_YAML_DEPTH:
            self.problem(
                "unsupported-yaml",
                f"lists and mappings nest more than {MAX_YAML_DEPTH} deep here",
                start,
                hint="a pipeline file needs a few levels; flatten this value",
            )
            return False
        node: yaml.Node
        if isinstance(event, yaml.SequenceStartEvent):
            tag = self.tag(yaml.SequenceNode, event)
            node = yaml.SequenceNode(tag, [], start, end, flow_style=event.flow_style)
        else:
            tag = self.tag(yaml.MappingNode, event)
            node = yaml.MappingNode(tag, [], start, end, flow_style=event.flow_style)
        self.add(node)
        self.stack.append((node, []))
        return True

    def tag(self, kind: type[yaml.Node], event: Any) -> str:
        """The node's tag: resolved when implicit, refused when pipelines do not use it."""
        tag: str | None = event.tag
        if tag is None or tag == "!":
            value = event.value if kind is yaml.ScalarNode else None
            return str(self.loader.resolve(kind, value, event.implicit))  # type: ignore[no-untyped-call]
        standard: dict[str, type[yaml.Node]] = dict.fromkeys(_SCALAR_TAGS, yaml.ScalarNode)
        standard |= {_TAG + "seq": yaml.SequenceNode, _TAG + "map": yaml.MappingNode}
        if standard.get(tag) is kind:
            return tag
        shown = clip("!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag)
        if tag in standard:
            what = {yaml.ScalarNode: "a value", yaml.SequenceNode: "a list"}.get(kind, "a mapping")
            self.problem("invalid-type", f"{shown} cannot tag {what}", event.start_mark)
        else:
            self.problem(
                "unsupported-yaml",
                f"the tag {shown} is not supported in pipeline files",
                event.start_mark,
                hint="remove the tag; " + _HINT,
            )
        return _TAG + "str"

    def add(self, node: yaml.Node) -> None:
        if not self.stack:
            self.root = node
            return
        parent, pending = self.stack[-1]
        if isinstance(parent, yaml.SequenceNode):
            parent.value.append(node)
        elif pending:
            parent.value.append((pending.pop(), node))
        else:
            pending.append(node)


def _where(path: list[str]) -> str:
    """How a mapping is named in messages (as the IR builder names it): ``a pipeline
    file``, ``steps``, ``step A``, ``loops.A_B``, ``steps.A.fields[0]``."""
    if not path:
        return "a pipeline file"
    if len(path) == 2 and path[0] == "steps":
        return f"step {path[1]}"
    return "".join(p if p.startswith("[") else f".{p}" for p in path).removeprefix(".")


def _walk(root: yaml.Node) -> Iterator[tuple[yaml.Node, list[str]]]:
    stack: list[tuple[yaml.Node, list[str]]] = [(root, [])]
    while stack:
        node, path = stack.pop()
        yield node, path
        if isinstance(node, yaml.SequenceNode):
            stack += [(n, [*path, f"[{i}]"]) for i, n in reversed(list(enumerate(node.value)))]
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                if isinstance(key, yaml.ScalarNode):
                    stack += [(value, [*path, str(key.value)]), (key, path)]
                else:  # refused as a whole: nothing inside it is looked at
                    stack.append((value, [*path, "?"]))


def _check_tree(root: yaml.Node, lines: list[str], label: str) -> list[Diagnostic]:
    """Keys, duplicate keys and scalar values, everywhere in the tree (in file order)."""
    out: list[Diagnostic] = []
    for node, path in _walk(root):
        if isinstance(node, yaml.ScalarNode):
            problem = scalar_problem(node)
            if problem:
                span = _span(lines, label, node.start_mark)
                out.append(Diagnostic("invalid-type", problem, span))
            continue
        if not isinstance(node, yaml.MappingNode):
            continue
        seen: set[str] = set()
        for key, _value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                out.append(
                    Diagnostic(
                        "unsupported-yaml",
                        "a key must be a name, not a list or mapping",
                        _span(lines, label, key.start_mark),
                        hint="write `name: value`",
                    )
                )
                continue
            if key.tag == _TAG + "merge":
                out.append(
                    Diagnostic(
                        "unsupported-yaml",
                        "merge keys (<<) are not supported in pipeline files",
                        _span(lines, label, key.start_mark, 2),
                        hint="write the keys out",
                    )
                )
                continue
            # Keys as written: the IR builder reads step names and keys by their text.
            name = str(key.value)
            if name in seen:
                width = key.end_mark.column - key.start_mark.column
                same_line = key.start_mark.line == key.end_mark.line
                out.append(
                    Diagnostic(
                        "duplicate-key",
                        f"{clip(str(key.value))} appears twice in {clip(_where(path), 80)}",
                        _span(lines, label, key.start_mark, width if same_line else None),
                    )
                )
            seen.add(name)
    return out
