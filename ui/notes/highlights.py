"""The notes' passages drawn over the editor's text: the editor's ``notes`` layer of marks.

Open notes are highlighted; the note chosen in the panel more strongly. Resolved and orphaned notes
are not drawn (the panel lists them). The core's positions count code points; Qt's count UTF-16 units.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from app.notes.data import NoteThread
from ui.editor.offsets import Utf16Map

LAYER = "notes"
# (background, text): AA contrast (at least 4.5:1) with the text colour in both themes
LIGHT = (QColor("#ffe38a"), QColor("#1b1b1b"))
LIGHT_CURRENT = (QColor("#ffc53d"), QColor("#1b1b1b"))
DARK = (QColor("#5e4d12"), QColor("#f2ecd9"))
DARK_CURRENT = (QColor("#8a6a00"), QColor("#ffffff"))


def qt_span(text: str, start: int, end: int) -> tuple[int, int]:
    positions = Utf16Map(text)
    return positions.to_qt(start), positions.to_qt(end)


def marks(
    editor: QPlainTextEdit,
    text: str,
    threads: Sequence[NoteThread],
    *,
    current: int | None = None,
    dark: bool = False,
) -> list[QTextEdit.ExtraSelection]:
    """The extra selections for the open, placed notes of *threads* on *text* (the editor's)."""
    document = editor.document()
    size = document.characterCount() - 1
    found = []
    for thread in threads:
        placement = thread.placement
        if placement is None or not thread.is_open or placement.end <= placement.start:
            continue
        start, end = qt_span(text, placement.start, placement.end)
        if end > size:
            continue  # the text changed since: the next pass places it
        colours = (
            (DARK_CURRENT if dark else LIGHT_CURRENT)
            if thread.note.id == current
            else (DARK if dark else LIGHT)
        )
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(document)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format.setBackground(colours[0])
        selection.format.setForeground(colours[1])
        selection.format.setProperty(QTextFormat.Property.UserProperty, thread.note.id)
        found.append(selection)
    return found
