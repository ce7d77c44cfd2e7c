"""The notes and the checklist, made for a window: their docks beside the metadata, their wiring
to the review's pieces sync, and the checklist following the notes (the item "no open notes")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from ui.checklist.controller import ChecklistController
from ui.notes.controller import NotesController

if TYPE_CHECKING:
    from ui.main_window import MainWindow

RIGHT_DOCK_WIDTH = 420


def attach_notes(window: MainWindow) -> tuple[NotesController, ChecklistController]:
    """Called from ``MainWindow.attach`` once the library and the review controller exist."""
    assert window.core is not None
    notes = NotesController(
        core=window.core, runner=window.runner, session=window.session, editor=window.editor,
        messages=window.messages, window=window, beside=window.metadata_dock,
    )  # fmt: skip
    checklist = ChecklistController(
        core=window.core, runner=window.runner, session=window.session, spelling=window.spelling,
        window=window, beside=window.metadata_dock,
    )  # fmt: skip
    if not window.settings.get("window.state"):  # first run: room for five tabs on the right
        window.resizeDocks([window.metadata_dock], [RIGHT_DOCK_WIDTH], Qt.Orientation.Horizontal)
    notes.connect_pieces_sync(window.review.sync_finished)
    window.review.actions.sent.connect(lambda _outcomes: notes.refresh_sharing())
    checklist.follow_notes(notes.notes_changed)
    return notes, checklist
