"""The Markdown editing pane: a comfortable writing column, formatting keys, spelling menu."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QResizeEvent,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QApplication, QMenu, QPlainTextEdit, QTextEdit, QWidget

from app.text.spelling import WORD
from ui.editor.highlighter import MarkdownHighlighter
from ui.editor.offsets import Utf16Map
from ui.editor.spellcheck import SpellService

# The writing column: about this many average characters wide, centred in the pane.
COLUMN_CHARACTERS = 78
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|(\d+)([.)]))(\s+)(\[[ xX]\]\s+)?")


class MarkdownEditor(QPlainTextEdit):
    scrolled = Signal(int, float)  # first visible block, fraction of it scrolled past
    focus_lost = Signal()
    # The text itself changed (typing, pasting, undo, replace...). Unlike ``textChanged``, never
    # for re-highlighting (spelling verdicts, a theme, the dictionary loading) nor for load_text().
    text_edited = Signal()

    def __init__(self, spelling: SpellService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("markdownEditor")
        self._spelling = spelling
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(False)
        self.setPlaceholderText("Start writing. Markdown formatting: *italic*, **bold**, ## heading")
        self._text = ""  # the text as of the last text_edited (or load_text)
        self._loading = False
        self.document().contentsChange.connect(self._on_document_contents_change)
        self.highlighter = MarkdownHighlighter(self.document(), spelling.is_misspelt)
        spelling.words_checked.connect(self._on_spelling_words_checked)
        spelling.verdicts_reset.connect(self.highlighter.rehighlight)
        self.verticalScrollBar().valueChanged.connect(self._on_scrollbar_value_changed)
        self.set_font_size(13)
        # marks drawn over the text (notes' passages...), one list per layer, each layer its owner's
        self._marks: dict[str, list[QTextEdit.ExtraSelection]] = {}
        self.context_actions: list[QAction] = []  # added to the context menu (e.g. Add Note)

    # -- appearance ----------------------------------------------------------------------------

    def set_font_size(self, points: int) -> None:
        font = QFont()
        font.setFamilies(["Source Serif 4", "Charter", "Georgia", "DejaVu Serif", "serif"])
        font.setPointSize(points)
        font.setStyleHint(QFont.StyleHint.Serif)
        self.setFont(font)
        self.document().setDocumentMargin(12)
        self._update_margins()

    def set_dark(self, dark: bool) -> None:
        self.highlighter.set_dark(dark)

    def set_marks(self, layer: str, selections: list[QTextEdit.ExtraSelection]) -> None:
        """Replace one layer of marks over the text (the other layers stay)."""
        self._marks[layer] = selections
        self.setExtraSelections([mark for marks in self._marks.values() for mark in marks])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_margins()

    def _update_margins(self) -> None:
        column = QFontMetricsF(self.font()).averageCharWidth() * COLUMN_CHARACTERS
        spare = max(0.0, self.width() - column - self.verticalScrollBar().width())
        side = int(spare / 2)
        self.setViewportMargins(side, 0, side, 0)

    # -- text ----------------------------------------------------------------------------------

    def load_text(self, text: str) -> None:
        """Replace the whole text (opening a piece): undo history starts afresh; no text_edited."""
        self._loading = True
        try:
            self.setPlainText(text)
        finally:
            self._loading = False
        self._text = self.document().toPlainText()
        self.document().setModified(False)
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        self.setTextCursor(cursor)

    def _on_document_contents_change(self, _position: int, removed: int, added: int) -> None:
        if self._loading:
            return
        text = self.document().toPlainText()
        # a format-only change reports as many characters added as removed and leaves the text
        if removed == added and text == self._text:
            return
        self._text = text
        self.text_edited.emit()

    def wrap_selection(self, marker: str) -> None:
        """Toggle *marker* (``**`` or ``*``) around the selection, or insert a pair at the cursor."""
        cursor = self.textCursor()
        selected = cursor.selectedText()
        cursor.beginEditBlock()
        if selected.startswith(marker) and selected.endswith(marker) and len(selected) > 2 * len(marker):
            cursor.insertText(selected[len(marker) : -len(marker)])
        elif selected:
            cursor.insertText(f"{marker}{selected}{marker}")
        else:
            cursor.insertText(marker * 2)
            cursor.movePosition(QTextCursor.MoveOperation.Left, n=len(marker))
            self.setTextCursor(cursor)
        cursor.endEditBlock()

    def insert_link(self, url: str) -> None:
        cursor = self.textCursor()
        text = cursor.selectedText() or url
        cursor.insertText(f"[{text}]({url})")

    def insert_image(self, path: Path, alt: str = "") -> None:
        target = str(path).replace(" ", "%20") if " " in str(path) else str(path)
        self.textCursor().insertText(f"![{alt}]({target})")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            if self._continue_list():
                return
        super().keyPressEvent(event)

    def _continue_list(self) -> bool:
        """Enter in a list item starts the next item; Enter on an empty item ends the list."""
        cursor = self.textCursor()
        if cursor.hasSelection():
            return False
        line = cursor.block().text()
        item = _LIST_ITEM.match(line)
        if not item or cursor.positionInBlock() < item.end():
            return False
        if not line[item.end() :].strip():
            cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            return True  # Enter on an empty item ends the list, leaving an empty line
        indent, bullet, number, closer, space, checkbox = item.groups()
        marker = f"{int(number) + 1}{closer}" if number else bullet
        checkbox = "[ ] " if checkbox else ""
        cursor.insertText(f"\n{indent}{marker}{space}{checkbox}")
        self.ensureCursorVisible()
        return True

    # -- spelling ------------------------------------------------------------------------------

    def _on_spelling_words_checked(self, misspelt: set[str]) -> None:
        block = self.document().firstBlock()
        while block.isValid():
            text = block.text()
            if any(word in text for word in misspelt):
                self.highlighter.rehighlightBlock(block)
            block = block.next()

    def word_at(self, cursor: QTextCursor) -> tuple[str, int, int] | None:
        """The word under *cursor* and its span in the document, if any."""
        block = cursor.block()
        text = block.text()
        positions = Utf16Map(text)
        offset = positions.to_py(cursor.positionInBlock())
        for m in WORD.finditer(text):
            if m.start() <= offset <= m.end():
                start = block.position() + positions.to_qt(m.start())
                return m.group(), start, block.position() + positions.to_qt(m.end())
        return None

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        cursor = self.cursorForPosition(event.pos())
        found = self.word_at(cursor)
        if found and self._spelling.enabled and self._spelling.is_misspelt(found[0]):
            self._add_spelling_actions(menu, *found)
        if self.context_actions:
            menu.addSeparator()
            menu.addActions(self.context_actions)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def _add_spelling_actions(self, menu: QMenu, word: str, start: int, end: int) -> None:
        first = menu.actions()[0] if menu.actions() else None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            suggestions = self._spelling.suggestions(word)
        finally:
            QApplication.restoreOverrideCursor()
        actions: list[QAction] = []
        for suggestion in suggestions:
            action = QAction(suggestion, menu)
            font = action.font()
            font.setBold(True)
            action.setFont(font)
            action.triggered.connect(lambda _=False, s=suggestion: self._replace_span(start, end, s))
            actions.append(action)
        if not suggestions:
            none = QAction("No suggestions", menu)
            none.setEnabled(False)
            actions.append(none)
        add = QAction(f"Add “{word}” to Dictionary", menu)
        add.triggered.connect(lambda: self._spelling.add_to_dictionary(word))
        ignore = QAction("Ignore for This Session", menu)
        ignore.triggered.connect(lambda: self._spelling.ignore(word))
        actions.extend([add, ignore])
        menu.insertActions(first, actions)  # type: ignore[arg-type]
        menu.insertSeparator(first)  # type: ignore[arg-type]

    def _replace_span(self, start: int, end: int, text: str) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)

    # -- scrolling and focus -------------------------------------------------------------------

    def _on_scrollbar_value_changed(self, _value: int) -> None:
        block = self.firstVisibleBlock()
        geometry = self.blockBoundingGeometry(block).translated(self.contentOffset())
        height = geometry.height() or 1.0
        fraction = min(1.0, max(0.0, -geometry.top() / height))
        self.scrolled.emit(block.blockNumber(), fraction)

    def focusOutEvent(self, event: object) -> None:
        super().focusOutEvent(event)  # type: ignore[arg-type]
        self.focus_lost.emit()
