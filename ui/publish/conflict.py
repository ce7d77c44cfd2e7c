"""A conflict: the post changed on the site since the last push. Both versions side by side.

The columnist chooses: keep mine (replace exactly the version shown here), take theirs (the piece
becomes the site's text; its own version stays in the revision history), or edit a merge and push
that. Nothing happens until one of them is chosen.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.pieces.diff import compare
from ui.revisions.dialog import chunks_html
from ui.runner import TaskRunner
from ui.theme import is_dark

if TYPE_CHECKING:
    from app.core import Core
    from app.pieces.data import PieceData
    from app.publishing.jobs import PushResult
    from app.publishing.safety import ConflictInfo


CONTENT_FIELDS = ("title", "standfirst", "excerpt", "body", "tags", "categories", "featured_image")
DEFAULT_CATEGORY = "Uncategorized"


def _side(piece: PieceData) -> str:
    return (
        f"<h2>{html.escape(piece.title)}</h2>"
        f"<p><i>{html.escape(piece.excerpt or piece.standfirst)}</i></p>"
        f"<div style='white-space: pre-wrap'>{html.escape(piece.body)}</div>"
    )


class MergeDialog(QDialog):
    """Edit the text to push: it starts as mine, with theirs beside it to copy from."""

    def __init__(self, info: ConflictInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit a merge")
        self.resize(1000, 640)
        self.theirs = QPlainTextEdit(info.theirs_piece.body)
        self.theirs.setReadOnly(True)
        self.merged = QPlainTextEdit(info.mine.body)
        splitter = QSplitter()
        for title, widget in (
            (f"On {info.site_name} (read only)", self.theirs),
            ("Merged", self.merged),
        ):
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.addWidget(QLabel(f"<b>{html.escape(title)}</b>"))
            box.addWidget(widget)
            splitter.addWidget(holder)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Save and Push the Merge")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)


class ConflictDialog(QDialog):
    resolved = Signal(object)  # PieceData (taken from the site) or PushResult (pushed)

    def __init__(
        self, core: Core, runner: TaskRunner, info: ConflictInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Changed on {info.site_name}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one per use
        self.resize(1100, 700)
        self._core = core
        self._runner = runner
        self._info = info
        when = info.theirs_modified_gmt.replace("T", " ")
        intro = QLabel(
            f"<b>Someone changed this post on {html.escape(info.site_name)}</b> (at {when} UTC) "
            "since your last push, so nothing was overwritten. Compare the two versions and "
            "choose what to keep. Differences are marked in <i>yours</i>: green is only in yours, "
            "struck red only on the site."
        )
        intro.setWordWrap(True)
        self.theirs = QTextBrowser()
        self.theirs.setHtml(_side(info.theirs_piece))
        self.mine = QTextBrowser()
        dark = is_dark(self.palette())
        # what was written, not the workflow: the local status and the site's never match
        theirs = info.theirs_piece
        if theirs.categories == [DEFAULT_CATEGORY] and not info.mine.categories:
            theirs = theirs.copy(categories=[])  # WordPress files a post without one there
        diffs = compare(theirs, info.mine, CONTENT_FIELDS)
        self.mine.setHtml(
            "".join(
                f"<h3>{html.escape(d.label)}</h3><div style='white-space: pre-wrap'>"
                f"{chunks_html(d.chunks, dark)}</div>"
                for d in diffs
            )
            or "<p>The texts are the same; only other fields differ.</p>"
        )
        splitter = QSplitter()
        for title, widget in ((f"On {info.site_name}", self.theirs), ("Yours", self.mine)):
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.addWidget(QLabel(f"<b>{html.escape(title)}</b>"))
            box.addWidget(widget)
            splitter.addWidget(holder)
        self.keep_mine = QPushButton("Keep Mine")
        self.keep_mine.setToolTip("Replace the version shown on the left with yours.")
        self.take_theirs = QPushButton("Take Theirs")
        self.take_theirs.setToolTip(
            "Make the site's version your piece's text. Yours stays in the revision history."
        )
        self.merge = QPushButton("Edit a Merge…")
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        for button in (self.keep_mine, self.take_theirs, self.merge):
            row.addWidget(button)
        row.addStretch(1)
        cancel = QPushButton("Decide Later")
        cancel.clicked.connect(self.reject)
        row.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self.keep_mine.clicked.connect(self._on_keep_mine_clicked)
        self.take_theirs.clicked.connect(self._on_take_theirs_clicked)
        self.merge.clicked.connect(self._on_merge_clicked)

    def _busy(self, text: str) -> None:
        for button in (self.keep_mine, self.take_theirs, self.merge):
            button.setEnabled(False)
        self.status.setText(text)

    def _on_keep_mine_clicked(self) -> None:
        self._busy("Sending your version…")
        self._runner.network(
            self._core.remote.publisher.keep_mine, self._info,
            owner=self, on_done=self._on_done, on_error=self._on_error,
        )  # fmt: skip

    def _on_take_theirs_clicked(self) -> None:
        self._busy("Taking the site's version…")
        self._runner.network(
            self._core.remote.publisher.take_theirs, self._info.piece_id, self._info.site_id,
            owner=self, on_done=self._on_done, on_error=self._on_error,
        )  # fmt: skip

    def _on_merge_clicked(self) -> None:
        dialog = MergeDialog(self._info, self)
        if not dialog.exec():
            return
        merged = self._info.mine.copy(body=dialog.merged.toPlainText())
        self._busy("Saving and sending the merge…")
        self._runner.network(
            self._core.remote.publisher.push_merged, self._info, merged,
            owner=self, on_done=self._on_done, on_error=self._on_error,
        )  # fmt: skip

    def _on_done(self, result: PieceData | PushResult) -> None:
        self.resolved.emit(result)
        self.accept()

    def _on_error(self, error: BaseException) -> None:
        for button in (self.keep_mine, self.take_theirs, self.merge):
            button.setEnabled(True)
        self.status.setText(f"<b>{html.escape(str(error))}</b>")
