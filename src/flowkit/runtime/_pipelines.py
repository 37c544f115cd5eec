"""Serve and start pipeline files directly: build them into ``.flowkit/build/``.

``flowkit worker --pipeline FILE`` and ``flowkit run FILE`` share this, so both agree on
the workflow's name and the code the worker runs is the code the file compiles to.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from flowkit.errors import UsageError

if TYPE_CHECKING:
    from flowkit.compiler import BuiltPipeline

__all__ = ["BUILD_DIR", "build", "workflow_name"]

BUILD_DIR = Path(".flowkit") / "build"


def build(path: str | Path, out_dir: Path = BUILD_DIR) -> BuiltPipeline:
    """Compile a pipeline file into ``out_dir`` and make its package importable.

    Raises:
        UsageError: the file does not exist.
        CompileError: the pipeline does not compile (with every problem, pointed).
    """
    from flowkit.compiler import build_pipeline

    if not Path(path).is_file():
        raise UsageError(f"no pipeline file {path}")
    built = build_pipeline(path, out_dir)
    root = str(built.root.resolve())
    if root not in sys.path:
        sys.path.insert(0, root)
    return built


def workflow_name(path: str | Path) -> str:
    """The workflow type a pipeline file compiles to, checking the file but writing
    nothing (a worker may be importing the build folder).

    Raises:
        UsageError: the file does not exist.
        CompileError: the pipeline does not compile.
    """
    from flowkit.compiler import load_pipeline

    if not Path(path).is_file():
        raise UsageError(f"no pipeline file {path}")
    return load_pipeline(path).name
