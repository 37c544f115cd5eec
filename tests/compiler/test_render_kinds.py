"""Python literals for built-in step kinds: equal to the value, laid out as ruff does."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from flowkit.compiler._render_kinds import call, py_literal

BIN = Path(sys.executable).parent
LONG = "word " * 40
VALUES: list[Any] = [
    "short",
    'quotes " and \\ backslashes',
    "two\nlines\n",
    LONG,
    "line one is here\n" + LONG + "\nand a last line",
    [1, 2.5, True, None, "x"],
    {
        "type": "object",
        "required": ["title", "summary"],
        "properties": {"title": {"type": "string"}},
    },
    {"a": {"b": {"c": [LONG, {"d": list(range(30))}]}}},
    [],
    {},
    {"k": []},
]


@pytest.mark.parametrize("value", VALUES)
def test_the_literal_is_the_value(value: Any) -> None:
    assert ast.literal_eval(py_literal(value, 0, len("X = "))) == value


def test_literals_and_calls_are_what_ruff_format_writes(tmp_path: Path) -> None:
    lines = [f"X{i} = {py_literal(v, 0, len(f'X{i} = '))}" for i, v in enumerate(VALUES)]
    lines.append("Y = " + call("f", [("a", "1"), ("b", py_literal(LONG, 4, 2, 1))], 0, 4))
    lines.append("Z = " + call("f", [("a", "1"), ("b", '"x"')], 0, 4))
    source = tmp_path / "literals.py"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [str(BIN / "ruff"), "format", "--isolated", "--line-length", "100", "--diff"]
    done = subprocess.run([*command, str(source)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    check = [str(BIN / "ruff"), "check", "--isolated", "--line-length", "100", "--select", "E501"]
    assert subprocess.run([*check, str(source)], capture_output=True).returncode == 0
