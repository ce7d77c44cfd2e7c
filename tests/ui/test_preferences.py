"""A changed setting is announced, and each part of the window that cares applies it."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WAIT_MS
from ui.main_window import MainWindow
from ui.preferences import PreferencesDialog


def _checked_language(window: MainWindow) -> list[str]:
    return [a.data() for a in window.language_menu.actions() if a.isChecked()]


def test_preferences_from_the_menu_reach_the_editor_spelling_and_theme(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.editor.font().pointSize() == 13 and window.spelling.language == "en_GB"
    answered: list[bool] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PreferencesDialog)
        dialog.font_size.setValue(19)
        dialog.language.setCurrentIndex(dialog.language.findData("en_US"))
        dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
        answered.append(True)
        dialog.accept()

    QTimer.singleShot(0, answer)
    try:
        window.action_table["app/preferences"].trigger()  # modal: returns once answered
        assert answered
        assert window.editor.font().pointSize() == 19
        assert window.spelling.language == "en_US"
        assert window.status.language.text() == "English (United States)"
        assert _checked_language(window) == ["en_US"]
        assert window.theme_dark()
    finally:
        window.theme.apply("light")
    assert window.core is not None
    assert window.core.settings.get("editor.font_size") == 19  # and they are kept


def test_a_setting_changed_elsewhere_is_followed_by_its_menu_entry(
    qtbot: QtBot, window: MainWindow
) -> None:
    toggle = window.action_table["spelling/toggle"]
    assert toggle.isChecked() and window.spelling.enabled
    window.settings.set("editor.spell_check", False)
    assert not toggle.isChecked() and not window.spelling.enabled
    toggle.setChecked(True)  # and the menu entry changes the setting
    assert window.settings.get("editor.spell_check") and window.spelling.enabled
    window.settings.set("preview.visible", False)
    assert not window.action_table["view/preview"].isChecked()
    qtbot.waitUntil(lambda: not window.preview_host.isVisible(), timeout=WAIT_MS)
