"""The notes' tables (migration 0006), written and read: ``notes`` and the base versions they were
anchored on (``note_bases``, one row per version of a piece's text)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert

from app.errors import NotFoundError
from app.notes.anchor import Anchor, text_hash
from app.notes.data import NoteData
from app.store import Database
from app.store.models import Note, NoteBase, utcnow


class RemoteRow(NamedTuple):
    id: int
    remote_id: int | None
    pending: bool
    remote_modified: str


def _data(row: Note) -> NoteData:
    return NoteData(
        id=row.id,
        uid=row.uid,
        piece_id=row.piece_id,
        parent_id=row.parent_id,
        author=row.author,
        mine=row.mine,
        body=row.body,
        anchor=Anchor.from_json(row.anchor),
        orphaned=row.orphaned,
        resolved=row.resolved,
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        site_id=row.site_id,
        remote_id=row.remote_id,
        pending=row.dirty,
    )


class NoteStore:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    # -- reading ---------------------------------------------------------------------------------

    def get(self, note_id: int) -> NoteData:
        with self._db.session() as session:
            row = session.get(Note, note_id)
            if row is None or row.deleted:
                raise NotFoundError(f"There is no note {note_id}.")
            return _data(row)

    def for_piece(self, piece_id: int, *, deleted: bool = False) -> list[NoteData]:
        """The piece's notes and replies, oldest first (those deleted here too, with *deleted*)."""
        query = select(Note).where(Note.piece_id == piece_id).order_by(Note.created_at, Note.id)
        if not deleted:
            query = query.where(Note.deleted.is_(False))
        with self._db.session() as session:
            return [_data(row) for row in session.scalars(query)]

    def pending(self, piece_id: int, site_id: int) -> list[tuple[NoteData, bool]]:
        """The notes of a piece changed here since its site last had them: (note, deleted)."""
        query = (
            select(Note)
            .where(Note.piece_id == piece_id, Note.site_id == site_id, Note.dirty.is_(True))
            .order_by(Note.parent_id.is_not(None), Note.created_at, Note.id)
        )
        with self._db.session() as session:
            return [(_data(row), row.deleted) for row in session.scalars(query)]

    def pieces_with_pending(self, site_id: int) -> list[int]:
        query = select(Note.piece_id).where(Note.site_id == site_id, Note.dirty.is_(True)).distinct()
        with self._db.session() as session:
            return list(session.scalars(query))

    def open_count(self, piece_id: int) -> int:
        return len([n for n in self.for_piece(piece_id) if n.parent_id is None and not n.resolved])

    # -- writing ---------------------------------------------------------------------------------

    def add(
        self,
        piece_id: int,
        *,
        body: str,
        author: str,
        anchor: Anchor | None = None,
        parent_id: int | None = None,
        site_id: int | None = None,
    ) -> NoteData:
        now = self._clock()
        with self._db.session() as session:
            row = Note(
                uid=str(uuid.uuid4()), piece_id=piece_id, parent_id=parent_id, author=author,
                mine=True, body=body, anchor=anchor.to_json() if anchor else "",
                created_at=now, updated_at=now, site_id=site_id, dirty=site_id is not None,
                remote_modified="", resolved_by="", author_remote_id=0,
            )  # fmt: skip
            session.add(row)
            session.flush()
            return _data(row)

    def change(self, note_id: int, *, send: bool = True, **fields: Any) -> NoteData:
        """Change a note's fields; with *send*, mark it to be sent to its site (if it has one)."""
        with self._db.session() as session:
            row = session.get(Note, note_id)
            if row is None:
                raise NotFoundError(f"There is no note {note_id}.")
            for name, value in fields.items():
                setattr(row, name, value)
            if send and row.site_id is not None:
                row.dirty = True
            row.updated_at = self._clock()
            session.flush()
            return _data(row)

    def set_anchors(self, changes: Iterable[tuple[int, str, bool]]) -> None:
        """Store re-anchored positions: (note id, anchor JSON, orphaned). Local bookkeeping only."""
        with self._db.session() as session:
            for note_id, anchor, orphaned in changes:
                row = session.get(Note, note_id)
                if row is not None:
                    row.anchor, row.orphaned = anchor, orphaned

    def remove(self, note_id: int) -> None:
        with self._db.session() as session:
            row = session.get(Note, note_id)
            if row is not None:
                session.delete(row)

    def sent(self, note_id: int, *, remote_id: int, modified: str, seen: datetime) -> None:
        """The site has the note as of *seen* (a change made here since keeps it pending)."""
        with self._db.session() as session:
            row = session.get(Note, note_id)
            if row is None:
                return
            row.remote_id = remote_id
            row.remote_modified = modified
            if row.updated_at <= seen:
                row.dirty = False

    def share(self, piece_id: int, site_id: int) -> int:
        """Give the piece's local notes to a site (they will be sent). Returns how many."""
        with self._db.session() as session:
            rows = list(
                session.scalars(select(Note).where(Note.piece_id == piece_id, Note.site_id.is_(None)))
            )
            for row in rows:
                row.site_id, row.dirty = site_id, True
            return len(rows)

    # -- notes from the site -----------------------------------------------------------------------

    def remote_rows(self, piece_id: int, site_id: int) -> dict[str, RemoteRow]:
        """uid -> what sync compares, for the piece's notes on a site."""
        query = select(Note).where(Note.piece_id == piece_id, Note.site_id == site_id)
        with self._db.session() as session:
            return {
                row.uid: RemoteRow(row.id, row.remote_id, row.dirty, row.remote_modified)
                for row in session.scalars(query)
            }

    def upsert_remote(self, piece_id: int, site_id: int, uid: str, **fields: Any) -> int:
        """Store a note as the site has it (a new one, or one not changed here since). Returns its id."""
        now = self._clock()
        with self._db.session() as session:
            row = session.scalars(select(Note).where(Note.uid == uid)).one_or_none()
            if row is None:
                row = Note(uid=uid, piece_id=piece_id, site_id=site_id, created_at=now,
                           orphaned=False, deleted=False, dirty=False)  # fmt: skip
                session.add(row)
            elif row.dirty:
                return row.id
            for name, value in fields.items():
                setattr(row, name, value)
            row.updated_at = now
            session.flush()
            return row.id

    # -- base versions -----------------------------------------------------------------------------

    def keep_base(self, piece_id: int, text: str) -> str:
        digest = text_hash(text)
        with self._db.session() as session:
            session.execute(
                insert(NoteBase)
                .values(hash=digest, piece_id=piece_id, text=text, created_at=self._clock())
                .on_conflict_do_nothing(index_elements=["hash"])
            )
        return digest

    def bases(self, hashes: Iterable[str]) -> dict[str, str]:
        wanted = set(hashes)
        if not wanted:
            return {}
        with self._db.session() as session:
            rows = session.execute(select(NoteBase.hash, NoteBase.text).where(NoteBase.hash.in_(wanted)))
            return {digest: text for digest, text in rows}
