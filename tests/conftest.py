"""Options every test directory can use."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-api",
        action="store_true",
        default=False,
        help="rewrite tests/snapshots/public_api from the public modules (review the diff)",
    )
