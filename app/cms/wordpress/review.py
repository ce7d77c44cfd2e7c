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
from typing import Any

from app.cms.wordpress.client import COMPANION_NAMESPACE, WordPressClient
from app.cms.wordpress.parse import as_int, as_str
from app.cms.wordpress.review_data import (
    Expected,
    PostReview,
    QueueEntry,
    QueuePage,
    SiteEvent,
    SubmittedVersion,
    parse_plain_state,
    parse_queue_entry,
    parse_review,
    version_tuple,
)
from app.errors import ConflictError, NotFoundError, PermissionDenied, RemoteError

log = logging.getLogger(__name__)

FEATURE_STATE = "review-state"
FEATURE_TIMELINE = "review-timeline"
FEATURE_SUBMISSIONS = "review-submissions"
REVIEW_FEATURES = (FEATURE_STATE, FEATURE_TIMELINE, FEATURE_SUBMISSIONS)
MIN_PLUGIN_VERSION = (0, 3, 0)
BATCH = 100  # ids per request, WordPress's page size
_STATE_FIELDS = "id,status,modified_gmt,date_gmt,author,link"
QUEUE_FIELDS = (  # the raw text only: the site need not render 100 posts for a word count
    "id,title.raw,author,date_gmt,modified_gmt,categories,content.raw,link,status,copydesk_review"
)


__all__ = [
    "Expected",
    "PostReview",
    "QueueEntry",
    "QueuePage",
    "ReviewApi",
    "SiteEvent",
    "SubmittedVersion",
    "parse_review",
    "version_tuple",
]


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
        return as_str(data.get("version")), found

    def statuses(self) -> dict[str, str]:
        """The post statuses the site registers (slug → name), custom ones included."""
        reply = self._client.call("GET", "wp/v2/statuses", action="list")
        data = reply.data if isinstance(reply.data, Mapping) else {}
        return {
            str(slug): html.unescape(as_str(v.get("name"))) if isinstance(v, Mapping) else str(slug)
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
            missing |= {as_int(i) for i in gone} if isinstance(gone, list) else set()
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
            at=as_str(data.get("at")),
            revision=as_int(data.get("revision")),
            title=as_str(data.get("title")),
            content=as_str(data.get("content")),
            markdown=as_str(data.get("markdown")),
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
                state = parse_plain_state(row)
                found[state.id] = state
        return found, set(wanted) - set(found)

    def queue(
        self,
        *,
        page: int = 1,
        category: int | None = None,
        author: int | None = None,
        statuses: Sequence[str] = ("pending",),
    ) -> QueuePage:
        """One page (100) of the posts pending review (or in one of *statuses*), newest first."""
        params: dict[str, Any] = {
            "status": ",".join(statuses),
            "context": "edit",
            "orderby": "date",
            "order": "desc",
            "per_page": BATCH,
            "page": page,
            "_fields": QUEUE_FIELDS,
        }
        if category is not None:
            params["categories"] = category
        if author is not None:
            params["author"] = author
        reply = self._client.call("GET", "wp/v2/posts", action="list", params=params)
        if not isinstance(reply.data, list):
            raise RemoteError("The site's list of posts is not what WordPress sends.")
        return QueuePage(
            entries=tuple(parse_queue_entry(row) for row in reply.data),
            page=page,
            total_pages=as_int(reply.headers.get("X-WP-TotalPages")),
        )

    def pending_count(self) -> int:
        """How many posts await review (one request; right for editors only: for a contributor
        WordPress counts posts it will not show)."""
        reply = self._client.call(
            "GET", "wp/v2/posts", action="list",
            params={"status": "pending", "per_page": 1, "_fields": "id"},
        )  # fmt: skip
        return as_int(reply.headers.get("X-WP-Total"))

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
        return parse_plain_state(reply.data)
