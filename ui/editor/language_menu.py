"""The Tools menu's choice of spelling dictionary: choosing one changes the setting, and the parts
that care (the spell service, the status bar, this menu's check mark) follow the setting."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from app.settings import Settings
from app.text.spelling import LANGUAGE_NAMES


class LanguageMenu(QMenu):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__("Spelling &Language", parent)
        self._settings = settings
        group = QActionGroup(self)
        for code, name in LANGUAGE_NAMES.items():
            action = self.addAction(name)
            action.setCheckable(True)
            action.setData(code)
            group.addAction(action)
        group.triggered.connect(self._on_language_chosen)
        self.show_language(settings.get("editor.spell_language"))

    def show_language(self, code: str) -> None:
        """Check the dictionary *code*."""
        for action in self.actions():
            action.setChecked(action.data() == code)

    def _on_language_chosen(self, action: QAction) -> None:
        self._settings.set("editor.spell_language", action.data())
        self._settings.save()
