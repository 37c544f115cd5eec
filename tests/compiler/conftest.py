"""Shared helpers for the compiler tests: the golden/snapshot regeneration switch."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
SEED = (
    "IDEATE ⇄ RESEARCH → PLAN → OUTLINE → DRAFT ⇄ REVIEW → POLISH → PUBLISH → PROMOTE →? REPURPOSE"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/*/expected and tests/compiler/snapshots from the compiler",
    )


@pytest.fixture
def regen(request: pytest.FixtureRequest) -> bool:
    """True when golden files and snapshots should be rewritten instead of compared."""
    return bool(request.config.getoption("--regen-golden")) or bool(
        os.environ.get("FLOWKIT_REGEN_GOLDEN")
    )
