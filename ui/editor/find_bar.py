"""Find and replace in the open piece: a bar under the editor, like a browser's, not a dialog."""

from __future__ import annotations

import re

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)


class FindBar(QWidget):
    closed = Signal()

    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._editor = editor
        self.find_field = QLineEdit(placeholderText="Find")
        self.find_field.setClearButtonEnabled(True)
        self.replace_field = QLineEdit(placeholderText="Replace with")
        self.case = QCheckBox("Match case")
        self.whole = QCheckBox("Whole words")
        self.regex = QCheckBox("Regular expression")
        self.count = QLabel()
        self.count.setMinimumWidth(90)
        previous = QPushButton("Previous")
        following = QPushButton("Next")
        replace = QPushButton("Replace")
        replace_all = QPushButton("Replace All")
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Close (Esc)")
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 4, 8, 4)
        grid.addWidget(self.find_field, 0, 0)
        grid.addWidget(previous, 0, 1)
        grid.addWidget(following, 0, 2)
        grid.addWidget(self.count, 0, 3)
        grid.addWidget(self.case, 0, 4)
        grid.addWidget(self.whole, 0, 5)
        grid.addWidget(self.regex, 0, 6)
        grid.addWidget(close, 0, 7)
        grid.addWidget(self.replace_field, 1, 0)
        grid.addWidget(replace, 1, 1)
        grid.addWidget(replace_all, 1, 2)
        grid.setColumnStretch(0, 1)
        self._replace_row = (self.replace_field, replace, replace_all)
        self.find_field.textChanged.connect(self._on_find_field_text_changed)
        self.find_field.returnPressed.connect(self.find_next)
        self.replace_field.returnPressed.connect(self.replace_one)
        previous.clicked.connect(self.find_previous)
        following.clicked.connect(self.find_next)
        replace.clicked.connect(self.replace_one)
        replace_all.clicked.connect(self.replace_all)
        close.clicked.connect(self.close_bar)
        for box in (self.case, self.whole, self.regex):
            box.toggled.connect(self._update_count)
        self.hide()

    # -- showing -------------------------------------------------------------------------------

    def open_find(self, *, with_replace: bool = False) -> None:
        for widget in self._replace_row:
            widget.setVisible(with_replace)
        selected = self._editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_field.setText(selected)
        self.show()
        self.find_field.setFocus()
        self.find_field.selectAll()
        self._update_count()

    def close_bar(self) -> None:
        self.hide()
        self._editor.setFocus()
        self.closed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)

    # -- searching -----------------------------------------------------------------------------

    def _pattern(self) -> QRegularExpression | None:
        text = self.find_field.text()
        if not text:
            return None
        source = text if self.regex.isChecked() else re.escape(text)
        if self.whole.isChecked():
            source = rf"\b(?:{source})\b"
        options = QRegularExpression.PatternOption.UseUnicodePropertiesOption
        if not self.case.isChecked():
            options |= QRegularExpression.PatternOption.CaseInsensitiveOption
        pattern = QRegularExpression(source, options)
        return pattern if pattern.isValid() else None

    def _search(self, backward: bool = False, from_cursor: QTextCursor | None = None) -> bool:
        pattern = self._pattern()
        if pattern is None:
            return False
        document = self._editor.document()
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        start = from_cursor or self._editor.textCursor()
        found = document.find(pattern, start, flags)
        if found.isNull():  # wrap around
            wrap = QTextCursor(document)
            wrap.movePosition(
                QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start
            )
            found = document.find(pattern, wrap, flags)
        if found.isNull():
            return False
        self._editor.setTextCursor(found)
        self._editor.ensureCursorVisible()
        self._update_count()
        return True

    def find_next(self) -> bool:
        return self._search()

    def find_previous(self) -> bool:
        return self._search(backward=True)

    def _matches(self) -> list[tuple[int, int, str]]:
        """Every match as (start, end, text); positions in Qt's units, as text cursors want."""
        pattern = self._pattern()
        if pattern is None:
            return []
        spans = []
        iterator = pattern.globalMatch(self._editor.toPlainText())
        while iterator.hasNext():
            m = iterator.next()
            if m.capturedLength() == 0:
                continue
            spans.append((m.capturedStart(), m.capturedEnd(), m.captured(0)))
        return spans

    def _update_count(self) -> None:
        if not self.find_field.text():
            self.count.clear()
            return
        if self._pattern() is None:
            self.count.setText("Invalid pattern")
            return
        spans = self._matches()
        cursor = self._editor.textCursor()
        selection = (cursor.selectionStart(), cursor.selectionEnd())
        current = next((i for i, m in enumerate(spans, 1) if m[:2] == selection), 0)
        if not spans:
            self.count.setText("No matches")
        elif current:
            self.count.setText(f"{current} of {len(spans)}")
        else:
            self.count.setText(f"{len(spans)} matches")

    def _on_find_field_text_changed(self, _text: str) -> None:
        cursor = self._editor.textCursor()
        cursor.setPosition(cursor.selectionStart())
        self._search(from_cursor=cursor)
        self._update_count()

    # -- replacing -----------------------------------------------------------------------------

    def _replacement(self, matched: str) -> str:
        if not self.regex.isChecked():
            return self.replace_field.text()
        flags = 0 if self.case.isChecked() else re.IGNORECASE
        try:
            return re.sub(
                self.find_field.text(), self.replace_field.text(), matched, count=1, flags=flags
            )
        except re.error:
            return self.replace_field.text()

    def replace_one(self) -> None:
        cursor = self._editor.textCursor()
        spans = self._matches()
        if (cursor.selectionStart(), cursor.selectionEnd()) in [m[:2] for m in spans]:
            cursor.insertText(self._replacement(cursor.selectedText()))
        self.find_next()

    def replace_all(self) -> int:
        spans = self._matches()
        if not spans:
            return 0
        cursor = QTextCursor(self._editor.document())
        cursor.beginEditBlock()  # one undo step for the whole replacement
        for start, end, matched in reversed(spans):
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(self._replacement(matched))
        cursor.endEditBlock()
        self.count.setText(f"Replaced {len(spans)}")
        return len(spans)
