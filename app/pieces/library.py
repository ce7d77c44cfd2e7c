"""The pieces of the local library: create, read, save, list, search, duplicate, trash.

Saving keeps revisions: at every explicit save, at every status change, and at most every
:data:`REVISION_INTERVAL` while autosaving, so the history is useful without holding every keystroke.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Float, Integer, Select, delete, func, select, text
from sqlalchemy.orm import Session, selectinload

from app.errors import NotFoundError
from app.pieces.data import PieceData, PieceSummary, RevisionReason
from app.pieces.revisions import RevisionLog
from app.pieces.rows import apply_data, to_data
from app.pieces.workflow import Status
from app.store import Database
from app.store.models import Piece, PieceTerm, utcnow

log = logging.getLogger(__name__)

REVISION_INTERVAL = timedelta(minutes=5)
_SEARCH_TOKEN = re.compile(r"\w+", re.UNICODE)


def _summary_columns() -> Select[int, str, str, datetime, int, str, datetime | None]:
    return select(
        Piece.id,
        Piece.title,
        Piece.status,
        Piece.updated_at,
        Piece.word_count,
        Piece.byline,
        Piece.trashed_at,
    )


def _summary(row: Sequence[object]) -> PieceSummary:
    piece_id, title, status, updated_at, word_count, byline, trashed_at = row
    return PieceSummary(
        id=int(piece_id),  # type: ignore[call-overload]
        title=str(title),
        status=Status(str(status)),
        updated_at=updated_at,  # type: ignore[arg-type]
        word_count=int(word_count),  # type: ignore[call-overload]
        byline=str(byline),
        trashed=trashed_at is not None,
    )


def fts_query(text_query: str) -> str:
    """User words as an FTS5 query: every word must occur, each as a prefix ("colum" finds "column")."""
    tokens = _SEARCH_TOKEN.findall(text_query)
    return " ".join(f'"{token}"*' for token in tokens)


class PieceLibrary:
    """The service behind the library pane, the editor's saves and the CLI."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.revisions = RevisionLog(db)

    # -- reading -------------------------------------------------------------------------------

    def _load(self, session: Session, piece_id: int) -> Piece:
        row = session.execute(
            select(Piece)
            .where(Piece.id == piece_id)
            .options(selectinload(Piece.terms), selectinload(Piece.snippet_links))
        ).scalar_one_or_none()
        if row is None:
            raise NotFoundError(f"There is no piece with id {piece_id}.")
        return row

    def get(self, piece_id: int) -> PieceData:
        with self._db.session() as session:
            return to_data(self._load(session, piece_id))

    def exists(self, piece_id: int) -> bool:
        with self._db.session() as session:
            return session.get(Piece, piece_id) is not None

    def uid_in_use(self, uid: str) -> bool:
        with self._db.session() as session:
            return session.scalar(select(Piece.id).where(Piece.uid == uid)) is not None

    def summaries(self, *, trashed: bool = False, status: Status | None = None) -> list[PieceSummary]:
        """Pieces outside the trash (or only those in it), most recently updated first."""
        query = _summary_columns().order_by(Piece.updated_at.desc(), Piece.id.desc())
        query = query.where(Piece.trashed_at.is_not(None) if trashed else Piece.trashed_at.is_(None))
        if status is not None:
            query = query.where(Piece.status == status.value)
        with self._db.session() as session:
            return [_summary(row) for row in session.execute(query)]

    def search(self, words: str, *, trashed: bool = False) -> list[PieceSummary]:
        """Full-text search over headline, standfirst, byline and body; best matches first."""
        match = fts_query(words)
        if not match:
            return self.summaries(trashed=trashed)
        # bm25 weights: a hit in the headline counts most, then standfirst, byline, body.
        rank = (
            text(
                "SELECT rowid AS rid, bm25(pieces_fts, 10.0, 5.0, 2.0, 1.0) AS score "
                "FROM pieces_fts WHERE pieces_fts MATCH :match"
            )
            .columns(rid=Integer, score=Float)
            .subquery()
        )
        query = (
            _summary_columns()
            .join(rank, Piece.id == rank.c.rid)
            .where(Piece.trashed_at.is_not(None) if trashed else Piece.trashed_at.is_(None))
            .order_by(rank.c.score, Piece.updated_at.desc())
        )
        with self._db.session() as session:
            return [_summary(row) for row in session.execute(query, {"match": match})]

    def known_terms(self, taxonomy: str) -> list[str]:
        """Every tag (or category) name used in the library, for completion."""
        with self._db.session() as session:
            rows = session.execute(
                select(PieceTerm.name)
                .where(PieceTerm.taxonomy == taxonomy)
                .group_by(PieceTerm.name)
                .order_by(func.count().desc(), PieceTerm.name)
            )
            return [name for (name,) in rows]

    def known_bylines(self) -> list[str]:
        with self._db.session() as session:
            rows = session.execute(
                select(Piece.byline)
                .where(Piece.byline != "")
                .group_by(Piece.byline)
                .order_by(func.max(Piece.updated_at).desc())
            )
            return [name for (name,) in rows]

    def last_change(self) -> datetime | None:
        """When any piece was last written (shown after a crash: "restored as of ...")."""
        with self._db.session() as session:
            return session.scalar(select(func.max(Piece.updated_at)))

    def count(self) -> int:
        with self._db.session() as session:
            return int(session.scalar(select(func.count(Piece.id))) or 0)

    # -- writing -------------------------------------------------------------------------------

    def create(self, data: PieceData | None = None, *, reason: RevisionReason = "created") -> PieceData:
        """Store a new piece (a blank one when *data* is None) with its first revision."""
        data = data or PieceData()
        now = utcnow()
        with self._db.session() as session:
            row = Piece(uid=data.uid or str(uuid.uuid4()), created_at=now, updated_at=now)
            apply_data(row, data)
            session.add(row)
            session.flush()
            self.revisions.record(session, row, reason)
            return to_data(row)

    def save(self, data: PieceData, *, reason: RevisionReason | None = None) -> PieceData:
        """Write *data* over its piece.

        With a *reason* (an explicit save, a restore, ...) a revision is always kept. Without one this
        is an autosave, which keeps a revision only when the status changed or when the last revision
        is older than :data:`REVISION_INTERVAL` and the content differs from it.
        """
        if data.id is None:
            return self.create(data)
        with self._db.session() as session:
            row = self._load(session, data.id)
            status_changed = row.status != Status(data.status).value
            apply_data(row, data)
            row.updated_at = utcnow()
            session.flush()
            if reason is not None:
                self.revisions.record(session, row, reason)
            elif status_changed:
                self.revisions.record(session, row, "status")
            else:
                self.revisions.record_if_due(session, row, REVISION_INTERVAL)
            return to_data(row)

    def set_status(self, piece_id: int, status: Status, *, note: str = "") -> PieceData:
        with self._db.session() as session:
            row = self._load(session, piece_id)
            if row.status == status.value:
                return to_data(row)
            row.status = status.value
            row.updated_at = utcnow()
            session.flush()
            self.revisions.record(session, row, "status", note=note)
            return to_data(row)

    def restore_revision(self, revision_id: int) -> PieceData:
        """Make an old revision current again, keeping the present version in the history first.

        The workflow status stays as it is now; the restore itself is a new revision.
        """
        old = self.revisions.content(revision_id)
        if old.id is None:
            raise NotFoundError(f"The piece of revision {revision_id} no longer exists.")
        with self._db.session() as session:
            row = self._load(session, old.id)
            self.revisions.record_if_due(session, row, timedelta(0), reason="saved")
            status = Status(row.status)
        return self.save(old.copy(status=status), reason="restored")

    def duplicate(self, piece_id: int) -> PieceData:
        original = self.get(piece_id)
        title = f"{original.title} (copy)" if original.title else "Untitled (copy)"
        copy = original.copy(
            id=None,
            uid="",
            title=title,
            slug_manual=False,
            status=Status.DRAFT,
            publish_at=None,
            trashed_at=None,
        )
        return self.create(copy, reason="duplicated")

    def trash(self, piece_ids: Iterable[int]) -> int:
        return self._set_trashed(piece_ids, utcnow())

    def restore(self, piece_ids: Iterable[int]) -> int:
        return self._set_trashed(piece_ids, None)

    def _set_trashed(self, piece_ids: Iterable[int], when: datetime | None) -> int:
        ids = list(piece_ids)
        with self._db.session() as session:
            rows = session.scalars(select(Piece).where(Piece.id.in_(ids))).all()
            for row in rows:
                row.trashed_at = when
            return len(rows)

    def empty_trash(self) -> int:
        """Delete for good every piece in the trash, with its revisions. Returns how many."""
        with self._db.session() as session:
            result = session.execute(delete(Piece).where(Piece.trashed_at.is_not(None)))
            count = int(getattr(result, "rowcount", 0) or 0)
        log.info("Emptied the trash: %d pieces deleted", count)
        return count
