"""Golden directories: ``tests/golden/<case>/input.*`` compiles to ``expected/``, file by file.

Rewrite the expected files with ``pytest tests/compiler --regen-golden`` (or
``FLOWKIT_REGEN_GOLDEN=1``) and review the diff. The expected code must pass ruff and
``mypy --strict``, which ``test_expected_code_is_clean`` checks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flowkit.compiler import FileSet, compile_expression, compile_file

from .conftest import GOLDEN

CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and not p.name.startswith("."))
BIN = Path(sys.executable).parent
# Stricter than ruff's defaults (E4, E7, E9, F), save that line length is the formatter's
# to keep (ruff's defaults leave E501 out too: a long string or comment stays long).
RUFF_RULES = ["--select", "E,F,W,I,B,UP,SIM,RUF,C4,PT", "--ignore", "RUF001,RUF002,RUF003,E501"]


def compile_case(case: Path) -> FileSet:
    options = json.loads((case / "options.json").read_text(encoding="utf-8"))
    flow = case / "input.flow"
    if flow.exists():
        text = flow.read_text(encoding="utf-8")
        return compile_expression(text, name=options["name"], style=options["style"])
    cwd = Path.cwd()
    os.chdir(case)  # the header names the file as given; keep it relative
    try:
        return compile_file("input.yaml", style=options.get("style"))
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str, regen: bool) -> None:
    case = GOLDEN / name
    files = compile_case(case)
    expected = case / "expected"
    if regen:
        shutil.rmtree(expected, ignore_errors=True)
        files.write(expected)
    on_disk = {
        p.relative_to(expected).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(expected.rglob("*.py"))
    }
    assert sorted(on_disk) == sorted(files)
    for path, text in files.items():
        assert text == on_disk[path], f"{name}/{path} differs; run with --regen-golden to review"


@pytest.mark.parametrize("name", CASES)
def test_same_input_gives_the_same_bytes(name: str) -> None:
    assert dict(compile_case(GOLDEN / name)) == dict(compile_case(GOLDEN / name))


@pytest.mark.slow
def test_expected_code_is_clean_wherever_it_lands(tmp_path: Path) -> None:
    """Every case (both styles, expressions and YAML), compiled into a folder outside
    the project, passes ``ruff check``, ``ruff format --check`` (no configuration: 88
    columns) and ``mypy --strict``, run from another folder so nothing is judged by where
    it sits. (test_golden holds the expected files equal to what compiles.)"""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for name in CASES:
        compile_case(GOLDEN / name).write(tmp_path / name)
    folders = [str(tmp_path / name) for name in CASES]
    for command in (
        [str(BIN / "ruff"), "check", "--isolated", *RUFF_RULES, *folders],
        [str(BIN / "ruff"), "format", "--isolated", "--check", *folders],
    ):
        done = subprocess.run(command, cwd=elsewhere, capture_output=True, text=True)
        assert done.returncode == 0, f"{' '.join(command[1:3])}\n{done.stdout}{done.stderr}"
    # mypy runs outside the repo (its config and packages play no part), all cases at once.
    running = {}
    for name in CASES:
        copy = tmp_path / name
        (copy / "mypy.ini").write_text("[mypy]\n", encoding="utf-8")
        mypy = [sys.executable, "-m", "mypy", "--strict", "--config-file", "mypy.ini", "."]
        running[name] = subprocess.Popen(mypy, cwd=copy, stdout=subprocess.PIPE, text=True)
    for name, process in running.items():
        out, _ = process.communicate()
        assert process.returncode == 0, f"{name}: mypy --strict\n{out}"


@pytest.mark.parametrize("name", ["content_draft", "build_service", "trip_saga"])
def test_sample_golden_inputs_are_the_samples(name: str) -> None:
    sample = GOLDEN.parent.parent / "samples" / f"{name}.yaml"
    golden = GOLDEN / f"sample_{name}" / "input.yaml"
    assert golden.read_text(encoding="utf-8") == sample.read_text(encoding="utf-8")
