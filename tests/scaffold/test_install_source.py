"""A generated project installs flowkit from where it comes from: `make setup` takes
FLOWKIT_SOURCE (a clone or a wheel), and `flowkit new` names this flowkit's own source."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowkit.cli import run
from flowkit.scaffold import install_source

ROOT = Path(__file__).resolve().parents[2]


def test_this_flowkit_names_its_clone() -> None:
    # The suite runs on an editable install of this clone (.ci/run, the README).
    assert install_source() == str(ROOT)


def test_new_says_how_to_install_flowkit_from_here(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["new", "shop", "--path", str(tmp_path)]) == 0
    assert f"make setup FLOWKIT_SOURCE={ROOT}" in capsys.readouterr().out
    makefile = (tmp_path / "shop" / "Makefile").read_text(encoding="utf-8")
    assert "FLOWKIT_SOURCE ?= flowkit-temporal" in makefile
    # The recipe installs the chosen flowkit (with its server binaries) and the app together.
    assert "\tpython -m pip install \"$(FLOWKIT_SOURCE)[server]\" -e '.[dev]'\n" in makefile
    readme = (tmp_path / "shop" / "README.md").read_text(encoding="utf-8")
    assert "FLOWKIT_SOURCE=/path/to/flowkit" in readme
