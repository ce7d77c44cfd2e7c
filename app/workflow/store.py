"""The workflow's tables (migration 0005), written and read: the timeline of each piece
(``workflow_events``), its review state on each site as last seen (``review_states``) and the review
queue as last fetched (``review_queue``, read offline)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert

from app.cms.wordpress.review import SiteEvent
from app.pieces.data import PieceData, to_snapshot
from app.publishing.convert import parse_wp_date
from app.publishing.links import LinkData
from app.store import Database
from app.store.models import (
    PieceLink,
    ReviewQueueItem,
    ReviewState,
    Site,
    SiteStatus,
    WorkflowEvent,
    utcnow,
)
from app.workflow.data import QueueItem, TimelineEntry, status_label


def fingerprint(piece: PieceData) -> str:
    """A fingerprint of what the user edits in a piece (its status aside)."""
    snapshot = to_snapshot(piece)
    snapshot.pop("status", None)
    text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


DIRTY_SLACK_SECONDS = 2.0


def edited_here(piece: PieceData, state: StateData | None, link: LinkData) -> bool:
    """Whether the piece was edited here since it was last in step with the site."""
    if state is not None and state.fingerprint:
        return fingerprint(piece) != state.fingerprint
    synced = max((t for t in (link.pushed_at, link.pulled_at) if t is not None), default=None)
    if synced is None or piece.updated_at is None:
        return True
    return (piece.updated_at - synced).total_seconds() > DIRTY_SLACK_SECONDS


@dataclass(frozen=True)
class StateData:
    piece_id: int
    site_id: int
    post_id: int
    remote_status: str
    state: str
    note: str
    modified_gmt: str
    date_gmt: str
    content_hash: str
    fingerprint: str
    submitted_revision_id: int | None
    updated_at: datetime | None = None  # when a sync or an action last wrote it


def _state(row: ReviewState) -> StateData:
    return StateData(
        piece_id=row.piece_id,
        site_id=row.site_id,
        post_id=row.post_id,
        remote_status=row.remote_status,
        state=row.state,
        note=row.note,
        modified_gmt=row.modified_gmt,
        date_gmt=row.date_gmt,
        content_hash=row.content_hash,
        fingerprint=row.fingerprint,
        submitted_revision_id=row.submitted_revision_id,
        updated_at=row.updated_at,
    )


def pushed_since(link: LinkData | None, state: StateData | None) -> bool:
    """Whether this library pushed the post after the review state was last written.

    The review actions then expect the post's time as the push left it (its content hash is the
    site's to compute), not the older one the state holds, or the user's own push reads as
    someone else's change.
    """
    if link is None or state is None or link.pushed_at is None or state.updated_at is None:
        return False
    return link.pushed_at > state.updated_at and bool(link.modified_gmt)


class WorkflowStore:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    # -- the timeline ------------------------------------------------------------------------------

    def add_event(
        self,
        *,
        piece_id: int | None,
        site_id: int | None,
        post_id: int | None,
        action: str,
        source: str = "local",
        from_status: str = "",
        to_status: str = "",
        at: datetime | None = None,
        user_name: str = "",
        machine: str = "",
        note: str = "",
        key: str = "",
    ) -> None:
        """Record an event; one whose *key* is stored already is left as it is (no duplicates)."""
        when = at or self._clock()
        values: dict[str, Any] = {
            "piece_id": piece_id,
            "site_id": site_id,
            "post_id": post_id,
            "source": source,
            "action": action,
            "from_status": from_status,
            "to_status": to_status,
            "at": when,
            "user_name": user_name,
            "machine": machine,
            "note": note,
            "key": key or f"local:{piece_id}:{action}:{when.isoformat()}",
        }
        with self._db.session() as session:
            session.execute(
                insert(WorkflowEvent).values(**values).on_conflict_do_nothing(index_elements=["key"])
            )

    def has_event(self, key: str) -> bool:
        with self._db.session() as session:
            return session.scalar(select(WorkflowEvent.id).where(WorkflowEvent.key == key)) is not None

    def drop_queued(self, job_id: int) -> None:
        """Forget that a job was waiting, once it is done (the timeline shows it done instead)."""
        with self._db.session() as session:
            session.execute(delete(WorkflowEvent).where(WorkflowEvent.key.like(f"queued:{job_id}:%")))

    def add_site_events(
        self, piece_id: int | None, site_id: int, post_id: int, events: Sequence[SiteEvent]
    ) -> int:
        """Store the site's timeline of a post (only the entries not stored yet). Returns how many."""
        added = 0
        with self._db.session() as session:
            for number, event in enumerate(events):
                when = parse_wp_date(event.at) or self._clock()
                key = f"site:{site_id}:{post_id}:{number}:{event.at}:{event.action}:{event.to_status}"
                result = session.execute(
                    insert(WorkflowEvent)
                    .values(
                        piece_id=piece_id, site_id=site_id, post_id=post_id, source="site",
                        action=event.action, from_status=event.from_status,
                        to_status=event.to_status, at=when, user_name=event.user_name,
                        machine=event.machine, note=event.note, key=key,
                    )
                    .on_conflict_do_nothing(index_elements=["key"])
                )  # fmt: skip
                added += int(getattr(result, "rowcount", 0) or 0)
            if piece_id is not None:  # events read before the post was linked to this piece
                session.query(WorkflowEvent).filter(
                    WorkflowEvent.site_id == site_id,
                    WorkflowEvent.post_id == post_id,
                    WorkflowEvent.piece_id.is_(None),
                ).update({WorkflowEvent.piece_id: piece_id})
        return added

    def timeline(self, piece_id: int) -> list[TimelineEntry]:
        labels = self.all_status_labels()
        query = (
            select(WorkflowEvent, Site.name)
            .outerjoin(Site, Site.id == WorkflowEvent.site_id)
            .where(WorkflowEvent.piece_id == piece_id)
            .order_by(WorkflowEvent.at, WorkflowEvent.id)
        )
        with self._db.session() as session:
            return [
                TimelineEntry(
                    at=row.at,
                    action=row.action,
                    from_status=row.from_status,
                    to_status=row.to_status,
                    user_name=row.user_name,
                    machine=row.machine,
                    note=row.note,
                    source=row.source,
                    site_name=name or "",
                    site_labels=labels.get(row.site_id or 0),
                )  # fmt: skip
                for row, name in session.execute(query)
            ]

    # -- the statuses each site registers ----------------------------------------------------------

    def save_status_labels(self, site_id: int, labels: dict[str, str]) -> None:
        """Keep the statuses a site registers (slug -> its label), in place of those kept before."""
        now = self._clock()
        rows = [{"site_id": site_id, "slug": slug[:50], "label": label, "fetched_at": now}
                for slug, label in labels.items()]  # fmt: skip
        with self._db.session() as session:
            session.execute(delete(SiteStatus).where(SiteStatus.site_id == site_id))
            if rows:
                session.execute(insert(SiteStatus), rows)

    def status_labels(self, site_id: int) -> tuple[dict[str, str], datetime | None]:
        """The statuses a site registers, as last read (slug -> label), and when they were read."""
        with self._db.session() as session:
            rows = session.scalars(select(SiteStatus).where(SiteStatus.site_id == site_id)).all()
            return {r.slug: r.label for r in rows}, min((r.fetched_at for r in rows), default=None)

    def all_status_labels(self) -> dict[int, dict[str, str]]:
        with self._db.session() as session:
            found: dict[int, dict[str, str]] = {}
            for row in session.scalars(select(SiteStatus)):
                found.setdefault(row.site_id, {})[row.slug] = row.label
            return found

    # -- review states -------------------------------------------------------------------------------

    def state(self, piece_id: int, site_id: int) -> StateData | None:
        with self._db.session() as session:
            row = session.scalars(
                select(ReviewState).where(
                    ReviewState.piece_id == piece_id, ReviewState.site_id == site_id
                )
            ).one_or_none()
            return _state(row) if row else None

    def states(self, site_id: int | None = None) -> list[StateData]:
        query = select(ReviewState)
        if site_id is not None:
            query = query.where(ReviewState.site_id == site_id)
        with self._db.session() as session:
            return [_state(row) for row in session.scalars(query)]

    def snapshot(self, site_id: int) -> dict[int, tuple[str, str, StateData | None]]:
        """Post id -> (modified_gmt, status) as the link last saw them, and the review state; for
        every linked post of a site, in two queries (a sync skips the unchanged ones with it)."""
        with self._db.session() as session:
            links = session.execute(
                select(PieceLink.piece_id, PieceLink.remote_id, PieceLink.modified_gmt,
                       PieceLink.remote_status)
                .where(PieceLink.site_id == site_id, PieceLink.remote_id.is_not(None))
            ).all()  # fmt: skip
            states = {
                row.piece_id: _state(row)
                for row in session.scalars(select(ReviewState).where(ReviewState.site_id == site_id))
            }
        return {
            int(remote_id): (modified, status, states.get(piece_id))
            for piece_id, remote_id, modified, status in links
            if remote_id is not None
        }

    def save_state(self, piece_id: int, site_id: int, post_id: int, **fields: Any) -> StateData:
        with self._db.session() as session:
            row = session.scalars(
                select(ReviewState).where(
                    ReviewState.piece_id == piece_id, ReviewState.site_id == site_id
                )
            ).one_or_none()
            if row is None:
                row = ReviewState(piece_id=piece_id, site_id=site_id, post_id=post_id)
                session.add(row)
            row.post_id = post_id
            for name, value in fields.items():
                setattr(row, name, value)
            row.updated_at = self._clock()
            session.flush()
            return _state(row)

    def touch_link(self, piece_id: int, site_id: int, *, status: str, modified_gmt: str) -> None:
        """Record a post's new status and date when only those changed (its text did not)."""
        with self._db.session() as session:
            row = session.scalars(
                select(PieceLink).where(PieceLink.piece_id == piece_id, PieceLink.site_id == site_id)
            ).one_or_none()
            if row is not None:
                row.remote_status = status
                row.modified_gmt = modified_gmt
                row.updated_at = self._clock()

    def has_links(self) -> bool:
        """Whether any piece is linked to a site (without it, no network is needed at all)."""
        with self._db.session() as session:
            return session.scalar(select(PieceLink.id).limit(1)) is not None

    # -- the review queue ----------------------------------------------------------------------------

    def replace_queue(self, site_id: int, items: Iterable[dict[str, Any]]) -> None:
        now = self._clock()
        rows = [{**item, "site_id": site_id, "fetched_at": now} for item in items]
        with self._db.session() as session:
            session.execute(delete(ReviewQueueItem).where(ReviewQueueItem.site_id == site_id))
            if rows:
                session.execute(insert(ReviewQueueItem), rows)  # one executemany, not 500 objects

    def queue(self, site_id: int | None = None) -> list[QueueItem]:
        labels = self.all_status_labels()
        query = (
            select(ReviewQueueItem, Site.name, PieceLink.piece_id)
            .join(Site, Site.id == ReviewQueueItem.site_id)
            .outerjoin(
                PieceLink,
                (PieceLink.site_id == ReviewQueueItem.site_id)
                & (PieceLink.remote_id == ReviewQueueItem.post_id),
            )
        )
        if site_id is not None:
            query = query.where(ReviewQueueItem.site_id == site_id)
        epoch = datetime.min.replace(tzinfo=UTC)
        with self._db.session() as session:
            items = [
                QueueItem(
                    site_id=row.site_id,
                    site_name=name,
                    post_id=row.post_id,
                    title=row.title,
                    byline=row.byline,
                    submitted_by=row.submitted_by,
                    submitted_at=row.submitted_at,
                    word_count=row.word_count,
                    categories=tuple(json.loads(row.categories or "[]")),
                    link=row.link,
                    piece_id=piece_id,
                    status=row.status,
                    status_label=status_label(row.status, labels.get(row.site_id)),
                )  # fmt: skip
                for row, name, piece_id in session.execute(query)
            ]
        items.sort(key=lambda i: (i.submitted_at or epoch, i.post_id), reverse=True)
        return items

    def queued_post(self, site_id: int, post_id: int) -> tuple[str, str] | None:
        """(modified_gmt, content_hash) of a post as the queue last showed it."""
        with self._db.session() as session:
            row = session.scalars(
                select(ReviewQueueItem).where(
                    ReviewQueueItem.site_id == site_id, ReviewQueueItem.post_id == post_id
                )
            ).one_or_none()
            return (row.modified_gmt, row.content_hash) if row else None
