"""Unexpected errors: logged with their traceback and shown in a dialog with the log attached.

Before the dialog appears every registered "save what you can" hook runs, so the draft is safe whatever
went wrong. (After qutebrowser's ``misc/crashsignal.py``.)
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME, version

log = logging.getLogger(__name__)


class _State:
    """What the crash handler needs to know, set once at start-up."""

    save_hooks: list[Callable[[], None]] = []
    log_file: Path | None = None
    showing = False


def add_save_hook(hook: Callable[[], None]) -> None:
    _State.save_hooks.append(hook)


def remove_save_hook(hook: Callable[[], None]) -> None:
    if hook in _State.save_hooks:
        _State.save_hooks.remove(hook)


def _log_tail(lines: int = 60) -> str:
    if _State.log_file is None or not _State.log_file.exists():
        return ""
    with _State.log_file.open(encoding="utf-8", errors="replace") as fh:
        return "".join(fh.readlines()[-lines:])


class CrashDialog(QDialog):
    def __init__(self, details: str, log_folder: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} ran into a problem")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "<b>Something went wrong inside Copydesk.</b><br>Your draft was saved before this "
            "message appeared. You can keep working; if the problem comes back, please send the "
            "details below to the Copydesk developers."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("Copy details")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        if log_folder is not None:
            open_logs = QPushButton("Open log folder")
            open_logs.clicked.connect(
                lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_folder)))
            )
            buttons.addButton(open_logs, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def handle_exception(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """``sys.excepthook`` for the GUI: save, log, show the dialog; never re-enter."""
    if issubclass(kind, KeyboardInterrupt):
        QGuiApplication.quit()
        return
    log.critical("Unexpected error", exc_info=(kind, value, tb))
    for hook in list(_State.save_hooks):
        try:
            hook()
        except Exception:  # the crash path must go on whatever a hook does
            log.exception("A save hook failed while handling a crash")
    if _State.showing or QGuiApplication.instance() is None:
        return
    _State.showing = True
    try:
        details = (
            f"{APP_NAME} {version()} on Python {sys.version.split()[0]}, {sys.platform}\n\n"
            + "".join(traceback.format_exception(kind, value, tb))
            + "\nRecent log:\n"
            + _log_tail()
        )
        CrashDialog(details, _State.log_file.parent if _State.log_file else None).exec()
    finally:
        _State.showing = False


def install(log_file: Path | None) -> None:
    _State.log_file = log_file
    sys.excepthook = handle_exception
