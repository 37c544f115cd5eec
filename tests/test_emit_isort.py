"""Imported names are ordered as ruff's isort orders them: checked against ruff itself."""

from __future__ import annotations

import random
import string
import subprocess
import sys
from pathlib import Path

from flowkit._emit import format_python, import_from, isort_names

RUFF = Path(sys.executable).parent / "ruff"


def _name(rng: random.Random) -> str:
    shape = rng.choice(["CONST", "Class", "func", "Mixed"])
    letters = "".join(rng.choice(string.ascii_letters) for _ in range(rng.randint(1, 6)))
    digits = str(rng.randint(0, 120)) if rng.random() < 0.4 else ""
    base = letters + digits
    if shape == "CONST":
        return base.upper() + "_X"
    if shape == "Class":
        return base[:1].upper() + base[1:]
    if shape == "func":
        return "f_" + base.lower()
    return base[:1].upper() + base[1:].swapcase()


def test_isort_names_agrees_with_ruff(tmp_path: Path) -> None:
    rng = random.Random(20261202)
    lines = [import_from(f"m{i}", {_name(rng) for _ in range(8)}) for i in range(300)]
    source = tmp_path / "imports.py"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [str(RUFF), "check", "--isolated", "--no-cache", "--select", "I", str(source)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout


def test_case_and_numbers_sort_as_ruff_does() -> None:
    names = ["BOut", "BlogInput", "Step10", "Step2", "DEFAULT_RETRY", "draft"]
    assert isort_names(names) == ["DEFAULT_RETRY", "BlogInput", "BOut", "Step2", "Step10", "draft"]


def test_format_python_formats_python_and_leaves_the_rest() -> None:
    files = {"a.py": "x = {'a':1}\n", "b.txt": "x = {'a':1}\n"}
    assert format_python(files) == {"a.py": 'x = {"a": 1}\n', "b.txt": "x = {'a':1}\n"}
