"""What Copydesk needs from a CMS: one interface, plain values, and the errors worth retrying.

A client module per CMS (:mod:`app.cms.wordpress.client` first) implements :class:`CmsClient`.
Everything it returns is a frozen dataclass with no network or database attached, so a worker
thread can hand it to the GUI thread as it is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from app.errors import NetworkError

Progress = Callable[[int, int], None]
"""Called with (done, total), e.g. bytes of an upload."""

PostStatus = Literal["draft", "pending", "future", "publish", "private"]
PUSH_STATUSES: tuple[str, ...] = ("draft", "pending", "future", "publish")
STATUS_LABELS: dict[str, str] = {
    "draft": "Draft",
    "pending": "Pending review",
    "future": "Scheduled",
    "publish": "Published",
    "private": "Private",
    "trash": "In the trash",
}


class SiteBusyError(NetworkError):
    """The site answered, but with a temporary failure (HTTP 5xx or 429): try again later."""

    def __init__(
        self, message: str, *, status: int, retry_after: float | None = None, hint: str = ""
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.retry_after = retry_after


class LostResponseError(NetworkError):
    """The request went out but its answer never came back: the site may or may not have acted."""


# -- what a site tells about itself and its user ----------------------------------------------------


@dataclass(frozen=True)
class SiteInfo:
    name: str
    description: str
    home: str  # the site's own idea of its address
    api_root: str  # ".../wp-json/" or ".../?rest_route=/"
    namespaces: tuple[str, ...]
    application_passwords: bool  # the index offers application passwords
    has_companion: bool = False  # the Copydesk companion plugin is active
    moved_to: str = ""  # the API root, when the site moved Copydesk from http to https


@dataclass(frozen=True)
class CompanionStatus:
    version: str
    authorization_received: bool
    user_id: int


ROLE_LABELS = {
    "administrator": "Administrator",
    "editor": "Editor",
    "author": "Author",
    "contributor": "Contributor",
    "subscriber": "Subscriber",
}


@dataclass(frozen=True)
class RemoteUser:
    id: int
    name: str
    roles: tuple[str, ...]
    capabilities: frozenset[str]

    @property
    def role_label(self) -> str:
        if not self.roles:
            return "no role"
        return ", ".join(ROLE_LABELS.get(r, r.replace("_", " ").title()) for r in self.roles)

    def can(self, capability: str) -> bool:
        return capability in self.capabilities

    @property
    def can_write(self) -> bool:
        return self.can("edit_posts")

    @property
    def can_publish(self) -> bool:
        return self.can("publish_posts")

    @property
    def can_upload(self) -> bool:
        return self.can("upload_files")

    @property
    def can_create_categories(self) -> bool:
        return self.can("manage_categories")

    @property
    def can_create_tags(self) -> bool:
        # WordPress lets anyone who may assign tags (edit_posts) create new ones through REST
        return self.can("edit_posts")


# -- posts, media, terms ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RemotePost:
    """A post as the site holds it (raw fields, as an editor would see them)."""

    id: int
    title: str  # raw, as stored (WordPress may have turned "&" into "&amp;")
    content: str  # raw HTML
    excerpt: str
    status: str
    slug: str
    link: str
    date_gmt: str
    modified_gmt: str
    author: int = 0
    categories: tuple[int, ...] = ()
    tags: tuple[int, ...] = ()
    featured_media: int = 0
    comment_status: str = "open"
    uid: str = ""  # the companion plugin's copydesk_uid meta
    custom_fields: tuple[tuple[str, str], ...] = ()  # (key, value) of the custom fields REST shows

    def field(self, key: str) -> str | None:
        """The custom field *key* as the site holds it; None when REST does not show it."""
        return dict(self.custom_fields).get(key)

    def text_hash(self) -> str:
        """A fingerprint of what a writer would call the post's text and metadata.

        The status, the date and the slug are left out: an editor publishing or rescheduling a piece
        is the workflow going on, not an edit that a push could overwrite.
        """
        fields = {
            "title": self.title,
            "content": self.content,
            "excerpt": self.excerpt,
            "categories": sorted(self.categories),
            "tags": sorted(self.tags),
            "featured_media": self.featured_media,
            "comment_status": self.comment_status,
        }
        text = json.dumps(fields, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class RemotePostSummary:
    id: int
    title: str
    status: str
    date_gmt: str
    modified_gmt: str
    link: str
    slug: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class RemotePage:
    posts: tuple[RemotePostSummary, ...]
    page: int
    total: int
    total_pages: int


@dataclass(frozen=True)
class RemoteMedia:
    id: int
    url: str
    slug: str = ""


@dataclass(frozen=True)
class RemoteTerm:
    id: int
    name: str
    slug: str
    taxonomy: str  # "category" or "tag"


@dataclass(frozen=True)
class PostFields:
    """What a push sends. ``None`` leaves a field as it is on the site (updates only)."""

    title: str
    content: str
    excerpt: str
    slug: str
    comment_status: str
    categories: tuple[int, ...] = ()
    tags: tuple[int, ...] = ()
    featured_media: int = 0
    status: str | None = None
    date_gmt: str | None = None  # "YYYY-MM-DDTHH:MM:SS", UTC
    uid: str | None = None  # sent as the companion plugin's meta
    author: int | None = None  # the user id the post is by; None leaves it to WordPress
    custom_fields: tuple[tuple[str, str], ...] = ()  # (key, value): a theme's or a plugin's fields
    fields_by_plugin: bool = False  # custom fields through the companion plugin (0.5.0), not "meta"
    meta_fields: tuple[tuple[str, str], ...] = ()  # registered meta (SEO plugins'), always as "meta"


@dataclass(frozen=True)
class MediaUpload:
    path: Path
    filename: str  # ASCII, what the site will call the file
    mime_type: str
    slug: str = ""  # a marker slug to find the upload again when its answer was lost
    alt_text: str = ""
    size: int = field(default=0)


class CmsClient(Protocol):
    """One signed-in connection to one site. Methods block; none of them retries a write."""

    @property
    def requests_made(self) -> int: ...

    def discover(self) -> SiteInfo: ...

    def current_user(self) -> RemoteUser: ...

    def companion_status(self) -> CompanionStatus: ...

    def get_post(self, post_id: int) -> RemotePost: ...

    def list_posts(
        self, *, status: str | None = None, search: str = "", page: int = 1, per_page: int = 100
    ) -> RemotePage: ...

    def find_posts_by_uid(self, uid: str, *, companion: bool) -> list[RemotePost]: ...

    def create_post(self, fields: PostFields) -> RemotePost: ...

    def update_post(self, post_id: int, fields: PostFields) -> RemotePost: ...

    def upload_media(self, upload: MediaUpload, progress: Progress | None = None) -> RemoteMedia: ...

    def find_media(self, slug: str) -> RemoteMedia | None: ...

    def get_media(self, media_id: int) -> RemoteMedia: ...

    def find_terms(self, taxonomy: str, names: list[str]) -> dict[str, RemoteTerm]: ...

    def search_terms(self, taxonomy: str, names: list[str]) -> dict[str, RemoteTerm]: ...

    def create_term(self, taxonomy: str, name: str) -> RemoteTerm: ...

    def terms_by_id(self, taxonomy: str, ids: list[int]) -> list[RemoteTerm]: ...

    def close(self) -> None: ...
