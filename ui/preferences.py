"""Preferences: the few settings a columnist changes, written through ``app.settings``.

The dialog only writes the settings; each part of the window that cares follows its setting's change
(``ui/settings_bridge.py``), so nothing here needs to know who applies what.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import CopydeskError
from app.settings import SPELL_LANGUAGES, Settings
from app.text.spelling import LANGUAGE_NAMES
from ui.messages import Level, MessageBar


class PreferencesDialog(QDialog):
    def __init__(self, settings: Settings, data_folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self._settings = settings
        self.byline = QLineEdit(settings.get("author.byline"))
        self.byline.setPlaceholderText("Your name as it appears on your pieces")
        self.theme = QComboBox()
        for value, label in (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")):
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(self.theme.findData(settings.get("appearance.theme")))
        self.font_size = QSpinBox(minimum=8, maximum=32, suffix=" pt")
        self.font_size.setValue(settings.get("editor.font_size"))
        self.language = QComboBox()
        for code in SPELL_LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(self.language.findData(settings.get("editor.spell_language")))
        form = QFormLayout()
        form.addRow("Byline for new pieces", self.byline)
        form.addRow("Colours", self.theme)
        form.addRow("Editor text size", self.font_size)
        form.addRow("Spelling dictionary", self.language)
        where = QLabel(f"Your library is kept in <code>{data_folder}</code>.")
        where.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(where)
        layout.addWidget(buttons)

    def apply(self) -> bool:
        """Apply the choices; False when they could not be written to disk (they apply anyway)."""
        self._settings.set("author.byline", self.byline.text().strip())
        self._settings.set("appearance.theme", self.theme.currentData())
        self._settings.set("editor.font_size", self.font_size.value())
        self._settings.set("editor.spell_language", self.language.currentData())
        return self._settings.save()


def edit_preferences(
    settings: Settings, data_folder: str, parent: QWidget, messages: MessageBar
) -> None:
    """Show the preferences (modal); on OK, write them."""
    dialog = PreferencesDialog(settings, data_folder, parent)
    if dialog.exec():
        try:
            written = dialog.apply()
        except CopydeskError as exc:
            messages.show_error(exc, context="Preferences not saved")
            return
        if not written:
            messages.show_message(
                "Your preferences apply now, but could not be written to disk (is it full or "
                "read-only?). Free some space and change a preference again to keep them.",
                Level.WARNING,
            )
