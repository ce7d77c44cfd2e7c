"""The status bar: length and reading time, save state, spelling language."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from app.text.spelling import LANGUAGE_NAMES
from app.text.stats import TextStats


class ClickableLabel(QLabel):
    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit()
        super().mousePressEvent(event)


class StatusBar(QStatusBar):
    outbox_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outbox = ClickableLabel()
        self.outbox.setObjectName("outboxState")
        self.outbox.setToolTip("Show the outbox")
        self.outbox.clicked.connect(self.outbox_clicked)
        self.outbox.setContentsMargins(8, 0, 8, 0)
        self.addPermanentWidget(self.outbox)
        self.words = QLabel()
        self.words.setObjectName("wordCount")
        self.reading = QLabel()
        self.reading.setObjectName("readingTime")
        self.saved = QLabel()
        self.saved.setObjectName("saveState")
        self.language = QLabel()
        for label in (self.saved, self.language, self.words, self.reading):
            label.setContentsMargins(8, 0, 8, 0)
            self.addPermanentWidget(label)

    def show_stats(self, stats: TextStats) -> None:
        self.words.setText(f"{stats.words:,} words")
        self.reading.setText(stats.reading_label)

    def show_saved(self, when: datetime | None = None) -> None:
        moment = (when or datetime.now().astimezone()).astimezone()
        self.saved.setText(f"Saved {moment:%H:%M}")
        self.saved.setToolTip("Every change is saved within two seconds.")

    def show_editing(self) -> None:
        self.saved.setText("Editing…")

    def show_not_saved(self, reason: str) -> None:
        self.saved.setText("⚠ Not saved")
        self.saved.setToolTip(reason)

    def show_language(self, language: str, enabled: bool) -> None:
        name = LANGUAGE_NAMES.get(language, language)
        self.language.setText(name if enabled else "Spelling off")

    def show_outbox(self, text: str) -> None:
        self.outbox.setText(text)

    def clear_piece(self) -> None:
        for label in (self.words, self.reading, self.saved):
            label.clear()
