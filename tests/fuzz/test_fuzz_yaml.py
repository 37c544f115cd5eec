"""Property tests of the YAML front end: every file compiles or raises a FlowkitError.

Cases are pipeline documents built as Python data (random top-level keys, steps of every
kind with random options, ``needs:``, loops, defaults, input types, ``continue_as_new``,
DAG options) and dumped with ``yaml.safe_dump`` in block or flow style; then, for some, the
text is mutated (tags, anchors and aliases, broken indentation, duplicated lines, a BOM,
tabs, NUL bytes, ``---``, garbage, a cut). The contract for every case:

- ``load_yaml`` → ``build_ir`` → ``validate`` → ``render`` (both styles) gives files or
  raises :class:`~flowkit.errors.FlowkitError`, printing no warning, in under 2 s, and so
  does ``compile_file`` on the bytes (sometimes not UTF-8);
- every diagnostic has a span: a YAML file has no option outside it to blame (an empty
  file's points at 1:1);
- the same file compiles to the same bytes twice, to Python that defines no name twice,
  and its graph draws (Mermaid and DOT);
- ``flowkit compile FILE`` and ``flowkit graph FILE`` exit 0 or 2 with no traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from flowkit.compiler import (
    FileSet,
    build_ir,
    compile_file,
    load_yaml,
    render,
    to_dot,
    to_mermaid,
    validate,
)
from flowkit.errors import FlowkitError

from ._budget import fuzz
from .test_fuzz_grammar import (
    BAD,
    GOOD,
    Choices,
    check_error,
    check_files,
    cli_sample,
    expression,
    name,
    run_cli,
)

# Compiling prints nothing: a SyntaxWarning about an expression reached the terminal once.
pytestmark = pytest.mark.filterwarnings("error::SyntaxWarning")

KINDS = ["function", "workflow", "form", "approval", "ai_generate", "api_call", "conditional"]
KINDS += ["sleep", "wait_until", "frm", ""]
TYPES = ["str", "int", "float", "bool", "list[str]", "dict[str, str]", "string", "list"]
TOP = ["pipeline", "description", "input", "defaults", "flow", "steps", "loops"]
TOP += ["continue_as_new", "max_parallel", "fail_fast"]
EXPRESSIONS = ["input['topic'] == 'x'", "a", "len(a) > 2", "a.b", "(", "f(x)", "x" * 3, "1"]
EXPRESSIONS += [
    "'2030-01-01T00:00:00'",
    " a",
    "a\n",
    "(" * 300 + "a" + ")" * 300,
    "not " * 50 + "a",
]
TEMPLATES = ["Hi {{ topic }}", "{{ a", "{% if %}", "plain", "{{ " + "(" * 200 + "1" + ")" * 200]


def scalar(c: Choices) -> Any:
    """Any YAML scalar: text, numbers (huge ones too), booleans, null, odd floats."""
    return c.pick(
        [
            None, True, False, 0, 1, -1, 3, 2**31, 2**63, 10**40, 1.5, float("inf"),
            float("nan"), -0.0, 1e300, "", "x", "yes", "null", "10m", "2024-13-45",
            "2024-01-01", "0x_", "²", "=", "<<", "~", "a: b", "- x", "'q'", '"', "\t",
            "line\nbreak", "\x85", "é", "→", "{{ x }}", "N" * 200, c.text(6),
        ]
    )  # fmt: skip


def data(c: Choices, depth: int = 0) -> Any:
    """A JSON-ish value: scalars, lists and mappings, a few levels deep."""
    shape = c.below(6) if depth < 4 else 0
    if shape == 4:
        return [data(c, depth + 1) for _ in range(c.below(4))]
    if shape == 5:
        return {str(scalar(c)) if c.chance(3) else name(c): data(c, depth + 1) for _ in range(3)}
    return scalar(c)


def setting(c: Choices, key: str) -> Any:
    good = GOOD.get(key, BAD)
    if c.clean:
        return c.pick([*good, *(int(v) for v in good if v.isascii() and v.isdigit())])
    return c.pick([c.pick(BAD), scalar(c), data(c), c.pick(good)])


def option(c: Choices, key: str, steps: list[str]) -> Any:
    """A value for one key of a step: usually of the right shape, sometimes anything."""
    if not c.clean and c.chance(4):
        return data(c)
    if key in ("when", "expression", "until"):
        return c.pick(EXPRESSIONS + steps)
    if key in ("template", "system", "url"):
        return c.pick(TEMPLATES)
    if key in ("needs", "approvers"):
        return c.pick([steps[: c.below(3)], c.pick(steps or ["x"]), "missing"])
    if key in ("compensate", "on_reject"):
        return c.pick([*steps, "missing"])
    if key == "uses":
        return c.pick(["myapp.fns.go", "nodots", "a.b\n", "my-app.x"])
    if key == "fields":
        return [c.pick(["age", {"key": "age", "type": "int"}, {"key": "x", "pattern": "[a"}])]
    if key in ("variables", "headers", "params"):
        return {name(c): c.pick(EXPRESSIONS) for _ in range(c.below(3))}
    if key in ("output_schema", "body"):
        return c.pick([{"type": "object"}, {"type": "thing"}, {"$schema": ["x"]}, data(c)])
    if key == "mock":
        return {c.pick(["mode", "seed", "failures", "other"]): c.pick(["success", 2, 2**40])}
    if key in ("duration", "timeout", "heartbeat", "retries", "max_schema_retries"):
        return setting(c, key)
    if key == "expect_status":
        return c.pick([[200, 201], 200, 99, [600]])
    return scalar(c)


KEYS = ["kind", "needs", "uses", "when", "compensate", "timeout", "retries", "heartbeat"]
KEYS += ["fields", "title", "allow_extra", "approvers", "on_timeout", "on_reject", "template"]
KEYS += ["system", "variables", "output_schema", "max_schema_retries", "provider", "model"]
KEYS += ["mock", "url", "method", "headers", "params", "body", "expect_status", "expression"]
KEYS += ["duration", "until", "unknown"]


TEXTS = ["plain", 'say "hi"', "it's", "back\\slash", "line\nbreak", "tab\there", "\x00nul"]
TEXTS += ["\r\n", "é → ⇄", '"""', "{x}", "\u2028", "😀", "N" * 300, "{{ topic }}"]


def kind_body(c: Choices, kind: str, before: list[str]) -> dict[str, Any]:
    """The keys a step of ``kind`` needs, with values that are right (and odd text)."""
    text = c.pick(TEXTS)
    context = c.pick(["input['topic'] == 'x'", *(f"{b} is not None" for b in before[-2:])])
    bodies: dict[str, dict[str, Any]] = {
        "function": {"uses": "myapp.fns.go"} if c.chance(3) else {},
        "workflow": {"uses": "myapp.flows.Child"},
        "form": {"fields": ["age", {"key": "x", "type": "int", "label": text}], "title": text},
        "approval": {"approvers": ["ann"], "on_timeout": c.pick(["approve", "reject", "fail"])},
        "ai_generate": {
            "template": "Write about {{ topic }}: " + text.replace("{", ""),
            "variables": {"topic": "input['topic']"},
            "output_schema": {"type": "object", "title": text},
            "retries": 4,
        },
        "api_call": {
            "url": "https://x.example/" + c.pick(["a", "{{ topic }}"]),
            "method": c.pick(["GET", "post"]),
            "headers": {"X-Note": text.replace("{", "")},
            "body": {"n": c.pick([1, 1.5, float("inf"), None, True, [1, "a"], {"k": text}])},
            "expect_status": [200],
        },
        "conditional": {"expression": context},
        "sleep": {"duration": c.pick(["10m", "1ms", "3652500d", 30])},
        "wait_until": {"until": "'2030-01-01T00:00:00'"},
    }
    body = {"kind": kind, **bodies[kind]} if kind != "function" or c.chance(2) else {}
    if before and c.chance(3):
        body["when"] = context if c.chance(2) else "myapp.checks.ready"
    if c.chance(3):
        body["timeout"] = c.pick(GOOD["timeout"])
    return body


def clean_document(c: Choices) -> dict[str, Any]:
    """A pipeline file that is valid by construction (odd names and text aside)."""
    steps = list(dict.fromkeys(name(c) for _ in range(1 + c.below(6))))
    doc: dict[str, Any] = {"pipeline": "P"}
    if c.chance(2):
        doc["description"] = c.pick(TEXTS)
    if c.chance(2):
        doc["input"] = {"topic": "str", c.pick(["count", "tags", "on"]): c.pick(TYPES[:6])}
    if c.chance(3):
        doc["defaults"] = {"retries": 4, "heartbeat": "1m"}
    body: dict[str, Any] = {}
    if c.chance(2):  # a flow: a chain, maybe with one loop of two functions
        loop = len(steps) >= 2 and c.chance(2)
        parts = [f"({steps[0]} {c.pick(['⇄', '<->'])} {steps[1]})"] if loop else [steps[0]]
        rest = steps[2:] if loop else steps[1:]
        parts += [f"{c.pick(['→', '->', '→?', '->?'])} {s}" for s in rest]
        doc["flow"] = c.pick([" ", "\n  "]).join(parts)
        if loop:
            doc["loops"] = {f"{steps[0]}_{steps[1]}": {"max": c.pick([1, 3, 500])}}
        for i, step in enumerate(steps):
            kinds = ["function"] if loop and i < 2 else KINDS[:9]
            body[step] = kind_body(c, c.pick(kinds), steps[:i]) or None
    else:  # a DAG of needs:
        for i, step in enumerate(steps):
            item = kind_body(c, c.pick(KINDS[:9]), steps[:i])
            if i:
                item["needs"] = c.pick([steps[i - 1], steps[max(0, i - 2) : i]])
            body[step] = item or None
        if c.chance(3):
            doc["max_parallel"] = c.pick([1, 4, 2000])
        if c.chance(3):
            doc["fail_fast"] = c.chance(2)
    doc["steps"] = body
    if c.chance(3):
        doc["continue_as_new"] = {"after_steps": c.pick([1, 3, 10_000])}
    return doc


def document(c: Choices) -> dict[str, Any]:
    """A pipeline file as Python data."""
    if c.clean:
        return clean_document(c)
    doc: dict[str, Any] = {}
    step_names = list(dict.fromkeys(name(c) for _ in range(1 + c.below(6))))
    for key in [c.pick([*TOP, "stepz", name(c)]) for _ in range(8)]:
        if c.chance(2) and key not in ("pipeline", "steps"):
            continue
        if key == "pipeline":
            doc[key] = "P" if c.clean or c.chance(2) else c.pick([name(c), scalar(c)])
        elif key == "flow":
            doc[key] = expression(c) if c.chance(2) else " → ".join(step_names)
        elif key == "steps":
            steps = {}
            for i, step in enumerate(step_names):
                keys = [c.pick(KEYS) for _ in range(c.below(4))]
                body = {k: option(c, k, step_names[:i]) for k in keys}
                if c.chance(2):
                    body["kind"] = c.pick(KINDS)
                steps[step] = body or None
            doc[key] = steps
        elif key == "input":
            doc[key] = {c.pick(["topic", "class", "_x", "resume", "é", name(c)]): c.pick(TYPES)}
        elif key == "defaults":
            doc[key] = {k: setting(c, k) for k in c.pick([["timeout"], ["retries", "bad"], []])}
        elif key == "loops":
            doc[key] = {f"{c.pick(step_names)}_{c.pick(step_names)}": {"max": setting(c, "max")}}
        elif key == "continue_as_new":
            doc[key] = {"after_steps": c.pick([1, 3, 10_000, 10_001, 0, "x", 2**70])}
        elif key == "max_parallel":
            doc[key] = c.pick([1, 4, 2000, 2001, 0, -1, True])
        else:
            doc[key] = data(c)
    return doc


MUTATIONS = [
    "!!int ",
    "!!timestamp ",
    "!!float ",
    "!!binary ",
    "!!python/object:os.system ",
    "!foo ",
]
MUTATIONS += ["!!str ", "!!map ", "!!seq ", "&a ", "*a", "<<: ", "? ", "[", "]", "{", "}", "---\n"]
MUTATIONS += ["\t", "\x00", "\ufeff", "  ", "- ", ": ", "#", "'", '"', "\\", "%YAML 1.1\n", "..."]


def mutate(c: Choices, text: str) -> str:
    """YAML text with tags, anchors, aliases, broken indentation, duplicates or garbage."""
    lines = text.splitlines(keepends=True) or [""]
    for _ in range(1 + c.below(3)):
        lines = lines or [""]
        i = c.below(len(lines))
        action = c.below(6)
        if action == 0:
            lines.insert(i, lines[i])  # a duplicate key, often
        elif action == 1:
            lines[i] = lines[i].lstrip(" ") if c.chance(2) else "  " + lines[i]
        elif action == 2:
            del lines[i]
        elif action == 3:
            lines.insert(0, "a: &x [*x]\n" if c.chance(2) else "b: &b [1, 1]\nc: [*b, *b]\n")
        else:
            at = c.below(len(lines[i]) + 1)
            junk = c.pick(MUTATIONS) if action == 4 else c.text(4)
            lines[i] = lines[i][:at] + junk + lines[i][at:]
    out = "".join(lines)
    return out[: c.below(len(out) + 1)] if c.chance(10) else out


def _text(raw: bytes) -> str:
    c = Choices(raw)
    doc = document(c)
    flow = None if c.clean else c.pick([None, True, False])
    text = yaml.safe_dump(doc, allow_unicode=c.chance(2), default_flow_style=flow, sort_keys=False)
    return text if c.clean or c.chance(3) else mutate(c, text)


texts = st.binary(min_size=16, max_size=200).map(_text)


def compile_text(text: str, style: str = "functions") -> FileSet | None:
    try:
        pipeline = validate(build_ir(load_yaml("pipeline.yaml", text=text)))
        files = render(pipeline, style="subworkflows" if style == "subworkflows" else "functions")
    except FlowkitError as error:
        check_error(error, set())  # every YAML diagnostic points into the file
        return None
    check_files(files)
    to_mermaid(pipeline)
    to_dot(pipeline)
    return files


@fuzz(default_examples=800)
@given(text=texts, style=st.sampled_from(["functions", "subworkflows"]))
def test_yaml_pipelines_compile_or_raise_a_flowkit_error(text: str, style: str) -> None:
    files = compile_text(text, style)
    if files is not None:
        again = render(validate(build_ir(load_yaml("pipeline.yaml", text=text))), style=style)
        assert dict(files) == dict(again)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-yaml")


@fuzz(default_examples=200)
@given(text=texts, junk=st.binary(max_size=2), where=st.integers(0, 2000))
def test_yaml_files_compile_or_raise_a_flowkit_error(
    folder: Path, text: str, junk: bytes, where: int
) -> None:
    data = text.encode("utf-8", "surrogatepass")
    if junk:  # sometimes not UTF-8
        data = data[:where] + junk + data[where:]
    path = folder / "pipeline.yaml"
    path.write_bytes(data)
    try:
        check_files(compile_file(path))
    except FlowkitError as error:
        check_error(error, set())


@cli_sample
@given(text=texts, command=st.sampled_from(["compile", "graph"]))
def test_the_cli_exits_0_or_2_on_yaml_without_a_traceback(
    folder: Path, text: str, command: str
) -> None:
    path = folder / "cli.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    args = [command, str(path)]
    if command == "compile":
        args += ["-o", str(folder / "out"), "--dry-run"]
    code, err = run_cli(args)
    assert code in (0, 2), err
    assert "Traceback" not in err
