"""Small helpers with Restack's names (``restack_ai.utils``)."""

from __future__ import annotations

__all__ = ["rpm_to_second", "should_use_https"]

_LOCAL_HOSTS = {"localhost", "127.0.0.1", "host.docker.internal"}
_PRIVATE_PREFIXES = ("10.", "192.168.", "172.")


def rpm_to_second(rpm: int) -> float:
    """A per-minute rate as a per-second rate."""
    return rpm / 60


def should_use_https(address: str) -> bool:
    """Whether ``address`` (``host[:port]``) is a public host, to reach over HTTPS.

    Local hosts, private IPv4 ranges, Kubernetes service names and bare container names
    (no dot) use plain HTTP, as in Restack.
    """
    if not address:
        return False
    host = address.split(":", maxsplit=1)[0]
    if host in _LOCAL_HOSTS or host.startswith(_PRIVATE_PREFIXES):
        return False
    if host.endswith(".svc.cluster.local") or (host.endswith(".svc") and host.count(".") <= 2):
        return False
    return "." in host
