"""Where the running flowkit was installed from, for the ``make setup`` hint."""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, distribution
from urllib.parse import unquote, urlparse

__all__ = ["DISTRIBUTION", "install_source"]

DISTRIBUTION = "flowkit-temporal"


def install_source() -> str | None:
    """The local folder or wheel this flowkit was installed from (``pip install -e .``,
    ``pip install /path/to/flowkit``, ``pip install flowkit.whl``), or ``None`` when it came
    from a package index (then ``make setup``'s default, the distribution name, works)."""
    try:
        text = distribution(DISTRIBUTION).read_text("direct_url.json")
    except PackageNotFoundError:
        return None
    if not text:
        return None
    try:
        url = str(json.loads(text).get("url", ""))
    except (ValueError, AttributeError):
        return None
    parsed = urlparse(url)
    return unquote(parsed.path) if parsed.scheme == "file" and parsed.path else None
