"""Origins: where a URL really points (scheme, host and port), and which addresses are safe to use.

Credentials go only to the origin the user added; these are the small, pure checks that decide it.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin_of(url: str) -> str:
    """``scheme://host:port`` of *url*, with the scheme's default port written out."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    port = port or {"http": 80, "https": 443}.get(scheme, 0)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def is_https_upgrade(source: str, target: str) -> bool:
    """Whether *target* is the same host as *source*, moved from plain http to https."""
    old, new = urlsplit(source), urlsplit(target)
    return (
        old.scheme == "http"
        and new.scheme == "https"
        and bool(old.hostname)
        and (old.hostname or "").lower() == (new.hostname or "").lower()
    )


def is_insecure(url: str) -> bool:
    """Plain http to another machine: anything sent can be read on the way."""
    return urlsplit(url).scheme == "http" and not is_loopback(url)
