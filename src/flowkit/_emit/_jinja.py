"""The one Jinja environment setup the compiler's and the generators' templates share."""

from __future__ import annotations

import functools

import jinja2

__all__ = ["environment"]


@functools.cache
def environment(package: str) -> jinja2.Environment:
    """The environment of ``<package>/templates``: a missing variable is an error
    (``StrictUndefined``), blocks trim their own lines, nothing is escaped (the output is
    source code, not HTML), and files keep their last newline."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["rstrip"] = str.rstrip
    return env
