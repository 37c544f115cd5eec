"""Load a project's services from ``module:attribute`` (what ``flowkit worker`` runs)."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flowkit.errors import UsageError
from flowkit.runtime._options import Service

__all__ = ["load_app", "run_app", "serve_app"]

DEFAULT_APP = "server.service"
_ATTRIBUTES = ("services", "service", "main")


def load_app(spec: str | None, root: Path | None = None) -> Any:
    """Import ``module[:attribute]`` with the project root on ``sys.path``.

    Without an attribute, the first of ``services``, ``service`` and ``main`` is used.

    Raises:
        UsageError: the module does not import (the error's last line is shown), or the
            attribute is missing.
    """
    spec = spec or DEFAULT_APP
    module_name, _, attribute = spec.partition(":")
    base = str((root or Path.cwd()).resolve())
    if base not in sys.path:
        sys.path.insert(0, base)
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        frames = [
            f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith("<")
        ]
        where = f"\n  at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
        raise UsageError(
            f"cannot import {module_name}: {type(exc).__name__}: {exc}{where}\n"
            "  set the app with --app module:attribute or the worker.app setting"
        ) from None
    names = [attribute] if attribute else list(_ATTRIBUTES)
    for name in names:
        if hasattr(module, name):
            return getattr(module, name)
    raise UsageError(f"{module_name} has no {' or '.join(names)}: nothing to run")


async def run_app(app: Any, client: Any) -> None:
    """Run what :func:`load_app` returned: services, or a ``main`` function."""
    if isinstance(app, Service):
        app = [app]
    if isinstance(app, Sequence) and app and all(isinstance(s, Service) for s in app):
        await client.run_services(app)
        return
    if inspect.iscoroutinefunction(app):
        await app()
        return
    raise UsageError(f"cannot run {app!r}: expected Service objects or a main function")


def serve_app(app: Any, client: Any) -> None:
    """Run the app to completion: a plain function is called as it is (it may start
    its own event loop, as Restack's ``run_services`` does); anything else on a new loop."""
    if callable(app) and not inspect.iscoroutinefunction(app) and not isinstance(app, Service):
        app()
        return
    asyncio.run(run_app(app, client))
