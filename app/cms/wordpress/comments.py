"""WordPress's comments over the REST API: list, read, moderate, reply; and who is asking.

Built on a signed-in :class:`~app.cms.wordpress.client.WordPressClient` (its session, timeouts and
errors).
Everything returned is a frozen dataclass. Comments are read in the ``view`` context: WordPress refuses
``edit`` to anyone who may not moderate every comment (authors), and ``view`` has all the desk needs
(the rendered HTML, the status, the parent, the votes meta).

WordPress's own error messages speak of posts; the moderation errors are re-worded here for comments.
"""

from __future__ import annotations

import email.utils
import html
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.cms.http import Reply
from app.cms.wordpress.client import COMPANION_NAMESPACE, WordPressClient
from app.cms.wordpress.parse import as_int
from app.errors import InvalidInputError, NotFoundError, PermissionDenied, RemoteError

log = logging.getLogger(__name__)

VOTES_META = "wpdiscuz_votes"
PAGE_SIZE = 100  # WordPress's maximum
FIELDS = "id,post,parent,author,author_name,author_url,date_gmt,content,link,status"
ID_FIELDS = "id,status"
POST_FIELDS = "id,title,link,author,status"
FEATURE_VOTES = "comment-votes"
FEATURE_CHANGES = "comment-changes"
FEATURE_DELETIONS = "comment-deletions"
# what a moderation action asks WordPress for, given the comment's status on the site
WP_STATUS = {"approved": "approved", "hold": "hold", "spam": "spam", "trash": "trash"}


@dataclass(frozen=True)
class RemoteComment:
    id: int
    post: int
    parent: int
    author: int  # the WordPress user who wrote it, 0 for a visitor
    author_name: str
    author_url: str
    date_gmt: str  # "YYYY-MM-DDTHH:MM:SS"
    html: str  # as the site renders it: untrusted
    status: str  # "approved", "hold", "spam", "trash", "post-trashed"
    link: str
    votes: int | None = None  # None: the site does not say (no companion plugin)


@dataclass(frozen=True)
class CommentPage:
    comments: tuple[RemoteComment, ...]
    total: int
    total_pages: int
    server_time: int | None  # the site's clock (Unix seconds), from the Date header


@dataclass(frozen=True)
class PostInfo:
    id: int
    title: str
    link: str
    author: int
    status: str


@dataclass(frozen=True)
class CommentIdentity:
    """Who syncs, and what the site offers for comments."""

    user_id: int
    name: str
    can_moderate: bool  # may moderate every comment of the site (editors, administrators)
    features: frozenset[str]  # of the companion plugin; empty without it

    @property
    def votes(self) -> bool:
        return FEATURE_VOTES in self.features

    @property
    def changes(self) -> bool:
        return FEATURE_CHANGES in self.features

    @property
    def deletions(self) -> bool:
        return FEATURE_DELETIONS in self.features


def _rendered(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("rendered") or value.get("raw") or "")
    return "" if value is None else str(value)


def parse_comment(data: Any) -> RemoteComment:
    if not isinstance(data, Mapping):
        raise RemoteError("The site's answer about a comment is not what WordPress sends.")
    meta = data.get("meta")
    votes = None
    if isinstance(meta, Mapping) and VOTES_META in meta:
        votes = as_int(meta.get(VOTES_META))
    return RemoteComment(
        id=as_int(data.get("id")),
        post=as_int(data.get("post")),
        parent=as_int(data.get("parent")),
        author=as_int(data.get("author")),
        author_name=html.unescape(str(data.get("author_name") or "")),
        author_url=str(data.get("author_url") or ""),
        date_gmt=str(data.get("date_gmt") or ""),
        html=_rendered(data.get("content")),
        status=str(data.get("status") or ""),
        link=str(data.get("link") or ""),
        votes=votes,
    )


def server_time(reply: Reply) -> int | None:
    value = reply.headers.get("Date")
    if not value:
        return None
    try:
        return int(email.utils.parsedate_to_datetime(value).timestamp())
    except (TypeError, ValueError):
        return None


def _ids(values: Sequence[int]) -> str:
    return ",".join(str(v) for v in values)


class CommentsApi:
    """The comment routes of one site, for one signed-in user."""

    def __init__(self, client: WordPressClient) -> None:
        self._client = client

    @property
    def requests_made(self) -> int:
        return self._client.requests_made

    # -- who is asking ---------------------------------------------------------------------------

    def identity(self, *, companion: bool) -> CommentIdentity:
        """The user and the site's comment features: from the companion plugin's status route when
        the site has it (one request for both), else from ``users/me``."""
        if companion:
            try:
                reply = self._client.call("GET", f"{COMPANION_NAMESPACE}/status", action="index")
            except (RemoteError, NotFoundError):
                reply = None
            data = reply.data if reply is not None else None
            if (
                isinstance(data, Mapping)
                and "can_moderate_comments" in data
                and as_int(data.get("user_id"))
            ):
                features = data.get("features")
                return CommentIdentity(
                    user_id=as_int(data.get("user_id")),
                    name=html.unescape(str(data.get("user_name") or "")),
                    can_moderate=bool(data.get("can_moderate_comments")),
                    features=frozenset(str(f) for f in features)
                    if isinstance(features, list)
                    else frozenset(),
                )
        user = self._client.current_user()
        return CommentIdentity(
            user_id=user.id,
            name=user.name,
            can_moderate=user.can("moderate_comments"),
            features=frozenset(),
        )

    # -- reading ---------------------------------------------------------------------------------

    def fetch(
        self,
        *,
        status: str = "any",
        posts: Sequence[int] = (),
        include: Sequence[int] = (),
        page: int = 1,
        per_page: int = PAGE_SIZE,
        order: str = "asc",
        changed_after: int | None = None,
        votes: bool = False,
        ids_only: bool = False,
    ) -> CommentPage:
        """One page of comments, by id (ids never shift between pages as dates can)."""
        params: dict[str, Any] = {
            "status": status,
            "per_page": per_page,
            "page": page,
            "orderby": "id",
            "order": order,
            "_fields": ID_FIELDS if ids_only else FIELDS + (",meta" if votes else ""),
        }
        if posts:
            params["post"] = _ids(posts)
        if include:
            params["include"] = _ids(include)
        if changed_after is not None:
            params["copydesk_changed_after"] = changed_after
        reply = self._client.call("GET", "wp/v2/comments", action="comment", params=params)
        if not isinstance(reply.data, list):
            raise RemoteError("The site's list of comments is not what WordPress sends.")
        return CommentPage(
            comments=tuple(parse_comment(row) for row in reply.data),
            total=as_int(reply.headers.get("X-WP-Total")),
            total_pages=as_int(reply.headers.get("X-WP-TotalPages")),
            server_time=server_time(reply),
        )

    def find(self, comment_id: int, *, votes: bool = False) -> RemoteComment | None:
        """The comment as it is on the site now; None when it is gone (or no longer visible)."""
        found = self.fetch(include=[comment_id], per_page=1, votes=votes)
        return next((c for c in found.comments if c.id == comment_id), None)

    def deleted_since(self, since: int) -> tuple[list[int], bool]:
        """Ids of comments deleted for good since *since* (companion plugin), and whether the
        plugin's log reaches back that far."""
        reply = self._client.call(
            "GET", f"{COMPANION_NAMESPACE}/deleted-comments", action="comment", params={"since": since}
        )
        data = reply.data if isinstance(reply.data, Mapping) else {}
        ids = data.get("ids")
        return [as_int(i) for i in ids] if isinstance(ids, list) else [], bool(data.get("complete"))

    def own_posts(self, author: int, page: int = 1) -> tuple[list[PostInfo], int]:
        """One page of the user's own posts, in every status; and how many pages there are."""
        reply = self._client.call(
            "GET",
            "wp/v2/posts",
            action="list",
            params={
                "author": author,
                "status": "any",
                "per_page": PAGE_SIZE,
                "page": page,
                "orderby": "id",
                "order": "asc",
                "_fields": POST_FIELDS,
            },
        )
        rows = reply.data if isinstance(reply.data, list) else []
        return [self._post(row) for row in rows], as_int(reply.headers.get("X-WP-TotalPages"))

    def posts_by_id(self, ids: Sequence[int]) -> list[PostInfo]:
        """Posts (or pages) by id; ids the user may not see, or that are gone, are left out."""
        found: dict[int, PostInfo] = {}
        wanted = sorted(set(ids))
        for route in ("wp/v2/posts", "wp/v2/pages"):
            missing = [i for i in wanted if i not in found]
            for start in range(0, len(missing), PAGE_SIZE):
                chunk = missing[start : start + PAGE_SIZE]
                try:
                    reply = self._client.call(
                        "GET",
                        route,
                        action="list",
                        params={
                            "include": _ids(chunk),
                            "status": "any",
                            "per_page": PAGE_SIZE,
                            "_fields": POST_FIELDS,
                        },
                    )
                except (PermissionDenied, RemoteError):
                    # an author may not list others' drafts with status=any: ask for published ones
                    reply = self._client.call(
                        "GET",
                        route,
                        action="list",
                        params={"include": _ids(chunk), "per_page": PAGE_SIZE, "_fields": POST_FIELDS},
                    )
                for row in reply.data if isinstance(reply.data, list) else []:
                    post = self._post(row)
                    found[post.id] = post
        return list(found.values())

    @staticmethod
    def _post(data: Any) -> PostInfo:
        row = data if isinstance(data, Mapping) else {}
        return PostInfo(
            id=as_int(row.get("id")),
            title=html.unescape(_rendered(row.get("title"))),
            link=str(row.get("link") or ""),
            author=as_int(row.get("author")),
            status=str(row.get("status") or ""),
        )

    # -- acting ----------------------------------------------------------------------------------

    def set_status(self, comment_id: int, wp_status: str) -> RemoteComment:
        """Ask WordPress to move the comment to *wp_status* ("approved", "hold", "spam", "trash",
        "untrash", "unspam")."""
        try:
            reply = self._client.call(
                "POST",
                f"wp/v2/comments/{comment_id}",
                action="comment",
                json_body={"status": wp_status},
            )
        except PermissionDenied:
            raise PermissionDenied(
                "You may not moderate this comment: it is on someone else's post.",
                hint="Authors moderate the comments on their own posts; ask an editor.",
            ) from None
        except RemoteError as exc:
            if exc.code == "rest_comment_invalid_id":
                raise NotFoundError("The comment no longer exists on the site.") from None
            raise
        return parse_comment(reply.data)

    def create_reply(self, post: int, parent: int, content_html: str) -> RemoteComment:
        """Post a reply as the signed-in user, under comment *parent* of post *post*."""
        try:
            reply = self._client.call(
                "POST",
                "wp/v2/comments",
                action="comment",
                json_body={"post": post, "parent": parent, "content": content_html},
            )
        except PermissionDenied as exc:
            raise PermissionDenied(_reply_refusal(exc.message), hint=exc.hint) from None
        except RemoteError as exc:
            if exc.code in ("rest_comment_content_invalid", "comment_duplicate"):
                raise InvalidInputError(_reply_refusal(exc.message)) from None
            raise
        return parse_comment(reply.data)

    def find_replies(self, post: int, parent: int, author: int) -> list[RemoteComment]:
        """The user's replies under one comment, newest first (to find a reply whose answer was lost)."""
        reply = self._client.call(
            "GET",
            "wp/v2/comments",
            action="comment",
            params={
                "post": post,
                "parent": parent,
                "author": author,
                "status": "any",
                "orderby": "id",
                "order": "desc",
                "per_page": 20,
                "_fields": FIELDS,
            },
        )
        rows = reply.data if isinstance(reply.data, list) else []
        return [parse_comment(row) for row in rows]


def _reply_refusal(message: str) -> str:
    lowered = message.lower()
    if "closed" in lowered:
        return "Comments are closed on that post, so the reply was not posted."
    if "without a post" in lowered or "invalid post" in lowered:
        return "The post no longer exists on the site, so the reply was not posted."
    return f"The site did not accept the reply: {message}"
