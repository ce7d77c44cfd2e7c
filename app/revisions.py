"""Revision history of a piece: full snapshots, word-level differences, restore.

Nothing is ever destroyed: restoring an old revision writes it over the piece and keeps that as a new
revision, so the state before the restore stays one click away.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFoundError
from app.models import Piece, Revision, utcnow
from app.piece import PieceData, from_snapshot, to_snapshot

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
    from app.library import to_data

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
        from app.library import to_data

        with self._db.session() as session:
            revision = session.get(Revision, revision_id)
            if revision is None:
                raise NotFoundError(f"There is no revision {revision_id}.")
            piece = session.get(Piece, revision.piece_id)
            if piece is None:
                raise NotFoundError(f"The piece of revision {revision_id} no longer exists.")
            return from_snapshot(json.loads(revision.snapshot), to_data(piece))


# -- word-level differences ------------------------------------------------------------------------

_TOKEN = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)

DiffOp = Literal["equal", "insert", "delete"]
_Adder = Callable[[DiffOp, str], None]


@dataclass(frozen=True)
class DiffChunk:
    op: DiffOp
    text: str


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _word_level(old: str, new: str, add: _Adder) -> None:
    a, b = tokens(old), tokens(new)
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    removed, inserted = "", ""
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag != "equal":
            removed += "".join(a[i1:i2])
            inserted += "".join(b[j1:j2])
            continue
        same = "".join(a[i1:i2])
        between_changes = bool(removed or inserted) and index + 1 < len(opcodes)
        if between_changes and not same.strip():
            # a lone space between two changes reads better as part of one change
            removed += same
            inserted += same
            continue
        add("delete", removed)
        add("insert", inserted)
        removed, inserted = "", ""
        add("equal", same)
    add("delete", removed)
    add("insert", inserted)


def word_diff(old: str, new: str) -> list[DiffChunk]:
    """The changes from *old* to *new*, word by word.

    Paragraphs are matched first and words only inside the paragraphs that changed, so two versions of
    a long piece compare in milliseconds instead of quadratic time.
    """
    chunks: list[DiffChunk] = []

    def add(op: DiffOp, text: str) -> None:
        if not text:
            return
        if chunks and chunks[-1].op == op:
            chunks[-1] = DiffChunk(op, chunks[-1].text + text)
        else:
            chunks.append(DiffChunk(op, text))

    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", "".join(a[i1:i2]))
        elif tag == "replace":
            _word_level("".join(a[i1:i2]), "".join(b[j1:j2]), add)
        else:
            add("delete", "".join(a[i1:i2]))
            add("insert", "".join(b[j1:j2]))
    return chunks


@dataclass(frozen=True)
class DiffSummary:
    words_added: int
    words_removed: int


def summarize(chunks: list[DiffChunk]) -> DiffSummary:
    def words(op: DiffOp) -> int:
        return sum(len(re.findall(r"\w+", c.text)) for c in chunks if c.op == op)

    return DiffSummary(words_added=words("insert"), words_removed=words("delete"))


# The fields shown when two revisions are compared, in reading order, with their labels.
COMPARED_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "Headline"),
    ("standfirst", "Standfirst"),
    ("byline", "Byline"),
    ("body", "Body"),
    ("excerpt", "Excerpt"),
    ("slug", "Slug"),
    ("tags", "Tags"),
    ("categories", "Categories"),
    ("featured_image", "Featured image"),
    ("publish_at", "Publish at"),
    ("comment_status", "Comments"),
    ("status", "Status"),
)


@dataclass(frozen=True)
class FieldDiff:
    field: str
    label: str
    chunks: list[DiffChunk]


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def compare(old: PieceData, new: PieceData, fields: tuple[str, ...] | None = None) -> list[FieldDiff]:
    """Word-level differences of every compared field (or of *fields*) from *old* to *new*."""
    diffs = []
    for name, label in COMPARED_FIELDS:
        if fields is not None and name not in fields:
            continue
        before, after = _as_text(getattr(old, name)), _as_text(getattr(new, name))
        if before != after:
            diffs.append(FieldDiff(name, label, word_diff(before, after)))
    return diffs
