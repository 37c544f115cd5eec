"""The fuzz targets compile thousands of pipelines; they skip the formatting step.

``ruff format`` costs one subprocess (~10 ms) per compiled file set, which would double
the targets' time, and it decides nothing they check: what compiles, which errors are
raised, that the same input gives the same bytes. Formatting is tested where it is the
subject (tests/compiler/test_golden.py, tests/test_emit_isort.py, tests/compiler/test_e2e.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from unittest import mock

import pytest


def _unformatted(files: Mapping[str, str]) -> dict[str, str]:
    return dict(files)


@pytest.fixture(autouse=True, scope="package")
def _no_formatting() -> Iterator[None]:
    with mock.patch("flowkit.compiler._render.format_python", _unformatted):
        yield
