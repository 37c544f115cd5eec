"""YAML files that used to crash, hang or blow up the loader: each ends in files or a
:class:`~flowkit.errors.FlowkitError` with a position now (found by hand and by
``tests/fuzz``)."""

from __future__ import annotations

import ast
import time
from pathlib import Path

import pytest

from flowkit.compiler import build_ir, compile_file, load_yaml, render, validate
from flowkit.errors import CompileError, ParseError, UsageError

HEAD = "pipeline: P\nflow: A → B\n"


def compile_text(text: str) -> dict[str, str]:
    return dict(render(validate(build_ir(load_yaml("p.yaml", text=text)))))


def problems(text: str) -> list[tuple[str, int, int]]:
    """(code, line, column) of each diagnostic; every one must have a position."""
    with pytest.raises(CompileError) as info:
        compile_text(text)
    out = []
    for d in info.value.diagnostics:
        assert d.span is not None, d
        out.append((d.code, d.span.line, d.span.column))
    return out


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("!!int abc", "invalid-type"),  # ValueError
        ("!!float x", "invalid-type"),  # ValueError
        ("!!bool maybe", "invalid-type"),  # KeyError
        ("!!timestamp abc", "unsupported-yaml"),  # AttributeError
        ("!!binary ~", "unsupported-yaml"),
        ("!!python/object:os.system x", "unsupported-yaml"),  # ConstructorError
        ("!foo x", "unsupported-yaml"),  # ConstructorError
        ("!!set {a}", "unsupported-yaml"),
        ("!!map x", "invalid-type"),
    ],
)
def test_tags_that_do_not_convert_or_are_not_plain_yaml(value: str, code: str) -> None:
    assert problems(f"{HEAD}description: {value}\n") == [(code, 3, 14)]


@pytest.mark.parametrize("value", ["0x_", "0b_", "1" * 200, "2024-13-45", "="])
def test_plain_scalars_that_looked_like_numbers_or_dates(value: str) -> None:
    # 0x_ resolved to int and int("", 16) failed; 2024-13-45 to a date that does not exist;
    # = to a tag with no constructor; 200 digits past what str() of an int may print.
    text = f"pipeline: P\nsteps:\n  a: {{kind: api_call, url: 'http://x', body: {{v: {value}}}}}\n"
    if value in ("2024-13-45", "="):
        assert f'"{value}"' in compile_text(text)["p/workflow.py"]  # kept as written
    else:
        assert problems(text) == [("invalid-type", 3, 50)]


@pytest.mark.parametrize(
    "text",
    [f"{HEAD}? [a, b]: 1\n", f"{HEAD}steps: {{[1]: 2}}\n", f"{HEAD}? {{a: 1}}\n: x\n"],
)
def test_keys_that_are_lists_or_mappings(text: str) -> None:
    [(code, line, _column)] = problems(text)
    assert (code, line) == ("unsupported-yaml", 3)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (f"{HEAD}steps:\n  A: {{timeout: 1m, timeout: 2m}}\n", "step A"),
        (
            "pipeline: P\nsteps:\n  a:\n    kind: api_call\n    url: http://x\n"
            "    body: {x: 1, x: 2}\n",
            "steps.a.body",
        ),
        (
            "pipeline: P\nsteps:\n  a:\n    kind: form\n    fields:\n      - {key: a, key: b}\n",
            "steps.a.fields[0]",
        ),
    ],
)
def test_duplicate_keys_anywhere(text: str, where: str) -> None:
    with pytest.raises(ParseError) as info:
        load_yaml("p.yaml", text=text)
    [diagnostic] = info.value.diagnostics
    assert diagnostic.code == "duplicate-key"
    assert diagnostic.message.endswith(f"appears twice in {where}")


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_deep_nesting_is_refused_before_anything_recurses(opening: str) -> None:
    # compose and construct recursed per level: RecursionError at ~300 levels.
    closing = "]" if opening == "[" else "}"
    text = f"{HEAD}description: {opening * 10_000}1{closing * 10_000}\n"
    [(code, line, column)] = problems(text)
    assert (code, line) == ("unsupported-yaml", 3)
    assert column == 14 + 63 * len(opening)  # the 65th level (the file's mapping is the 1st)


def test_64_levels_of_nesting_are_fine() -> None:
    def text(brackets: int) -> str:
        body = "[" * brackets + "1" + "]" * brackets
        return (
            f"pipeline: P\nsteps:\n  a:\n    kind: api_call\n    url: http://x\n    body: {body}\n"
        )

    # The file, steps: and a: are three levels; 61 lists make 64.
    assert "[[[[[[[[1" in compile_text(text(61))["p/workflow.py"].replace("\n", "").replace(" ", "")
    with pytest.raises(ParseError):
        load_yaml("p.yaml", text=text(62))


def test_a_billion_laughs_is_refused_at_once() -> None:
    # construct_object(deep=True) expanded the aliases: 9**9 strings.
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        p, c = chr(96 + i), chr(97 + i)
        lines.append(f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]")
    text = "\n".join(lines) + "\npipeline: P\nsteps:\n  s: {kind: api_call, url: u, body: *j}\n"
    started = time.perf_counter()
    codes = {code for code, _, _ in problems(text)}
    assert time.perf_counter() - started < 2
    assert codes == {"unsupported-yaml"}


def test_several_documents() -> None:
    assert problems(f"{HEAD}---\npipeline: Q\n") == [("unsupported-yaml", 3, 1)]


@pytest.mark.parametrize("text", ["", "# nothing\n", "---\n", "- a\n", "just text\n"])
def test_a_file_that_is_not_a_mapping_points_at_its_start(text: str) -> None:
    [(code, _line, column)] = problems(text)
    assert (code, column) == ("invalid-type", 1)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\ud800"])
def test_characters_yaml_forbids_are_pointed_at(char: str) -> None:
    assert problems(f"pipeline: P{char}\nflow: A → B\n") == [("yaml-syntax", 1, 12)]


def test_a_tab_for_indentation_is_a_syntax_error_with_a_position() -> None:
    [(code, line, _column)] = problems("pipeline: P\nsteps:\n\tA:\n")
    assert (code, line) == ("yaml-syntax", 3)


def test_a_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_bytes(b"\xef\xbb\xbf" + HEAD.encode())
    assert "p/workflow.py" in compile_file(tmp_path / "p.yaml")
    assert compile_text("\ufeff" + HEAD)


def test_a_file_that_is_not_utf8_points_at_the_byte(tmp_path: Path) -> None:
    # read_text raised UnicodeDecodeError (a ValueError, not an OSError).
    path = tmp_path / "p.yaml"
    path.write_bytes(b"pipeline: P\nflow: A \xff B\n")
    with pytest.raises(ParseError) as info:
        compile_file(path)
    [d] = info.value.diagnostics
    assert d.code == "invalid-encoding"
    assert d.span is not None
    assert (d.span.line, d.span.column) == (2, 9)


@pytest.mark.parametrize("suffix", [".yaml", ".flow"])
def test_a_folder_or_a_bad_name_is_a_usage_error(tmp_path: Path, suffix: str) -> None:
    folder = tmp_path / f"dir{suffix}"
    folder.mkdir()
    with pytest.raises(UsageError, match="cannot read"):
        compile_file(folder)
    with pytest.raises(UsageError, match="cannot read"):
        compile_file(str(tmp_path / f"nul\x00{suffix}"))  # ValueError: embedded null byte


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("  A: {retries: ²}", "invalid-setting-value"),  # "²".isdigit(), int("²") fails
        ("  A: {retries: 2147483648}", "invalid-setting-value"),
        ("  A: {timeout: .inf}", "invalid-setting-value"),
        ("  A: {timeout: 1e400}", "invalid-setting-value"),
        ("  A: {when: ' Z > 1'}", "unknown-name"),  # ast.parse(" Z") IndentationError
        ("  A: {when: '" + "(" * 300 + "1" + ")" * 300 + "'}", "invalid-expression"),
        ("  A: {kind: sleep, duration: .inf}", "invalid-setting-value"),  # OverflowError
    ],
)
def test_values_that_broke_validation_or_rendering(line: str, code: str) -> None:
    text = f"pipeline: P\nflow: B → A\nsteps:\n{line}\n"
    assert code in {c for c, _, _ in problems(text)}


@pytest.mark.parametrize(
    "text",
    [
        "pipeline: P\nsteps:\n  a: {kind: ai_generate, template: x,"
        " output_schema: {$schema: [x]}}\n",
        "pipeline: P\nsteps:\n  a: {kind: form, fields: [{key: a, pattern: '"
        + "(" * 5000
        + "'}]}\n",
        "pipeline: P\nsteps:\n  a: {kind: ai_generate, template: '{{ " + "(" * 500 + "'}\n",
        "pipeline: P\nloops:\n  A_B: {max: 501}\nflow: A ⇄ B\n",
        "pipeline: P\nsteps:\n  a:\n  b: {needs: a}\nmax_parallel: 2001\n",
        "pipeline: P\nflow: A → B\ncontinue_as_new: {after_steps: 10001}\n",
        "pipeline: P\nsteps:\n  a: {kind: ai_generate, template: x,"
        " max_schema_retries: 2147483648}\n",
    ],
)
def test_options_past_their_limits_or_that_crashed_their_checkers(text: str) -> None:
    # $schema: [x] was a TypeError in jsonschema; the deep pattern and template recursed.
    problems(text)


@pytest.mark.parametrize(
    "name", ["a b", "fetch-orders", "A.B", "é", "ﬁ", "1x", "", "N" * 129, "true", "null"]
)
def test_step_names_that_are_not_words(name: str) -> None:
    # They became Python that did not parse (`def a b`) or folded together (ﬁ is fi).
    text = f'pipeline: P\nsteps:\n  "{name}":\n  z: {{needs: ["{name}"]}}\n'
    if name in ("true", "null"):
        compile_text(text)  # keys are taken as written: words
        return
    assert "invalid-name" in {c for c, _, _ in problems(text)}


@pytest.mark.parametrize(
    "field", ["class", "é", "_x", "resume", "model_config", "max_steps_per_run"]
)
def test_input_fields_that_are_not_free_field_names(field: str) -> None:
    assert ("invalid-name", 3, 3) in problems(f'pipeline: P\ninput:\n  "{field}": str\nflow: A\n')


@pytest.mark.parametrize(
    "text",
    [
        'pipeline: P\ndescription: "say \\"\\"\\" \\\\N \\N \\L \\a \\r \\x00 end"\nflow: A → B\n',
        'pipeline: P\nsteps:\n  a: {kind: approval, title: "\\x00 \\r \\\\ \'\\""}\n',
        "pipeline: P\nsteps:\n  a: {kind: api_call, url: u,"
        " body: {n: .inf, m: .nan, d: 2024-01-01}}\n",
        'pipeline: P\nsteps:\n  a: {kind: form, fields: [{key: k, label: "\\x1b[2J"}]}\n',
    ],
)
def test_odd_text_in_values_stays_python(text: str) -> None:
    for path, source in compile_text(text).items():
        ast.parse(source, path)
        source.encode("utf-8")


def test_a_when_on_the_second_step_of_a_loop() -> None:
    # It was ignored, and the generated `from flowkit.steps import ()` did not parse.
    text = "pipeline: P\nflow: (A ⇄ B)\nsteps:\n  B: {when: \"input['x'] == 1\"}\n"
    assert problems(text) == [("when-in-loop", 4, 13)]


def test_a_10000_step_needs_chain_compiles() -> None:
    # _find_cycle recursed per need: RecursionError at ~1000.
    lines = ["pipeline: P", "steps:", "  S0:"]
    lines += [f"  S{i}: {{needs: S{i - 1}}}" for i in range(1, 10_000)]
    started = time.perf_counter()
    files = compile_text("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 60
    assert "self._out.s9999 = await workflow.step(" in files["p/workflow.py"]


def test_an_expression_python_warns_about_prints_no_warning() -> None:
    # `<unknown>:1: SyntaxWarning: invalid decimal literal` reached the terminal (fuzz, seed 3).
    import warnings

    text = 'pipeline: P\nsteps:\n  a:\n  b: {needs: a, when: "7if a else 2"}\n'
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        compile_text(text)
    assert not [w for w in caught if issubclass(w.category, SyntaxWarning)]
