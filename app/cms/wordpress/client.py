"""The WordPress REST API client (WordPress 5.6 or newer, application passwords).

One :class:`WordPressClient` per site and user, over one ``requests`` session (see :mod:`app.cms.http`
for timeouts, retries and errors). Every call blocks and returns plain values of :mod:`app.cms.base`.

The API root is found once (:meth:`WordPressClient.discover`, see :mod:`app.cms.wordpress.discovery`),
and credentials go only to the origin of the address the user added (or its https upgrade).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping
from typing import Any

from app.cms.base import (
    CompanionStatus,
    MediaUpload,
    PostFields,
    Progress,
    RemoteMedia,
    RemotePage,
    RemotePost,
    RemoteTerm,
    RemoteUser,
    SiteInfo,
)
from app.cms.http import (
    DEFAULT_TIMEOUT,
    UPLOAD_DEADLINE,
    UPLOAD_TIMEOUT,
    JsonTransport,
    ProgressBody,
    Reply,
)
from app.cms.wordpress.discovery import (
    COMPANION_NAMESPACE,
    Discovery,
    may_use_api_root,
    normalize_site_url,
)
from app.cms.wordpress.errors import TermExistsError, to_error
from app.cms.wordpress.parse import (
    UID_META,
    as_int,
    fold,
    obj,
    parse_media,
    parse_post,
    parse_summary,
    parse_term,
    post_body,
)
from app.errors import RemoteError

__all__ = ["COMPANION_NAMESPACE", "WordPressClient", "normalize_site_url", "parse_post", "post_body"]

log = logging.getLogger(__name__)

TAXONOMY_ROUTES = {"category": "categories", "tag": "tags"}
_LIST_FIELDS = "id,title,status,date_gmt,modified_gmt,link,slug"


class WordPressClient:
    """A signed-in (or anonymous, without a password) connection to one WordPress site."""

    def __init__(
        self,
        url: str,
        *,
        username: str = "",
        password: str = "",
        api_root: str = "",
        allow_insecure_http: bool = False,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        upload_timeout: tuple[float, float] = UPLOAD_TIMEOUT,
        deadline: float | None = None,
        verify: str | bool = True,
    ) -> None:
        """*deadline* bounds each request, all of it (:data:`app.cms.http.DEFAULT_DEADLINE` by
        default); *verify* is a CA bundle to trust instead of the system's (never False in use)."""
        self.url = normalize_site_url(url)
        self._upload_timeout = upload_timeout
        self._http = JsonTransport(
            error_mapper=to_error,
            origin=self.url,
            auth=(username, password) if username and password else None,
            timeout=timeout,
            deadline=deadline,
            allow_insecure_http=allow_insecure_http,
            verify=verify,
        )
        self._api_root = ""
        if api_root and may_use_api_root(self.url, api_root):
            self._api_root = api_root
            self._http.trust(api_root)
        elif api_root:
            log.warning("Ignoring a stored API address at another origin than %s", self.url)

    @property
    def requests_made(self) -> int:
        return self._http.requests_made

    @property
    def php_noise_seen(self) -> bool:
        return self._http.php_noise_seen

    def close(self) -> None:
        self._http.close()

    # -- finding the API ---------------------------------------------------------------------------

    @property
    def api_root(self) -> str:
        if not self._api_root:
            self.discover()
        return self._api_root

    def _url(self, route: str) -> str:
        return self.api_root + route.lstrip("/")

    def _get(self, route: str, action: str, **params: Any) -> Reply:
        return self._http.request("GET", self._url(route), action=action, params=params or None)

    def call(
        self,
        method: str,
        route: str,
        *,
        action: str,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
    ) -> Reply:
        """One request to a REST route, for the feature modules (comments) built on this client."""
        return self._http.request(
            method, self._url(route), action=action, params=params, json_body=json_body
        )

    def discover(self) -> SiteInfo:
        """Find the REST API and read the site's index (name, namespaces, authentication)."""
        site = Discovery(self._http, self.url).run()
        self._api_root = site.api_root
        return site

    # -- who am I --------------------------------------------------------------------------------

    def current_user(self) -> RemoteUser:
        data = obj(self._get("wp/v2/users/me", "user", context="edit").data, "your user")
        caps = data.get("capabilities")
        roles = data.get("roles")
        return RemoteUser(
            id=as_int(data.get("id")),
            name=html.unescape(str(data.get("name", ""))),
            roles=tuple(str(r) for r in roles) if isinstance(roles, list) else (),
            capabilities=frozenset(str(k) for k, v in caps.items() if v)
            if isinstance(caps, Mapping)
            else frozenset(),
        )

    def companion_status(self) -> CompanionStatus:
        data = obj(self._get(f"{COMPANION_NAMESPACE}/status", "index").data, "the plugin")
        return CompanionStatus(
            version=str(data.get("version", "")),
            authorization_received=bool(data.get("authorization_received")),
            user_id=as_int(data.get("user_id")),
        )

    # -- posts -----------------------------------------------------------------------------------

    def get_post(self, post_id: int) -> RemotePost:
        return parse_post(self._get(f"wp/v2/posts/{post_id}", "post", context="edit").data)

    def list_posts(
        self, *, status: str | None = None, search: str = "", page: int = 1, per_page: int = 100
    ) -> RemotePage:
        params: dict[str, Any] = {
            "page": page,
            "per_page": per_page,
            "status": status or "any",
            "orderby": "id",  # unique: pages never overlap (equal dates would make them shift)
            "_fields": _LIST_FIELDS,
        }
        if search:
            params["search"] = search
        reply = self._get("wp/v2/posts", "list", **params)
        rows = reply.data if isinstance(reply.data, list) else []
        if not isinstance(reply.data, list):
            raise RemoteError("The site's list of posts is not what WordPress sends.")
        return RemotePage(
            posts=tuple(parse_summary(row) for row in rows),
            page=page,
            total=as_int(reply.headers.get("X-WP-Total")),
            total_pages=as_int(reply.headers.get("X-WP-TotalPages")),
        )

    def find_posts_by_uid(self, uid: str, *, companion: bool) -> list[RemotePost]:
        """Posts made from the piece *uid*: by the plugin's meta, or by the hidden content marker."""
        params: dict[str, Any] = {"status": "any", "context": "edit", "per_page": 20}
        if companion:
            params[UID_META] = uid
        else:
            params["search"] = uid
        reply = self._get("wp/v2/posts", "list", **params)
        posts = [parse_post(row) for row in reply.data] if isinstance(reply.data, list) else []
        if companion:
            return [p for p in posts if p.uid == uid]
        return [p for p in posts if uid_marker(uid) in p.content]

    def create_post(self, fields: PostFields) -> RemotePost:
        reply = self._http.request(
            "POST", self._url("wp/v2/posts"), action="post", json_body=post_body(fields)
        )
        return parse_post(reply.data)

    def update_post(self, post_id: int, fields: PostFields) -> RemotePost:
        reply = self._http.request(
            "POST", self._url(f"wp/v2/posts/{post_id}"), action="post", json_body=post_body(fields)
        )
        return parse_post(reply.data)

    # -- media -----------------------------------------------------------------------------------

    def upload_media(self, upload: MediaUpload, progress: Progress | None = None) -> RemoteMedia:
        params = {key: value for key, value in (("slug", upload.slug), ("alt_text", upload.alt_text))}
        reply = self._http.request(
            "POST",
            self._url("wp/v2/media"),
            action="media",
            params={k: v for k, v in params.items() if v},
            body=ProgressBody(upload.path, progress),
            headers={
                "Content-Type": upload.mime_type,
                "Content-Disposition": f'attachment; filename="{upload.filename}"',
            },
            timeout=self._upload_timeout,
            deadline=UPLOAD_DEADLINE,
        )
        return parse_media(reply.data)

    def find_media(self, slug: str) -> RemoteMedia | None:
        reply = self._get("wp/v2/media", "media", slug=slug, _fields="id,source_url,slug")
        rows = reply.data if isinstance(reply.data, list) else []
        return parse_media(rows[0]) if rows else None

    def get_media(self, media_id: int) -> RemoteMedia:
        reply = self._get(f"wp/v2/media/{media_id}", "media", _fields="id,source_url,slug")
        return parse_media(reply.data)

    # -- categories and tags -------------------------------------------------------------------------

    def _terms(self, taxonomy: str, **params: Any) -> list[RemoteTerm]:
        route = f"wp/v2/{TAXONOMY_ROUTES[taxonomy]}"
        reply = self._get(route, "term", per_page=100, _fields="id,name,slug", **params)
        if not isinstance(reply.data, list):
            raise RemoteError("The site's list of categories or tags is not what WordPress sends.")
        return [parse_term(row, taxonomy) for row in reply.data]

    def find_terms(self, taxonomy: str, names: list[str]) -> dict[str, RemoteTerm]:
        """The existing terms among *names* whose slug is the name's usual slug (one request).

        Matched by name without regard to case; a name like "Arts & Culture" may have another slug
        on the site, which :meth:`search_terms` finds.
        """
        from app.text.slugs import slugify

        slugs = sorted({slugify(n) for n in names if slugify(n)})
        if not slugs:
            return {}
        wanted = {fold(n): n for n in names}
        return {
            wanted[fold(found.name)]: found
            for found in self._terms(taxonomy, slug=",".join(slugs))
            if fold(found.name) in wanted
        }

    def search_terms(self, taxonomy: str, names: list[str]) -> dict[str, RemoteTerm]:
        """The existing terms among *names*, whatever their slug (one request per name)."""
        found: dict[str, RemoteTerm] = {}
        for name in names:
            # WordPress stores "&" as "&amp;" in names, so search by the longest plain word
            words = re.findall(r"\w+", name)
            search = max(words, key=len) if words else name
            for candidate in self._terms(taxonomy, search=search):
                if fold(candidate.name) == fold(name):
                    found[name] = candidate
                    break
        return found

    def create_term(self, taxonomy: str, name: str) -> RemoteTerm:
        """Create a category or tag; when it exists already, the existing one."""
        route = f"wp/v2/{TAXONOMY_ROUTES[taxonomy]}"
        try:
            reply = self._http.request("POST", self._url(route), action="term", json_body={"name": name})
        except TermExistsError as exc:
            if exc.term_id:
                return RemoteTerm(id=exc.term_id, name=name, slug="", taxonomy=taxonomy)
            existing = self.search_terms(taxonomy, [name]).get(name)
            if existing is None:
                raise
            return existing
        return parse_term(reply.data, taxonomy)

    def terms_by_id(self, taxonomy: str, ids: list[int]) -> list[RemoteTerm]:
        if not ids:
            return []
        return self._terms(taxonomy, include=",".join(str(i) for i in ids))


def uid_marker(uid: str) -> str:
    """The hidden comment that marks a post made from piece *uid* on sites without the plugin."""
    return f"<!-- copydesk:{uid} -->"
