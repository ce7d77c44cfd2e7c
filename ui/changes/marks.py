"""The open changes drawn over the editor's text: the editor's ``changes`` layer of marks.

Inserted words are shaded green and underlined; where words were deleted (they are no longer in the
text) the character after the gap is shaded red, and the panel shows the deleted words. The change
chosen in the panel is drawn more strongly. The core counts code points; Qt counts UTF-16 units.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from app.changes.tracked import Change
from ui.editor.offsets import Utf16Map

LAYER = "changes"
KIND = QTextFormat.Property.UserProperty + 1  # "inserted", "deleted" or "replaced"
# (background, text) pairs; the text on each background has at least 4.5:1 contrast (WCAG AA)
INSERTED = {False: (QColor("#cdeed6"), QColor("#1d1d1f")), True: (QColor("#1e4a2b"), QColor("#f0efe9"))}
INSERTED_CURRENT = {
    False: (QColor("#9fdcb0"), QColor("#1d1d1f")),
    True: (QColor("#2e6b40"), QColor("#ffffff")),
}
DELETED = {False: (QColor("#f7c9c4"), QColor("#1d1d1f")), True: (QColor("#5c2420"), QColor("#f0efe9"))}
DELETED_CURRENT = {
    False: (QColor("#ef9a91"), QColor("#1d1d1f")),
    True: (QColor("#8a352e"), QColor("#ffffff")),
}


def span(text: str, change: Change) -> tuple[int, int]:
    """Where the change is drawn in the editor, in Qt's positions: the inserted words (without the
    spaces around them), or (a pure deletion) the one character after the gap (before it, at the
    very end)."""
    start, end = change.start, change.end
    words = change.inserted.strip()
    if words:  # the words themselves, not the spaces around them
        start += len(change.inserted) - len(change.inserted.lstrip())
        end = start + len(words)
    elif start == end:
        start, end = (start, start + 1) if start < len(text) else (max(0, start - 1), start)
    positions = Utf16Map(text)
    return positions.to_qt(start), positions.to_qt(end)


def marks(
    editor: QPlainTextEdit,
    text: str,
    changes: Sequence[Change],
    *,
    current: str | None = None,
    dark: bool = False,
) -> list[QTextEdit.ExtraSelection]:
    """The extra selections for *changes* placed on *text*, which must be the editor's text."""
    if text != editor.toPlainText():
        return []  # the text moved on: the controller places the changes again
    document = editor.document()
    size = document.characterCount() - 1
    found = []
    for change in changes:
        start, end = span(text, change)
        if end <= start or end > size:
            continue
        strong = change.id == current
        if change.inserted:
            background, foreground = (INSERTED_CURRENT if strong else INSERTED)[dark]
        else:
            background, foreground = (DELETED_CURRENT if strong else DELETED)[dark]
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(document)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format.setBackground(background)
        selection.format.setForeground(foreground)
        if change.inserted:
            selection.format.setFontUnderline(True)
        selection.format.setProperty(QTextFormat.Property.UserProperty, change.id)
        selection.format.setProperty(KIND, change.kind)
        found.append(selection)
    return found
