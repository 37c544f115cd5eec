"""Import a project's services in a child process and describe them as JSON.

``flowkit doctor`` runs ``python -m flowkit.scaffold._inspect <root> <app>`` so that the
project's modules never land in the doctor's own ``sys.modules``.
"""

from __future__ import annotations

import ast
import inspect
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

__all__ = ["describe", "main"]

_CALLS = {"step": "function", "child_execute": "workflow", "child_start": "workflow"}


def _name(target: Any) -> str | None:
    for attr in ("__temporal_activity_definition", "__temporal_workflow_definition"):
        definition = getattr(target, attr, None)
        if definition is not None:
            return str(definition.name)
    return None


def _calls(cls: type) -> list[dict[str, str]]:
    """The steps and children a workflow class calls, read from its module's source."""
    module = sys.modules.get(cls.__module__)
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return []
    out = []
    for node in ast.walk(ast.parse(textwrap.dedent(source))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        kind = _CALLS.get(node.func.attr)
        if kind is None:
            continue
        for kw in node.keywords:
            if kw.arg != kind:
                continue
            if isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                out.append({"kind": kind, "name": kw.value.value})
            elif isinstance(kw.value, ast.Name) and module is not None:
                target = getattr(module, kw.value.id, None)
                name = _name(target) if target is not None else None
                if name is not None:
                    out.append({"kind": kind, "name": name})
    return out


def describe(spec: str, root: Path) -> dict[str, Any]:
    """Load the services at ``spec`` and describe every registration."""
    from flowkit.errors import FlowkitError
    from flowkit.runtime import Service, load_app

    try:
        app = load_app(spec, root)
    except FlowkitError as exc:
        return {"error": str(exc)}
    services = [app] if isinstance(app, Service) else app
    if not isinstance(services, list | tuple) or not all(isinstance(s, Service) for s in services):
        return {"error": f"{spec} is not a list of Service objects"}
    described = []
    for service in services:
        entries = []
        for kind, items in (
            ("agents", service.agents),
            ("workflows", service.workflows),
            ("functions", service.functions),
        ):
            for item in items:
                label = getattr(item, "__qualname__", repr(item))
                entry: dict[str, Any] = {
                    "kind": kind,
                    "label": label,
                    "name": _name(item),
                    "calls": [],
                }
                if kind != "functions" and isinstance(item, type):
                    entry["calls"] = _calls(item)
                entries.append(entry)
        described.append({"task_queue": service.task_queue, "entries": entries})
    return {"services": described}


def main(argv: list[str]) -> int:
    """``python -m flowkit.scaffold._inspect ROOT [SPEC]``: print the description."""
    root = Path(argv[0]).resolve()
    sys.path[:0] = [str(root / "src"), str(root)]
    print(json.dumps(describe(argv[1] if len(argv) > 1 else "server.service", root)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
