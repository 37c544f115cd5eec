"""``build_pipeline``: compile a pipeline file into a build folder a worker can import.

``flowkit worker --pipeline FILE`` and ``flowkit run FILE`` compile into ``.flowkit/build/``
with this, put that folder on ``sys.path`` and serve or start what it names.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from flowkit.compiler._compile import compile_path
from flowkit.errors import UsageError

__all__ = ["MARKER", "BuiltPipeline", "build_pipeline"]

#: A file in each package ``build_pipeline`` writes: it may replace only its own builds.
MARKER = ".flowkit-build"


@dataclass(frozen=True)
class BuiltPipeline:
    """What ``build_pipeline`` wrote, and the names a worker and a client need.

    Attributes:
        workflow: the workflow type name to start (``ContentDraft``).
        package: the importable package (``content_draft``), inside ``root``.
        root: the folder to put on ``sys.path``.
        services: ``"<package>.worker:services"``, a list of ``flowkit.Service``.
        workflows: ``"<package>.worker:WORKFLOWS"``.
        functions: ``"<package>.worker:FUNCTIONS"`` (the steps' functions and the
            built-ins it calls, such as ``ai_generate``).
        files: every file written.
    """

    workflow: str
    package: str
    root: Path
    services: str
    workflows: str
    functions: str
    files: tuple[Path, ...]


def build_pipeline(
    path: str | Path, out_dir: str | Path, *, style: str | None = None
) -> BuiltPipeline:
    """Compile ``path`` (YAML or an expression file) into ``out_dir/<package>/``.

    A previous build of the same package is replaced; a folder of that name that this
    function did not write is left alone.

    Raises:
        UsageError: the file cannot be read, or ``out_dir/<package>`` is not a build.
        CompileError: the pipeline does not compile (nothing is written).
    """
    pipeline, files = compile_path(path, style=style)
    package = next(rel.split("/", 1)[0] for rel in files if "/" in rel)
    root = Path(out_dir)
    target = root / package
    if target.exists():
        if not (target / MARKER).is_file():
            raise UsageError(
                f"{target} exists and was not built by flowkit; remove it or build elsewhere"
            )
        shutil.rmtree(target)
    files.write(root, force=True)
    marker = target / MARKER
    marker.write_text(f"built from {Path(path)}\n", encoding="utf-8")
    return BuiltPipeline(
        workflow=pipeline.name,  # the generated @workflow.defn(name=...)
        package=package,
        root=root,
        services=f"{package}.worker:services",
        workflows=f"{package}.worker:WORKFLOWS",
        functions=f"{package}.worker:FUNCTIONS",
        files=(*(root / relpath for relpath in files), marker),
    )
