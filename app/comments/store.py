"""The comments kept in the library: written by the sync and the actions, read by the desk and the CLI.

Each write is one short transaction, so a sync running beside the editor's autosave never holds the
library for long. The queries that only read are in :mod:`app.comments.reading`.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.cms.wordpress.comments import PostInfo, RemoteComment
from app.comments.reading import CommentReading
from app.comments.sanitize import plain_text
from app.store import Database
from app.store.models import Comment, CommentPost, CommentSync, utcnow

log = logging.getLogger(__name__)

_CHUNK = 500  # ids per IN (...) clause


@dataclass(frozen=True)
class SyncState:
    site_id: int
    user_id: int
    user_name: str
    scope: str
    features: frozenset[str]
    max_remote_id: int
    server_time: int
    synced_at: datetime | None
    full_synced_at: datetime | None


def content_hash(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def parse_gmt(value: str, default: datetime) -> datetime:
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        return default


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


class CommentStore(CommentReading):
    """The comments of every site: the reading side is :class:`CommentReading`."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    # -- sync state ----------------------------------------------------------------------------

    def state(self, site_id: int) -> SyncState | None:
        with self._db.session() as session:
            row = session.get(CommentSync, site_id)
            if row is None:
                return None
            try:
                features = frozenset(str(f) for f in json.loads(row.features or "[]"))
            except ValueError:
                features = frozenset()
            return SyncState(
                site_id=row.site_id,
                user_id=row.user_id,
                user_name=row.user_name,
                scope=row.scope,
                features=features,
                max_remote_id=row.max_remote_id,
                server_time=row.server_time,
                synced_at=row.synced_at,
                full_synced_at=row.full_synced_at,
            )

    def save_state(self, site_id: int, **values: Any) -> None:
        if "features" in values:
            values["features"] = json.dumps(sorted(values["features"]))
        with self._db.session() as session:
            row = session.get(CommentSync, site_id)
            if row is None:
                row = CommentSync(site_id=site_id)
                session.add(row)
            for name, value in values.items():
                setattr(row, name, value)

    # -- written by the sync -------------------------------------------------------------------

    def upsert_posts(self, site_id: int, posts: Iterable[PostInfo]) -> None:
        now = self._clock()
        wanted = {p.id: p for p in posts if p.id}
        if not wanted:
            return
        with self._db.session() as session:
            rows = {
                r.remote_id: r
                for r in session.scalars(
                    select(CommentPost).where(
                        CommentPost.site_id == site_id, CommentPost.remote_id.in_(list(wanted))
                    )
                )
            }
            for post in wanted.values():
                row = rows.get(post.id)
                if row is None:
                    row = CommentPost(site_id=site_id, remote_id=post.id)
                    session.add(row)
                row.title, row.link, row.author_id = post.title, post.link, post.author
                row.remote_status, row.updated_at = post.status, now

    def post_ids(self, site_id: int, *, author: int | None = None) -> list[int]:
        query = select(CommentPost.remote_id).where(CommentPost.site_id == site_id)
        if author is not None:
            query = query.where(CommentPost.author_id == author)
        with self._db.session() as session:
            return sorted(session.scalars(query))

    def posts_without_info(self, site_id: int) -> list[int]:
        """Posts that have comments here but no title yet."""
        with self._db.session() as session:
            known = select(CommentPost.remote_id).where(CommentPost.site_id == site_id)
            return sorted(
                session.scalars(
                    select(Comment.post_id)
                    .where(Comment.site_id == site_id, Comment.post_id.not_in(known))
                    .distinct()
                )
            )

    def commented_posts(self, site_id: int) -> list[int]:
        with self._db.session() as session:
            return sorted(
                session.scalars(select(Comment.post_id).where(Comment.site_id == site_id).distinct())
            )

    def store(self, site_id: int, comments: Sequence[RemoteComment]) -> tuple[int, int]:
        """Add or bring up to date comments read from the site; returns (added, changed)."""
        if not comments:
            return 0, 0
        now = self._clock()
        wanted = {c.id: c for c in comments if c.id}
        added: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        with self._db.session() as session:
            existing = {
                row.remote_id: row
                for row in session.execute(
                    select(
                        Comment.id,
                        Comment.remote_id,
                        Comment.status,
                        Comment.content_hash,
                        Comment.votes,
                        Comment.parent_id,
                        Comment.post_id,
                        Comment.author_name,
                    ).where(Comment.site_id == site_id, Comment.remote_id.in_(list(wanted)))
                )
            }
            for remote in wanted.values():
                digest = content_hash(remote.html)
                old = existing.get(remote.id)
                values: dict[str, Any] = {
                    "status": remote.status,
                    "parent_id": remote.parent,
                    "post_id": remote.post,
                    "author_name": remote.author_name,
                    "link": remote.link,
                    "updated_at": now,
                }
                if remote.votes is not None:
                    values["votes"] = remote.votes
                if old is None:
                    values.update(
                        site_id=site_id,
                        remote_id=remote.id,
                        author_url=remote.author_url,
                        author_id=remote.author,
                        date_gmt=parse_gmt(remote.date_gmt, now),
                        html=remote.html,
                        text=plain_text(remote.html),
                        content_hash=digest,
                        votes=remote.votes or 0,
                        first_seen_at=now,
                    )
                    added.append(values)
                    continue
                same = (
                    old.status == remote.status
                    and old.content_hash == digest
                    and old.parent_id == remote.parent
                    and old.post_id == remote.post
                    and old.author_name == remote.author_name
                    and (remote.votes is None or old.votes == remote.votes)
                )
                if not same:
                    if old.content_hash != digest:
                        values.update(
                            html=remote.html, text=plain_text(remote.html), content_hash=digest
                        )
                    changed.append({"id": old.id, **values})
            if added:
                _insert_many(session, added)
            if changed:
                session.execute(update(Comment), changed)
        return len(added), len(changed)

    def statuses(
        self, site_id: int, *, posts: Sequence[int] | None = None, status: str | None = None
    ) -> dict[int, str]:
        """remote id → status of the comments stored for a site (for some posts, in one status)."""
        query = select(Comment.remote_id, Comment.status).where(
            Comment.site_id == site_id, Comment.remote_id.is_not(None)
        )
        if posts is not None:
            query = query.where(Comment.post_id.in_(list(posts)))
        if status is not None:
            query = query.where(Comment.status == status)
        with self._db.session() as session:
            return {int(rid): str(st) for rid, st in session.execute(query) if rid is not None}

    def remove(self, site_id: int, remote_ids: Iterable[int]) -> int:
        ids = sorted(set(remote_ids))
        removed = 0
        with self._db.session() as session:
            for chunk in _chunks(ids):
                result = session.execute(
                    delete(Comment).where(Comment.site_id == site_id, Comment.remote_id.in_(chunk))
                )
                removed += int(getattr(result, "rowcount", 0) or 0)
        return removed

    def max_remote_id(self, site_id: int) -> int:
        with self._db.session() as session:
            found = session.scalar(select(func.max(Comment.remote_id)).where(Comment.site_id == site_id))
            return int(found or 0)


_NEW_COLUMNS = (
    "site_id", "remote_id", "post_id", "parent_id", "author_name", "author_url", "author_id",
    "date_gmt", "status", "html", "text", "content_hash", "votes", "link", "action",
    "first_seen_at", "updated_at",
)  # fmt: skip
_INSERT = (
    f"INSERT INTO comments ({', '.join(_NEW_COLUMNS)}) VALUES ({', '.join('?' for _ in _NEW_COLUMNS)})"
)
_TIMES = {"date_gmt", "first_seen_at", "updated_at"}


def sqlite_time(moment: datetime) -> str:
    """A UTC time as :class:`app.store.models.UTCDateTime` stores it in SQLite (naive, microseconds)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _insert_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """New comments in one statement, straight to SQLite: a first sync stores thousands, and the
    ORM's conversions of every value cost as much CPU as the insert itself."""
    values = [
        tuple(
            sqlite_time(row[c]) if c in _TIMES else row.get(c, "" if c == "action" else None)
            for c in _NEW_COLUMNS
        )
        for row in rows
    ]
    session.connection().exec_driver_sql(_INSERT, values)
