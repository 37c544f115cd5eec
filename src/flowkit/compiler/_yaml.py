"""The YAML front end: a pipeline file becomes the same IR as an expression.

The file is *composed* (not loaded) so every key and value keeps its line and column;
an expression in ``flow:`` is parsed with positions mapped back into the YAML file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from flowkit._hints import did_you_mean
from flowkit.compiler._source import Source, line_at, read_source, split_lines
from flowkit.compiler._yaml_load import compose
from flowkit.compiler._yaml_values import scalar
from flowkit.errors import Diagnostic, ParseError, Span

__all__ = [
    "INPUT_TYPES",
    "LOOP_KEYS",
    "STEP_KEYS",
    "TOP_KEYS",
    "YamlDocument",
    "flow_source",
    "load_yaml",
    "mapping_items",
    "scalar",
]

#: Top-level keys, with a one-line description (also used by the JSON Schema).
TOP_KEYS = {
    "pipeline": "the pipeline's workflow class name, e.g. BlogPipeline",
    "description": "a sentence shown in the Temporal Web UI",
    "input": "fields of the pipeline's input model: name: type",
    "defaults": "settings for every step: timeout, retries, heartbeat",
    "flow": "an operator expression, e.g. IDEATE ⇄ RESEARCH → PLAN",
    "steps": "per-step settings, uses, when, and needs (a DAG when there is no flow)",
    "loops": "loop limits: <FIRST>_<SECOND>: {max: 5}",
    "continue_as_new": "after_steps: continue as new after this many stages",
    "max_parallel": "run the needs: DAG with flowkit.steps.run_dag, this many steps at once",
    "fail_fast": "in such a DAG, cancel the running steps at the first failure",
}
STEP_KEYS = {
    "kind": "function (default), workflow, form, approval, ai_generate, api_call, "
    "conditional, sleep or wait_until",
    "needs": "steps that must finish before this one (a list or one name)",
    "uses": "dotted path of an existing function or workflow to call",
    "when": "a safe expression over the run's context, or a dotted path of a condition "
    "fn(params, results) -> bool",
    "compensate": "the step that undoes this one when a later step fails (a saga)",
    "timeout": "start-to-close timeout, e.g. 10m",
    "retries": "maximum attempts, e.g. 3",
    "heartbeat": "heartbeat timeout, e.g. 1m",
}
LOOP_KEYS = {"max": "the most rounds the loop runs"}
CONTINUE_AS_NEW_KEYS = {"after_steps": "continue as new after this many stages"}
#: Input field types and the default each gets.
INPUT_TYPES = {
    "str": '""',
    "int": "0",
    "float": "0.0",
    "bool": "False",
    "list[str]": "[]",
    "dict[str, str]": "{}",
}


@dataclass(frozen=True)
class YamlDocument:
    """A composed YAML pipeline file: the node tree, its text and its path."""

    root: yaml.Node
    text: str
    path: str

    @cached_property
    def lines(self) -> list[str]:
        """The file's lines as YAML counts them (computed once: every span needs one)."""
        return split_lines(self.text, yaml=True)

    def span(self, node: yaml.Node, width: int | None = None) -> Span:
        """Where a node starts in the file (underlined for ``width`` characters)."""
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if width is None and node.start_mark.line == node.end_mark.line:
            width = node.end_mark.column - node.start_mark.column
        end = column + width if width else None
        return Span(self.path, line, column, end, line_at(self.lines, line))


def load_yaml(path: str | Path, *, text: str | None = None) -> YamlDocument:
    """Read and compose a YAML pipeline file.

    Every text ends in a document or a :class:`~flowkit.errors.ParseError` whose
    diagnostics point into it: anchors and aliases, unusual tags, several documents and
    deep nesting are refused before any value is built (see ``_yaml_load``).

    Args:
        path: the file (or, with ``text``, the label used in messages).
        text: the file's content, when it is already in memory.

    Raises:
        UsageError: the file cannot be read (missing, a folder, no permission).
        ParseError: the file is not UTF-8, not valid YAML, not a mapping, or uses YAML
            that pipeline files do not support.
    """
    label = str(path)
    text = read_source(path) if text is None else text.removeprefix("\ufeff")
    root, problems = compose(text, label)
    if problems:
        raise ParseError(problems)
    if not isinstance(root, yaml.MappingNode):
        line = root.start_mark.line + 1 if root is not None else 1
        raise ParseError(
            [
                Diagnostic(
                    "invalid-type",
                    "a pipeline file is a mapping with pipeline: and flow: (or steps:)",
                    Span(label, line, 1, None, line_at(split_lines(text, yaml=True), line)),
                    hint="start with `pipeline: MyPipeline`",
                )
            ]
        )
    return YamlDocument(root=root, text=text, path=label)


def mapping_items(
    doc: YamlDocument, node: yaml.Node, known: Mapping[str, str] | None, where: str
) -> Iterator[tuple[str, yaml.ScalarNode, yaml.Node] | Diagnostic]:
    """The (key, key node, value node) of a mapping, or diagnostics for what is wrong."""
    if not isinstance(node, yaml.MappingNode):
        yield Diagnostic(
            "invalid-type", f"{where} must be a mapping", doc.span(node), hint="write key: value"
        )
        return
    seen: set[str] = set()
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):  # only in a tree made by hand
            yield Diagnostic("unsupported-yaml", "a key must be a name", doc.span(key_node))
            continue
        key = str(key_node.value)
        if known is not None and key not in known:
            yield Diagnostic(
                "unknown-key",
                f"{where} has no key {key!r}",
                doc.span(key_node),
                hint=did_you_mean(key, known),
            )
            continue
        if key in seen:
            yield Diagnostic("duplicate-key", f"{key} appears twice in {where}", doc.span(key_node))
            continue
        seen.add(key)
        yield key, key_node, value_node


def flow_source(doc: YamlDocument, node: yaml.ScalarNode) -> Source:
    """A :class:`Source` for a ``flow:`` value whose positions point into the YAML file."""
    value = str(node.value)
    file_lines = doc.lines
    start_line, start_col = node.start_mark.line, node.start_mark.column  # 0-based
    # Each entry: (offset in value where a file line's content starts, file line, file column).
    anchors: list[tuple[int, int, int]] = []
    if node.style in ("|", ">"):
        content = [i for i in range(start_line + 1, node.end_mark.line + 1) if i < len(file_lines)]
        indents = [len(file_lines[i]) - len(file_lines[i].lstrip()) for i in content]
        indent = min(
            (n for i, n in zip(content, indents, strict=True) if file_lines[i].strip()), default=0
        )
        offset = 0
        for i in content:
            anchors.append((offset, i + 1, indent + 1))
            piece = file_lines[i][indent:]
            offset += len(piece) + 1  # "\n" for |, " " for > — one character either way
    elif start_line == node.end_mark.line:
        anchors.append((0, start_line + 1, start_col + 1 + (1 if node.style else 0)))
    else:  # a plain or quoted scalar over lines: YAML joins the stripped lines with spaces
        offset = 0
        for i in range(start_line, min(node.end_mark.line + 1, len(file_lines))):
            raw = file_lines[i] if i > start_line else file_lines[i][start_col:]
            stripped = raw.lstrip().lstrip("\"'")
            column = len(file_lines[i]) - len(stripped) + 1
            anchors.append((offset, i + 1, column))
            offset += len(stripped.rstrip()) + 1

    line_starts = [0]
    for index, char in enumerate(value):
        if char == "\n":
            line_starts.append(index + 1)

    def locate(line: int, column: int) -> tuple[int, int]:
        offset = line_starts[min(line, len(line_starts)) - 1] + column - 1
        best = anchors[0] if anchors else (0, start_line + 1, start_col + 1)
        for anchor in anchors:
            if anchor[0] <= offset:
                best = anchor
        return best[1], best[2] + offset - best[0]

    return Source(text=value, file=doc.path, file_text=doc.text, locate=locate)
