"""What the window asks of ``core.notes``: the open piece's threads placed on the editor's text, the
highlights, adding, replying, resolving, editing and deleting, and sync with the site.

Placing the notes again after an edit takes a few milliseconds for 200 notes (``benchmarks/notes.py``)
but reads the library, so it runs on the read pool, debounced; a result for a text that has changed
since is still drawn only where it fits, and the next pass corrects it. Writes go through the writer;
a shared piece's changed notes are then sent at once on the network lane (offline they wait in the
outbox), and the notes sync after each pieces sync.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtWidgets import QDockWidget, QMainWindow

from app.notes.data import NoteData, NotesSharing, NoteThread
from ui.editor.offsets import Utf16Map
from ui.messages import Level, MessageBar
from ui.notes import highlights
from ui.notes.panel import NoteDialog, NotesPanel
from ui.runner import TaskRunner
from ui.theme import is_dark

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.core import Core
    from app.notes.service import NoteService
    from app.pieces.data import PieceData
    from ui.actions import ActionTable
    from ui.editor.markdown_editor import MarkdownEditor
    from ui.editor.session import PieceSession

log = logging.getLogger(__name__)

PLACE_DELAY_MS = 250
REBASE_INTERVAL_S = 300.0
ACTIONS = ("notes/add", "notes/add-piece")


class NotesController(QObject):
    threads_shown = Signal(object)  # list[NoteThread], placed on the editor's text
    notes_changed = Signal()  # a note was added, answered, resolved, edited or deleted here
    synced = Signal()

    def __init__(
        self,
        *,
        core: Core,
        runner: TaskRunner,
        session: PieceSession,
        editor: MarkdownEditor,
        messages: MessageBar,
        window: QMainWindow,
        beside: QDockWidget,
    ) -> None:
        super().__init__(window)
        from ui.layout import add_tabbed_dock

        self._core = core
        self._runner = runner
        self._session = session
        self._editor = editor
        self._messages = messages
        self._window = window
        self._request = 0
        self._threads: list[NoteThread] = []
        self._text = ""  # the text the threads were placed on
        self._current: int | None = None
        self._rebased_at = time.monotonic()
        self._table: ActionTable | None = None
        self.dialog: NoteDialog | None = None
        self.panel = NotesPanel()
        self.dock = add_tabbed_dock(window, "notesDock", "Notes", self.panel, beside)
        self._place_timer = QTimer(self, singleShot=True, interval=PLACE_DELAY_MS)
        self._place_timer.timeout.connect(self.reload)
        editor.text_edited.connect(self._place_timer.start)
        editor.cursorPositionChanged.connect(self._on_editor_cursor_moved)
        editor.context_actions.append(self._context_action())
        session.piece_opened.connect(self._on_piece_opened)
        session.piece_closed.connect(self._on_piece_closed)
        session.draft_saved.connect(self._on_draft_saved)
        p = self.panel
        p.thread_activated.connect(self.select_passage)
        p.reply_requested.connect(lambda note_id, text: self._change(lambda n: n.reply(note_id, text)))
        p.resolve_requested.connect(self._on_resolve_requested)
        p.edit_requested.connect(self.edit)
        p.delete_requested.connect(self._on_delete_requested)
        p.add_piece_requested.connect(self.add_on_piece)
        p.sync_requested.connect(lambda: self.sync_now())  # noqa: PLW0108

    @property
    def notes(self) -> NoteService:
        return self._core.notes

    def _context_action(self) -> QAction:
        action = QAction("Add Note on Selection…", self._editor)
        action.triggered.connect(self.add_on_selection)
        return action

    def connect_actions(self, table: ActionTable) -> None:
        self._table = table
        table["notes/add"].triggered.connect(self.add_on_selection)
        table["notes/add-piece"].triggered.connect(self.add_on_piece)
        table["notes/show"].triggered.connect(self.show_panel)
        table["notes/sync"].triggered.connect(lambda: self.sync_now())  # noqa: PLW0108
        table.set_enabled(ACTIONS, self._session.is_open)

    def connect_pieces_sync(self, finished: SignalInstance) -> None:
        """Sync the notes after each pieces sync (the review controller's ``sync_finished``)."""
        finished.connect(lambda _result: self.sync_now(quiet=True))

    def show_panel(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.panel.tree.setFocus()

    # -- the open piece ------------------------------------------------------------------------

    def _on_piece_opened(self, piece: PieceData) -> None:
        self._threads, self._current = [], None
        self.panel.show_threads([])
        self._editor.set_marks(highlights.LAYER, [])
        if self._table is not None:
            self._table.set_enabled(ACTIONS, True)
        if piece.id is not None:
            self.reload()
            self.refresh_sharing()

    def refresh_sharing(self) -> None:
        """Read again whether the open piece's notes are shared (it may have reached a site)."""
        piece_id = self._session.piece_id
        if piece_id is not None:
            self._runner.read(self.notes.sharing, piece_id, owner=self,
                              on_done=self._on_sharing_read, on_error=self._log)  # fmt: skip

    def _on_piece_closed(self) -> None:
        self._threads, self._current = [], None
        self.panel.show_threads([])
        self.panel.set_sharing(None)
        self._editor.set_marks(highlights.LAYER, [])
        if self._table is not None:
            self._table.set_enabled(ACTIONS, False)

    def _on_sharing_read(self, sharing: NotesSharing) -> None:
        if self._session.is_open:
            self.panel.set_sharing(sharing)

    def reload(self) -> None:
        """Place the open piece's notes on the editor's text as it is now."""
        piece_id = self._session.piece_id
        if piece_id is None:
            return
        self._request += 1
        request, text, notes = self._request, self._editor.toPlainText(), self.notes
        self._runner.read(
            lambda: notes.threads(piece_id, text=text),
            owner=self,
            on_done=lambda threads: self._on_threads_read(request, piece_id, text, threads),
            on_error=self._log,
        )

    def _on_threads_read(
        self, request: int, piece_id: int, text: str, threads: list[NoteThread]
    ) -> None:
        if request != self._request or piece_id != self._session.piece_id:
            return
        self._threads, self._text = threads, text
        self.panel.show_threads(threads)
        self._draw()
        self.threads_shown.emit(threads)

    def _draw(self) -> None:
        marks = highlights.marks(self._editor, self._text, self._threads, current=self._current,
                                 dark=is_dark(self._editor.palette()))  # fmt: skip
        self._editor.set_marks(highlights.LAYER, marks)

    def _on_draft_saved(self, piece: PieceData) -> None:
        """Move the anchors onto the saved text, so later edits are diffed from it: every few
        minutes, not at each autosave (each rebase keeps a copy of the text as a base)."""
        now = time.monotonic()
        if piece.id is None or not self._threads or now - self._rebased_at < REBASE_INTERVAL_S:
            return
        self._rebased_at = now
        notes, piece_id, body = self.notes, piece.id, piece.body
        self._runner.write(lambda: notes.rebase(piece_id, body), owner=self, on_error=self._log)

    # -- the passage of a note -----------------------------------------------------------------

    def select_passage(self, thread: NoteThread) -> None:
        """Select the note's passage in the editor (clicking a note)."""
        self._current = thread.note.id
        placement = thread.placement
        if placement is not None and self._text == self._editor.toPlainText():
            start, end = highlights.qt_span(self._text, placement.start, placement.end)
            cursor = QTextCursor(self._editor.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            self._editor.setTextCursor(cursor)  # inside the current note's passage: no-op below
            self._editor.ensureCursorVisible()
            self._editor.viewport().update()
        self._draw()

    def _on_editor_cursor_moved(self) -> None:
        """The cursor in a highlighted passage: its note becomes the panel's current one."""
        if not self._threads or self._text != self._editor.toPlainText():
            return
        position = Utf16Map(self._text).to_py(self._editor.textCursor().position())
        for thread in self._threads:
            place = thread.placement
            if place is not None and thread.is_open and place.start <= position <= place.end:
                if thread.note.id != self._current:
                    self._current = thread.note.id
                    self.panel.select_note(thread.note.id)
                    self._draw()
                return

    # -- adding and changing -------------------------------------------------------------------

    def add_on_selection(self) -> None:
        piece_id = self._session.piece_id
        if piece_id is None:
            return
        cursor = self._editor.textCursor()
        if not cursor.hasSelection():
            self._messages.show_message(
                "Select the passage the note is about first (or add a note on the whole piece)."
            )
            return
        text = self._editor.toPlainText()
        positions = Utf16Map(text)
        start, end = positions.to_py(cursor.selectionStart()), positions.to_py(cursor.selectionEnd())
        quote = text[start:end]
        shown = quote if len(quote) <= 160 else quote[:157] + "…"
        self._ask("Add Note", f"On “{shown}”",
                  lambda body: self._change(lambda n: n.add(piece_id, body, start=start, end=end,
                                                            text=text)))  # fmt: skip

    def add_on_piece(self) -> None:
        piece_id = self._session.piece_id
        if piece_id is not None:
            self._ask("Note on the Whole Piece", "On the piece as a whole",
                      lambda body: self._change(lambda n: n.add(piece_id, body)))  # fmt: skip

    def edit(self, note: NoteData) -> None:
        self._ask("Edit Note", "Your note", lambda body: self._change(lambda n: n.edit(note.id, body)),
                  text=note.body)  # fmt: skip

    def _ask(self, title: str, context: str, then: Callable[[str], None], text: str = "") -> None:
        dialog = NoteDialog(title, context, text, self._window)
        dialog.accepted.connect(lambda: then(dialog.text()))
        dialog.open()
        self.dialog = dialog

    def _on_resolve_requested(self, note_id: int, resolved: bool) -> None:
        self._change(lambda n: n.resolve(note_id) if resolved else n.reopen(note_id))

    def _on_delete_requested(self, note: NoteData) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Question, "Delete Note",
                          f"Delete your note “{note.body[:80]}”? Its replies go with it.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self._window)  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self._change(lambda n: n.delete(note.id)))
        box.open()

    def _change(self, change: Callable[[NoteService], object]) -> None:
        """Make the change on the writer, then show the notes again and send them if shared."""
        notes, piece_id = self.notes, self._session.piece_id
        self._runner.write(
            lambda: change(notes),
            owner=self,
            on_done=lambda _r: self._on_changed(piece_id),
            on_error=self._error,
        )

    def _on_changed(self, piece_id: int | None) -> None:
        self.notes_changed.emit()
        self.reload()
        if piece_id is None or not self.panel.sync.isEnabled():
            return  # the notes stay on this computer
        self._runner.network(self.notes.send, piece_id, owner=self, on_done=lambda _o: self.reload(),
                             on_error=lambda e: self._messages.show_message(
                                 f"The notes wait in the outbox: {e}"))  # fmt: skip

    # -- sync ----------------------------------------------------------------------------------

    def sync_now(self, *, quiet: bool = False) -> None:
        self._runner.network(
            self.notes.sync,
            owner=self,
            on_done=lambda report: self._on_synced(report, quiet),
            on_error=lambda error: None if quiet else self._messages.show_message(
                f"Notes not synced: {error}", Level.WARNING),
        )  # fmt: skip

    def _on_synced(self, report: object, quiet: bool) -> None:
        self.reload()
        self.refresh_sharing()
        self.synced.emit()
        if not quiet:
            self._messages.show_message("Notes synced.")
        log.info("Notes synced: %s", report)

    def _error(self, error: BaseException) -> None:
        self._messages.show_message(str(error), Level.ERROR)

    def _log(self, error: BaseException) -> None:
        log.info("Notes not read: %s", error)
