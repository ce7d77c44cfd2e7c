"""The WordPress REST API client (WordPress 5.6 or newer, application passwords).

One :class:`WordPressClient` per site and user, over one ``requests`` session (see :mod:`app.cms.http`
for timeouts, retries and errors). Every call blocks and returns plain values of :mod:`app.cms.base`.

The API root is found once (:meth:`WordPressClient.discover`): ``/wp-json/`` with pretty permalinks,
``/?rest_route=/`` without them, or whatever the site announces in its ``Link`` header.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from app.cms.base import (
    CompanionStatus,
    MediaUpload,
    PostFields,
    Progress,
    RemoteMedia,
    RemotePage,
    RemotePost,
    RemotePostSummary,
    RemoteTerm,
    RemoteUser,
    SiteInfo,
)
from app.cms.http import DEFAULT_TIMEOUT, UPLOAD_TIMEOUT, JsonTransport, ProgressBody, Reply
from app.cms.wordpress.errors import TermExistsError, to_error
from app.errors import AuthError, InvalidInputError, PermissionDenied, RemoteError

log = logging.getLogger(__name__)

COMPANION_NAMESPACE = "copydesk/v1"
UID_META = "copydesk_uid"
TAXONOMY_ROUTES = {"category": "categories", "tag": "tags"}
_ADMIN_SUFFIX = re.compile(r"/(?:wp-json|wp-admin|wp-login\.php|index\.php|xmlrpc\.php)(?:/.*)?$")
_API_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="https://api\.w\.org/"')
_LIST_FIELDS = "id,title,status,date_gmt,modified_gmt,link,slug"


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
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInputError(f"“{text}” is not a web address (it must start with https://).")
    if parts.username or parts.password:
        raise InvalidInputError(
            "Leave the user name and password out of the site's address; give them separately."
        )
    path = _ADMIN_SUFFIX.sub("", parts.path).rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, "", ""))


def _obj(data: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise RemoteError(f"The site's answer about {what} is not what WordPress sends.")
    return data


def _text(value: Any, key: str = "raw") -> str:
    """A field that is either a string or WordPress's {"raw": ..., "rendered": ...}."""
    if isinstance(value, Mapping):
        found = value.get(key)
        if found is None:
            found = value.get("rendered", "")
        return str(found)
    return "" if value is None else str(value)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _ints(value: Any) -> tuple[int, ...]:
    return tuple(_int(v) for v in value) if isinstance(value, list) else ()


def parse_post(data: Any) -> RemotePost:
    post = _obj(data, "a post")
    meta = post.get("meta")
    return RemotePost(
        id=_int(post.get("id")),
        title=_text(post.get("title")),
        content=_text(post.get("content")),
        excerpt=_text(post.get("excerpt")),
        status=str(post.get("status", "")),
        slug=str(post.get("slug", "")),
        link=str(post.get("link", "")),
        date_gmt=str(post.get("date_gmt") or ""),
        modified_gmt=str(post.get("modified_gmt") or ""),
        author=_int(post.get("author")),
        categories=_ints(post.get("categories")),
        tags=_ints(post.get("tags")),
        featured_media=_int(post.get("featured_media")),
        comment_status=str(post.get("comment_status", "open")),
        uid=str(meta.get(UID_META, "")) if isinstance(meta, Mapping) else "",
    )


def _summary(data: Any) -> RemotePostSummary:
    post = _obj(data, "a post")
    return RemotePostSummary(
        id=_int(post.get("id")),
        title=html.unescape(_text(post.get("title"), "rendered")),
        status=str(post.get("status", "")),
        date_gmt=str(post.get("date_gmt") or ""),
        modified_gmt=str(post.get("modified_gmt") or ""),
        link=str(post.get("link", "")),
        slug=str(post.get("slug", "")),
    )


def _term(data: Any, taxonomy: str) -> RemoteTerm:
    term = _obj(data, "a category or tag")
    return RemoteTerm(
        id=_int(term.get("id")),
        name=html.unescape(str(term.get("name", ""))),
        slug=str(term.get("slug", "")),
        taxonomy=taxonomy,
    )


def _media(data: Any) -> RemoteMedia:
    media = _obj(data, "an image")
    return RemoteMedia(
        id=_int(media.get("id")),
        url=str(media.get("source_url", "")),
        slug=str(media.get("slug", "")),
    )


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def post_body(fields: PostFields) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": fields.title,
        "content": fields.content,
        "excerpt": fields.excerpt,
        "comment_status": fields.comment_status,
        "tags": list(fields.tags),
        "featured_media": fields.featured_media,
    }
    if fields.categories:
        # none given: WordPress puts the post in its default category, as its editor would
        body["categories"] = list(fields.categories)
    if fields.slug:
        body["slug"] = fields.slug
    if fields.status is not None:
        body["status"] = fields.status
    if fields.date_gmt is not None:
        body["date_gmt"] = fields.date_gmt
    if fields.uid is not None:
        body["meta"] = {UID_META: fields.uid}
    return body


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
    ) -> None:
        self.url = normalize_site_url(url)
        self._api_root = api_root
        self._upload_timeout = upload_timeout
        self._http = JsonTransport(
            error_mapper=to_error,
            auth=(username, password) if username and password else None,
            timeout=timeout,
            allow_insecure_http=allow_insecure_http,
        )

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

    def _index_at(self, candidate: str, *, authenticated: bool) -> tuple[str, Mapping[str, Any]] | None:
        try:
            reply = self._http.request("GET", candidate, action="index", authenticated=authenticated)
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

    def _announced_root(self) -> str | None:
        """The API root a WordPress page announces in its ``Link`` header."""
        try:
            reply = self._http.request("GET", self.url + "/", action="index", authenticated=False)
        except (RemoteError, PermissionDenied, AuthError):
            return None
        match = _API_LINK.search(reply.headers.get("Link", ""))
        return match.group(1) if match else None

    def discover(self) -> SiteInfo:
        """Find the REST API and read the site's index (name, namespaces, authentication)."""
        candidates = [f"{self.url}/wp-json/", f"{self.url}/?rest_route=/"]
        found: tuple[str, Mapping[str, Any]] | None = None
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
                f"No WordPress REST API was found at {self.url}.",
                hint="Check the address. If it is right, the REST API may be switched off by a "
                "security plugin; ask the site's administrator.",
            )
        root, index = found
        self._api_root = root
        namespaces = tuple(str(n) for n in index.get("namespaces", []) if isinstance(n, str))
        auth = index.get("authentication")
        return SiteInfo(
            name=html.unescape(str(index.get("name", ""))),
            description=html.unescape(str(index.get("description", ""))),
            home=str(index.get("home", "")),
            api_root=root,
            namespaces=namespaces,
            application_passwords=isinstance(auth, Mapping) and "application-passwords" in auth,
            has_companion=COMPANION_NAMESPACE in namespaces,
        )

    # -- who am I --------------------------------------------------------------------------------

    def current_user(self) -> RemoteUser:
        data = _obj(self._get("wp/v2/users/me", "user", context="edit").data, "your user")
        caps = data.get("capabilities")
        roles = data.get("roles")
        return RemoteUser(
            id=_int(data.get("id")),
            name=html.unescape(str(data.get("name", ""))),
            roles=tuple(str(r) for r in roles) if isinstance(roles, list) else (),
            capabilities=frozenset(str(k) for k, v in caps.items() if v)
            if isinstance(caps, Mapping)
            else frozenset(),
        )

    def companion_status(self) -> CompanionStatus:
        data = _obj(self._get(f"{COMPANION_NAMESPACE}/status", "index").data, "the plugin")
        return CompanionStatus(
            version=str(data.get("version", "")),
            authorization_received=bool(data.get("authorization_received")),
            user_id=_int(data.get("user_id")),
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
            posts=tuple(_summary(row) for row in rows),
            page=page,
            total=_int(reply.headers.get("X-WP-Total")),
            total_pages=_int(reply.headers.get("X-WP-TotalPages")),
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
        )
        return _media(reply.data)

    def find_media(self, slug: str) -> RemoteMedia | None:
        reply = self._get("wp/v2/media", "media", slug=slug, _fields="id,source_url,slug")
        rows = reply.data if isinstance(reply.data, list) else []
        return _media(rows[0]) if rows else None

    def get_media(self, media_id: int) -> RemoteMedia:
        return _media(self._get(f"wp/v2/media/{media_id}", "media", _fields="id,source_url,slug").data)

    # -- categories and tags -------------------------------------------------------------------------

    def _terms(self, taxonomy: str, **params: Any) -> list[RemoteTerm]:
        route = f"wp/v2/{TAXONOMY_ROUTES[taxonomy]}"
        reply = self._get(route, "term", per_page=100, _fields="id,name,slug", **params)
        if not isinstance(reply.data, list):
            raise RemoteError("The site's list of categories or tags is not what WordPress sends.")
        return [_term(row, taxonomy) for row in reply.data]

    def find_terms(self, taxonomy: str, names: list[str]) -> dict[str, RemoteTerm]:
        """The existing terms among *names* whose slug is the name's usual slug (one request).

        Matched by name without regard to case; a name like "Arts & Culture" may have another slug
        on the site, which :meth:`search_terms` finds.
        """
        from app.text.slugs import slugify

        slugs = sorted({slugify(n) for n in names if slugify(n)})
        if not slugs:
            return {}
        wanted = {_fold(n): n for n in names}
        return {
            wanted[_fold(term.name)]: term
            for term in self._terms(taxonomy, slug=",".join(slugs))
            if _fold(term.name) in wanted
        }

    def search_terms(self, taxonomy: str, names: list[str]) -> dict[str, RemoteTerm]:
        """The existing terms among *names*, whatever their slug (one request per name)."""
        found: dict[str, RemoteTerm] = {}
        for name in names:
            # WordPress stores "&" as "&amp;" in names, so search by the longest plain word
            words = re.findall(r"\w+", name)
            search = max(words, key=len) if words else name
            for term in self._terms(taxonomy, search=search):
                if _fold(term.name) == _fold(name):
                    found[name] = term
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
        return _term(reply.data, taxonomy)

    def terms_by_id(self, taxonomy: str, ids: list[int]) -> list[RemoteTerm]:
        if not ids:
            return []
        return self._terms(taxonomy, include=",".join(str(i) for i in ids))


def uid_marker(uid: str) -> str:
    """The hidden comment that marks a post made from piece *uid* on sites without the plugin."""
    return f"<!-- copydesk:{uid} -->"
