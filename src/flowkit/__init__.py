"""flowkit: durable workflows on Temporal.

A Restack-compatible SDK (:mod:`flowkit.agent`, :mod:`flowkit.workflow`,
:mod:`flowkit.function`), a pipeline compiler and Rails-style generators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flowkit._version import __version__
from flowkit.errors import FlowkitError

if TYPE_CHECKING:
    from flowkit.compiler import compile_expression, compile_file
    from flowkit.runtime import Client, Service

__all__ = [
    "Client",
    "FlowkitError",
    "Service",
    "__version__",
    "compile_expression",
    "compile_file",
]


def __getattr__(name: str) -> Any:
    # Imported on first use so `import flowkit` (and the CLI) stays fast.
    if name in ("Client", "Service"):
        from flowkit import runtime

        return getattr(runtime, name)
    if name in ("compile_expression", "compile_file"):
        from flowkit import compiler

        return getattr(compiler, name)
    raise AttributeError(f"module 'flowkit' has no attribute {name!r}")
