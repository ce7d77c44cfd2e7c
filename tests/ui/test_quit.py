"""Quitting when the piece cannot be saved asks first; Cancel keeps the window open."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.errors import StorageError
from ui.main_window import MainWindow


def _answer(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    seen.append(box.text())
    box.button(button).click()


def test_a_failed_save_on_quitting_asks_and_cancel_keeps_the_window(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail() -> None:
        raise StorageError("The disk is full.")

    monkeypatch.setattr(window.session, "save_blocking", fail)
    seen: list[str] = []
    QTimer.singleShot(0, lambda: _answer(QMessageBox.StandardButton.Cancel, seen))
    assert not window.close()
    assert window.isVisible()
    assert seen and seen[0].startswith("The disk is full.\n\nQuit anyway and lose the changes since ")
    QTimer.singleShot(0, lambda: _answer(QMessageBox.StandardButton.Discard, seen))
    assert window.close()
    assert len(seen) == 2
