"""What happens to whole pieces: open, new, duplicate, trash, restore, import, export, history.

The library pane shows and selects; this controller asks ``app`` (through the runner) and tells the
session and the pane what came of it. Messages go to the message bar.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.errors import CopydeskError
from app.pieces.data import PieceData
from ui.editor.session import PieceSession
from ui.library.pane import LibraryPane
from ui.messages import Level, MessageBar
from ui.runner import ErrorHandler, TaskRunner

if TYPE_CHECKING:
    from app.core import Core
    from ui.actions import ActionTable

log = logging.getLogger(__name__)

MARKDOWN_FILTER = "Markdown (*.md *.markdown *.txt);;All files (*)"


class LibraryController(QObject):
    piece_loaded = Signal(object)  # PieceData, about to be shown in the editor
    piece_unloaded = Signal()

    def connect_actions(self, table: ActionTable) -> None:
        """Connect the whole-piece actions of the File and Library menus (``ui/actions.py``)."""
        table["piece/new"].triggered.connect(self.new_piece)
        # triggered() passes `checked`; these slots take other optional arguments, so wrap them
        table["piece/import"].triggered.connect(lambda: self.import_file())  # noqa: PLW0108
        table["piece/save"].triggered.connect(self.save_revision)
        table["piece/duplicate"].triggered.connect(self.duplicate)
        table["piece/trash"].triggered.connect(self.trash)
        table["piece/restore"].triggered.connect(lambda: self.restore())  # noqa: PLW0108
        table["library/empty-trash"].triggered.connect(self.empty_trash)
        table["piece/export-md"].triggered.connect(lambda: self.export("md"))
        table["piece/export-html"].triggered.connect(lambda: self.export("html"))
        table["piece/history"].triggered.connect(self.show_history)

    def __init__(
        self,
        *,
        core: Core,
        runner: TaskRunner,
        session: PieceSession,
        pane: LibraryPane,
        messages: MessageBar,
        window: QWidget,
    ) -> None:
        super().__init__()
        self._core = core
        self._runner = runner
        self._session = session
        self._pane = pane
        self._messages = messages
        self._window = window

    def _error(self, context: str) -> ErrorHandler:
        def show(error: BaseException) -> None:
            assert isinstance(error, CopydeskError)  # the runner hands over nothing else
            self._messages.show_error(error, context=context)

        return show

    # -- opening -------------------------------------------------------------------------------

    def open_piece(self, piece_id: int) -> None:
        if piece_id == self._session.piece_id:
            return
        self._session.save()
        # through the writer, so a save of this piece still queued lands before it is read
        self._runner.write(
            self._core.pieces.get,
            piece_id,
            owner=self,
            on_done=self._on_piece_read,
            on_error=self._error("Could not open the piece"),
        )

    def _on_piece_read(self, piece: PieceData) -> None:
        self.piece_loaded.emit(piece)
        self._session.open(piece)
        if piece.id is not None:
            self._core.settings.set("library.last_piece", piece.id)
            self._core.settings.save()

    def show_loaded(self, piece: PieceData) -> None:
        """Open a piece that was just made or restored, and select it in the list."""
        self._on_piece_read(piece)
        if piece.id is not None:
            self._pane.refresh(select=piece.id)

    def close_piece(self) -> None:
        self._session.close()
        self.piece_unloaded.emit()

    # -- revisions -----------------------------------------------------------------------------

    def save_revision(self) -> None:
        self._session.save(reason="saved")
        self._messages.show_message("Saved. This version is kept in the revision history.")

    def show_history(self) -> None:
        if not self._session.is_open:
            return
        from ui.revisions.dialog import RevisionsDialog  # loaded when first needed

        self._session.save()
        dialog = RevisionsDialog(self._core, self._runner, self._session.snapshot(), self._window)
        dialog.restored.connect(self._on_revision_restored)
        dialog.open()

    def _on_revision_restored(self, piece: PieceData) -> None:
        self.show_loaded(piece)
        self._messages.show_message(
            "Restored the earlier version. The version before it is kept in the history."
        )

    # -- making and removing -------------------------------------------------------------------

    def new_piece(self) -> None:
        self._session.save()
        self._runner.write(
            self._core.new_piece,
            owner=self,
            on_done=self.show_loaded,
            on_error=self._error("Could not start a new piece"),
        )

    def duplicate(self) -> None:
        target = self._session.piece_id
        if target is None:
            return
        self._session.save()
        self._runner.write(
            self._core.pieces.duplicate,
            target,
            owner=self,
            on_done=self.show_loaded,
            on_error=self._error("Could not duplicate the piece"),
        )

    def _targets(self) -> list[int]:
        selected = self._pane.selected_ids()
        if selected:
            return selected
        return [self._session.piece_id] if self._session.piece_id is not None else []

    def trash(self) -> None:
        ids = self._targets()
        if not ids:
            return
        if self._session.piece_id in ids:
            self._session.save()
            self.close_piece()
        self._runner.write(
            self._core.pieces.trash,
            ids,
            owner=self,
            on_done=lambda n: self._on_trashed(ids, n),
            on_error=self._error("Could not move to the trash"),
        )

    def _on_trashed(self, ids: list[int], count: int) -> None:
        self._pane.refresh()
        noun = "piece" if count == 1 else "pieces"
        self._messages.show_message(
            f"Moved {count} {noun} to the trash.",
            Level.INFO,
            action="Undo",
            callback=lambda: self.restore(ids),
        )

    def restore(self, ids: list[int] | None = None) -> None:
        ids = ids if ids is not None else self._pane.selected_ids()
        if not ids:
            return
        self._runner.write(
            self._core.pieces.restore,
            ids,
            owner=self,
            on_done=lambda n: self._on_restored(ids, n),
            on_error=self._error("Could not restore"),
        )

    def _on_restored(self, ids: list[int], count: int) -> None:
        self._pane.refresh()
        noun = "piece" if count == 1 else "pieces"
        self._messages.show_message(f"Restored {count} {noun} from the trash.")
        if len(ids) == 1:
            self.open_piece(ids[0])

    def empty_trash(self) -> None:
        answer = QMessageBox.warning(
            self._window,
            "Empty the trash?",
            "The pieces in the trash and their revision history will be deleted for good. "
            "This cannot be undone.",
            QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Discard,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Discard:
            return
        self._runner.write(
            self._core.pieces.empty_trash,
            owner=self,
            on_done=self._on_trash_emptied,
            on_error=self._error("Could not empty the trash"),
        )

    def _on_trash_emptied(self, count: int) -> None:
        self._pane.refresh()
        noun = "piece" if count == 1 else "pieces"
        self._messages.show_message(f"Deleted {count} {noun} for good.")

    # -- files ---------------------------------------------------------------------------------

    def import_file(self, path: Path | None = None) -> None:
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self._window, "Import Markdown", "", MARKDOWN_FILTER)
            if not chosen:
                return
            path = Path(chosen)
        self._session.save()
        self._runner.write(
            self._core.import_markdown,
            path,
            owner=self,
            on_done=self._on_imported,
            on_error=self._error(f"Could not import {path.name}"),
        )

    def _on_imported(self, piece: PieceData) -> None:
        self.show_loaded(piece)
        self._messages.show_message(f"Imported “{piece.title or 'Untitled'}”.")

    def export(self, fmt: str, path: Path | None = None) -> None:
        piece_id = self._session.piece_id
        if piece_id is None:
            return
        if path is None:
            title = self._session.snapshot().slug or "piece"
            if fmt == "md":
                name, filters = f"{title}.md", "Markdown (*.md)"
            else:
                name, filters = f"{title}.html", "HTML page (*.html)"
            chosen, _ = QFileDialog.getSaveFileName(self._window, "Export", name, filters)
            if not chosen:
                return
            path = Path(chosen)
        self._session.save()
        exporter = self._core.export_markdown if fmt == "md" else self._core.export_html

        def write() -> Path:
            path.write_text(exporter(piece_id), encoding="utf-8")
            return path

        self._runner.write(
            write,
            owner=self,
            on_done=lambda p: self._messages.show_message(f"Exported to {p}."),
            on_error=self._error("Could not export"),
        )
