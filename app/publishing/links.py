"""Where each piece was pushed: one :class:`~app.store.models.PieceLink` row per piece and site.

A link remembers the remote post, its ``modified_gmt`` and a fingerprint of its text as last seen (to
notice someone else's edit), a fingerprint of what was last pushed (to skip a push that would change
nothing), the remote media of each local image (so a second push uploads nothing again), the term ids
used, and a *pending write*: a create or update that was sent but whose answer was never seen. Each
change is committed at once, so a crash between two steps of a push leaves an honest record.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cms.base import RemotePost
from app.errors import NotFoundError
from app.publishing.fingerprints import post_fingerprint
from app.store import Database
from app.store.models import PieceLink, utcnow


@dataclass(frozen=True)
class MediaRecord:
    """One local image on one site."""

    sha256: str
    id: int = 0
    url: str = ""
    state: str = "done"  # "uploading": sent, answer not seen yet

    def as_json(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "id": self.id, "url": self.url, "state": self.state}


@dataclass(frozen=True)
class PendingWrite:
    op: str  # "create" or "update"
    at: str  # ISO time it was sent
    text_hash: str  # fingerprint of the title, content and excerpt that were sent


@dataclass(frozen=True)
class LinkData:
    id: int
    piece_id: int
    site_id: int
    remote_id: int | None
    link: str
    remote_status: str
    modified_gmt: str
    remote_hash: str
    content_hash: str
    media: dict[str, MediaRecord] = field(default_factory=dict)
    terms: dict[str, dict[str, int]] = field(default_factory=dict)
    pending: PendingWrite | None = None
    pushed_at: datetime | None = None
    pulled_at: datetime | None = None


def _media(text: str) -> dict[str, MediaRecord]:
    try:
        raw = json.loads(text or "{}")
    except ValueError:
        return {}
    out: dict[str, MediaRecord] = {}
    for key, value in raw.items() if isinstance(raw, dict) else ():
        if isinstance(value, dict):
            out[str(key)] = MediaRecord(
                sha256=str(value.get("sha256", "")),
                id=int(value.get("id", 0) or 0),
                url=str(value.get("url", "")),
                state=str(value.get("state", "done")),
            )
    return out


def _pending(text: str) -> PendingWrite | None:
    try:
        raw = json.loads(text) if text else None
    except ValueError:
        return None
    if not isinstance(raw, dict):
        return None
    return PendingWrite(
        op=str(raw.get("op", "")), at=str(raw.get("at", "")), text_hash=str(raw.get("hash", ""))
    )


def _data(row: PieceLink) -> LinkData:
    try:
        terms = json.loads(row.terms or "{}")
    except ValueError:
        terms = {}
    return LinkData(
        id=row.id,
        piece_id=row.piece_id,
        site_id=row.site_id,
        remote_id=row.remote_id,
        link=row.link,
        remote_status=row.remote_status,
        modified_gmt=row.modified_gmt,
        remote_hash=row.remote_hash,
        content_hash=row.content_hash,
        media=_media(row.media),
        terms=terms if isinstance(terms, dict) else {},
        pending=_pending(row.pending_write),
        pushed_at=row.pushed_at,
        pulled_at=row.pulled_at,
    )


class LinkStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _row(self, session: Session, piece_id: int, site_id: int) -> PieceLink | None:
        return session.scalars(
            select(PieceLink).where(PieceLink.piece_id == piece_id, PieceLink.site_id == site_id)
        ).one_or_none()

    def get(self, piece_id: int, site_id: int) -> LinkData | None:
        with self._db.session() as session:
            row = self._row(session, piece_id, site_id)
            return _data(row) if row else None

    def ensure(self, piece_id: int, site_id: int) -> LinkData:
        with self._db.session() as session:
            row = self._row(session, piece_id, site_id)
            if row is None:
                row = PieceLink(piece_id=piece_id, site_id=site_id)
                session.add(row)
                session.flush()
            return _data(row)

    def for_piece(self, piece_id: int) -> list[LinkData]:
        with self._db.session() as session:
            rows = session.scalars(select(PieceLink).where(PieceLink.piece_id == piece_id))
            return [_data(row) for row in rows]

    def by_remote(self, site_id: int, remote_id: int) -> LinkData | None:
        with self._db.session() as session:
            row = session.scalars(
                select(PieceLink).where(PieceLink.site_id == site_id, PieceLink.remote_id == remote_id)
            ).one_or_none()
            return _data(row) if row else None

    def remote_ids(self, site_id: int) -> dict[int, int]:
        """Remote post id → local piece id, for every linked post of a site."""
        with self._db.session() as session:
            rows = session.execute(
                select(PieceLink.remote_id, PieceLink.piece_id).where(
                    PieceLink.site_id == site_id, PieceLink.remote_id.is_not(None)
                )
            )
            return {int(remote): int(piece) for remote, piece in rows if remote is not None}

    def site_media(self, site_id: int) -> dict[str, MediaRecord]:
        """Every uploaded image of a site by its content's SHA-256 (to reuse across pieces)."""
        with self._db.session() as session:
            texts = session.scalars(select(PieceLink.media).where(PieceLink.site_id == site_id))
            found: dict[str, MediaRecord] = {}
            for text in texts:
                for record in _media(text).values():
                    if record.state == "done" and record.id and record.sha256:
                        found.setdefault(record.sha256, record)
            return found

    def _update(self, link_id: int, change: Callable[[PieceLink], None]) -> LinkData:
        with self._db.session() as session:
            row = session.get(PieceLink, link_id)
            if row is None:
                raise NotFoundError("The piece is no longer linked to that site.")
            change(row)
            row.updated_at = utcnow()
            return _data(row)

    def set_media(self, link_id: int, key: str, record: MediaRecord) -> LinkData:
        def change(row: PieceLink) -> None:
            media = {k: v.as_json() for k, v in _media(row.media).items()}
            media[key] = record.as_json()
            row.media = json.dumps(media, sort_keys=True)

        return self._update(link_id, change)

    def set_pending(self, link_id: int, pending: PendingWrite | None) -> LinkData:
        def change(row: PieceLink) -> None:
            if pending is None:
                row.pending_write = ""
            else:
                row.pending_write = json.dumps(
                    {"op": pending.op, "at": pending.at, "hash": pending.text_hash}
                )

        return self._update(link_id, change)

    def record_post(
        self,
        link_id: int,
        post: RemotePost,
        *,
        content_hash: str | None = None,
        terms: dict[str, dict[str, int]] | None = None,
        pushed: bool = False,
        pulled: bool = False,
    ) -> LinkData:
        """Remember *post* as the version in sync with the piece (after a push, a pull or a take).

        Another piece's link to the same post id is stale (the site reused the id): it is dropped,
        so the one-piece-per-post rule holds (:func:`app.publishing.guards.release_stale_holder`
        says so to the user first).
        """
        self._drop_other_holders(link_id, post.id)

        def change(row: PieceLink) -> None:
            row.remote_id = post.id
            row.link = post.link
            row.remote_status = post.status
            row.modified_gmt = post.modified_gmt
            row.remote_hash = post_fingerprint(post)
            row.pending_write = ""
            if content_hash is not None:
                row.content_hash = content_hash
            if terms is not None:
                row.terms = json.dumps(terms, sort_keys=True, ensure_ascii=False)
            if pushed:
                row.pushed_at = utcnow()
            if pulled:
                row.pulled_at = utcnow()

        return self._update(link_id, change)

    def _drop_other_holders(self, link_id: int, remote_id: int) -> None:
        with self._db.session() as session:
            row = session.get(PieceLink, link_id)
            if row is None:
                return
            others = session.scalars(
                select(PieceLink).where(
                    PieceLink.site_id == row.site_id,
                    PieceLink.remote_id == remote_id,
                    PieceLink.id != link_id,
                )
            )
            for other in others:
                session.delete(other)

    def delete(self, piece_id: int, site_id: int) -> bool:
        with self._db.session() as session:
            row = self._row(session, piece_id, site_id)
            if row is None:
                return False
            session.delete(row)
            return True
