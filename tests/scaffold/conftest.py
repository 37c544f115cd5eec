from __future__ import annotations

from pathlib import Path

import pytest

from flowkit.cli import run


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh `flowkit new demo` project; the working directory is its folder."""
    assert run(["new", "demo", "--path", str(tmp_path), "--quiet"]) == 0
    root = tmp_path / "demo"
    monkeypatch.chdir(root)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` and its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".pytest_cache" not in p.parts
    }
