"""The open piece: what the editor, the metadata panel and the preview all look at.

The body lives in the editor's document (no copy of a long text per keystroke); everything else lives
in a :class:`PieceData` here. Whatever the session hands out (:meth:`PieceSession.snapshot`, its
signals) carries the editor's body as it is at that moment, never the body the piece was opened with.

A change is saved at most :data:`AUTOSAVE_DELAY_MS` after it was made, whether typing goes on or not,
so a crash costs at most that much typing (plus the save itself, a few milliseconds). Saves run on the
single database writer in order. A save that fails (a full disk, a read-only folder) is tried again
at the next change and on a timer that backs off; at quit, what cannot be saved is kept as an
emergency copy (:mod:`ui.editor.emergency`) and the error names it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.errors import CopydeskError, StorageError
from app.pieces.data import PieceData, RevisionReason
from ui.editor import emergency
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core

log = logging.getLogger(__name__)

AUTOSAVE_DELAY_MS = 1000
# after a failed save: the next tries, then every last one until a save succeeds
RETRY_DELAYS_MS = (1000, 2000, 4000, 8000, 15_000, 30_000)


class PieceSession(QObject):
    piece_opened = Signal(object)  # PieceData
    piece_closed = Signal()
    metadata_changed = Signal(object)  # PieceData, after a change of anything but the body
    content_changed = Signal()  # any edit at all
    draft_saved = Signal(object)  # PieceData as stored (the open piece: with the editor's body)
    save_failed = Signal(object)  # the exception

    def __init__(self, core: Core, runner: TaskRunner, body: Callable[[], str]) -> None:
        super().__init__()
        self._core = core
        self._runner = runner
        self._body = body
        self._data: PieceData | None = None
        self._edits = 0  # counts every change
        self._saved_edits = 0  # the count at the last save that succeeded
        self._failures = 0  # saves that failed since the last one that succeeded
        self._unsaved_others: dict[int, PieceData] = {}  # failed saves of pieces since closed
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
        return self._edits != self._saved_edits or bool(self._unsaved_others)

    def snapshot(self) -> PieceData:
        """The piece as it is on screen now (a detached copy, safe to hand to a worker)."""
        if self._data is None:
            raise RuntimeError("no piece is open")
        return self._data.copy(body=self._body())

    # -- opening -------------------------------------------------------------------------------

    def open(self, piece: PieceData) -> None:
        """Show *piece*; the editor already holds its body."""
        self._timer.stop()
        self._data = piece.copy()
        self._edits = self._saved_edits = 0
        unsaved = self._unsaved_others.pop(piece.id, None) if piece.id is not None else None
        if unsaved is not None and unsaved.body != piece.body:
            # its last text never reached the library and the editor now shows the stored one
            self.save_failed.emit(self._keep_emergency_copies([(unsaved, StorageError("not saved"))]))
        if self._unsaved_others:
            self._timer.start(AUTOSAVE_DELAY_MS)  # keep trying the piece that could not be saved
        self.piece_opened.emit(self.snapshot())

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
        if "body" in changes:
            raise ValueError("the body is the editor's: edit it there")
        if all(getattr(self._data, k) == v for k, v in changes.items()):
            return
        self._data = self._data.copy(**changes)
        self._changed()
        self.metadata_changed.emit(self.snapshot())

    def _changed(self) -> None:
        self._edits += 1
        self.content_changed.emit()
        # due one delay after the first change not yet saved; typing on does not push it back,
        # and a retry waiting out its backoff is brought forward
        if not self._timer.isActive() or self._timer.remainingTime() > AUTOSAVE_DELAY_MS:
            self._timer.start(AUTOSAVE_DELAY_MS)

    # -- saving --------------------------------------------------------------------------------

    def _on_timer_timeout(self) -> None:
        for piece in list(self._unsaved_others.values()):
            self._queue_save(piece, None, None)
        self.save()

    def save(self, reason: RevisionReason | None = None) -> None:
        """Queue a save of the piece as it is now (an autosave when *reason* is None)."""
        if self._data is None or (reason is None and self._edits == self._saved_edits):
            return
        self._timer.stop()
        self._queue_save(self.snapshot(), self._edits, reason)

    def _queue_save(self, snapshot: PieceData, edits: int | None, reason: RevisionReason | None) -> None:
        self._runner.write(
            lambda: self._core.pieces.save(snapshot, reason=reason),
            owner=self,
            on_done=lambda saved: self._on_saved(saved, edits),
            on_error=lambda error: self._on_save_error(error, snapshot),
            expected=(OSError,),  # a full or vanished disk: the text stays in the editor, retried
        )

    def save_blocking(self) -> None:
        """Save on the calling thread after the queued writes (quitting, crashing).

        What cannot be saved is kept as an emergency copy; the :class:`StorageError` raised then
        names the file (or says that not even that could be written).
        """
        self._timer.stop()
        self._runner.drain_writes()
        pending = list(self._unsaved_others.values())
        if self._data is not None and self._edits != self._saved_edits:
            pending.append(self.snapshot())
        failed: list[tuple[PieceData, BaseException]] = []
        for piece in pending:
            try:
                saved = self._core.pieces.save(piece)
            except (CopydeskError, OSError) as exc:
                log.error("Saving piece %s failed at quit: %r", piece.id, exc)
                failed.append((piece, exc))
            else:
                self._on_saved(saved, self._edits if piece.id == self.piece_id else None)
        if failed:
            raise self._keep_emergency_copies(failed)

    def _keep_emergency_copies(self, failed: list[tuple[PieceData, BaseException]]) -> StorageError:
        reason = _reason(failed[0][1])
        kept: list[str] = []
        lost: list[str] = []
        for piece, _error in failed:
            try:
                kept.append(str(emergency.keep(piece, emergency.folders(self._core.paths.root))))
            except OSError as exc:
                log.error("No emergency copy of piece %s could be written: %s", piece.id, exc)
                lost.append(piece.title or "Untitled")
        if lost:
            return StorageError(
                f"Copydesk could not save ({reason}), and could not keep an emergency copy of "
                f"“{'”, “'.join(lost)}” either: no folder it tried can be written to.",
                hint="Copy your text from the editor to somewhere safe before you quit.",
            )
        return emergency.TextKeptError(
            f"{reason}. Your text is kept in {' and '.join(kept)}.",
            kept=kept,
            hint="Import that file (File → Import) once the library can be written again.",
        )

    def _on_saved(self, saved: PieceData, edits: int | None) -> None:
        self._failures = 0
        if saved.id is not None:
            self._unsaved_others.pop(saved.id, None)
        if self._data is None or saved.id != self._data.id or edits is None:
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
        self.draft_saved.emit(saved.copy(body=self._body()))

    def _on_save_error(self, error: BaseException, snapshot: PieceData) -> None:
        log.error("Saving the piece failed: %r", error)
        if snapshot.id is not None and snapshot.id != self.piece_id:
            self._unsaved_others[snapshot.id] = snapshot  # closed meanwhile: keep trying it
        self._failures += 1
        self.save_failed.emit(error)
        delay = RETRY_DELAYS_MS[min(self._failures, len(RETRY_DELAYS_MS)) - 1]
        if not self._timer.isActive() or self._timer.remainingTime() > delay:
            self._timer.start(delay)


def _reason(error: BaseException) -> str:
    if isinstance(error, CopydeskError):
        # the library's own words already say what failed ("The library could not be saved: …")
        return error.message.rstrip(".")
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)
