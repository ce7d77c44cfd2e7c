"""Revision history: every kept version of a piece, word-level differences, restore."""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core import Core
from app.pieces.data import PieceData
from app.pieces.diff import DiffChunk, compare, summarize
from app.pieces.revisions import RevisionInfo
from ui.runner import TaskRunner
from ui.theme import is_dark

log = logging.getLogger(__name__)

CURRENT = -1


def chunks_html(chunks: list[DiffChunk], dark: bool) -> str:
    added, removed = ("#1e4620", "#5c1f1f") if dark else ("#d7f5d3", "#fbd9d6")
    parts = []
    for chunk in chunks:
        text = html.escape(chunk.text).replace("\n", "<br>")
        if chunk.op == "insert":
            parts.append(f'<span style="background:{added}">{text}</span>')
        elif chunk.op == "delete":
            parts.append(
                f'<span style="background:{removed}; text-decoration: line-through">{text}</span>'
            )
        else:
            parts.append(text)
    return "".join(parts)


def describe(info: RevisionInfo) -> str:
    when = info.created_at.astimezone().strftime("%d %b %Y, %H:%M:%S")
    note = f" — {info.note}" if info.note else ""
    return f"{when}\n{info.reason_label}{note} · {info.word_count:,} words"


class RevisionsDialog(QDialog):
    restored = Signal(object)  # PieceData

    def __init__(
        self, core: Core, runner: TaskRunner, current: PieceData, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"History of “{current.title or 'Untitled'}”")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one per use
        self.resize(980, 620)
        self._core = core
        self._runner = runner
        self._current = current
        self._cache: dict[int, PieceData] = {CURRENT: current}
        self.revisions = QListWidget()
        self.revisions.setAlternatingRowColors(True)
        self.against = QComboBox()
        self.summary = QLabel()
        self.diff = QTextBrowser()
        self.diff.setOpenLinks(False)
        self.restore = QPushButton("Restore This Version")
        self.restore.setToolTip(
            "Make this version current again. The present version stays in the history."
        )
        compare_row = QHBoxLayout()
        compare_row.addWidget(QLabel("Compare with"))
        compare_row.addWidget(self.against, 1)
        right = QVBoxLayout()
        right.addLayout(compare_row)
        right.addWidget(self.summary)
        right.addWidget(self.diff, 1)
        right_widget = QWidget()
        right_widget.setLayout(right)
        splitter = QSplitter()
        splitter.addWidget(self.revisions)
        splitter.addWidget(right_widget)
        splitter.setStretchFactor(1, 3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.revisions.currentItemChanged.connect(lambda *_: self._update_diff())
        self.against.currentIndexChanged.connect(lambda *_: self._update_diff())
        self.restore.clicked.connect(self._on_restore_clicked)
        self.restore.setEnabled(False)
        assert current.id is not None
        runner.read(core.pieces.revisions.history, current.id, owner=self, on_done=self._on_listed)

    def _on_listed(self, infos: list[RevisionInfo]) -> None:
        self.against.blockSignals(True)
        self.against.addItem("the current text", CURRENT)
        for info in infos:
            self.revisions.addItem(self._item(info))
            label = describe(info).replace("\n", " — ")
            self.against.addItem(label, info.id)
        self.against.blockSignals(False)
        if infos:
            self.revisions.setCurrentRow(0)

    @staticmethod
    def _item(info: RevisionInfo) -> QListWidgetItem:
        item = QListWidgetItem(describe(info))
        item.setData(Qt.ItemDataRole.UserRole, info.id)
        return item

    def _selected_id(self) -> int | None:
        item = self.revisions.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _content(self, revision_id: int) -> PieceData:
        if revision_id not in self._cache:
            self._cache[revision_id] = self._core.pieces.revisions.content(revision_id)
        return self._cache[revision_id]

    def _update_diff(self) -> None:
        selected = self._selected_id()
        self.restore.setEnabled(selected is not None)
        if selected is None:
            return
        other = self.against.currentData()
        older, newer = self._content(selected), self._content(other)
        self._runner.read(compare, older, newer, owner=self, on_done=self._on_compared)

    def _on_compared(self, diffs: list) -> None:  # type: ignore[type-arg]
        dark = is_dark(self.palette())
        if not diffs:
            self.summary.setText("No differences.")
            self.diff.setHtml("")
            return
        body = next((d for d in diffs if d.field == "body"), None)
        if body is not None:
            s = summarize(body.chunks)
            self.summary.setText(
                f"Body: {s.words_added:,} words added, {s.words_removed:,} removed. "
                "Green is in the newer version, struck red in the older."
            )
        else:
            self.summary.setText("The body is the same; other fields differ.")
        sections = [
            f"<h3 style='margin-bottom:4px'>{html.escape(d.label)}</h3>"
            f"<div style='white-space: pre-wrap'>{chunks_html(d.chunks, dark)}</div>"
            for d in diffs
        ]
        self.diff.setHtml("".join(sections))

    def _on_restore_clicked(self) -> None:
        selected = self._selected_id()
        if selected is None:
            return
        self.restore.setEnabled(False)
        self._runner.write(
            self._core.pieces.restore_revision, selected, owner=self, on_done=self._on_restored
        )

    def _on_restored(self, piece: PieceData) -> None:
        self.restored.emit(piece)
        self.accept()
