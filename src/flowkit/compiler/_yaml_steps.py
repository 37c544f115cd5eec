"""Reading one step of a YAML pipeline (its kind and keys) and the DAG options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import yaml

from flowkit._hints import did_you_mean
from flowkit.compiler._kind_options import read_option
from flowkit.compiler._kinds import KIND_KEYS, KINDS, REQUIRED
from flowkit.compiler._limits import MAX_PARALLEL
from flowkit.compiler._yaml import STEP_KEYS, YamlDocument, mapping_items, scalar
from flowkit.compiler.ir import Edge, EdgeKind, Option, Setting, Step
from flowkit.errors import Diagnostic, Span

__all__ = ["Collector", "dag_options", "read_step"]


class Collector:
    """Gathers the diagnostics found while reading a YAML file into the IR."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.notes: list[Diagnostic] = []

    def items(
        self, node: yaml.Node, known: Mapping[str, str] | None, where: str
    ) -> list[tuple[str, yaml.ScalarNode, yaml.Node]]:
        out = []
        for item in mapping_items(self.doc, node, known, where):
            if isinstance(item, Diagnostic):
                self.notes.append(item)
            else:
                out.append(item)
        return out

    def note(self, code: str, message: str, span: Span | None = None, hint: str = "") -> None:
        """Add the diagnostic ``code``: ``message`` at ``span``, with ``hint``."""
        self.notes.append(Diagnostic(code, message, span, hint=hint))

    def text(self, node: yaml.Node, where: str) -> str | None:
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, str) or not value.strip():
            self.note("invalid-type", f"{where} must be text", self.doc.span(node))
            return None
        return value

    def setting(self, key: str, node: yaml.Node) -> Setting:
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        return Setting(key, "" if value is None else str(value), self.doc.span(node))

    def names(self, node: yaml.Node, where: str) -> list[tuple[str, yaml.Node]]:
        nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
        out = []
        for item in nodes:
            name = self.text(item, where)
            if name is not None:
                out.append((name, item))
        return out


def read_step(
    c: Collector, name: str, key_node: yaml.Node, value: yaml.Node, needs: list[Edge]
) -> Step:
    span = c.doc.span(key_node)
    step = Step(name=name, span=span)
    if isinstance(value, yaml.ScalarNode) and scalar(value) is None:
        return step  # `NAME:` with nothing after it
    kind = _kind(c, name, value)
    allowed = {**STEP_KEYS, **KIND_KEYS.get(kind, {})}
    every = {**STEP_KEYS, **{k: v for keys in KIND_KEYS.values() for k, v in keys.items()}}
    settings: list[Setting] = []
    options: list[Option] = []
    written: set[str] = set()
    for key, key_node_, node in c.items(value, every, f"step {name}"):
        written.add(key)
        if key not in allowed or (key == "uses" and kind not in ("function", "workflow")):
            owners = [k for k, keys in KIND_KEYS.items() if key in keys]
            c.note(
                "key-not-for-kind",
                f"{key} is not a key of {_a(kind)} step ({name})",
                c.doc.span(key_node_),
                hint=f"{key} belongs to {' and '.join(owners)} steps",
            )
        elif key == "kind":
            continue
        elif key == "needs":
            for need, need_node in c.names(node, f"needs of {name}"):
                needs.append(Edge(need, name, EdgeKind.NEED, c.doc.span(need_node)))
        elif key == "uses":
            step = replace(step, uses=_stripped(c.text(node, f"uses of {name}")))
        elif key == "when":
            when = _stripped(c.text(node, f"when of {name}"))  # `when: >` ends with "\n"
            step = replace(step, when=when, when_span=c.doc.span(node))
        elif key == "compensate":
            target = _stripped(c.text(node, f"compensate of {name}"))
            step = replace(step, compensate=target, compensate_span=c.doc.span(node))
        elif key in STEP_KEYS:
            settings.append(c.setting(key, node))
        else:
            option = read_option(c.doc, name, key, node, c.notes)
            if option is not None:
                options.append(option)
    for missing in [k for k in REQUIRED.get(kind, ()) if k not in written]:
        c.note(
            "missing-kind-key",
            f"{_a(kind)} step needs `{missing}:` ({name})",
            span,
            hint=f"{missing}: {KIND_KEYS[kind][missing]}",
        )
    return replace(step, settings=tuple(settings), kind=kind, options=tuple(options))


def _stripped(text: str | None) -> str | None:
    return None if text is None else text.strip()


def _a(kind: str) -> str:
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def _kind(c: Collector, name: str, value: yaml.Node) -> str:
    if not isinstance(value, yaml.MappingNode):
        return "function"
    for key_node, node in value.value:
        if str(key_node.value) != "kind":
            continue
        kind = c.text(node, f"kind of {name}")
        if kind is None:
            return "function"
        if kind not in KINDS:
            c.note(
                "unknown-kind",
                f"{name} has kind {kind!r}, which flowkit does not know",
                c.doc.span(node),
                hint=did_you_mean(kind, KINDS),
            )
            return "function"
        return kind
    return "function"


def dag_options(
    c: Collector, top: Mapping[str, tuple[yaml.Node, yaml.Node]], with_flow: bool
) -> tuple[int | None, bool | None]:
    max_parallel: int | None = None
    fail_fast: bool | None = None
    for key in ("max_parallel", "fail_fast"):
        if key not in top:
            continue
        key_node, node = top[key]
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if with_flow:
            c.note(
                "dag-option-with-flow",
                f"{key} only applies to steps with needs:, not to a flow",
                c.doc.span(key_node),
                hint="a flow's fan-outs always run all their steps at once",
            )
        elif key == "fail_fast" and isinstance(value, bool):
            fail_fast = value
        elif key == "max_parallel" and isinstance(value, int) and not isinstance(value, bool):
            if 1 <= value <= MAX_PARALLEL:
                max_parallel = value
            else:
                c.note(
                    "invalid-setting-value",
                    "max_parallel must be at least 1"
                    if value < 1
                    else f"max_parallel can be at most {MAX_PARALLEL} (Temporal's limit of "
                    "pending activities per workflow)",
                    c.doc.span(node),
                )
        else:
            what = "true or false" if key == "fail_fast" else "a whole number"
            c.note("invalid-type", f"{key} must be {what}", c.doc.span(node))
    return max_parallel, fail_fast
