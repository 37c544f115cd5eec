"""Every rule and typical syntax errors: the code, the position and the rendered text.

The rendered errors are snapshots in ``tests/compiler/snapshots/<case>.txt``; rewrite them
with ``pytest --regen-golden`` (or ``FLOWKIT_REGEN_GOLDEN=1``) and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flowkit.compiler import compile_expression, compile_file
from flowkit.errors import CompileError, ParseError, ValidationError

from .conftest import SNAPSHOTS

# case name -> (source kind, text, the codes expected)
EXPRESSIONS: dict[str, tuple[str, list[str]]] = {
    "loop-needs-two-steps": ("IDEATE ⇄ RESEARCH ⇄ PLAN", ["loop-needs-two-steps"]),
    "step-used-twice": ("A → B → A", ["step-used-twice"]),
    "unknown-setting": ("A → DRAFT[timout=10m]", ["unknown-setting"]),
    "duplicate-setting": ("A[retries=1, retries=2] → B", ["duplicate-setting"]),
    "invalid-setting-value": (
        "A[timeout=soon] → B[retries=many] → (C ⇄ D)[max=0]",
        ["invalid-setting-value", "invalid-setting-value", "invalid-setting-value"],
    ),
    "name-collision": ("SendEmail → send_email", ["name-collision"]),
    "many-at-once": (
        "A[timeout=x] ⇄ B ⇄ C → A",
        ["invalid-setting-value", "loop-needs-two-steps", "step-used-twice"],
    ),
    "syntax-missing-step": ("IDEATE ⇄ RESEARCH →\n  → PLAN", ["missing-step"]),
    "syntax-fan-out-needs-group": ("A ⊕ B", ["fan-out-needs-group"]),
    "syntax-missing-operator": ("A → B C", ["missing-operator"]),
    "syntax-unclosed-group": ("A ⊕ {B, C", ["unclosed-group"]),
    "syntax-bad-setting": ("A[timeout] → B", ["bad-setting"]),
    "syntax-unexpected-character": ("A → B; C", ["unexpected-character"]),
    "syntax-empty": ("# only a comment", ["empty-pipeline"]),
    "syntax-unexpected-end": ("A → (B ⇄ C", ["unexpected-end"]),
    "syntax-unexpected-token": ("A → B)", ["unexpected-token"]),
    "long-line": (
        " → ".join(f"STEP{i}" for i in range(40)) + " → LAST[timeout=soon] → END",
        ["invalid-setting-value"],
    ),
    "limits": (
        "A[retries=2147483648] → B[timeout=99999999999d] → (C ⇄ D)[max=501] → E[timeout=0.1ms]",
        ["invalid-setting-value"] * 4,
    ),
    "pipeline-too-large": (
        "A ⊕ {" + ", ".join(f"B{i}" for i in range(400)) + "}"
        " ⊕ {" + ", ".join(f"C{i}" for i in range(400)) + "}",
        ["pipeline-too-large"],
    ),
    "name-collision-classes": ("A_1 → A1 → when_c →? C", ["name-collision", "name-collision"]),
}

YAML: dict[str, tuple[str, list[str]]] = {
    "yaml-unknown-key": ("pipeline: P\nflow: A → B\nstep:\n  A: {}\n", ["unknown-key"]),
    "yaml-flow-syntax": ("pipeline: P\nflow: |\n  A → B\n  → → C\n", ["missing-step"]),
    "yaml-flow-rule": ('pipeline: P\nflow: "A → B ⇄ C ⇄ D"\n', ["loop-needs-two-steps"]),
    "yaml-cycle": (
        "pipeline: P\nsteps:\n  A: {needs: [C]}\n  B: {needs: [A]}\n  C: {needs: [B]}\n",
        ["cycle", "no-sink"],
    ),
    "yaml-orphan": ("pipeline: P\nsteps:\n  A:\n  B: {needs: A}\n  C:\n", ["orphan-step"]),
    "yaml-unknown-need": ("pipeline: P\nsteps:\n  A:\n  B: {needs: [A, Z]}\n", ["unknown-step"]),
    "yaml-step-setting": ("pipeline: P\nsteps:\n  A: {retries: -1}\n", ["invalid-setting-value"]),
    "yaml-missing-flow": ("pipeline: P\ndescription: nothing else\n", ["missing-key"]),
    "yaml-bad-input-type": (
        "pipeline: P\ninput:\n  topic: string\nflow: A → B\n",
        ["invalid-input-type"],
    ),
    "yaml-syntax": ("pipeline: P\nflow: [A\n", ["yaml-syntax"]),
    "yaml-needs-with-flow": (
        "pipeline: P\nflow: A → B\nsteps:\n  B: {needs: [A]}\n",
        ["needs-with-flow"],
    ),
    "yaml-duplicate-key": ("pipeline: P\nflow: A → B\nflow: B → C\n", ["duplicate-key"]),
    "yaml-flow-not-text": ("pipeline: P\nflow: [A, B]\n", ["invalid-type"]),
    "yaml-bad-name": ("pipeline: blog-post\nflow: A → B\n", ["invalid-name"]),
    "yaml-dotted-path": (
        "pipeline: P\nflow: A → B\nsteps:\n  B: {uses: nodots}\n",
        ["invalid-dotted-path"],
    ),
    "kind-unknown": ("pipeline: P\nsteps:\n  a: {kind: frm}\n", ["unknown-kind"]),
    "kind-missing-key": (
        "pipeline: P\nsteps:\n  a: {kind: form}\n  b: {kind: api_call, needs: a}\n",
        ["missing-kind-key", "missing-kind-key"],
    ),
    "kind-key-not-for-kind": (
        "pipeline: P\nsteps:\n  a: {kind: form, fields: [x], url: http://x}\n",
        ["key-not-for-kind"],
    ),
    "kind-bad-fields": (
        "pipeline: P\nsteps:\n  a:\n    kind: form\n    fields:\n"
        "      - {key: age, type: integer}\n"
        "      - {key: code, pattern: '[A-Z'}\n      - {key: pick, type: choice}\n",
        ["invalid-field", "invalid-pattern", "invalid-field"],
    ),
    "kind-bad-expressions": (
        "pipeline: P\nsteps:\n  a:\n  b: {needs: a, when: \"a.text == 'x'\"}\n"
        '  c: {needs: b, when: "len(b) > ("}\n  d: {needs: c, when: "score > 1"}\n',
        ["unsafe-expression", "invalid-expression", "unknown-name"],
    ),
    "kind-saga-targets": (
        "pipeline: P\nsteps:\n  a: {compensate: undo_a}\n  b: {needs: a, compensate: b}\n"
        "  undo: {needs: b}\n",
        ["unknown-handler", "unknown-handler"],
    ),
    "kind-template-and-schema": (
        "pipeline: P\nsteps:\n  a:\n    kind: ai_generate\n    template: 'Hi {{ name'\n"
        "    output_schema: {type: thing}\n    retries: 2\n",
        ["invalid-template", "invalid-schema", "invalid-setting-value"],
    ),
    "kind-handler-with-needs": (
        "pipeline: P\nsteps:\n  a: {compensate: undo}\n  b: {needs: a}\n  undo: {needs: a}\n",
        ["handler-with-needs"],
    ),
    "kind-in-loop": (
        "pipeline: P\nflow: A ⇄ B\nsteps:\n  B: {kind: approval}\n",
        ["kind-in-loop"],
    ),
    "kind-dag-options-with-flow": (
        "pipeline: P\nflow: A → B\nmax_parallel: 2\n",
        ["dag-option-with-flow"],
    ),
    "yaml-anchors": (
        "pipeline: P\nflow: A → B\ndefaults: &d {retries: 2}\nsteps:\n  A: *d\n",
        ["unsupported-yaml", "unsupported-yaml"],
    ),
    "yaml-tags": (
        "pipeline: P\nflow: A → B\ndescription: !!int abc\nsteps:\n  A: !foo {retries: 2}\n",
        ["invalid-type", "unsupported-yaml"],
    ),
    "yaml-deep": (
        "pipeline: P\nsteps:\n  a:\n    kind: api_call\n    url: http://x\n"
        "    body: " + "[" * 100 + "]" * 100 + "\n",
        ["unsupported-yaml"],
    ),
    "yaml-two-documents": ("pipeline: P\nflow: A → B\n---\npipeline: Q\n", ["unsupported-yaml"]),
    "yaml-complex-key": ("pipeline: P\nflow: A → B\n? [a, b]\n: 1\n", ["unsupported-yaml"]),
    "yaml-control-character": ("pipeline: P\nflow: A → B\x07\n", ["yaml-syntax"]),
    "yaml-duplicate-nested-key": (
        "pipeline: P\nsteps:\n  a:\n    kind: api_call\n    url: http://x\n"
        "    headers: {X-A: one, X-A: two}\n",
        ["duplicate-key"],
    ),
    "yaml-step-names": (
        'pipeline: P\nsteps:\n  fetch-orders:\n  "ﬁ": {needs: fetch-orders}\n',
        ["invalid-name", "invalid-name"],
    ),
    "yaml-limits": (
        "pipeline: P\nflow: (A ⇄ B) → C\nloops:\n  A_B: {max: 501}\n"
        "continue_as_new: {after_steps: 10001}\nsteps:\n  C: {retries: ²}\n",
        ["invalid-setting-value"] * 3,
    ),
    "yaml-when-in-loop": (
        "pipeline: P\nflow: A ⇄ B\nsteps:\n  B: {when: \"input['go']\"}\n",
        ["when-in-loop"],
    ),
}


def check_snapshot(name: str, text: str, regen: bool) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    if regen or not path.exists():
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        if not regen:
            pytest.fail(f"wrote a new snapshot {path.name}; review it and run again")
    assert text + "\n" == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_expression_errors(name: str, regen: bool) -> None:
    text, codes = EXPRESSIONS[name]
    with pytest.raises(CompileError) as info:
        compile_expression(text, name="BlogPipeline", source="pipelines/blog.flow")
    assert info.value.codes == codes
    is_syntax = name.startswith("syntax-")
    assert isinstance(info.value, ParseError if is_syntax else ValidationError)
    for diagnostic in info.value.diagnostics:
        assert diagnostic.span is not None
        assert diagnostic.span.file == "pipelines/blog.flow"
    check_snapshot(name, str(info.value), regen)


@pytest.mark.parametrize("name", sorted(YAML))
def test_yaml_errors(name: str, regen: bool, tmp_path_factory: pytest.TempPathFactory) -> None:
    text, codes = YAML[name]
    folder = tmp_path_factory.mktemp(name)
    path = folder / "pipeline.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CompileError) as info:
        compile_file(path)
    assert sorted(info.value.codes) == sorted(codes)
    rendered = str(info.value).replace(str(path), "pipeline.yaml")
    check_snapshot(name, rendered, regen)


def test_yaml_flow_errors_point_into_the_yaml_file(tmp_path: Path) -> None:
    path = tmp_path / "blog.yaml"
    path.write_text("pipeline: P\n# a comment\nflow: >\n  A → B\n  → C[timeout=soon]\n")
    with pytest.raises(ValidationError) as info:
        compile_file(path)
    [diagnostic] = info.value.diagnostics
    assert diagnostic.span is not None
    assert (diagnostic.span.line, diagnostic.span.column) == (5, 7)
    assert diagnostic.span.text == "  → C[timeout=soon]"


def test_unknown_map_and_cond_steps_are_reported_together() -> None:
    with pytest.raises(ValidationError) as info:
        compile_expression(
            "A → B", name="P", mapping={"Z": "m.f"}, conditions={"Y": "m.g", "B": "bad"}
        )
    assert sorted(info.value.codes) == ["invalid-dotted-path", "unknown-step", "unknown-step"]


def test_invalid_pipeline_name() -> None:
    with pytest.raises(ValidationError) as info:
        compile_expression("A → B", name="blog-pipeline")
    assert info.value.codes == ["invalid-name"]


@pytest.mark.parametrize("name", ["Random", "Json", "Pydantic", "Flowkit"])
def test_pipeline_package_may_not_hide_a_module(name: str) -> None:
    with pytest.raises(ValidationError) as info:
        compile_expression("A → B", name=name)
    assert info.value.codes == ["name-shadows-module"]
