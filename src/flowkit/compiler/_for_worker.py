"""Pipeline files for workers and for starting runs: what the CLI loads and hands on.

``flowkit worker --pipeline FILE`` serves what :func:`load_for_worker` builds (into
``.flowkit/build/``, put on ``sys.path``); ``flowkit run FILE`` starts the workflow that
:func:`workflow_type` names. Both read the file the same way, so the worker runs the code
the file compiles to under the name the run asks for. The runtime never sees a file.
"""

from __future__ import annotations

import sys
from pathlib import Path

from flowkit.compiler._build_pipeline import BuiltPipeline, build_pipeline
from flowkit.compiler._compile import load_pipeline
from flowkit.errors import UsageError

__all__ = ["BUILD_DIR", "PIPELINE_SUFFIXES", "load_for_worker", "workflow_type"]

#: Where ``flowkit worker --pipeline`` builds a pipeline file.
BUILD_DIR = Path(".flowkit") / "build"

#: A name with one of these endings is a pipeline file, not a workflow's name.
PIPELINE_SUFFIXES = (".yaml", ".yml", ".flow")


def load_for_worker(path: str | Path, out_dir: Path = BUILD_DIR) -> BuiltPipeline:
    """Compile a pipeline file into ``out_dir`` and make its package importable.

    Raises:
        UsageError: the file does not exist.
        CompileError: the pipeline does not compile (with every problem, pointed).
    """
    if not Path(path).is_file():
        raise UsageError(f"no pipeline file {path}")
    built = build_pipeline(path, out_dir)
    root = str(built.root.resolve())
    if root not in sys.path:
        sys.path.insert(0, root)
    return built


def workflow_type(target: str) -> str:
    """The workflow type ``target`` names: itself, or for a pipeline file (``.yaml``,
    ``.yml``, ``.flow``) the workflow it compiles to. The file is checked; nothing is
    written (a worker may be importing the build folder).

    Raises:
        UsageError: the pipeline file does not exist.
        CompileError: it does not compile (with every problem, pointed).
    """
    if not target.endswith(PIPELINE_SUFFIXES):
        return target
    if not Path(target).is_file():
        raise UsageError(f"no pipeline file {target}")
    return load_pipeline(target).name
