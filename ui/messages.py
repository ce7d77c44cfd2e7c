"""Non-modal messages: a bar at the top of the window that says what happened and what to do.

Expected failures (a :class:`app.errors.CopydeskError`) and notices such as "restored after a crash"
appear here, never in a blocking dialog. (After qutebrowser's ``utils/message.py``.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from app.errors import CopydeskError

log = logging.getLogger(__name__)


class Level(Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


_COLOURS = {
    # background, border (light theme); the dark theme darkens the background
    Level.INFO: ("#e6f0fb", "#8bb3e0"),
    Level.WARNING: ("#fff4d6", "#e0b84f"),
    Level.ERROR: ("#fde4e1", "#d9776b"),
}
_DARK_COLOURS = {
    Level.INFO: ("#1f2f42", "#3f6a99"),
    Level.WARNING: ("#3d3318", "#8a6d1f"),
    Level.ERROR: ("#45211d", "#9a4036"),
}


class MessageBar(QFrame):
    """One message at a time, newest wins; info messages fade after a while, problems stay."""

    dismissed = Signal()

    INFO_TIMEOUT_MS = 8000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self._text = QLabel()
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._action = QPushButton()
        self._action.hide()
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.clear)
        layout.addWidget(self._text, 1)
        layout.addWidget(self._action)
        layout.addWidget(close)
        self._timer = QTimer(self, singleShot=True, interval=self.INFO_TIMEOUT_MS)
        self._timer.timeout.connect(self.clear)
        self._callback: Callable[[], None] | None = None
        self._action.clicked.connect(self._on_action_clicked)
        self.level: Level | None = None
        self.hide()

    @property
    def text(self) -> str:
        return self._text.text()

    def show_message(
        self,
        text: str,
        level: Level = Level.INFO,
        *,
        action: str = "",
        callback: Callable[[], None] | None = None,
    ) -> None:
        log.log(logging.INFO if level is Level.INFO else logging.WARNING, "message: %s", text)
        self.level = level
        self._text.setText(text)
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        background, border = (_DARK_COLOURS if dark else _COLOURS)[level]
        self.setStyleSheet(
            f"#messageBar {{ background: {background}; border: 1px solid {border};"
            " border-radius: 4px; }"
        )
        self._callback = callback
        self._action.setVisible(bool(action and callback))
        self._action.setText(action)
        self.show()
        if level is Level.INFO and not action:
            self._timer.start()
        else:
            self._timer.stop()

    def show_error(self, error: CopydeskError, *, context: str = "") -> None:
        text = f"{context}: {error}" if context else str(error)
        self.show_message(text, Level.ERROR)

    def clear(self) -> None:
        self._timer.stop()
        self.level = None
        self.hide()
        self.dismissed.emit()

    def _on_action_clicked(self) -> None:
        callback = self._callback
        self.clear()
        if callback is not None:
            callback()
