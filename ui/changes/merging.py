"""The word merge offered when a pieces sync finds the piece edited here and on the site: both
sides' changes from the version submitted, merged by merge3 in the core; passages changed on both
sides chosen in :class:`WordMergeDialog`; the result saved as the piece and pushed over the version
the user saw. Without a submitted version to merge from, the side-by-side conflict view opens
instead. Cancelling changes nothing, here or on the site."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from app.changes.merge import Choice, MergeResult
from app.errors import ConflictError
from ui.changes.merge_view import WordMergeDialog
from ui.messages import Level, MessageBar
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core
    from app.pieces.data import PieceData
    from app.publishing.safety import ConflictInfo
    from ui.library.controller import LibraryController


class MergeController(QObject):
    merged = Signal(object)  # PieceData: the merged piece, pushed
    dialog_shown = Signal(object)  # WordMergeDialog

    def __init__(
        self,
        *,
        core: Core,
        runner: TaskRunner,
        library: LibraryController,
        messages: MessageBar,
        window: QWidget,
        fallback: Callable[[BaseException], None],
    ) -> None:
        super().__init__(window)
        self._core = core
        self._runner = runner
        self._library = library
        self._messages = messages
        self._window = window
        self._fallback = fallback
        self.dialog: WordMergeDialog | None = None

    def on_conflict(self, error: BaseException) -> None:
        """A conflict from a pieces sync: a word merge when the base is known, else the old view."""
        info: ConflictInfo | None = getattr(error, "info", None)
        if info is None:
            self._fallback(error)
            return
        changes = self._core.changes

        def merge() -> MergeResult | None:
            if changes.merge_base(info.piece_id) is None:
                return None
            return changes.merge(info.piece_id, info.theirs_piece.body)

        self._runner.read(
            merge, owner=self,
            on_done=lambda result: self._on_merged(error, info, result),
            on_error=lambda _e: self._fallback(error),
        )  # fmt: skip

    def _on_merged(self, error: BaseException, info: ConflictInfo, result: MergeResult | None) -> None:
        if result is None:
            self._fallback(error)
            return
        dialog = WordMergeDialog(result, info.mine.title or "Untitled", self._window)
        dialog.finished.connect(lambda code: self._on_dialog_finished(dialog, info, code))
        self.dialog = dialog
        dialog.open()
        self.dialog_shown.emit(dialog)

    def _on_dialog_finished(self, dialog: WordMergeDialog, info: ConflictInfo, code: int) -> None:
        self.dialog = None
        if code != QDialog.DialogCode.Accepted:
            self._messages.show_message(
                f"Nothing was merged: your text of “{info.mine.title}” stays as it is, and the "
                "editor's waits on the site (sync the pieces to merge).",
                Level.WARNING,
            )
            return
        self.send(info, dialog.merge_result, dialog.choices())

    def send(self, info: ConflictInfo, shown: MergeResult, choices: Mapping[int, Choice]) -> None:
        """Merge again from the library as it is now (the same passages to choose, or nothing is
        done), save the result as the piece and push it over the version the user saw."""
        core = self._core

        def merge_and_push() -> PieceData:
            again = core.changes.merge(info.piece_id, info.theirs_piece.body)
            if again.conflicts != shown.conflicts:
                raise ConflictError(
                    "The piece changed while you chose, so nothing was merged.",
                    hint="Sync the pieces to merge again.",
                )
            piece = core.pieces.get(info.piece_id).copy(body=again.text(choices))
            core.remote.publisher.push_merged(info, piece)
            return core.pieces.get(info.piece_id)

        self._runner.network(
            merge_and_push, owner=self, on_done=self._on_pushed,
            on_error=lambda e: self._on_push_failed(info.piece_id, e),
        )  # fmt: skip

    def _on_push_failed(self, piece_id: int, error: BaseException) -> None:
        """The merge may be saved here and not sent: show the piece as the library holds it, so
        no autosave of the text on screen writes over it."""
        self._messages.show_message(f"Not merged and sent: {error}", Level.WARNING)
        self._runner.write(
            self._core.pieces.get, piece_id, owner=self, on_done=self._library.show_loaded,
        )  # fmt: skip

    def _on_pushed(self, piece: PieceData) -> None:
        self._library.show_loaded(piece)
        self._messages.show_message(
            f"“{piece.title or 'Untitled'}”: your changes and the editor's merged and sent."
        )
        self.merged.emit(piece)
