"""Every public module's names and signatures are pinned by a snapshot.

``tests/snapshots/public_api/<module>.txt`` holds, for each name in the module's
``__all__``, what :mod:`tests.api_snapshot` renders: a function's signature and
overloads, a class's public bases, fields and methods. A difference fails with the names
that changed. After reviewing it, rewrite the snapshots with::

    FLOWKIT_REGEN_API=1 .venv/bin/pytest tests/test_public_signatures.py
    # or: .venv/bin/pytest tests/test_public_signatures.py --regen-api

and commit them with the change, so the diff shows reviewers what users will see.
"""

from __future__ import annotations

import difflib
import importlib
import os
from pathlib import Path

import pytest

from tests.api_snapshot import changed_names, render_module

MODULES = (
    "flowkit",
    "flowkit.agent",
    "flowkit.workflow",
    "flowkit.function",
    "flowkit.client",
    "flowkit.security",
    "flowkit.event",
    "flowkit.utils",
    "flowkit.errors",
    "flowkit.policy",
    "flowkit.runtime",
    "flowkit.testing",
    "flowkit.steps",
    "flowkit.compiler",
    "flowkit.check",
    "flowkit.scaffold",
    "flowkit.port",
)
SNAPSHOTS = Path(__file__).parent / "snapshots" / "public_api"
REGENERATE = "FLOWKIT_REGEN_API=1 .venv/bin/pytest tests/test_public_signatures.py"


@pytest.fixture(scope="module")
def public() -> set[int]:
    """The ids of everything a public module exports."""
    found: set[int] = set()
    for name in MODULES:
        module = importlib.import_module(name)
        found.update(id(getattr(module, entry)) for entry in module.__all__)
    return found


@pytest.fixture
def regen(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-api", default=False)) or (
        os.environ.get("FLOWKIT_REGEN_API") == "1"
    )


@pytest.mark.parametrize("name", MODULES)
def test_public_names_and_signatures_match_the_snapshot(
    name: str, public: set[int], regen: bool
) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    rendered = render_module(name, public)
    if regen:
        path.write_text(rendered, encoding="utf-8")
        return
    assert path.exists(), f"no snapshot of {name}; create it with: {REGENERATE}"
    pinned = path.read_text(encoding="utf-8")
    if rendered == pinned:
        return
    changes = changed_names(pinned, rendered)
    summary = "\n".join(f"  {kind}: {', '.join(n)}" for kind, n in changes.items() if n)
    diff = "".join(
        difflib.unified_diff(
            pinned.splitlines(keepends=True),
            rendered.splitlines(keepends=True),
            f"snapshot {path.name}",
            "now",
        )
    )
    pytest.fail(
        f"the public API of {name} changed:\n{summary}\n\n{diff}\n"
        f"If that is intended, regenerate and commit the snapshot: {REGENERATE}",
        pytrace=False,
    )


# Public modules whose surface is pinned another way.
UNPINNED = {
    "flowkit.cli": "the command line, pinned by its --help and option tests",
    "flowkit.pytest_plugin": "fixtures pytest loads by entry point (docs/testing.md)",
}


def test_every_public_module_is_pinned() -> None:
    package = Path(importlib.import_module("flowkit").__file__ or "").parent
    public = {
        f"flowkit.{p.stem if p.suffix else p.name}"
        for p in package.iterdir()
        if not p.name.startswith("_") and ((p.suffix == ".py") or (p / "__init__.py").exists())
    }
    assert sorted(public - set(MODULES) - set(UNPINNED)) == []


def test_every_snapshot_belongs_to_a_public_module() -> None:
    stale = sorted(p.stem for p in SNAPSHOTS.glob("*.txt") if p.stem not in MODULES)
    assert not stale, f"snapshots of modules that are not pinned any more: {stale}"


def test_a_changed_signature_is_named_in_the_report() -> None:
    old = "# m\nf\n  def(a: int) -> int\ng\n  def() -> None\nh\n  instance of H\n"
    new = "# m\nf\n  def(a: str) -> int\nh\n  instance of H\nk\n  def() -> None\n"
    assert changed_names(old, new) == {"added": ["k"], "removed": ["g"], "changed": ["f"]}
