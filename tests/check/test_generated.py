"""What flowkit writes checks clean: the samples, the compiler's output (golden files and
fresh compiles in each style), and projects from ``flowkit new`` and ``flowkit g``; and a
generated project runs the check in ``make lint``."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowkit.check import check_paths, check_source
from flowkit.compiler import compile_expression
from flowkit.scaffold import generate, new_project

ROOT = Path(__file__).resolve().parents[2]


def test_samples_and_golden_output_are_clean() -> None:
    report = check_paths([ROOT / "samples", ROOT / "tests" / "golden"])
    assert report.files > 20
    assert [str(f) for f in report.findings] == []


@pytest.mark.parametrize("style", ["functions", "subworkflows"])
def test_fresh_compiles_are_clean(style: str) -> None:
    files = compile_expression("IDEATE ⇄ RESEARCH → PLAN →? PUBLISH", name="Blog", style=style)
    findings = [
        str(f)
        for path, text in files.items()
        if path.endswith(".py")
        for f in check_source(text, path)
    ]
    assert findings == []
    assert any("@workflow.defn" in text for text in files.values())  # there was code to check


def test_a_generated_project_is_clean_and_lint_runs_the_check(tmp_path: Path) -> None:
    project, _ = new_project("shop", tmp_path)
    for kind in ("workflow", "agent", "function"):
        generate(kind, f"order_{kind}", project)
    report = check_paths([project / "src", project / "server"])
    assert [str(f) for f in report.findings] == []
    assert any("@workflow.defn" in p.read_text() for p in (project / "src").rglob("*.py"))
    lint = (project / "Makefile").read_text().split("\nlint:\n")[1].split("\n\n")[0]
    assert "\tflowkit check src server" in lint
