"""The reply editor: Markdown, as for a piece, with a preview rendered by the core's renderer."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.comments import CommentData
from ui.runner import TaskRunner

PREVIEW_DELAY_MS = 300


class _Preview(QTextBrowser):
    """The rendered reply; it is our own Markdown, but it loads nothing either."""

    def loadResource(self, kind: int, url: object) -> object:
        return None


class ReplyEditor(QWidget):
    send_requested = Signal(int, str)  # comment id, Markdown
    cancelled = Signal()

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replyEditor")
        self._runner = runner
        self._comment: CommentData | None = None
        self._render_request = 0
        self.context = QLabel()
        self.context.setObjectName("replyContext")
        self.context.setWordWrap(True)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(
            "Your reply, in Markdown: *italic*, **bold**, [a link](https://…), > a quote"
        )
        self.editor.setTabChangesFocus(True)
        self.preview = _Preview()
        self.preview.setOpenLinks(False)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.editor)
        self.pages.addWidget(self.preview)
        self.preview_button = QPushButton("Preview")
        self.preview_button.setCheckable(True)
        self.send_button = QPushButton("Send reply")
        self.send_button.setDefault(True)
        self.send_button.setToolTip("Send the reply (Ctrl+Return); offline it waits in the outbox")
        self.cancel_button = QPushButton("Cancel")
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.context)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._render)
        self.editor.textChanged.connect(self._on_text_changed)
        self.preview_button.toggled.connect(self._on_preview_toggled)
        self.send_button.clicked.connect(self._on_send_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        QShortcut(
            QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Return),
            self,
            self._on_send_clicked,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self._update_buttons()

    @property
    def comment_id(self) -> int | None:
        return self._comment.id if self._comment is not None else None

    def start(self, comment: CommentData) -> None:
        """Reply to *comment*; a draft for another comment is kept only if it is the same one."""
        if self._comment is None or self._comment.id != comment.id:
            self.editor.clear()
        self._comment = comment
        name = comment.author_name or "Anonymous"
        self.context.setText(f"Reply to <b>{_escape(name)}</b>, as you, in Markdown:")
        self.preview_button.setChecked(False)
        self.show()
        self.editor.setFocus()
        self._update_buttons()

    def finish(self) -> None:
        self.editor.clear()
        self._comment = None
        self.hide()

    def set_busy(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy and bool(self.editor.toPlainText().strip()))

    def _update_buttons(self) -> None:
        self.send_button.setEnabled(bool(self.editor.toPlainText().strip()))

    def _on_text_changed(self) -> None:
        self._update_buttons()
        if self.preview_button.isChecked():
            self._timer.start()

    def _on_preview_toggled(self, on: bool) -> None:
        self.pages.setCurrentWidget(self.preview if on else self.editor)
        if on:
            self._render()

    def _render(self) -> None:
        from app.render import render_markdown

        self._render_request += 1
        request = self._render_request
        text = self.editor.toPlainText()
        self._runner.read(
            render_markdown, text, owner=self, on_done=lambda html: self._on_rendered(request, html)
        )

    def _on_rendered(self, request: int, html: str) -> None:
        if request == self._render_request:
            self.preview.setHtml(html or "<p><i>Nothing to preview yet.</i></p>")

    def _on_send_clicked(self) -> None:
        text = self.editor.toPlainText().strip()
        if self._comment is not None and text:
            self.send_requested.emit(self._comment.id, text)

    def _on_cancel_clicked(self) -> None:
        self.finish()
        self.cancelled.emit()


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)
