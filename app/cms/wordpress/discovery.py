"""Finding a WordPress site's REST API, and where its credentials may go.

The API root is ``/wp-json/`` with pretty permalinks, ``/?rest_route=/`` without them, or whatever the
site announces in its ``Link`` header. Credentials go only to the origin (scheme, host and port) of the
address the user added: a redirect or an announced root at another origin is refused with a message
naming both addresses. The one exception is the same host moving Copydesk from plain http to https,
which is accepted (the connection gets safer) and shown by "Check connection".
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from app.cms.base import SiteInfo
from app.cms.http import JsonTransport, RedirectRefusedError, is_https_upgrade, origin_of
from app.errors import AuthError, InvalidInputError, PermissionDenied, RemoteError

log = logging.getLogger(__name__)

COMPANION_NAMESPACE = "copydesk/v1"
_ADMIN_SUFFIX = re.compile(r"/(?:wp-json|wp-admin|wp-login\.php|index\.php|xmlrpc\.php)(?:/.*)?$")
_API_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="https://api\.w\.org/"')

Index = tuple[str, Mapping[str, Any]]


def normalize_site_url(text: str) -> str:
    """A site address as the user typed it → ``scheme://host[/path]`` without a trailing slash.

    ``example.com`` becomes ``https://example.com``; ``.../wp-admin/`` and ``.../wp-json/...`` are cut
    off, so pasting any address of the site works.
    """
    text = text.strip()
    if not text:
        raise InvalidInputError("Give the site's address, e.g. https://example.com.")
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise InvalidInputError(f"“{text}” is not a web address (its port is not a number).") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInputError(f"“{text}” is not a web address (it must start with https://).")
    if parts.username or parts.password:
        raise InvalidInputError(
            "Leave the user name and password out of the site's address; give them separately."
        )
    path = _ADMIN_SUFFIX.sub("", parts.path).rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, "", ""))


def may_use_api_root(site_url: str, api_root: str) -> bool:
    """Whether a stored API root is at the site's own origin (or its https upgrade)."""
    return origin_of(api_root) == origin_of(site_url) or is_https_upgrade(site_url, api_root)


def refused(site_url: str, target: str, *, announced: bool = False) -> RemoteError:
    """The refusal of an API address at another origin than the site's."""
    how = "announces its REST API at" if announced else "sends Copydesk on to"
    return RemoteError(
        f"{site_url} {how} {target}, another address, so Copydesk stopped there: your password goes "
        f"only to {site_url}.",
        hint=f"If {origin_of(target).rsplit(':', 1)[0]} is really the site's address, add the site "
        "with that address; otherwise tell the site's administrator.",
    )


class Discovery:
    """One search for the API of the site at *site_url*, through its client's transport."""

    def __init__(self, http: JsonTransport, site_url: str) -> None:
        self._http = http
        self._url = site_url

    def _follow_upgrade(self, exc: RedirectRefusedError) -> None:
        """Accept a same-host http → https redirect; refuse any other origin."""
        if not (self._http.trusts(exc.source) and is_https_upgrade(exc.source, exc.target)):
            raise refused(self._url, exc.target) from None
        log.info("%s moves Copydesk to https at %s", self._url, origin_of(exc.target))
        self._http.trust(exc.target)

    def _index_at(self, candidate: str, *, authenticated: bool) -> Index | None:
        for _hop in range(2):
            try:
                reply = self._http.request("GET", candidate, action="index", authenticated=authenticated)
            except RedirectRefusedError as exc:
                self._follow_upgrade(exc)
                candidate = exc.target
                continue
            except (RemoteError, PermissionDenied):
                return None
            data = reply.data
            if not isinstance(data, Mapping) or "namespaces" not in data:
                return None
            final = urlsplit(reply.url)
            if "rest_route=" in final.query:
                root = urlunsplit((final.scheme, final.netloc, final.path, "rest_route=/", ""))
            else:
                root = urlunsplit((final.scheme, final.netloc, final.path, "", ""))
                root = root if root.endswith("/") else root + "/"
            return root, data
        return None

    def _announced_root(self) -> str | None:
        """The API root a WordPress page announces in its ``Link`` header (same origin only)."""
        try:
            reply = self._http.request(
                "GET", self._url + "/", action="index", authenticated=False, json_answer=False
            )
        except (RemoteError, PermissionDenied, AuthError):
            return None
        match = _API_LINK.search(reply.headers.get("Link", ""))
        if not match:
            return None
        announced = match.group(1)
        if not self._http.trusts(announced):
            if not is_https_upgrade(self._url, announced):
                raise refused(self._url, announced, announced=True)
            self._http.trust(announced)
        return announced

    def run(self) -> SiteInfo:
        candidates = [f"{self._url}/wp-json/", f"{self._url}/?rest_route=/"]
        found: Index | None = None
        for candidate in candidates:
            try:
                found = self._index_at(candidate, authenticated=False)
            except AuthError:
                # some security plugins open the REST API to signed-in users only
                found = self._index_at(candidate, authenticated=True)
            if found:
                break
        if found is None:
            announced = self._announced_root()
            if announced:
                found = self._index_at(announced, authenticated=False)
        if found is None:
            raise RemoteError(
                f"No WordPress REST API was found at {self._url}.",
                hint="Check the address. If it is right, the REST API may be switched off by a "
                "security plugin; ask the site's administrator.",
            )
        return site_info(self._url, *found)


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def site_info(site_url: str, root: str, index: Mapping[str, Any]) -> SiteInfo:
    """What the site's index says, whatever types its fields have."""
    listed = index.get("namespaces")
    namespaces = tuple(n for n in listed if isinstance(n, str)) if isinstance(listed, list) else ()
    auth = index.get("authentication")
    moved = origin_of(root) != origin_of(site_url)
    return SiteInfo(
        name=html.unescape(_string(index.get("name")))[:200],
        description=html.unescape(_string(index.get("description")))[:500],
        home=_string(index.get("home")),
        api_root=root,
        namespaces=namespaces,
        application_passwords=isinstance(auth, Mapping) and "application-passwords" in auth,
        has_companion=COMPANION_NAMESPACE in namespaces,
        moved_to=root if moved else "",
    )
