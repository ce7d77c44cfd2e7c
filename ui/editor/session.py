"""The open piece: what the editor, the metadata panel and the preview all look at.

The body lives in the editor's document (no copy of a long text per keystroke); everything else lives
in a :class:`PieceData` here. Every change restarts a short autosave timer, so the piece reaches the
database within :data:`AUTOSAVE_DELAY_MS` of the last keystroke (and at least every
:data:`AUTOSAVE_MAX_DELAY_MS` while typing goes on). Saves run on the single database writer in order.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.pieces.data import PieceData, RevisionReason
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core

log = logging.getLogger(__name__)

AUTOSAVE_DELAY_MS = 1000
AUTOSAVE_MAX_DELAY_MS = 10_000
RETRY_DELAY_MS = 5000


class PieceSession(QObject):
    piece_opened = Signal(object)  # PieceData
    piece_closed = Signal()
    metadata_changed = Signal(object)  # PieceData, after a change of anything but the body
    content_changed = Signal()  # any edit at all
    draft_saved = Signal(object)  # PieceData as stored
    save_failed = Signal(object)  # the exception

    def __init__(self, core: Core, runner: TaskRunner, body: Callable[[], str]) -> None:
        super().__init__()
        self._core = core
        self._runner = runner
        self._body = body
        self._data: PieceData | None = None
        self._edits = 0  # counts every change
        self._saved_edits = 0  # the count at the last save that succeeded
        self._dirty_since: float | None = None
        self.last_saved_at: float | None = None
        self._timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    # -- state ---------------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._data is not None

    @property
    def piece_id(self) -> int | None:
        return self._data.id if self._data else None

    @property
    def dirty(self) -> bool:
        return self._edits != self._saved_edits

    def snapshot(self) -> PieceData:
        """The piece as it is on screen now (a detached copy, safe to hand to a worker)."""
        if self._data is None:
            raise RuntimeError("no piece is open")
        return self._data.copy(body=self._body())

    # -- opening -------------------------------------------------------------------------------

    def open(self, piece: PieceData) -> None:
        self._timer.stop()
        self._data = piece.copy()
        self._edits = self._saved_edits = 0
        self._dirty_since = None
        self.piece_opened.emit(self._data.copy())

    def close(self) -> None:
        self.save()
        self._data = None
        self.piece_closed.emit()

    # -- editing -------------------------------------------------------------------------------

    def note_body_edited(self) -> None:
        if self._data is not None:
            self._changed()

    def update(self, **changes: Any) -> None:
        """Change metadata fields (everything except the body)."""
        if self._data is None:
            return
        if all(getattr(self._data, k) == v for k, v in changes.items()):
            return
        self._data = self._data.copy(**changes)
        self._changed()
        self.metadata_changed.emit(self._data.copy())

    def _changed(self) -> None:
        self._edits += 1
        now = time.monotonic()
        if self._dirty_since is None:
            self._dirty_since = now
        self.content_changed.emit()
        if (now - self._dirty_since) * 1000 >= AUTOSAVE_MAX_DELAY_MS:
            self.save()
        else:
            self._timer.start(AUTOSAVE_DELAY_MS)

    # -- saving --------------------------------------------------------------------------------

    def _on_timer_timeout(self) -> None:
        self.save()

    def save(self, reason: RevisionReason | None = None) -> None:
        """Queue a save of the piece as it is now (an autosave when *reason* is None)."""
        if self._data is None or (reason is None and not self.dirty):
            return
        self._timer.stop()
        self._dirty_since = None
        snapshot, edits = self.snapshot(), self._edits
        self._runner.write(
            lambda: self._core.pieces.save(snapshot, reason=reason),
            owner=self,
            on_done=lambda saved: self._on_saved(saved, edits),
            on_error=self._on_save_error,
            expected=(OSError,),  # a full or vanished disk: the text stays in the editor, retried
        )

    def save_blocking(self) -> None:
        """Save on the calling thread after the queued writes (quitting, crashing)."""
        self._timer.stop()
        self._runner.drain_writes()
        if self._data is None or not self.dirty:
            return
        saved = self._core.pieces.save(self.snapshot())
        self._on_saved(saved, self._edits)

    def _on_saved(self, saved: PieceData, edits: int) -> None:
        if self._data is None or saved.id != self._data.id:
            self.draft_saved.emit(saved)
            return
        self._saved_edits = max(self._saved_edits, edits)
        # take what the store derived, keep what the user typed meanwhile
        self._data = self._data.copy(
            uid=saved.uid,
            slug=saved.slug if not self._data.slug_manual else self._data.slug,
            created_at=saved.created_at,
            updated_at=saved.updated_at,
            word_count=saved.word_count,
        )
        self.last_saved_at = time.time()
        self.draft_saved.emit(saved)

    def _on_save_error(self, error: BaseException) -> None:
        log.error("Saving the piece failed: %r", error)
        self.save_failed.emit(error)
        self._timer.start(RETRY_DELAY_MS)
