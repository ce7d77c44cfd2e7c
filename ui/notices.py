"""What the window tells the user about work done out of sight: saves (the status bar's save state,
and a message while saving fails), preview renders and the spelling dictionary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from app.pieces.data import PieceData
from ui.messages import Level, MessageBar
from ui.statusbar import StatusBar

if TYPE_CHECKING:
    from ui.editor.session import PieceSession
    from ui.editor.spellcheck import SpellService
    from ui.library.pane import LibraryPane
    from ui.preview.controller import PreviewController


class Notices(QObject):
    def __init__(
        self,
        status: StatusBar,
        messages: MessageBar,
        library: LibraryPane,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._status = status
        self._messages = messages
        self._library = library
        self._session: PieceSession | None = None

    def follow(self, session: PieceSession, preview: PreviewController, spelling: SpellService) -> None:
        """Report on the background work of these parts."""
        self._session = session
        session.content_changed.connect(self._status.show_editing)
        session.draft_saved.connect(self._on_session_draft_saved)
        session.save_failed.connect(self._on_session_save_failed)
        preview.stats_changed.connect(self._status.show_stats)
        preview.render_failed.connect(self._on_render_failed)
        spelling.load_failed.connect(self._on_spelling_load_failed)

    def _on_session_draft_saved(self, piece: PieceData) -> None:
        if self._session is not None and piece.id == self._session.piece_id:
            self._status.show_saved(piece.updated_at)
        self._library.update_piece(piece)
        if self._messages.level is Level.ERROR and "save" in self._messages.text.lower():
            self._messages.clear()

    def _on_session_save_failed(self, error: BaseException) -> None:
        reason = str(error)
        self._status.show_not_saved(reason)
        self._messages.show_message(
            f"Could not save: {reason} Your text is safe in the editor; Copydesk keeps trying.",
            Level.ERROR,
        )

    def _on_render_failed(self, error: BaseException) -> None:
        self._messages.show_message(f"The preview could not be updated: {error}", Level.WARNING)

    def _on_spelling_load_failed(self, message: str) -> None:
        self._messages.show_message(f"Spell checking is off: {message}", Level.WARNING)
