"""The editorial review over REST: WordPress's own statuses, and the companion plugin's review routes.

Built on a signed-in :class:`~app.cms.wordpress.client.WordPressClient` (its session, timeouts and
errors), like :mod:`app.cms.wordpress.comments`. Everything returned is a frozen dataclass.

With the plugin (feature ``review-state``), ``/copydesk/v1/reviews`` answers the status, dates, review
state, note, submitted version and timeline of up to 100 posts in one request, to the post's editors
and to its author (WordPress takes ``context=edit`` away from a contributor once the post is
scheduled). Its write routes check the version the editor saw and answer 409 ``copydesk_changed``.
Without the plugin, only WordPress's statuses are read and written (``/wp/v2/posts``).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.cms.wordpress.client import COMPANION_NAMESPACE, WordPressClient
from app.errors import ConflictError, NotFoundError, PermissionDenied, RemoteError

log = logging.getLogger(__name__)

FEATURE_STATE = "review-state"
FEATURE_TIMELINE = "review-timeline"
FEATURE_SUBMISSIONS = "review-submissions"
REVIEW_FEATURES = (FEATURE_STATE, FEATURE_TIMELINE, FEATURE_SUBMISSIONS)
MIN_PLUGIN_VERSION = (0, 3, 0)
BATCH = 100  # ids per request, WordPress's page size
_STATE_FIELDS = "id,status,modified_gmt,date_gmt,author,link"
_QUEUE_FIELDS = "id,title,author,date_gmt,modified_gmt,categories,content,link,status,copydesk_review"


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _rendered(value: Any, key: str = "raw") -> str:
    if isinstance(value, Mapping):
        found = value.get(key)
        return _str(found if found is not None else value.get("rendered"))
    return _str(value)


def version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for part in text.split("."):
        digits = "".join(c for c in part if c.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


@dataclass(frozen=True)
class SiteEvent:
    """One entry of a post's timeline, as the plugin recorded it."""

    at: str  # "YYYY-MM-DDTHH:MM:SS", UTC
    user_id: int
    user_name: str
    machine: str
    action: str  # "status", "submitted", "returned", "approved", "scheduled", "published"
    from_status: str
    to_status: str
    note: str


@dataclass(frozen=True)
class PostReview:
    """Where a post stands: WordPress's status and dates, and (with the plugin) its review."""

    id: int
    status: str
    modified_gmt: str
    date_gmt: str
    author: int
    author_name: str = ""
    content_hash: str = ""  # the plugin's fingerprint of title, content and excerpt
    state: str = ""  # "submitted", "changes_requested", "approved", "" (without the plugin: "")
    note: str = ""
    state_by_name: str = ""
    state_at: str = ""
    submitted_at: str = ""
    submitted_by_name: str = ""
    submitted_revision: int = 0
    timeline: tuple[SiteEvent, ...] = ()
    link: str = ""
    repeated: bool = False  # a write the site had carried out already (its answer had been lost)


@dataclass(frozen=True)
class SubmittedVersion:
    at: str
    revision: int
    title: str
    content: str
    markdown: str


@dataclass(frozen=True)
class QueueEntry:
    id: int
    title: str
    author: int
    author_name: str  # "" when the site does not say (no plugin, and the user may not list users)
    date_gmt: str
    modified_gmt: str
    categories: tuple[int, ...]
    content: str  # raw HTML
    link: str
    state: str
    submitted_by_name: str
    submitted_at: str
    content_hash: str


@dataclass(frozen=True)
class QueuePage:
    entries: tuple[QueueEntry, ...]
    page: int
    total_pages: int


def _event(data: Any) -> SiteEvent:
    row = data if isinstance(data, Mapping) else {}
    return SiteEvent(
        at=_str(row.get("at")),
        user_id=_int(row.get("user")),
        user_name=html.unescape(_str(row.get("user_name"))),
        machine=_str(row.get("machine")),
        action=_str(row.get("action")),
        from_status=_str(row.get("from")),
        to_status=_str(row.get("to")),
        note=_str(row.get("note")),
    )


def parse_review(data: Any) -> PostReview:
    if not isinstance(data, Mapping):
        raise RemoteError("The site's answer about a review is not what the Copydesk plugin sends.")
    submitted = data.get("submitted")
    sub = submitted if isinstance(submitted, Mapping) else {}
    timeline = data.get("timeline")
    return PostReview(
        id=_int(data.get("id")),
        status=_str(data.get("status")),
        modified_gmt=_str(data.get("modified_gmt")),
        date_gmt=_str(data.get("date_gmt")),
        author=_int(data.get("author")),
        author_name=html.unescape(_str(data.get("author_name"))),
        content_hash=_str(data.get("content_hash")),
        state=_str(data.get("state")),
        note=_str(data.get("note")),
        state_by_name=html.unescape(_str(data.get("state_by_name"))),
        state_at=_str(data.get("state_at")),
        submitted_at=_str(sub.get("at")),
        submitted_by_name=html.unescape(_str(sub.get("by_name"))),
        submitted_revision=_int(sub.get("revision")),
        timeline=tuple(_event(e) for e in timeline) if isinstance(timeline, list) else (),
        repeated=bool(data.get("repeated")),
    )


def _plain_state(data: Any) -> PostReview:
    row = data if isinstance(data, Mapping) else {}
    return PostReview(
        id=_int(row.get("id")),
        status=_str(row.get("status")),
        modified_gmt=_str(row.get("modified_gmt")),
        date_gmt=_str(row.get("date_gmt")),
        author=_int(row.get("author")),
        link=_str(row.get("link")),
    )


def _queue_entry(data: Any) -> QueueEntry:
    row = data if isinstance(data, Mapping) else {}
    review = row.get("copydesk_review")
    rv = review if isinstance(review, Mapping) else {}
    cats = row.get("categories")
    return QueueEntry(
        id=_int(row.get("id")),
        title=html.unescape(_rendered(row.get("title"))),
        author=_int(row.get("author")),
        author_name=html.unescape(_str(rv.get("author_name"))),
        date_gmt=_str(row.get("date_gmt")),
        modified_gmt=_str(row.get("modified_gmt")),
        categories=tuple(_int(c) for c in cats) if isinstance(cats, list) else (),
        content=_rendered(row.get("content")),
        link=_str(row.get("link")),
        state=_str(rv.get("state")),
        submitted_by_name=html.unescape(_str(rv.get("submitted_by_name"))),
        submitted_at=_str(rv.get("submitted_at")),
        content_hash=_str(rv.get("content_hash")),
    )


@dataclass(frozen=True)
class Expected:
    """The post as the user saw it when they acted: the write is refused if it changed since."""

    modified_gmt: str = ""
    content_hash: str = ""


class ReviewApi:
    """The review routes of one site, for one signed-in user."""

    def __init__(self, client: WordPressClient) -> None:
        self._client = client

    @property
    def requests_made(self) -> int:
        return self._client.requests_made

    # -- what the site offers --------------------------------------------------------------------

    def plugin_features(self) -> tuple[str, frozenset[str]]:
        """(plugin version, features); ("", empty) when the plugin is not there."""
        try:
            reply = self._client.call("GET", f"{COMPANION_NAMESPACE}/status", action="index")
        except (NotFoundError, PermissionDenied):
            return "", frozenset()
        except RemoteError as exc:
            if exc.code == "rest_no_route" or exc.status == 404:
                return "", frozenset()
            raise
        data = reply.data if isinstance(reply.data, Mapping) else {}
        features = data.get("features")
        found = frozenset(str(f) for f in features) if isinstance(features, list) else frozenset()
        return _str(data.get("version")), found

    def statuses(self) -> dict[str, str]:
        """The post statuses the site registers (slug → name), custom ones included."""
        reply = self._client.call("GET", "wp/v2/statuses", action="list")
        data = reply.data if isinstance(reply.data, Mapping) else {}
        return {
            str(slug): html.unescape(_str(v.get("name"))) if isinstance(v, Mapping) else str(slug)
            for slug, v in data.items()
        }

    # -- reading ---------------------------------------------------------------------------------

    def reviews(self, ids: Sequence[int]) -> tuple[dict[int, PostReview], set[int]]:
        """The plugin's review of each post (100 a request); and the ids it does not know or show."""
        found: dict[int, PostReview] = {}
        missing: set[int] = set()
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            reply = self._client.call(
                "GET",
                f"{COMPANION_NAMESPACE}/reviews",
                action="post",
                params={"ids": ",".join(str(i) for i in chunk)},
            )
            data = reply.data if isinstance(reply.data, Mapping) else {}
            rows = data.get("reviews")
            for row in rows if isinstance(rows, list) else ():
                review = parse_review(row)
                found[review.id] = review
            gone = data.get("missing")
            missing |= {_int(i) for i in gone} if isinstance(gone, list) else set()
        missing |= set(wanted) - set(found)
        return found, missing

    def review(self, post_id: int) -> PostReview:
        reply = self._client.call("GET", f"{COMPANION_NAMESPACE}/reviews/{post_id}", action="post")
        return parse_review(reply.data)

    def submitted(self, post_id: int) -> SubmittedVersion:
        reply = self._client.call(
            "GET", f"{COMPANION_NAMESPACE}/reviews/{post_id}/submitted", action="post"
        )
        data = reply.data if isinstance(reply.data, Mapping) else {}
        return SubmittedVersion(
            at=_str(data.get("at")),
            revision=_int(data.get("revision")),
            title=_str(data.get("title")),
            content=_str(data.get("content")),
            markdown=_str(data.get("markdown")),
        )

    def states(self, ids: Sequence[int]) -> tuple[dict[int, PostReview], set[int]]:
        """Without the plugin: status and dates of each post (``/wp/v2/posts?include=``, 100 a
        request); and the ids the site did not list (deleted, trashed, or no longer visible)."""
        found: dict[int, PostReview] = {}
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            reply = self._client.call(
                "GET",
                "wp/v2/posts",
                action="list",
                params={
                    "include": ",".join(str(i) for i in chunk),
                    "status": "any",
                    "per_page": BATCH,
                    "_fields": _STATE_FIELDS,
                },
            )
            for row in reply.data if isinstance(reply.data, list) else ():
                state = _plain_state(row)
                found[state.id] = state
        return found, set(wanted) - set(found)

    def queue(
        self, *, page: int = 1, category: int | None = None, author: int | None = None
    ) -> QueuePage:
        """One page (100) of the posts pending review, newest first."""
        params: dict[str, Any] = {
            "status": "pending",
            "context": "edit",
            "orderby": "date",
            "order": "desc",
            "per_page": BATCH,
            "page": page,
            "_fields": _QUEUE_FIELDS,
        }
        if category is not None:
            params["categories"] = category
        if author is not None:
            params["author"] = author
        reply = self._client.call("GET", "wp/v2/posts", action="list", params=params)
        if not isinstance(reply.data, list):
            raise RemoteError("The site's list of posts is not what WordPress sends.")
        return QueuePage(
            entries=tuple(_queue_entry(row) for row in reply.data),
            page=page,
            total_pages=_int(reply.headers.get("X-WP-TotalPages")),
        )

    def pending_count(self) -> int:
        """How many posts await review (one request; right for editors only: for a contributor
        WordPress counts posts it will not show)."""
        reply = self._client.call(
            "GET", "wp/v2/posts", action="list",
            params={"status": "pending", "per_page": 1, "_fields": "id"},
        )  # fmt: skip
        return _int(reply.headers.get("X-WP-Total"))

    # -- writing (plugin) ------------------------------------------------------------------------

    def _write(self, post_id: int, action: str, body: dict[str, Any]) -> PostReview:
        try:
            reply = self._client.call(
                "POST", f"{COMPANION_NAMESPACE}/reviews/{post_id}/{action}", action="post",
                json_body=body,
            )  # fmt: skip
        except RemoteError as exc:
            if exc.code == "copydesk_changed":
                raise ConflictError(
                    "Someone changed the post on the site since you looked at it, so nothing was done.",
                    hint="Sync the pieces (or open the post again) to see the new version, then act "
                    "again.",
                ) from None
            if exc.code in ("copydesk_not_reviewable", "copydesk_not_pending"):
                raise ConflictError(
                    f"The post has moved on on the site meanwhile: {exc.message}",
                    hint="Sync the pieces to see where it stands now.",
                ) from None
            if exc.code == "copydesk_no_post":
                raise NotFoundError("The post no longer exists on the site.") from None
            raise
        except PermissionDenied as exc:
            raise PermissionDenied(
                f"{exc.message} Your role on the site may have changed since Copydesk last checked.",
                hint="Check the connection to the site to see your role now.",
            ) from None
        return parse_review(reply.data)

    def submit(self, post_id: int, *, markdown: str, machine: str, request_id: str) -> PostReview:
        body = {"markdown": markdown, "machine": machine, "request_id": request_id}
        return self._write(post_id, "submit", body)

    def send_back(
        self, post_id: int, *, note: str, machine: str, request_id: str, expected: Expected
    ) -> PostReview:
        body = {
            "note": note,
            "machine": machine,
            "request_id": request_id,
            "expected_modified_gmt": expected.modified_gmt,
            "expected_hash": expected.content_hash,
        }
        return self._write(post_id, "return", body)

    def approve(
        self,
        post_id: int,
        *,
        machine: str,
        request_id: str,
        expected: Expected,
        date_gmt: str | None = None,
        publish: bool = False,
    ) -> PostReview:
        body: dict[str, Any] = {
            "machine": machine,
            "request_id": request_id,
            "expected_modified_gmt": expected.modified_gmt,
            "expected_hash": expected.content_hash,
        }
        if date_gmt:
            body["date_gmt"] = date_gmt
        elif publish:
            body["publish"] = True
        return self._write(post_id, "approve", body)

    # -- writing (WordPress alone) ---------------------------------------------------------------

    def set_status(self, post_id: int, status: str, *, date_gmt: str | None = None) -> PostReview:
        """Change only the status (and date) of a post through WordPress's own route."""
        body: dict[str, Any] = {"status": status}
        if date_gmt:
            body["date_gmt"] = date_gmt
        reply = self._client.call(
            "POST", f"wp/v2/posts/{post_id}", action="post", json_body=body,
            params={"_fields": _STATE_FIELDS},
        )  # fmt: skip
        return _plain_state(reply.data)
