"""The environment flowkit reads: the process's variables over the project's ``.env``.

``.env`` in the working folder (the file ``flowkit new`` writes ``.env.example`` for)
fills in what the environment leaves unset; a variable set in the environment always
wins. It is read with python-dotenv, never into ``os.environ``: flowkit sees it, the
user's own code and child processes do not, unless they ask for it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["ENV_FILE", "environment"]

#: The file read, relative to the project folder (the working folder by default).
ENV_FILE = ".env"

_cache: dict[tuple[str, float], dict[str, str]] = {}


def _env_file(root: Path) -> dict[str, str]:
    path = root / ENV_FILE
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return {}
    key = (str(path.resolve()), stamp)
    if key not in _cache:
        from dotenv import dotenv_values

        _cache[key] = {k: v for k, v in dotenv_values(path).items() if v is not None}
    return _cache[key]


def environment(root: Path | str | None = None) -> Mapping[str, str]:
    """``os.environ`` over ``<root>/.env`` (``root``: the working folder by default)."""
    base = Path.cwd() if root is None else Path(root)
    from_file = _env_file(base)
    if not from_file:
        return os.environ
    return {**from_file, **os.environ}
