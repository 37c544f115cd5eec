"""Rendering the generators' templates, and the policy lines of a resource module."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import jinja2

from flowkit._emit import define, environment, py_duration

__all__ = ["listing", "policy_lines", "render"]


def _environment() -> jinja2.Environment:
    env = environment("flowkit.scaffold")
    env.globals["define"] = define
    return env


def render(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` with ``context``; a missing variable is an error."""
    text = _environment().get_template(template).render(**context)
    # Templates may leave runs of blank lines where optional blocks were skipped.
    text = re.sub(r"\n{4,}", "\n\n\n", text)
    return text.rstrip("\n") + "\n"


def policy_lines(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The RETRY/STEP_TIMEOUT/HEARTBEAT expressions of a resource module.

    Args:
        overrides: parsed generator flags: ``max_attempts`` (int), ``initial``
            (timedelta), ``backoff`` (float), ``timeout`` and ``heartbeat`` (timedelta).

    Returns:
        ``retry``, ``timeout`` and ``heartbeat`` expressions, and whether they need
        ``dataclasses.replace`` and ``datetime.timedelta``.
    """
    changes: list[str] = []
    if overrides.get("max_attempts") is not None:
        changes.append(f"maximum_attempts={int(overrides['max_attempts'])}")
    if overrides.get("initial") is not None:
        changes.append(f"initial_interval={py_duration(overrides['initial'])}")
    if overrides.get("backoff") is not None:
        changes.append(f"backoff_coefficient={float(overrides['backoff'])!r}")
    retry = f"replace(retries.RETRY, {', '.join(changes)})" if changes else "retries.RETRY"
    timeout = overrides.get("timeout")
    heartbeat = overrides.get("heartbeat")
    return {
        "retry": retry,
        "timeout": py_duration(timeout) if timeout is not None else "retries.STEP_TIMEOUT",
        "heartbeat": py_duration(heartbeat) if heartbeat is not None else "retries.HEARTBEAT",
        "uses_replace": bool(changes),
        "uses_timedelta": timeout is not None or heartbeat is not None,
        "overridden": bool(changes) or timeout is not None or heartbeat is not None,
    }


def listing(items: Sequence[str]) -> str:
    """``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
