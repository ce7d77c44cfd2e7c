"""Logging for the window: a rotating file in the data folder, Qt's own messages included."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
_qt_log = logging.getLogger("qt")
# What Qt says on a machine without a usable GPU before it falls back to software rendering: worth
# a line in the log, not a warning on the terminal.
_BENIGN = (
    "QRhi",
    "Failed to create RHI",
    "This plugin does not support",
    "QVulkanInstance",
    "GBM is not supported",
    "GPUInfo not initialized",
)


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    level = _QT_LEVELS.get(kind, logging.WARNING)
    if level == logging.WARNING and message.startswith(_BENIGN):
        level = logging.INFO
    _qt_log.log(level, "%s", message)


def setup(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "copydesk.log"
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter("copydesk: %(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    root.addHandler(console)
    qInstallMessageHandler(_qt_message)
    return path
