"""Build the IR from a composed YAML pipeline file (see ``docs/pipelines.md``)."""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import yaml

from flowkit.compiler._build import build_ir as build_expression_ir
from flowkit.compiler._build import steps_per_run
from flowkit.compiler._limits import MAX_LOOP_ROUNDS, MAX_STEPS_PER_RUN, clip
from flowkit.compiler._parse import parse_source
from flowkit.compiler._yaml import (
    CONTINUE_AS_NEW_KEYS,
    INPUT_TYPES,
    LOOP_KEYS,
    STEP_KEYS,
    TOP_KEYS,
    YamlDocument,
    flow_source,
    scalar,
)
from flowkit.compiler._yaml_steps import Collector, dag_options, read_step
from flowkit.compiler.ir import (
    STEP_SETTINGS,
    Edge,
    InputField,
    Pipeline,
    Setting,
    Step,
)

__all__ = ["build_yaml_ir"]

# An input field becomes a pydantic field of the generated models: ASCII, not private.
_FIELD = re.compile(r"[A-Za-z][A-Za-z0-9_]*", re.ASCII)
# Names the input model already has, and pydantic's own (model_*), and Python's keywords.
_TAKEN_FIELDS = {"resume", "max_steps_per_run", *keyword.kwlist}


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
    c = Collector(doc)
    top = {k: (kn, v) for k, kn, v in c.items(doc.root, TOP_KEYS, "a pipeline file")}
    pipeline_name = name or "Pipeline"
    if "pipeline" in top:
        pipeline_name = name or c.text(top["pipeline"][1], "pipeline") or pipeline_name
    elif name is None:
        c.note(
            "missing-key",
            "a pipeline file needs `pipeline:` (its name)",
            doc.span(doc.root, 1),
            hint="add `pipeline: MyPipeline`",
        )
    description = c.text(top["description"][1], "description") or "" if "description" in top else ""
    steps: dict[str, Step] = {}
    needs: list[Edge] = []
    if "steps" in top:
        for step_name, key_node, value in c.items(top["steps"][1], None, "steps"):
            steps[step_name] = read_step(c, step_name, key_node, value, needs)
    if settings is None:
        from flowkit import policy

        settings = policy.current().pipeline
    loop_limits: dict[str, Any] = dict(settings.get("loops") or {})
    if "loops" in top:
        for loop_key, _kn, loop_node in c.items(top["loops"][1], None, "loops"):
            for _key, _k, max_node in c.items(loop_node, LOOP_KEYS, f"loops.{loop_key}"):
                limit = scalar(max_node) if isinstance(max_node, yaml.ScalarNode) else None
                if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
                    c.note(
                        "invalid-setting-value",
                        f"loops.{clip(loop_key)}.max must be a whole number of at least 1",
                        doc.span(max_node),
                    )
                    continue
                if limit > MAX_LOOP_ROUNDS:
                    c.note(
                        "invalid-setting-value",
                        f"loops.{clip(loop_key)}.max is {clip(str(limit))}; "
                        f"a loop runs at most {MAX_LOOP_ROUNDS} rounds",
                        doc.span(max_node),
                    )
                    continue
                loop_limits[loop_key] = {"max": limit}
    if "flow" in top:
        flow_node = top["flow"][1]
        if not isinstance(flow_node, yaml.ScalarNode) or not str(flow_node.value).strip():
            c.note("invalid-type", "flow must be text", doc.span(flow_node))
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
                    c.note(
                        "unknown-step",
                        f"steps: names {step_name}, which is not in the flow",
                        step.span,
                    )
            for edge in needs:
                c.note(
                    "needs-with-flow",
                    "needs: only applies without flow:",
                    edge.span,
                    hint="the flow already orders the steps",
                )
    else:
        if "steps" not in top:
            c.note(
                "missing-key",
                "a pipeline file needs `flow:` or `steps:`",
                doc.span(doc.root, 1),
                hint="add `flow: A → B` or steps with needs:",
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
                and after_value > MAX_STEPS_PER_RUN
            ):
                c.note(
                    "invalid-setting-value",
                    f"after_steps is {clip(str(after_value))}; it can be at most "
                    f"{MAX_STEPS_PER_RUN} (no run gets that far without continuing as new)",
                    doc.span(can_node),
                )
            elif (
                isinstance(after_value, int)
                and not isinstance(after_value, bool)
                and after_value > 0
            ):
                after = after_value
            else:
                c.note(
                    "invalid-type",
                    "after_steps must be a positive whole number",
                    doc.span(can_node),
                )
    max_parallel, fail_fast = dag_options(c, top, "flow" in top)
    name_node = top.get("pipeline", (None, doc.root))[1]
    return replace(
        pipeline,
        max_parallel=max_parallel,
        fail_fast=fail_fast,
        inputs=inputs,
        defaults=defaults,
        max_steps_per_run=after,
        source=doc.path,
        when_paths=False,
        implicit_subject=False,
        span=doc.span(name_node),
        notes=pipeline.notes + tuple(c.notes),
    )


def _inputs(c: Collector, node: yaml.Node) -> tuple[InputField, ...]:
    fields = []
    for field_name, key_node, value in c.items(node, None, "input"):
        type_name = c.text(value, f"the type of input {field_name}") or "str"
        if type_name not in INPUT_TYPES:
            c.note(
                "invalid-input-type",
                f"input {field_name} has type {type_name!r}, which flowkit does not know",
                c.doc.span(value),
                hint="use one of: " + ", ".join(INPUT_TYPES),
            )
            type_name = "str"
        taken = field_name in _TAKEN_FIELDS or field_name.startswith("model_")
        if not _FIELD.fullmatch(field_name) or taken:
            c.note(
                "invalid-name",
                f"{clip(field_name)!r} is not a field name",
                c.doc.span(key_node),
                hint="a field name is an ASCII Python name such as topic or max_words "
                "(not a keyword, resume, max_steps_per_run or model_…)",
            )
        fields.append(InputField(field_name, type_name, span=c.doc.span(key_node)))
    return tuple(fields)


def _bind(
    p: Pipeline, mapping: Mapping[str, str], conditions: Mapping[str, str], c: Collector
) -> Pipeline:
    names = set(p.step_names)
    for flag, binding in (("--map", mapping), ("--cond", conditions)):
        for key in binding:
            if key not in names:
                c.note("unknown-step", f"{flag} names {key!r}, not a step")
    steps = tuple(
        replace(s, uses=mapping.get(s.name, s.uses), when=conditions.get(s.name, s.when))
        for s in p.steps
    )
    return replace(p, steps=steps)
