"""`flowkit run NAME` finds a compiled pipeline's Web UI summary and details in the
project's app (as `**start_options()` gives them in code)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from flowkit.compiler import compile_expression
from flowkit.runtime import app_start_metadata


def test_a_compiled_workflow_in_the_app_gives_its_start_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compile_expression("DRAFT ⇄ REVIEW", name="StoryPipeline").write(tmp_path)
    (tmp_path / "story_service.py").write_text(
        "from flowkit import Service\n"
        "from story_pipeline.worker import FUNCTIONS, WORKFLOWS\n"
        "services = [Service(workflows=WORKFLOWS, functions=FUNCTIONS)]\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    summary, details = app_start_metadata("story_service:services", "StoryPipeline")
    assert summary == "StoryPipeline"
    assert details == "**StoryPipeline**: DRAFT ⇄ REVIEW"
    assert app_start_metadata("story_service:services", "Other") == (None, None)
    assert app_start_metadata("no_such_module:services", "StoryPipeline") == (None, None)
