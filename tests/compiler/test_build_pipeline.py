"""``build_pipeline``: compile a pipeline file into a build folder a worker imports."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from flowkit import Service
from flowkit.compiler import build_pipeline, workflow_type
from flowkit.compiler._build_pipeline import MARKER
from flowkit.errors import CompileError, UsageError

from .conftest import ROOT


def test_builds_a_package_and_names_what_a_worker_and_a_client_need(tmp_path: Path) -> None:
    built = build_pipeline(ROOT / "samples" / "content_draft.yaml", tmp_path / "build")
    assert built.workflow == "ContentDraft"
    assert built.package == "content_draft"
    assert built.root == tmp_path / "build"
    assert built.services == "content_draft.worker:services"
    assert built.workflows == "content_draft.worker:WORKFLOWS"
    assert built.functions == "content_draft.worker:FUNCTIONS"
    assert (built.root / "content_draft" / MARKER).is_file()
    assert built.root / "test_content_draft.py" in built.files
    sys.path.insert(0, str(built.root))
    try:
        module_name, _, attr = built.services.partition(":")
        services = getattr(importlib.import_module(module_name), attr)
    finally:
        sys.path.remove(str(built.root))
        for name in [n for n in sys.modules if n.startswith("content_draft")]:
            del sys.modules[name]
    [service] = services
    assert isinstance(service, Service)
    assert [w.__name__ for w in service.workflows] == ["ContentDraft"]
    assert [getattr(f, "__name__", "") for f in service.functions] == ["ai_generate"]


def test_a_new_build_replaces_the_previous_one(tmp_path: Path) -> None:
    source = tmp_path / "p.yaml"
    source.write_text("pipeline: Nightly\nsteps:\n  a:\n  b: {needs: a}\n", encoding="utf-8")
    build_pipeline(source, tmp_path / "out")
    stale = tmp_path / "out" / "nightly" / "stale.py"
    stale.write_text("x = 1\n", encoding="utf-8")
    source.write_text("pipeline: Nightly\nsteps:\n  a:\n  c: {needs: a}\n", encoding="utf-8")
    built = build_pipeline(source, tmp_path / "out")
    assert not stale.exists()
    assert "def c(" in (built.root / "nightly" / "functions.py").read_text(encoding="utf-8")


def test_it_leaves_a_folder_it_did_not_build_alone(tmp_path: Path) -> None:
    mine = tmp_path / "out" / "nightly"
    mine.mkdir(parents=True)
    (mine / "keep.py").write_text("x = 1\n", encoding="utf-8")
    source = tmp_path / "p.yaml"
    source.write_text("pipeline: Nightly\nsteps:\n  a:\n  b: {needs: a}\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not built by flowkit"):
        build_pipeline(source, tmp_path / "out")
    assert (mine / "keep.py").exists()


def test_a_broken_pipeline_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "p.yaml"
    source.write_text("pipeline: Nightly\nsteps:\n  a: {kind: frm}\n", encoding="utf-8")
    with pytest.raises(CompileError):
        build_pipeline(source, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_workflow_type_is_the_name_or_the_pipeline_files_workflow(tmp_path: Path) -> None:
    assert workflow_type("ContentDraft") == "ContentDraft"
    assert workflow_type(str(ROOT / "samples" / "content_draft.yaml")) == "ContentDraft"
    with pytest.raises(UsageError, match="no pipeline file"):
        workflow_type(str(tmp_path / "missing.yaml"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("pipeline: Broken\nflow: A -> -> B\n", encoding="utf-8")
    with pytest.raises(CompileError) as failed:
        workflow_type(str(broken))
    assert f"--> {broken}:2:" in str(failed.value)
    assert not (tmp_path / ".flowkit").exists()  # checked, nothing built
