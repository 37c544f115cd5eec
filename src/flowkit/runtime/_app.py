"""Load a project's services from ``module:attribute`` (what ``flowkit worker`` runs)."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from flowkit.errors import UsageError
from flowkit.runtime._options import Service

__all__ = ["app_start_metadata", "load_app", "ready_lines", "run_app", "serve_app"]

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


def _listing(kind: str, names: list[str]) -> str:
    plural = kind if len(names) == 1 else f"{kind}s"
    return f"{len(names)} {plural}" + (f" ({', '.join(names)})" if names else "")


def ready_lines(services: Sequence[Service], address: str, namespace: str) -> list[str]:
    """What a worker says once it is connected: where, and what each queue serves."""
    from flowkit.policy import current
    from flowkit.workflow import name_of

    lines = [f"connected to {address}, namespace {namespace}"]
    for service in services:
        queue = service.task_queue or current().worker.task_queue
        parts = [
            _listing(kind, sorted(name_of(d) for d in defs))
            for kind, defs in (
                ("agent", service.agents),
                ("workflow", service.workflows),
                ("function", service.functions),
            )
            if defs
        ]
        lines.append(f"task queue {queue}: {', '.join(parts) or 'nothing registered'}")
    return lines


async def run_app(
    app: Any, client: Any, *, on_ready: Callable[[list[str]], None] | None = None
) -> None:
    """Run what :func:`load_app` returned: services, or a ``main`` function.

    ``on_ready`` is called with :func:`ready_lines` once the client has connected (for
    services; a ``main`` function connects on its own).
    """
    if isinstance(app, Service):
        app = [app]
    if isinstance(app, Sequence) and app and all(isinstance(s, Service) for s in app):
        if on_ready is not None:
            connected = await client.connect()
            on_ready(ready_lines(app, client.address, connected.namespace))
        await client.run_services(app)
        return
    if inspect.iscoroutinefunction(app):
        await app()
        return
    raise UsageError(f"cannot run {app!r}: expected Service objects or a main function")


def serve_app(
    app: Any, client: Any, *, on_ready: Callable[[list[str]], None] | None = None
) -> None:
    """Run the app to completion: a plain function is called as it is (it may start
    its own event loop, as Restack's ``run_services`` does); anything else on a new loop."""
    if callable(app) and not inspect.iscoroutinefunction(app) and not isinstance(app, Service):
        app()
        return
    asyncio.run(run_app(app, client, on_ready=on_ready))


def app_start_metadata(spec: str | None, workflow: str) -> tuple[str | None, str | None]:
    """The Web UI summary and details a workflow of the project's app asks to start with:
    its module's ``start_options()`` (every compiled pipeline has one), else none.

    Best effort: an app that does not load, or has no such workflow, gives ``(None, None)``
    (``flowkit worker`` is where a broken app is reported).
    """
    from flowkit.workflow import name_of

    try:
        app = load_app(spec)
    except UsageError:
        return None, None
    services = [app] if isinstance(app, Service) else app
    if not isinstance(services, Sequence):
        return None, None
    for service in services:
        for defined in getattr(service, "workflows", ()):
            if name_of(defined) != workflow:
                continue
            start_options = getattr(sys.modules.get(defined.__module__), "start_options", None)
            if not callable(start_options):
                return None, None
            options = start_options()
            return options.get("static_summary"), options.get("static_details")
    return None, None
