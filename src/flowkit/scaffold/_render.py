"""The one Jinja environment of the generators, and the Python snippets they share."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

import jinja2

__all__ = ["Imports", "import_from", "python_duration", "render"]

LINE_LENGTH = 100


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("flowkit.scaffold", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.globals["define"] = define
    return env


def define(head: str, params: str, returns: str, indent: str = "") -> str:
    """A ``def`` line as ruff format writes it: on one line when it fits, else wrapped."""
    line = f"{indent}{head}({params}) -> {returns}:"
    if len(line) <= LINE_LENGTH:
        return line
    return f"{indent}{head}(\n{indent}    {params}\n{indent}) -> {returns}:"


def render(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` with ``context``; a missing variable is an error."""
    text = _environment().get_template(template).render(**context)
    # Templates may leave runs of blank lines where optional blocks were skipped.
    text = re.sub(r"\n{4,}", "\n\n\n", text)
    return text.rstrip("\n") + "\n"


def _isort_key(name: str) -> tuple[int, str]:
    # isort's order-by-type: CONSTANTS, then Classes, then everything else.
    if name.isupper() and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def import_from(module: str, names: Iterable[str], indent: str = "") -> str:
    """``from module import a, b`` as ruff's isort writes it, wrapped past 100 columns."""
    ordered = sorted(set(names), key=_isort_key)
    line = f"{indent}from {module} import {', '.join(ordered)}"
    if len(line) <= LINE_LENGTH:
        return line
    body = "".join(f"{indent}    {n},\n" for n in ordered)
    return f"{indent}from {module} import (\n{body}{indent})"


class Imports:
    """The import block of a generated module, in ruff's isort sections and order."""

    def __init__(self) -> None:
        self._sections: dict[str, dict[str, set[str]]] = {
            "stdlib": {},
            "third": {},
            "first": {},
        }
        self._plain: dict[str, set[str]] = {"stdlib": set(), "third": set(), "first": set()}

    def add(self, section: str, module: str, *names: str) -> Imports:
        """Add ``from module import names`` to ``stdlib``, ``third`` or ``first``."""
        self._sections[section].setdefault(module, set()).update(names)
        return self

    def add_module(self, section: str, module: str) -> Imports:
        """Add ``import module`` to ``stdlib``, ``third`` or ``first``."""
        self._plain[section].add(module)
        return self

    def merge(self, other: Imports) -> Imports:
        """Add every import of ``other``."""
        for section, modules in other._sections.items():
            for module, names in modules.items():
                self.add(section, module, *names)
        for section, plain in other._plain.items():
            self._plain[section].update(plain)
        return self

    def render(self) -> str:
        """The block, starting with ``from __future__ import annotations``."""
        blocks = ["from __future__ import annotations"]
        for section, modules in self._sections.items():
            # isort puts `import x` before `from x import y` within a section.
            lines = [f"import {m}" for m in sorted(self._plain[section])]
            lines += [import_from(m, modules[m]) for m in sorted(modules)]
            if lines:
                blocks.append("\n".join(lines))
        return "\n\n".join(blocks)


def python_duration(value: timedelta) -> str:
    """A ``timedelta(...)`` expression equal to ``value``."""
    millis = round(value.total_seconds() * 1000)
    if millis % 1000:
        return f"timedelta(milliseconds={millis})"
    return f"timedelta(seconds={millis // 1000})"


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
        changes.append(f"initial_interval={python_duration(overrides['initial'])}")
    if overrides.get("backoff") is not None:
        changes.append(f"backoff_coefficient={float(overrides['backoff'])!r}")
    retry = f"replace(retries.RETRY, {', '.join(changes)})" if changes else "retries.RETRY"
    timeout = overrides.get("timeout")
    heartbeat = overrides.get("heartbeat")
    return {
        "retry": retry,
        "timeout": python_duration(timeout) if timeout is not None else "retries.STEP_TIMEOUT",
        "heartbeat": python_duration(heartbeat) if heartbeat is not None else "retries.HEARTBEAT",
        "uses_replace": bool(changes),
        "uses_timedelta": timeout is not None or heartbeat is not None,
        "overridden": bool(changes) or timeout is not None or heartbeat is not None,
    }


def listing(items: Sequence[str]) -> str:
    """``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
