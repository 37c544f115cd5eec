"""Property tests of the expression front end: every text compiles or raises a FlowkitError.

Cases are built from the grammar (``grammar/flowkit.lark``): steps with every kind of name
(keywords, reserved words, 150-character names, letters Python has but the grammar does
not), all operators in both spellings, loops with and without ``[max=…]``, fan-out
groups, settings with any key and value (huge numbers, Unicode digits, durations in every
unit, strings), comments and odd whitespace. Then they are mutated token by token (drop,
duplicate, swap, insert a character). Cases are decoded from one drawn byte string (see
:class:`Choices`), so thousands fit in seconds. The contract for every case:

- ``compile_expression`` (also with ``--map``/``--cond``, and on a ``.flow`` file whose
  bytes may not be UTF-8) returns files or raises :class:`~flowkit.errors.FlowkitError`,
  printing no warning, in under 2 s;
- every diagnostic of a compile error has a kebab-case code and a span (only those about
  ``--name``, ``--map`` and ``--cond``, which are not in the text, may have none), and the
  message is at most 50 diagnostics of bounded size;
- the same input compiles to the same bytes twice, each generated module is Python that
  defines no name twice, and the graph draws;
- ``flowkit compile`` and ``flowkit graph`` exit 0 or 2, with no traceback.
"""

from __future__ import annotations

import ast
import contextlib
import io
import keyword
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowkit.cli import run
from flowkit.compiler import (
    FileSet,
    build_ir,
    compile_expression,
    compile_file,
    parse_expression,
    to_mermaid,
    validate,
)
from flowkit.errors import CompileError, FlowkitError

from ._budget import EXAMPLES, fuzz

# Compiling prints nothing: a SyntaxWarning about an expression reached the terminal once.
pytestmark = pytest.mark.filterwarnings("error::SyntaxWarning")

# Diagnostics about --name, --map and --cond: they are not in the text, so have no span.
NAME_CODES = {"invalid-name", "name-shadows-module", "name-collision"}
FLAG_CODES = {"unknown-step", "invalid-dotted-path", "name-collision", "when-in-loop"}


class Choices:
    """Decisions read from a byte string that hypothesis draws in one go.

    Drawing each decision from hypothesis costs ~0.1 ms; a case makes hundreds, so cases
    are built from one ``st.binary()`` instead (a few thousand per target then fit in
    seconds). Past the end every byte reads 0, the simplest choice, so shrinking the bytes
    shrinks the case.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0
        # Half the cases keep to what compiles (names that are words, good values), so the
        # code generator sees many pipelines; the other half have anything anywhere.
        self.clean = self.below(2) == 0

    def below(self, n: int) -> int:
        """A number in ``range(n)``."""
        value = 0
        for _ in range(1 if n <= 256 else 2 if n <= 65536 else 4):
            value = value * 256 + (self.data[self.at] if self.at < len(self.data) else 0)
            self.at += 1
        return value % n if n else 0

    def pick(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]

    def chance(self, one_in: int) -> bool:
        return self.below(one_in) == 0

    def text(self, size: int) -> str:
        """Up to ``size`` characters, many of them awkward."""
        return "".join(self.pick(_CHARACTERS) for _ in range(self.below(size + 1)))


T = TypeVar("T")
# Characters for random text: ASCII, the operators, controls, Unicode letters and digits.
_CHARACTERS = [*map(chr, range(32, 127)), *"→⇄⊕\t\n\r\f\x00\x1b\x85\u2028"]
_CHARACTERS += [*"éßΩ٣²ﬁ€😀\ufeff\u200b", '"', "'", "\\", "#", "{", "}", "[", "]"]

# Names: mostly plain (so many cases compile and reach the code generator), some odd.
PLAIN = [f"S{i}" for i in range(40)] + ["IDEATE", "fetch_orders", "SendEmail", "A", "B", "C"]
ODD = [*keyword.kwlist, "None", "True", "input", "params", "self", "when", "evaluate"]
ODD += ["model_x", "_", "__", "step", "run_s1", "when_s1", "StartOptions", "A_1", "A1", "PInput"]
ODD += ["Random", "P", "N" * 128, "N" * 129, "N" * 150, "é", "ﬁ", "Ω", "٣", "A²", "Aé"]


# Odd names a pipeline may still have: keywords, the generated code's own names, 128 long.
VALID_ODD = ["class", "None", "input", "self", "when", "model_x", "_", "A_1", "N" * 128, "step"]


def name(c: Choices) -> str:
    if c.clean:
        return c.pick(PLAIN * 3 + VALID_ODD)
    if c.chance(12):
        return "".join(c.pick("abcXYZ_019") for _ in range(1 + c.below(8)))
    return c.pick(PLAIN * 3 + ODD)


UNITS = ["", "ms", "s", "m", "h", "d", "w", "y", "S", "min"]
GOOD = {
    "timeout": ["10m", "90s", "1.5h", "500ms", "2d", "1w", "45", "315576000000s"],
    "heartbeat": ["30s", "1m", "1ms", "3652500d"],
    "retries": ["0", "1", "3", "2147483647", "00012"],
    "max": ["1", "3", "500"],
}
BAD = ["2147483648", "501", "0", "²", "٣", "1²", "1.5", "1e3", "0x10", "9" * 50, "1" + "0" * 400]
BAD += ["99999999999d", "315576000001s", "0.0001s", "0s", "1.s", "soon", '"10m"', '""', '"a\\N"']


def value(c: Choices, key: str) -> str:
    """A setting's value: a good one for the key mostly, anything sometimes."""
    odd = 99 if c.clean else c.below(12)
    if odd == 0:
        return c.pick(BAD)
    if odd == 1:
        return str(c.below(2**32) * c.pick([1, 10**9, 10**20]))
    if odd == 2:
        return f"{c.below(2**32)}{c.pick(UNITS)}"
    if odd == 3:
        return '"' + c.text(8).replace('"', "").replace("\n", "") + '"'
    if odd == 4:
        return name(c)
    return c.pick(GOOD.get(key, BAD))


def bracketed(c: Choices, keys: Sequence[str] = ("timeout", "retries", "heartbeat")) -> str:
    """``[key=value, …]`` (sometimes empty, sometimes with an unknown key)."""
    items, seen = [], set()
    for _ in range(0 if c.chance(20) and not c.clean else 1 + c.below(3)):
        key = name(c) if c.chance(6) and not c.clean else c.pick(keys)
        if key in seen and (c.clean or not c.chance(4)):  # a setting twice, sometimes
            continue
        seen.add(key)
        items.append(f"{key}={value(c, key)}")
    return "[" + ", ".join(items) + ("," if items and c.chance(6) else "") + "]"


SPACE = [" "] * 8 + ["\n", "\t", "  ", " # a comment\n", "\r\n", "\f", "", ' # \x00 """ \\N\n']
THEN, COND, LOOP, FAN = ["→", "->"], ["→?", "->?"], ["⇄", "<->"], ["⊕", "+"]


def expression(c: Choices) -> str:
    """A pipeline expression from the grammar: valid often, with odd names and values."""
    used: set[str] = set()

    def step() -> str:
        chosen = name(c)
        if chosen in used and not c.chance(10):  # usually a step is used once
            chosen = next(f"{chosen}{i}" for i in range(2, 999) if f"{chosen}{i}" not in used)
        used.add(chosen)
        return chosen + (bracketed(c) if c.chance(4) else "")

    def unit() -> str:
        shape = c.below(7)
        if shape <= 3:
            return step()
        more = 0 if c.clean else c.chance(5)  # A ⇄ B ⇄ C: a loop joins two steps
        inner = step() + "".join(f" {c.pick(LOOP)} {step()}" for _ in range(1 + more))
        if shape == 4:
            return inner
        return f"({inner})" + (bracketed(c, ("max",)) if c.chance(2) else "")

    parts = [unit()]
    for _ in range(c.below(7)):
        edge = c.below(5)
        if edge == 0:
            group = ", ".join(step() for _ in range(1 + c.below(3)))
            parts += [c.pick(FAN), "{" + group + ("," if c.chance(5) else "") + "}"]
        else:
            parts += [c.pick(THEN if edge < 4 else COND), unit()]
    return c.pick(SPACE) + "".join(part + c.pick(SPACE) for part in parts)


_TOKENS = re.compile(r"→\?|->\?|<->|->|[→⇄⊕+{}()\[\],=]|\"[^\"\n]*\"|[^\s→⇄⊕+{}()\[\],=\"]+|\s+")


def mutate(c: Choices, text: str) -> str:
    """``text`` with a few tokens dropped, duplicated or swapped, or characters added."""
    tokens = _TOKENS.findall(text)
    for _ in range(1 + c.below(3)):
        if not tokens:
            break
        i, j = c.below(len(tokens)), c.below(len(tokens))
        action = c.below(5)
        if action == 0:
            del tokens[i]
        elif action == 1:
            tokens.insert(i, tokens[i])
        elif action == 2:
            tokens[i], tokens[j] = tokens[j], tokens[i]
        else:
            tokens.insert(i, c.text(3) or "?")
    return "".join(tokens)


def _text(data: bytes) -> str:
    c = Choices(data)
    kind = c.below(8)
    if kind == 0:
        return c.text(30)  # no structure at all
    text = expression(c)
    return mutate(c, text) if kind <= 2 else text


texts = st.binary(min_size=8, max_size=160).map(_text)


def duplicate_definitions(tree: ast.Module) -> list[str]:
    """Names defined twice in one scope of a generated module (collisions of step names)."""
    found: list[str] = []

    def scan(body: list[ast.stmt], where: str) -> None:
        seen: Counter[str] = Counter()
        for node in body:
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                seen[node.name] += 1
                if isinstance(node, ast.ClassDef):
                    scan(node.body, f"{where}.{node.name}")
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                seen[node.target.id] += 1
            elif isinstance(node, ast.ImportFrom | ast.With):
                inner = node.body if isinstance(node, ast.With) else [node]
                for item in inner:
                    if isinstance(item, ast.ImportFrom):
                        for alias in item.names:
                            seen[alias.asname or alias.name] += 1
        found.extend(f"{where}:{name}" for name, count in seen.items() if count > 1)

    scan(tree.body, "module")
    return found


def check_files(files: FileSet) -> None:
    """Generated files are Python, and no scope defines a name twice."""
    for path, source in files.items():
        tree = ast.parse(source, path)  # a SyntaxError fails the case
        assert not duplicate_definitions(tree), (path, duplicate_definitions(tree))


def check_error(error: FlowkitError, spanless: set[str]) -> None:
    """A compile error's diagnostics point into the source (``spanless`` codes excepted)."""
    if isinstance(error, CompileError):
        for d in error.diagnostics:
            assert d.span is not None or d.code in spanless, d
            assert re.fullmatch(r"[a-z]+(-[a-z]+)*", d.code), d.code  # kebab-case
        assert len(str(error)) < 60_000  # 50 diagnostics of bounded size, at most


def compiles(
    text: str,
    name: str = "P",
    style: str = "functions",
    flags: dict[str, dict[str, str]] | None = None,
) -> FileSet | None:
    """Compile ``text``; ``flags`` are ``--map`` and ``--cond`` (``mapping``, ``conditions``)."""
    try:
        files = compile_expression(text, name=name, style=style, **(flags or {}))
    except FlowkitError as error:
        spanless = NAME_CODES if name != "P" else set()
        check_error(error, spanless | (FLAG_CODES if flags else set()))
        return None
    check_files(files)
    to_mermaid(validate(build_ir(parse_expression(text), name=name, **(flags or {}))))
    return files


@fuzz(default_examples=1100)
@given(text=texts, style=st.sampled_from(["functions", "subworkflows"]))
def test_expressions_compile_or_raise_a_flowkit_error(text: str, style: str) -> None:
    files = compiles(text, style=style)
    if files is not None:
        assert dict(compile_expression(text, name="P", style=style)) == dict(files)


@fuzz(default_examples=300)
@given(data=st.binary(min_size=8, max_size=120))
def test_any_pipeline_name_compiles_or_raises_a_flowkit_error(data: bytes) -> None:
    c = Choices(data)
    compiles(expression(c), name=name(c) if c.below(3) else c.text(8))


PATHS = ["myapp.fns.go", "other.fns.go", "myapp.flows.Child", "nodots", "a.b\n", "m.when", ""]


@fuzz(default_examples=300)
@given(
    data=st.binary(min_size=8, max_size=120), style=st.sampled_from(["functions", "subworkflows"])
)
def test_map_and_cond_compile_or_raise_a_flowkit_error(data: bytes, style: str) -> None:
    c = Choices(data)
    text = expression(c)
    steps = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text) or ["A"]
    flags = {
        "mapping": {c.pick(steps): c.pick(PATHS) for _ in range(c.below(3))},
        "conditions": {c.pick([*steps, "Z"]): c.pick(PATHS) for _ in range(c.below(3))},
    }
    compiles(text, style=style, flags=flags)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-grammar")


@fuzz(default_examples=200)
@given(text=texts, junk=st.binary(max_size=3), where=st.integers(0, 1000))
def test_expression_files_compile_or_raise_a_flowkit_error(
    folder: Path, text: str, junk: bytes, where: int
) -> None:
    data = text.encode("utf-8", "surrogatepass")
    if junk:  # sometimes not UTF-8
        data = data[:where] + junk + data[where:]
    path = folder / "pipeline.flow"
    path.write_bytes(data)
    try:
        check_files(compile_file(path))
    except FlowkitError as error:
        check_error(error, set())


# A CLI run costs ~30 ms (Typer builds the whole app each time), so the CLI targets take a
# sample: 50 cases by default, at most 2,000 in a long run (within pytest's 300 s timeout).
cli_sample = settings(fuzz(default_examples=50), max_examples=min(EXAMPLES, 2000) or 50)


def run_cli(args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(args)
    return code, err.getvalue()


@cli_sample
@given(text=texts, command=st.sampled_from(["compile", "graph"]))
def test_the_cli_exits_0_or_2_without_a_traceback(folder: Path, text: str, command: str) -> None:
    args = [command, text, "--name", "P"]
    if command == "compile":
        args += ["-o", str(folder / "out"), "--dry-run"]
    code, err = run_cli(args)
    assert code in (0, 2), err
    assert "Traceback" not in err
