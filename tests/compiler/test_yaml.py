"""The YAML front end: the same IR as expressions, DAGs from needs, positions into the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowkit.compiler import Pipeline, build_ir, load_yaml, parse_expression, stages, validate
from flowkit.compiler.ir import EdgeKind
from flowkit.errors import ParseError, UsageError, ValidationError


def from_yaml(text: str) -> Pipeline:
    return validate(build_ir(load_yaml("p.yaml", text=text)))


def test_flow_gives_the_same_ir_as_the_expression() -> None:
    yaml_ir = validate(build_ir(load_yaml("p.yaml", text="pipeline: P\nflow: A ⇄ B → C\n")))
    expr_ir = validate(build_ir(parse_expression("A ⇄ B → C"), name="P"))
    assert yaml_ir.edges == expr_ir.edges
    assert yaml_ir.loops == expr_ir.loops
    assert yaml_ir.steps == expr_ir.steps


def test_steps_with_needs_form_a_dag_run_in_stages() -> None:
    text = (
        "pipeline: P\nsteps:\n  a:\n  b:\n  c: {needs: [a, b]}\n  d: {needs: c}\n  e: {needs: a}\n"
    )
    pipeline = validate(build_ir(load_yaml("p.yaml", text=text)))
    assert {(e.source, e.target) for e in pipeline.edges if e.kind is EdgeKind.NEED} == {
        ("a", "c"),
        ("b", "c"),
        ("c", "d"),
        ("a", "e"),
    }
    assert [[n.entry.name for n in stage] for stage in stages(pipeline)] == [
        ["a", "b"],
        ["c", "e"],
        ["d"],
    ]


def test_settings_inputs_defaults_loops_and_continue_as_new() -> None:
    text = """\
pipeline: Blog
description: Writes posts
input:
  topic: str
  words: int
defaults: {timeout: 5m, retries: 2}
flow: DRAFT ⇄ REVIEW → PUBLISH
steps:
  PUBLISH: {timeout: 1m, uses: myapp.publish, when: myapp.ready}
loops:
  DRAFT_REVIEW: {max: 6}
continue_as_new: {after_steps: 2}
"""
    pipeline = validate(build_ir(load_yaml("p.yaml", text=text)))
    assert pipeline.description == "Writes posts"
    assert [(f.name, f.type) for f in pipeline.inputs] == [("topic", "str"), ("words", "int")]
    assert {s.key: s.value for s in pipeline.defaults} == {"timeout": "5m", "retries": "2"}
    assert pipeline.loops[0].setting("max") == "6"
    assert pipeline.max_steps_per_run == 2
    publish = pipeline.step("PUBLISH")
    assert (publish.setting("timeout"), publish.uses, publish.when) == (
        "1m",
        "myapp.publish",
        "myapp.ready",
    )


def test_positions_in_a_quoted_flow_point_into_the_file() -> None:
    text = 'pipeline: P\nflow: "A → B[retries=x]"\n'
    with pytest.raises(ValidationError) as info:
        from_yaml(text)
    [diagnostic] = info.value.diagnostics
    assert diagnostic.span is not None
    assert diagnostic.span.file == "p.yaml"
    assert (diagnostic.span.line, diagnostic.span.column) == (2, 14)
    assert diagnostic.span.text == 'flow: "A → B[retries=x]"'


def test_not_a_mapping_and_bad_yaml_are_parse_errors() -> None:
    with pytest.raises(ParseError) as info:
        load_yaml("p.yaml", text="- just\n- a list\n")
    assert info.value.codes == ["invalid-type"]
    with pytest.raises(ParseError) as info:
        load_yaml("p.yaml", text="pipeline: [\n")
    assert info.value.codes == ["yaml-syntax"]


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read"):
        load_yaml(tmp_path / "none.yaml")


@pytest.mark.parametrize(
    "path",
    [
        "samples/content_draft.yaml",
        "samples/build_service.yaml",
        "samples/trip_saga.yaml",
        "tests/golden/yaml_kinds/input.yaml",
    ],
)
def test_pipelines_with_kinds_satisfy_the_json_schema(path: str) -> None:
    import jsonschema
    import yaml

    from flowkit.compiler import json_schema

    from .conftest import ROOT

    document = yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))
    jsonschema.validate(document, json_schema())
