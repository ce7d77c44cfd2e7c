"""The metadata panel's field widgets: a few lines of plain text, the featured image with its
thumbnail, and the schedule's conversions between Qt and aware datetimes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDateTime, QSize, Qt, Signal
from PySide6.QtGui import QImageReader, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

IMAGE_FILTER = "Pictures (*.jpg *.jpeg *.png *.gif *.webp);;All files (*)"
THUMBNAIL = QSize(240, 135)


class ShortText(QPlainTextEdit):
    """A few lines of plain text that report when editing is finished, like a line edit."""

    editing_finished = Signal()

    def __init__(self, placeholder: str, lines: int = 3) -> None:
        super().__init__()
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        height = self.fontMetrics().lineSpacing() * lines + 14
        self.setFixedHeight(height)

    def focusOutEvent(self, event: object) -> None:
        super().focusOutEvent(event)  # type: ignore[arg-type]
        self.editing_finished.emit()


def local_zone_label() -> str:
    now = datetime.now().astimezone()
    offset = now.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    return f"{now.tzname()} (UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d})"


def to_qdatetime(moment: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))


def from_qdatetime(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)


class FeaturedImageField(QWidget):
    """The featured image: its path, Choose… and ✕, and a thumbnail."""

    chosen = Signal(str)  # the path the user chose, or "" when removed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = QLineEdit(readOnly=True, placeholderText="No picture")
        self.choose = QPushButton("Choose…")
        self.clear = QToolButton()
        self.clear.setText("✕")
        self.clear.setToolTip("Remove the featured image")
        self.preview = QLabel()
        self.preview.setFixedSize(THUMBNAIL)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.hide()
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.choose)
        row.addWidget(self.clear)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(row)
        box.addWidget(self.preview)
        self.choose.clicked.connect(self._on_choose_clicked)
        self.clear.clicked.connect(lambda: self._set_image(""))

    def show_image(self, path: str) -> None:
        """Show *path* and its thumbnail (or why it cannot be shown)."""
        self.path.setText(path)
        self.clear.setEnabled(bool(path))
        if not path:
            self.preview.hide()
            return
        reader = QImageReader(path)
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid():
            reader.setScaledSize(size.scaled(THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()
        if image.isNull():
            self.preview.setText(f"Cannot show this picture:\n{reader.errorString()}")
        else:
            self.preview.setPixmap(QPixmap.fromImage(image))
        self.preview.show()

    def _on_choose_clicked(self) -> None:
        start = str(Path(self.path.text()).parent) if self.path.text() else ""
        path, _ = QFileDialog.getOpenFileName(self, "Featured image", start, IMAGE_FILTER)
        if path:
            self._set_image(path)

    def _set_image(self, path: str) -> None:
        self.show_image(path)
        self.chosen.emit(path)
