"""Reading the stored comments: threads, counts, the posts they are on, what waits to be sent.

What the desk shows of a comment's state is worked out here, when it is read: an action waiting in
the outbox shows where it will take the comment ("pending"), a failed one shows why (its job's
message), and a cancelled one shows nothing, so the outbox and the desk can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, or_, select, text
from sqlalchemy.orm import aliased

from app.comments.data import VISIBLE, Action, CommentData, Counts
from app.pieces.library import fts_query
from app.store import Database
from app.store.models import Comment, CommentPost, CommentSync, OutboxJob, PieceLink, Site

WAITING = ("queued", "in_flight")


def shown_status() -> Any:
    """SQL: the status the desk shows, with a waiting action applied."""
    waiting = OutboxJob.state.in_(WAITING)
    whens = [
        (and_(waiting, Comment.action == action.value), literal(action.target))
        for action in Action
        if action.target
    ]
    return case(*whens, else_=Comment.status)


class CommentReading:
    """The queries of :class:`~app.comments.store.CommentStore` that only read (and mark seen)."""

    _db: Database
    _clock: Callable[[], datetime]

    def _select(self) -> Select[Comment, bool, bool, str, str, str, str, str]:
        parent = aliased(Comment)
        mine = and_(Comment.author_id != 0, Comment.author_id == CommentSync.user_id)
        new = and_(
            ~mine,
            or_(CommentPost.seen_at.is_(None), Comment.first_seen_at > CommentPost.seen_at),
        )
        return (
            select(
                Comment,
                mine.label("mine"),
                new.label("new"),
                parent.author_name,
                parent.status,
                CommentPost.title,
                OutboxJob.state,
                OutboxJob.last_error,
            )
            .outerjoin(CommentSync, CommentSync.site_id == Comment.site_id)
            .outerjoin(
                CommentPost,
                and_(CommentPost.site_id == Comment.site_id, CommentPost.remote_id == Comment.post_id),
            )
            .outerjoin(
                parent,
                and_(
                    Comment.parent_id != 0,
                    parent.site_id == Comment.site_id,
                    parent.remote_id == Comment.parent_id,
                ),
            )
            .outerjoin(OutboxJob, OutboxJob.id == Comment.job_id)
        )

    @staticmethod
    def _data(found: Any) -> CommentData:
        row, mine, new, parent_author, parent_status, title, job_state, job_error = found
        pending = row.action if job_state in WAITING else ""
        return CommentData(
            id=row.id,
            site_id=row.site_id,
            remote_id=row.remote_id,
            post_id=row.post_id,
            parent_id=row.parent_id,
            author_name=row.author_name,
            author_url=row.author_url,
            mine=bool(mine),
            date=row.date_gmt,
            status=row.status,
            html=row.html,
            text=row.text,
            votes=row.votes,
            link=row.link,
            first_seen_at=row.first_seen_at,
            parent_author=parent_author or "",
            parent_status=parent_status or "",
            post_title=title or "",
            pending=pending,
            problem=(job_error or "") if job_state == "failed" else "",
            new=bool(new) and row.status in VISIBLE,
        )

    def comments(
        self,
        *,
        site_id: int | None = None,
        post_id: int | None = None,
        statuses: Sequence[str] | None = None,
        ids: Sequence[int] | None = None,
        search: str = "",
    ) -> list[CommentData]:
        """Stored comments, filtered; *statuses* are matched against the shown status."""
        query = self._select()
        if site_id is not None:
            query = query.where(Comment.site_id == site_id)
        if post_id is not None:
            query = query.where(Comment.post_id == post_id)
        if statuses is not None:
            query = query.where(shown_status().in_(list(statuses)))
        if ids is not None:
            query = query.where(Comment.id.in_(list(ids)))
        if search.strip():
            match = fts_query(search)
            if not match:
                return []
            hits = (
                select(text("rowid"))
                .select_from(text("comments_fts"))
                .where(text("comments_fts MATCH :match"))
            )
            query = query.where(Comment.id.in_(hits)).params(match=match)
        with self._db.session() as session:
            return [self._data(found) for found in session.execute(query)]

    def get(self, comment_id: int) -> CommentData | None:
        found = self.comments(ids=[comment_id])
        return found[0] if found else None

    def counts(self) -> dict[tuple[int, int], Counts]:
        """(site id, post id) → counts of new, held and total comments."""
        shown = shown_status()
        mine = and_(Comment.author_id != 0, Comment.author_id == CommentSync.user_id)
        fresh = and_(
            ~mine,
            shown.in_(VISIBLE),
            or_(CommentPost.seen_at.is_(None), Comment.first_seen_at > CommentPost.seen_at),
        )
        query = (
            select(
                Comment.site_id,
                Comment.post_id,
                func.sum(case((fresh, 1), else_=0)),
                func.sum(case((shown == "hold", 1), else_=0)),
                func.sum(case((shown.in_(VISIBLE), 1), else_=0)),
            )
            .outerjoin(CommentSync, CommentSync.site_id == Comment.site_id)
            .outerjoin(
                CommentPost,
                and_(CommentPost.site_id == Comment.site_id, CommentPost.remote_id == Comment.post_id),
            )
            .outerjoin(OutboxJob, OutboxJob.id == Comment.job_id)
            .group_by(Comment.site_id, Comment.post_id)
        )
        with self._db.session() as session:
            return {
                (int(site), int(post)): Counts(int(new or 0), int(held or 0), int(total or 0))
                for site, post, new, held, total in session.execute(query)
            }

    def posts(self) -> list[tuple[int, str, int, str, str, int | None]]:
        """(site id, site name, post id, title, link, piece id) of every post with comments."""
        query = (
            select(
                Comment.site_id,
                Site.name,
                Comment.post_id,
                CommentPost.title,
                CommentPost.link,
                PieceLink.piece_id,
            )
            .join(Site, Site.id == Comment.site_id)
            .outerjoin(
                CommentPost,
                and_(CommentPost.site_id == Comment.site_id, CommentPost.remote_id == Comment.post_id),
            )
            .outerjoin(
                PieceLink,
                and_(PieceLink.site_id == Comment.site_id, PieceLink.remote_id == Comment.post_id),
            )
            .distinct()
        )
        with self._db.session() as session:
            return [
                (int(s), str(name), int(p), title or "", link or "", piece)
                for s, name, p, title, link, piece in session.execute(query)
            ]

    def posts_of_piece(self, piece_id: int) -> list[tuple[int, int]]:
        """(site id, post id) of the posts a piece was pushed as."""
        with self._db.session() as session:
            rows = session.execute(
                select(PieceLink.site_id, PieceLink.remote_id).where(
                    PieceLink.piece_id == piece_id, PieceLink.remote_id.is_not(None)
                )
            )
            return [(int(s), int(r)) for s, r in rows if r is not None]

    def waiting_actions(self) -> int:
        with self._db.session() as session:
            found = session.scalar(
                select(func.count(Comment.id))
                .join(OutboxJob, OutboxJob.id == Comment.job_id)
                .where(OutboxJob.state.in_(WAITING))
            )
            return int(found or 0)

    def last_synced(self) -> datetime | None:
        with self._db.session() as session:
            rows = list(session.scalars(select(CommentSync.synced_at)))
            if not rows or any(r is None for r in rows):
                return None
            return min(r for r in rows if r is not None)

    def mark_seen(self, site_id: int, post_id: int) -> None:
        now = self._clock()
        with self._db.session() as session:
            row = session.scalar(
                select(CommentPost).where(
                    CommentPost.site_id == site_id, CommentPost.remote_id == post_id
                )
            )
            if row is None:
                row = CommentPost(site_id=site_id, remote_id=post_id, title="", link="")
                session.add(row)
            row.seen_at = now
