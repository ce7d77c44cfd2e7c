"""The plain values of the editorial review over REST, and the readers of the site's answers into them.

Every reader takes whatever the site sent: a field of the wrong type becomes an empty value (see
:mod:`app.cms.wordpress.parse`), an answer that is not an object at all a
:class:`~app.errors.RemoteError`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.cms.wordpress.parse import as_int, as_str, text
from app.errors import RemoteError


def version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for part in version.split("."):
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
    status: str = "pending"


@dataclass(frozen=True)
class QueuePage:
    entries: tuple[QueueEntry, ...]
    page: int
    total_pages: int


def parse_event(data: Any) -> SiteEvent:
    row = data if isinstance(data, Mapping) else {}
    return SiteEvent(
        at=as_str(row.get("at")),
        user_id=as_int(row.get("user")),
        user_name=html.unescape(as_str(row.get("user_name"))),
        machine=as_str(row.get("machine")),
        action=as_str(row.get("action")),
        from_status=as_str(row.get("from")),
        to_status=as_str(row.get("to")),
        note=as_str(row.get("note")),
    )


def parse_review(data: Any) -> PostReview:
    if not isinstance(data, Mapping):
        raise RemoteError("The site's answer about a review is not what the Copydesk plugin sends.")
    submitted = data.get("submitted")
    sub = submitted if isinstance(submitted, Mapping) else {}
    timeline = data.get("timeline")
    return PostReview(
        id=as_int(data.get("id")),
        status=as_str(data.get("status")),
        modified_gmt=as_str(data.get("modified_gmt")),
        date_gmt=as_str(data.get("date_gmt")),
        author=as_int(data.get("author")),
        author_name=html.unescape(as_str(data.get("author_name"))),
        content_hash=as_str(data.get("content_hash")),
        state=as_str(data.get("state")),
        note=as_str(data.get("note")),
        state_by_name=html.unescape(as_str(data.get("state_by_name"))),
        state_at=as_str(data.get("state_at")),
        submitted_at=as_str(sub.get("at")),
        submitted_by_name=html.unescape(as_str(sub.get("by_name"))),
        submitted_revision=as_int(sub.get("revision")),
        timeline=tuple(parse_event(e) for e in timeline) if isinstance(timeline, list) else (),
        repeated=bool(data.get("repeated")),
    )


def parse_plain_state(data: Any) -> PostReview:
    row = data if isinstance(data, Mapping) else {}
    return PostReview(
        id=as_int(row.get("id")),
        status=as_str(row.get("status")),
        modified_gmt=as_str(row.get("modified_gmt")),
        date_gmt=as_str(row.get("date_gmt")),
        author=as_int(row.get("author")),
        link=as_str(row.get("link")),
    )


def parse_queue_entry(data: Any) -> QueueEntry:
    row = data if isinstance(data, Mapping) else {}
    review = row.get("copydesk_review")
    rv = review if isinstance(review, Mapping) else {}
    cats = row.get("categories")
    return QueueEntry(
        id=as_int(row.get("id")),
        title=html.unescape(text(row.get("title"))),
        author=as_int(row.get("author")),
        author_name=html.unescape(as_str(rv.get("author_name"))),
        date_gmt=as_str(row.get("date_gmt")),
        modified_gmt=as_str(row.get("modified_gmt")),
        categories=tuple(as_int(c) for c in cats) if isinstance(cats, list) else (),
        content=text(row.get("content")),
        link=as_str(row.get("link")),
        state=as_str(rv.get("state")),
        submitted_by_name=html.unescape(as_str(rv.get("submitted_by_name"))),
        submitted_at=as_str(rv.get("submitted_at")),
        content_hash=as_str(rv.get("content_hash")),
        status=as_str(row.get("status")) or "pending",
    )


@dataclass(frozen=True)
class Expected:
    """The post as the user saw it when they acted: the write is refused if it changed since."""

    modified_gmt: str = ""
    content_hash: str = ""
