"""How a note row is drawn: its first line (the quote, or what the note is on) in bold, the author and
time, then the note, wrapped to the panel's width, with room between threads.

Qt's own word wrap in a tree measures rows before it knows their width and cuts long ones short;
this delegate lays each row out at the width it will have.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeWidget

PAD = 6
Index = QModelIndex | QPersistentModelIndex


def _html(text: str, top_level: bool) -> str:
    from html import escape

    lines = [escape(line) for line in text.split("\n")]
    if top_level and lines:
        lines[0] = f"<b>{lines[0]}</b>"
    return "<br>".join(lines)


class NoteDelegate(QStyledItemDelegate):
    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree
        tree.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._tree.doItemsLayout()  # rows wrap again at the new width
        return False

    def _document(self, option: QStyleOptionViewItem, index: Index, width: int) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(0)
        document.setHtml(_html(str(index.data() or ""), not index.parent().isValid()))
        document.setTextWidth(max(40, width))
        return document

    def _width(self, index: Index) -> int:
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        return self._tree.viewport().width() - self._tree.indentation() * (depth + 1) - 2 * PAD

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        self.initStyleOption(option, index)
        document = self._document(option, index, self._width(index))
        return QSize(self._width(index) + 2 * PAD, int(document.size().height()) + 2 * PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        rect = option.rect
        text_option = QStyleOptionViewItem(option)
        text_option.text = ""
        widget = option.widget
        style = widget.style() if widget else self._tree.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text_option, painter, widget)
        document = self._document(option, index, rect.width() - 2 * PAD)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        painter.translate(rect.left() + PAD, rect.top() + PAD)
        context.clip = QRectF(0, 0, rect.width() - 2 * PAD, rect.height() - 2 * PAD)
        document.documentLayout().draw(painter, context)
        painter.restore()
        if not index.parent().isValid() and index.row() > 0:
            painter.save()
            painter.setPen(option.palette.color(QPalette.ColorRole.Mid))
            painter.drawLine(0, rect.top(), rect.right(), rect.top())
            painter.restore()
