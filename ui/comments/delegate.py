"""How a comment looks in the thread: who, when, in reply to whom, its state, and its first lines.

A long comment shows three lines and "Read more"; clicking that unfolds it in place ("Show less"
folds it again). Wrapped lines are worked out once per comment and width, for the rows on screen, so
a thread of thousands of comments opens and scrolls without measuring every one.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPalette,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from app.comments import CommentData
from app.comments.sanitize import reveal
from ui.comments.model import COMMENT_ROLE, DEPTH_ROLE
from ui.library.model import relative_time

Index = QModelIndex | QPersistentModelIndex

FOLDED_LINES = 3
FOLDED_CHARS = 900  # more than three lines of the widest row can hold
MAX_CACHED = 50_000
PAD_X, PAD_Y, GAP = 10, 7, 3
STRIPE = 3
READ_MORE, SHOW_LESS = "Read more", "Show less"

# status → (stripe and badge colour, light theme), dark theme below
_COLOURS = {
    "hold": "#c98a12",
    "spam": "#c0392b",
    "trash": "#8a877f",
    "post-trashed": "#8a877f",
    "pending": "#2f6fb5",
    "problem": "#c0392b",
}
_DARK_COLOURS = {**_COLOURS, "hold": "#e0b84f", "spam": "#e57368", "pending": "#6fa3dc"}


def is_rtl(text: str) -> bool:
    """Whether the first strongly directional character of *text* is right-to-left."""
    for char in text[:200]:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def shown_author(comment: CommentData) -> str:
    """The author's name as the list shows it: hidden characters (bidi overrides...) made visible."""
    return reveal(comment.author_name) or "Anonymous"


def header_text(comment: CommentData, *, with_post: bool) -> str:
    parts = []
    if comment.parent_author:
        parts.append(f"↳ reply to {reveal(comment.parent_author)}")
    parts.append(relative_time(comment.date))
    if comment.votes:
        parts.append(f"▲ {comment.votes}")
    if with_post and comment.post_title:
        parts.append(f"on “{reveal(comment.post_title)}”")
    return " · ".join(parts)


def badges(comment: CommentData) -> list[tuple[str, str]]:
    """(text, colour key) of the labels at the right of a row."""
    found = []
    if comment.problem:
        found.append(("Not applied", "problem"))
    if comment.pending:
        found.append(
            ("Pending: " + (comment.pending if comment.pending != "reply" else "reply"), "pending")
        )
    if comment.shown_status != "approved":
        found.append((comment.status_label, comment.shown_status))
    return found


class CommentDelegate(QStyledItemDelegate):
    read_more_toggled = Signal(int, bool)  # comment id, unfolded

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.expanded: set[int] = set()
        # wrapped lines by (comment, width, unfolded, text): kept across reloads and sorts
        self._lines: dict[tuple[int, int, bool, int], tuple[list[str], bool]] = {}
        self._toggles: dict[int, QRect] = {}  # where "Read more" was painted, per comment

    def clear_cache(self) -> None:
        self._lines.clear()
        self._toggles.clear()

    # -- measuring -------------------------------------------------------------------------------

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        base = QFont(option.font)
        bold = QFont(base)
        bold.setBold(True)
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() * 0.88, 7.0))
        return base, bold, small

    def _wrapped(self, comment: CommentData, font: QFont, width: int) -> tuple[list[str], bool]:
        """The lines to draw and whether the text goes on beyond them."""
        unfolded = comment.id in self.expanded
        key = (comment.id, width, unfolded, hash(comment.text))
        cached = self._lines.get(key)
        if cached is not None:
            return cached
        if len(self._lines) > MAX_CACHED:
            self._lines.clear()
        text = reveal(comment.text).replace("\n", "\u2028") or "(no text)"
        if not unfolded and len(text) > FOLDED_CHARS:
            text = text[:FOLDED_CHARS]  # three lines never hold more: do not lay out the rest
        layout = QTextLayout(text, font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        option.setTextDirection(
            Qt.LayoutDirection.RightToLeft if is_rtl(text) else Qt.LayoutDirection.LeftToRight
        )
        layout.setTextOption(option)
        lines: list[str] = []
        layout.beginLayout()
        more = False
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(width, 40))
            if not unfolded and len(lines) == FOLDED_LINES:
                more = True
                break
            lines.append(text[line.textStart() : line.textStart() + line.textLength()])
        layout.endLayout()
        more = more or (not unfolded and len(comment.text) > FOLDED_CHARS and len(lines) >= FOLDED_LINES)
        result = ([s.replace("\u2028", "").rstrip() for s in lines], more)
        self._lines[key] = result
        return result

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        comment: CommentData | None = index.data(COMMENT_ROLE)
        if comment is None:
            return super().sizeHint(option, index)
        base, bold, _small = self._fonts(option)
        width = self.row_width(index)
        lines, more = self._wrapped(comment, base, width - 2 * PAD_X - STRIPE)
        count = len(lines) + (1 if more or comment.id in self.expanded else 0)
        height = PAD_Y * 2 + QFontMetrics(bold).height() + GAP + count * QFontMetrics(base).lineSpacing()
        return QSize(width, height)

    def row_width(self, index: Index) -> int:
        """The width a row gets in the view: the viewport less the indentation of its depth."""
        view = self.parent()
        if isinstance(view, QTreeView):
            depth = int(index.data(DEPTH_ROLE) or 0) + (1 if view.rootIsDecorated() else 0)
            return max(view.viewport().width() - view.indentation() * depth, 120)
        return 600

    # -- painting --------------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        comment: CommentData | None = index.data(COMMENT_ROLE)
        if comment is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        option.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)
        palette = option.palette
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        colours = _DARK_COLOURS if dark else _COLOURS
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = palette.color(QPalette.ColorRole.PlaceholderText) if not selected else text_colour
        base, bold, small = self._fonts(option)
        rect = option.rect
        painter.save()
        stripe = colours.get("pending" if comment.pending else comment.shown_status)
        if comment.problem:
            stripe = colours["problem"]
        if stripe:
            painter.fillRect(
                QRect(rect.left(), rect.top() + 2, STRIPE, rect.height() - 4), QColor(stripe)
            )
        x = rect.left() + STRIPE + PAD_X
        right = rect.right() - PAD_X
        top = rect.top() + PAD_Y
        bold_metrics = QFontMetrics(bold)

        # the badges, from the right
        painter.setFont(small)
        small_metrics = QFontMetrics(small)
        for label, key in badges(comment):
            width = small_metrics.horizontalAdvance(label) + 12
            box = QRect(right - width, top, width, bold_metrics.height())
            colour = QColor(colours.get(key, "#8a877f"))
            painter.setPen(colour)
            painter.drawRoundedRect(box.adjusted(0, 1, -1, -1), 4, 4)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
            right -= width + 6

        # who, then when and in reply to whom
        if comment.new:
            painter.setPen(QColor(colours["pending"]))
            painter.setFont(bold)
            painter.drawText(QPointF(x, top + bold_metrics.ascent()), "●")
            x += bold_metrics.horizontalAdvance("● ")
        painter.setFont(bold)
        painter.setPen(text_colour)
        author = bold_metrics.elidedText(
            shown_author(comment), Qt.TextElideMode.ElideRight, max(right - x, 20) // 2
        )
        painter.drawText(QPointF(x, top + bold_metrics.ascent()), author)
        x += bold_metrics.horizontalAdvance(author + "  ")
        painter.setFont(small)
        painter.setPen(muted)
        header = small_metrics.elidedText(
            header_text(comment, with_post=getattr(index.model(), "with_post", False)),
            Qt.TextElideMode.ElideRight,
            max(right - x, 0),
        )
        painter.drawText(QPointF(x, top + bold_metrics.ascent()), header)

        # the text, folded or not
        painter.setFont(base)
        painter.setPen(text_colour)
        metrics = QFontMetrics(base)
        left = rect.left() + STRIPE + PAD_X
        width = self.row_width(index) - 2 * PAD_X - STRIPE
        y = top + bold_metrics.height() + GAP
        lines, more = self._wrapped(comment, base, width)
        for line in lines:
            flags = Qt.AlignmentFlag.AlignRight if is_rtl(line) else Qt.AlignmentFlag.AlignLeft
            painter.drawText(QRect(left, y, width, metrics.lineSpacing()), flags, line)
            y += metrics.lineSpacing()
        self._toggles.pop(comment.id, None)
        if more or comment.id in self.expanded:
            label = SHOW_LESS if comment.id in self.expanded else READ_MORE
            painter.setPen(palette.color(QPalette.ColorRole.Link) if not selected else text_colour)
            link_font = QFont(base)
            link_font.setUnderline(True)
            painter.setFont(link_font)
            box = QRect(
                left, y, QFontMetrics(link_font).horizontalAdvance(label) + 4, metrics.lineSpacing()
            )
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
            self._toggles[comment.id] = box
        painter.restore()

    # -- "Read more" -----------------------------------------------------------------------------

    def editorEvent(self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: Index) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            comment: CommentData | None = index.data(COMMENT_ROLE)
            box = self._toggles.get(comment.id) if comment is not None else None
            if comment is not None and box is not None and box.contains(event.position().toPoint()):
                self.toggle(comment.id, index)
                return True
        return super().editorEvent(event, model, option, index)

    def toggle(self, comment_id: int, index: Index) -> None:
        unfolded = comment_id not in self.expanded
        if unfolded:
            self.expanded.add(comment_id)
        else:
            self.expanded.discard(comment_id)
        self.sizeHintChanged.emit(index.sibling(index.row(), index.column()))
        self.read_more_toggled.emit(comment_id, unfolded)
