"""A real `flowkit new` → `flowkit g …` → ruff → the generated project's own pytest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flowkit.cli import run

from .conftest import snapshot

BLOG = (
    "IDEATE ⇄ RESEARCH → PLAN → OUTLINE → DRAFT ⇄ REVIEW → POLISH → PUBLISH → PROMOTE →? REPURPOSE"
)
GENERATORS = [
    ["g", "agent", "Hello"],
    ["g", "workflow", "HelloFlow"],
    ["g", "function", "SendEmail"],
    [
        "g",
        "workflow",
        "Nightly",
        "--retry.max_attempts",
        "2",
        "--timeout",
        "30s",
        "--task-queue",
        "batch",
        "--models",
        "external",
    ],
    ["g", "pipeline", "BlogPipeline", "--operators", BLOG, "--style", "subworkflows"],
]


def _tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


@pytest.mark.slow
def test_new_generate_lint_and_test_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(["new", "demo", "--path", str(tmp_path), "--quiet"]) == 0
    project = tmp_path / "demo"
    monkeypatch.chdir(project)
    for argv in GENERATORS:
        assert run([*argv, "--quiet"]) == 0, argv
        before = snapshot(project)
        assert run([*argv, "--quiet"]) == 0, argv
        assert snapshot(project) == before, f"running {argv} twice changed files"

    service = (project / "server/service.py").read_text()
    assert "from demo.agents.hello import Hello, hello_reply" in service
    assert 'task_queue="batch"' in service

    lint = subprocess.run(
        [_tool("ruff"), "check", "--no-cache", "."], cwd=project, capture_output=True, text=True
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr

    formatted = subprocess.run(
        [_tool("ruff"), "format", "--check", "--no-cache", "."],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
    typed = subprocess.run(
        [_tool("mypy"), "--no-incremental", "src", "server", "client", "tests"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert typed.returncode == 0, typed.stdout[-4000:]

    env = {**os.environ, "PYTHONPATH": f"{project / 'src'}{os.pathsep}{project}"}
    env.pop("FLOWKIT_ENV", None)
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert tests.returncode == 0, tests.stdout[-4000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout
    assert "failed" not in tests.stdout

    doctor = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from flowkit.cli import run; sys.exit(run(['doctor', '--no-server']))",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "✓ service: server/service.py imports" in doctor.stdout, doctor.stdout
    assert "✓ registration:" in doctor.stdout
