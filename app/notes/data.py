"""The plain values of notes: they cross threads and the command line's JSON as they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.notes.anchor import Anchor, Placement

SEND = "notes.send"
"""The outbox job kind that sends a piece's changed notes to its site (creates, edits, resolutions,
deletions); one waits per piece and site, and each send takes whatever changed since."""


@dataclass(frozen=True)
class NoteData:
    id: int
    uid: str
    piece_id: int
    parent_id: int | None  # the note it answers
    author: str
    mine: bool  # written by this library's user: only they may change its text or delete it
    body: str
    anchor: Anchor | None  # None: a note on the whole piece (or a reply)
    orphaned: bool  # its passage was not found in the text when last anchored
    resolved: bool
    resolved_by: str
    resolved_at: datetime | None
    created_at: datetime
    updated_at: datetime
    site_id: int | None
    remote_id: int | None  # the site's comment id, once it is there
    pending: bool  # changed here and not on the site yet

    @property
    def quote(self) -> str:
        return self.anchor.exact if self.anchor else ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "uid": self.uid, "piece_id": self.piece_id, "parent_id": self.parent_id,
            "author": self.author, "mine": self.mine, "text": self.body, "quote": self.quote,
            "whole_piece": self.anchor is None, "orphaned": self.orphaned,
            "resolved": self.resolved, "resolved_by": self.resolved_by,
            "resolved_at": self.resolved_at.isoformat() if self.resolved_at else None,
            "created_at": self.created_at.isoformat(), "remote_id": self.remote_id,
            "pending": self.pending,
        }  # fmt: skip


@dataclass(frozen=True)
class NoteThread:
    """A note, its replies (oldest first) and where its passage is in the text now."""

    note: NoteData
    replies: tuple[NoteData, ...]
    placement: Placement | None  # None: on the whole piece, or orphaned

    @property
    def is_open(self) -> bool:
        return not self.note.resolved

    @property
    def orphaned(self) -> bool:
        return self.note.anchor is not None and self.placement is None

    def to_json(self) -> dict[str, Any]:
        data = self.note.to_json()
        data["orphaned"] = self.orphaned
        data["start"] = self.placement.start if self.placement else None
        data["end"] = self.placement.end if self.placement else None
        data["replies"] = [reply.to_json() for reply in self.replies]
        return data


@dataclass(frozen=True)
class NotesSharing:
    """Whether a piece's notes are shared through its site, and if not, why (in words)."""

    shared: bool
    site_id: int | None
    message: str
