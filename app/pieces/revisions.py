"""Revision history of a piece: full snapshots, word-level differences, restore.

Nothing is ever destroyed: restoring an old revision writes it over the piece and keeps that as a new
revision, so the state before the restore stays one click away.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFoundError
from app.pieces.data import PieceData, from_snapshot, to_snapshot
from app.pieces.rows import to_data
from app.store.models import Piece, Revision, utcnow

if TYPE_CHECKING:
    from app.store import Database

REASON_LABELS: dict[str, str] = {
    "created": "Created",
    "saved": "Saved",
    "autosave": "Autosaved",
    "status": "Status changed",
    "restored": "Restored",
    "imported": "Imported",
    "duplicated": "Duplicated",
    "pulled": "Pulled from site",
    "reviewed": "Changes reviewed",
}


@dataclass(frozen=True)
class RevisionInfo:
    id: int
    piece_id: int
    created_at: datetime
    reason: str
    note: str
    title: str
    word_count: int
    status: str

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason.capitalize())


def _snapshot_of(row: Piece) -> dict[str, object]:
    return to_snapshot(to_data(row))


class RevisionLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, session: Session, row: Piece, reason: str, *, note: str = "") -> Revision:
        revision = Revision(
            piece_id=row.id,
            created_at=utcnow(),
            reason=reason,
            note=note,
            title=row.title,
            word_count=row.word_count,
            snapshot=json.dumps(_snapshot_of(row), ensure_ascii=False, sort_keys=True),
        )
        session.add(revision)
        return revision

    def record_if_due(
        self, session: Session, row: Piece, interval: timedelta, *, reason: str = "autosave"
    ) -> Revision | None:
        """Keep a revision when the last one is older than *interval* and differs from the piece."""
        last = session.execute(
            select(Revision.created_at, Revision.snapshot)
            .where(Revision.piece_id == row.id)
            .order_by(Revision.id.desc())
            .limit(1)
        ).first()
        snapshot = _snapshot_of(row)
        if last is not None:
            created_at, stored = last
            if utcnow() - created_at < interval or json.loads(stored) == snapshot:
                return None
        return self.record(session, row, reason)

    def history(self, piece_id: int) -> list[RevisionInfo]:
        """The revisions of a piece, newest first."""
        with self._db.session() as session:
            rows = session.execute(
                select(Revision).where(Revision.piece_id == piece_id).order_by(Revision.id.desc())
            ).scalars()
            return [
                RevisionInfo(
                    id=r.id,
                    piece_id=r.piece_id,
                    created_at=r.created_at,
                    reason=r.reason,
                    note=r.note,
                    title=r.title,
                    word_count=r.word_count,
                    status=str(json.loads(r.snapshot).get("status", "")),
                )
                for r in rows
            ]

    def content(self, revision_id: int) -> PieceData:
        """The piece as it was at *revision_id*."""
        with self._db.session() as session:
            revision = session.get(Revision, revision_id)
            if revision is None:
                raise NotFoundError(f"There is no revision {revision_id}.")
            piece = session.get(Piece, revision.piece_id)
            if piece is None:
                raise NotFoundError(f"The piece of revision {revision_id} no longer exists.")
            return from_snapshot(json.loads(revision.snapshot), to_data(piece))
