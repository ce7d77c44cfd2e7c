"""What the window asks of ``core.changes``: the open piece's changes since its base version, in the
changes panel and over the editor's text; accepting and rejecting them; the review's result kept as a
revision; and the word merge when a pieces sync finds the piece edited on both sides.

A rejected change is taken out of the editor's text as an ordinary edit (undoable, autosaved). Typing
during a review keeps the decisions made and lists what is left against the text as typed. When the
last change is decided, the text is kept as a ``reviewed`` revision and the timeline records it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDockWidget, QMainWindow

from app.changes.tracked import Change, TrackedReview
from ui.changes import marks
from ui.changes.panel import ChangesPanel
from ui.editor.offsets import Utf16Map
from ui.messages import Level, MessageBar
from ui.runner import TaskRunner
from ui.theme import is_dark

if TYPE_CHECKING:
    from app.changes.service import ReviewBase
    from app.core import Core
    from app.pieces.data import PieceData
    from ui.actions import ActionTable
    from ui.editor.markdown_editor import MarkdownEditor
    from ui.editor.session import PieceSession

log = logging.getLogger(__name__)

EDIT_DELAY_MS = 300
ACTIONS = (
    "changes/accept", "changes/reject", "changes/accept-all", "changes/reject-all",
    "changes/next", "changes/previous",
)  # fmt: skip


class ChangesController(QObject):
    review_shown = Signal(object)  # list[Change]: the open changes, placed on the editor's text
    review_finished = Signal(object)  # PieceData: the result, kept as a revision

    def __init__(
        self,
        *,
        core: Core,
        runner: TaskRunner,
        session: PieceSession,
        editor: MarkdownEditor,
        messages: MessageBar,
        window: QMainWindow,
        beside: QDockWidget | None = None,
    ) -> None:
        super().__init__(window)
        from ui.layout import add_tabbed_dock

        self._core = core
        self._runner = runner
        self._session = session
        self._editor = editor
        self._messages = messages
        self._request = 0
        self._piece_id: int | None = None
        self._applying = False
        self.base: ReviewBase | None = None
        self.review: TrackedReview | None = None
        self._current: str | None = None
        self._table: ActionTable | None = None
        self.panel = ChangesPanel()
        self.dock = add_tabbed_dock(window, "changesDock", "Changes", self.panel, beside)
        self.dock.hide()
        self._edit_timer = QTimer(self, singleShot=True, interval=EDIT_DELAY_MS)
        self._edit_timer.timeout.connect(self._on_text_typed)
        editor.text_edited.connect(self._on_editor_text_edited)
        session.piece_opened.connect(self._on_piece_opened)
        session.piece_closed.connect(self._clear)
        p = self.panel
        p.change_selected.connect(self.select_change)
        p.accept_requested.connect(self.accept)
        p.reject_requested.connect(self.reject)
        p.accept_all_requested.connect(self.accept_all)
        p.reject_all_requested.connect(self.reject_all)

    def connect_actions(self, table: ActionTable) -> None:
        self._table = table
        table["changes/accept"].triggered.connect(lambda: self._on_current(self.accept))
        table["changes/reject"].triggered.connect(lambda: self._on_current(self.reject))
        table["changes/accept-all"].triggered.connect(self.accept_all)
        table["changes/reject-all"].triggered.connect(self.reject_all)
        table["changes/next"].triggered.connect(self.panel.select_next)
        table["changes/previous"].triggered.connect(self.panel.select_previous)
        table["changes/show"].triggered.connect(self.show_panel)
        self._enable()

    def connect_pieces_sync(self, finished: SignalInstance) -> None:
        """Look for changes after each pieces sync (the editor's text may have come back)."""
        finished.connect(lambda _result: self.refresh())

    def show_panel(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.panel.tree.setFocus()

    # -- the open piece ------------------------------------------------------------------------

    def _on_piece_opened(self, piece: PieceData) -> None:
        review = self.review
        if review is not None and piece.id == self._piece_id and piece.body == review.current:
            return  # the same piece opened again as it is: the review in progress goes on
        self._clear()
        self._piece_id = piece.id
        if piece.id is not None:
            self.refresh()

    def _clear(self) -> None:
        self.base, self.review, self._current = None, None, None
        self._edit_timer.stop()
        self._show()

    def refresh(self) -> None:
        """Read the open piece's changes since its base version (if any came back)."""
        piece_id = self._session.piece_id
        if piece_id is None:
            return
        self._request += 1
        request = self._request
        self._runner.read(
            self._core.changes.review, piece_id, owner=self,
            on_done=lambda found: self._on_review_read(request, piece_id, found),
            on_error=self._error,
        )  # fmt: skip

    def _on_review_read(
        self, request: int, piece_id: int, found: tuple[ReviewBase, TrackedReview] | None
    ) -> None:
        if request != self._request or piece_id != self._session.piece_id:
            return
        if found is None:
            if self.review is None:
                self._show()
            return
        base, review = found
        if (
            self.review is not None
            and self.base is not None
            and self.base.revision_id == base.revision_id
        ):
            return  # the review in progress, read again (after a sync): keep its decisions
        self.base = base
        text = self._editor.toPlainText()
        self.review = review if review.current == text else review.rebased(text)
        self._current = None
        self._show()
        if self.review.changes:
            self.dock.show()
            self.dock.raise_()

    def _show(self) -> None:
        review = self.review
        changes = review.changes if review is not None else []
        heading = ""
        if review is not None and self.base is not None and changes:
            count = f"{len(changes)} change" + ("" if len(changes) == 1 else "s")
            heading = (
                f"{count} since {self.base.label}. Accept or reject each: the result is kept "
                "as a new revision."
            )
        self.panel.show_changes(changes, heading, current=self._current)
        self._current = self.panel.current_id()
        self._draw()
        self._enable()
        self.review_shown.emit(changes)

    def _draw(self) -> None:
        changes = self.review.changes if self.review is not None else []
        text = self._editor.toPlainText()
        dark = is_dark(self._editor.palette())
        self._editor.set_marks(
            marks.LAYER, marks.marks(self._editor, text, changes, current=self._current, dark=dark)
        )

    def _enable(self) -> None:
        if self._table is not None:
            self._table.set_enabled(ACTIONS, bool(self.review and self.review.changes))

    # -- choosing a change -----------------------------------------------------------------------

    def _find(self, change_id: str) -> Change | None:
        if self.review is None:
            return None
        return next((c for c in self.review.changes if c.id == change_id), None)

    def select_change(self, change_id: str) -> None:
        """Show the change in the editor: its words selected (a deletion: the gap)."""
        self._current = change_id
        change = self._find(change_id)
        if change is not None:
            text = self._editor.toPlainText()
            start, end = marks.span(text, change)
            cursor = QTextCursor(self._editor.document())
            cursor.setPosition(start)
            if change.inserted:
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            self._editor.setTextCursor(cursor)
            self._editor.ensureCursorVisible()
        self._draw()

    def _on_current(self, act: object) -> None:
        change_id = self.panel.current_id()
        if change_id is not None:
            act(change_id)  # type: ignore[operator]

    # -- deciding --------------------------------------------------------------------------------

    def accept(self, change_id: str) -> None:
        if self.review is None or self._find(change_id) is None:
            return
        at = self._index(change_id)
        self.review.accept(change_id)
        self._decided(at)

    def reject(self, change_id: str) -> None:
        change = self._find(change_id)
        if self.review is None or change is None:
            return
        at = self._index(change_id)
        self._replace(change.start, change.end, change.removed)
        self.review.reject(change_id)
        self._decided(at)

    def accept_all(self) -> None:
        if self.review is not None and self.review.changes:
            self.review.accept_all()
            self._decided()

    def reject_all(self) -> None:
        review = self.review
        if review is None or not review.changes:
            return
        for change in reversed(review.changes):  # from the end: earlier positions stay right
            self._replace(change.start, change.end, change.removed)
        review.reject_all()
        self._decided()

    def _replace(self, start: int, end: int, words: str) -> None:
        """Put *words* over [start, end) of the editor's text, as an undoable edit."""
        positions = Utf16Map(self._editor.toPlainText())
        cursor = QTextCursor(self._editor.document())
        cursor.setPosition(positions.to_qt(start))
        cursor.setPosition(positions.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self._applying = True
        try:
            cursor.insertText(words)
        finally:
            self._applying = False

    def _decided(self, at: int = 0) -> None:
        """After a decision: the change that followed the decided one (*at* in the list) is next."""
        review = self.review
        if review is None:
            return
        left = review.changes
        if left:
            self._current = left[min(at, len(left) - 1)].id
            self._show()
            return
        self._finish(review)

    def _index(self, change_id: str) -> int:
        ids = [c.id for c in self.review.changes] if self.review is not None else []
        return ids.index(change_id) if change_id in ids else 0

    def _finish(self, review: TrackedReview) -> None:
        """Keep the result as a revision (after the editor's text is saved) and record it."""
        piece_id = self._session.piece_id
        if piece_id is None:
            return
        self.base, self.review, self._current = None, None, None
        self._show()
        self._session.save()
        changes = self._core.changes
        self._runner.write(
            lambda: changes.finish(piece_id, review), owner=self,
            on_done=self._on_finished, on_error=self._error,
        )  # fmt: skip

    def _on_finished(self, piece: PieceData) -> None:
        self._messages.show_message(
            f"Changes to “{piece.title or 'Untitled'}” reviewed: "
            f"{self._summary_of(piece)}. Kept as a new revision."
        )
        self.review_finished.emit(piece)

    def _summary_of(self, piece: PieceData) -> str:
        events = [
            e for e in self._core.workflow.timeline(piece.id or 0) if e.action == "changes-reviewed"
        ]
        return events[-1].note if events else "done"

    # -- typing during a review ----------------------------------------------------------------

    def _on_editor_text_edited(self) -> None:
        if self.review is not None and not self._applying:  # our own edits redraw when done
            self._edit_timer.start()

    def _on_text_typed(self) -> None:
        if self.review is None:
            return
        text = self._editor.toPlainText()
        if text != self.review.current:
            self.review = self.review.rebased(text)
        self._decided()

    def _error(self, error: BaseException) -> None:
        self._messages.show_message(f"Tracked changes: {error}", Level.WARNING)
