"""Build the IR from a composed YAML pipeline file (see ``docs/pipelines.md``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import yaml

from flowkit.compiler._build import build_ir as build_expression_ir
from flowkit.compiler._build import steps_per_run
from flowkit.compiler._kinds import KIND_KEYS, KINDS, REQUIRED, read_option
from flowkit.compiler._parse import parse_source
from flowkit.compiler._yaml import (
    CONTINUE_AS_NEW_KEYS,
    INPUT_TYPES,
    LOOP_KEYS,
    STEP_KEYS,
    TOP_KEYS,
    YamlDocument,
    flow_source,
    mapping_items,
    scalar,
)
from flowkit.compiler.ir import (
    STEP_SETTINGS,
    Edge,
    EdgeKind,
    InputField,
    Option,
    Pipeline,
    Setting,
    Step,
)
from flowkit.errors import Diagnostic

__all__ = ["build_yaml_ir"]


class _Collector:
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

    def text(self, node: yaml.Node, where: str) -> str | None:
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, str) or not value.strip():
            self.notes.append(
                Diagnostic("invalid-type", f"{where} must be text", self.doc.span(node))
            )
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


def build_yaml_ir(
    doc: YamlDocument,
    *,
    name: str | None = None,
    mapping: Mapping[str, str] | None = None,
    conditions: Mapping[str, str] | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Pipeline:
    """Build the IR of a YAML pipeline file; problems land in ``Pipeline.notes``.

    Raises:
        ParseError: the ``flow:`` expression does not parse.
    """
    c = _Collector(doc)
    top = {k: (kn, v) for k, kn, v in c.items(doc.root, TOP_KEYS, "a pipeline file")}
    pipeline_name = name or "Pipeline"
    if "pipeline" in top:
        pipeline_name = name or c.text(top["pipeline"][1], "pipeline") or pipeline_name
    elif name is None:
        c.notes.append(
            Diagnostic(
                "missing-key",
                "a pipeline file needs `pipeline:` (its name)",
                doc.span(doc.root, 1),
                hint="add `pipeline: MyPipeline`",
            )
        )
    description = c.text(top["description"][1], "description") or "" if "description" in top else ""
    steps: dict[str, Step] = {}
    needs: list[Edge] = []
    if "steps" in top:
        for step_name, key_node, value in c.items(top["steps"][1], None, "steps"):
            steps[step_name] = _step(c, step_name, key_node, value, needs)
    if settings is None:
        from flowkit import policy

        settings = policy.current().pipeline
    loop_limits: dict[str, Any] = dict(settings.get("loops") or {})
    if "loops" in top:
        for loop_key, _kn, loop_node in c.items(top["loops"][1], None, "loops"):
            for _key, _k, max_node in c.items(loop_node, LOOP_KEYS, f"loops.{loop_key}"):
                limit = scalar(max_node) if isinstance(max_node, yaml.ScalarNode) else None
                if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
                    c.notes.append(
                        Diagnostic(
                            "invalid-setting-value",
                            f"loops.{loop_key}.max must be a whole number of at least 1",
                            doc.span(max_node),
                        )
                    )
                    continue
                loop_limits[loop_key] = {"max": limit}
    if "flow" in top:
        flow_node = top["flow"][1]
        if not isinstance(flow_node, yaml.ScalarNode) or not str(flow_node.value).strip():
            c.notes.append(Diagnostic("invalid-type", "flow must be text", doc.span(flow_node)))
            pipeline = Pipeline(name=pipeline_name, steps=())
        else:
            parsed = parse_source(flow_source(doc, flow_node))
            pipeline = build_expression_ir(
                parsed,
                name=pipeline_name,
                mapping=mapping,
                conditions=conditions,
                settings={"loops": loop_limits},
                step_overrides=steps,
                description=description,
            )
            flow_names = set(pipeline.step_names)
            named = {s.compensate for s in steps.values()} | {
                str(s.option("on_reject")) for s in steps.values()
            }
            handlers = [s for n, s in steps.items() if n not in flow_names and n in named]
            pipeline = replace(pipeline, steps=pipeline.steps + tuple(handlers))
            for step_name, step in steps.items():
                if step_name not in flow_names and step_name not in named:
                    c.notes.append(
                        Diagnostic(
                            "unknown-step",
                            f"steps: names {step_name}, which is not in the flow",
                            step.span,
                        )
                    )
            for edge in needs:
                c.notes.append(
                    Diagnostic(
                        "needs-with-flow",
                        "needs: only applies without flow:",
                        edge.span,
                        hint="the flow already orders the steps",
                    )
                )
    else:
        if "steps" not in top:
            c.notes.append(
                Diagnostic(
                    "missing-key",
                    "a pipeline file needs `flow:` or `steps:`",
                    doc.span(doc.root, 1),
                    hint="add `flow: A → B` or steps with needs:",
                )
            )
        pipeline = Pipeline(
            name=pipeline_name,
            steps=tuple(steps.values()),
            edges=tuple(needs),
            description=description,
            source=doc.path,
        )
        pipeline = _bind(pipeline, mapping or {}, conditions or {}, c)
    inputs = _inputs(c, top["input"][1]) if "input" in top else ()
    defaults: tuple[Setting, ...] = ()
    if "defaults" in top:
        known = {k: v for k, v in STEP_KEYS.items() if k in STEP_SETTINGS}
        defaults = tuple(
            c.setting(k, v) for k, _kn, v in c.items(top["defaults"][1], known, "defaults")
        )
    after = steps_per_run(settings)
    if "continue_as_new" in top:
        for _can_key, _can_key_node, can_node in c.items(
            top["continue_as_new"][1], CONTINUE_AS_NEW_KEYS, "continue_as_new"
        ):
            after_value = scalar(can_node) if isinstance(can_node, yaml.ScalarNode) else None
            if (
                isinstance(after_value, int)
                and not isinstance(after_value, bool)
                and after_value > 0
            ):
                after = after_value
            else:
                c.notes.append(
                    Diagnostic(
                        "invalid-type",
                        "after_steps must be a positive whole number",
                        doc.span(can_node),
                    )
                )
    max_parallel, fail_fast = _dag_options(c, top, "flow" in top)
    name_node = top.get("pipeline", (None, doc.root))[1]
    return replace(
        pipeline,
        max_parallel=max_parallel,
        fail_fast=fail_fast,
        inputs=inputs,
        defaults=defaults,
        max_steps_per_run=after,
        source=doc.path,
        span=doc.span(name_node),
        notes=pipeline.notes + tuple(c.notes),
    )


def _step(
    c: _Collector, name: str, key_node: yaml.Node, value: yaml.Node, needs: list[Edge]
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
            c.notes.append(
                Diagnostic(
                    "key-not-for-kind",
                    f"{key} is not a key of {_a(kind)} step ({name})",
                    c.doc.span(key_node_),
                    hint=f"{key} belongs to {' and '.join(owners)} steps",
                )
            )
        elif key == "kind":
            continue
        elif key == "needs":
            for need, need_node in c.names(node, f"needs of {name}"):
                needs.append(Edge(need, name, EdgeKind.NEED, c.doc.span(need_node)))
        elif key == "uses":
            step = replace(step, uses=c.text(node, f"uses of {name}"))
        elif key == "when":
            step = replace(step, when=c.text(node, f"when of {name}"), when_span=c.doc.span(node))
        elif key == "compensate":
            target = c.text(node, f"compensate of {name}")
            step = replace(step, compensate=target, compensate_span=c.doc.span(node))
        elif key in STEP_KEYS:
            settings.append(c.setting(key, node))
        else:
            option = read_option(c.doc, name, key, node, c.notes)
            if option is not None:
                options.append(option)
    for missing in [k for k in REQUIRED.get(kind, ()) if k not in written]:
        c.notes.append(
            Diagnostic(
                "missing-kind-key",
                f"{_a(kind)} step needs `{missing}:` ({name})",
                span,
                hint=f"{missing}: {KIND_KEYS[kind][missing]}",
            )
        )
    return replace(step, settings=tuple(settings), kind=kind, options=tuple(options))


def _a(kind: str) -> str:
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def _kind(c: _Collector, name: str, value: yaml.Node) -> str:
    if not isinstance(value, yaml.MappingNode):
        return "function"
    for key_node, node in value.value:
        if str(key_node.value) != "kind":
            continue
        kind = c.text(node, f"kind of {name}")
        if kind is None:
            return "function"
        if kind not in KINDS:
            from flowkit.compiler._validate import did_you_mean

            c.notes.append(
                Diagnostic(
                    "unknown-kind",
                    f"{name} has kind {kind!r}, which flowkit does not know",
                    c.doc.span(node),
                    hint=did_you_mean(kind, KINDS),
                )
            )
            return "function"
        return kind
    return "function"


def _dag_options(
    c: _Collector, top: Mapping[str, tuple[yaml.Node, yaml.Node]], with_flow: bool
) -> tuple[int | None, bool | None]:
    max_parallel: int | None = None
    fail_fast: bool | None = None
    for key in ("max_parallel", "fail_fast"):
        if key not in top:
            continue
        key_node, node = top[key]
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if with_flow:
            c.notes.append(
                Diagnostic(
                    "dag-option-with-flow",
                    f"{key} only applies to steps with needs:, not to a flow",
                    c.doc.span(key_node),
                    hint="a flow's fan-outs always run all their steps at once",
                )
            )
        elif key == "fail_fast" and isinstance(value, bool):
            fail_fast = value
        elif key == "max_parallel" and isinstance(value, int) and not isinstance(value, bool):
            if value >= 1:
                max_parallel = value
            else:
                c.notes.append(
                    Diagnostic(
                        "invalid-setting-value",
                        "max_parallel must be at least 1",
                        c.doc.span(node),
                    )
                )
        else:
            what = "true or false" if key == "fail_fast" else "a whole number"
            c.notes.append(Diagnostic("invalid-type", f"{key} must be {what}", c.doc.span(node)))
    return max_parallel, fail_fast


def _inputs(c: _Collector, node: yaml.Node) -> tuple[InputField, ...]:
    fields = []
    for field_name, key_node, value in c.items(node, None, "input"):
        type_name = c.text(value, f"the type of input {field_name}") or "str"
        if type_name not in INPUT_TYPES:
            c.notes.append(
                Diagnostic(
                    "invalid-input-type",
                    f"input {field_name} has type {type_name!r}, which flowkit does not know",
                    c.doc.span(value),
                    hint="use one of: " + ", ".join(INPUT_TYPES),
                )
            )
            type_name = "str"
        if not field_name.isidentifier() or field_name.startswith("_"):
            c.notes.append(
                Diagnostic(
                    "invalid-name", f"{field_name!r} is not a field name", c.doc.span(key_node)
                )
            )
        fields.append(InputField(field_name, type_name, span=c.doc.span(key_node)))
    return tuple(fields)


def _bind(
    p: Pipeline, mapping: Mapping[str, str], conditions: Mapping[str, str], c: _Collector
) -> Pipeline:
    names = set(p.step_names)
    for flag, binding in (("--map", mapping), ("--cond", conditions)):
        for key in binding:
            if key not in names:
                c.notes.append(Diagnostic("unknown-step", f"{flag} names {key!r}, not a step"))
    steps = tuple(
        replace(s, uses=mapping.get(s.name, s.uses), when=conditions.get(s.name, s.when))
        for s in p.steps
    )
    return replace(p, steps=steps)
