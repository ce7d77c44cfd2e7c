"""Light and dark window colours that follow the system, or the user's choice.

On Windows and macOS the platform's own style already follows the system scheme; Copydesk only asks for
a scheme when the user overrides it. Elsewhere the Fusion style gets a palette of ours, chosen from the
system's colour scheme and changed live when that changes.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

_NATIVE = sys.platform in ("win32", "darwin")


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor("#2b2b2e"), QColor("#1f1f22"), QColor("#e6e4df")
    accent = QColor("#e07a5f")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#27272a"),
        QPalette.ColorRole.ToolTipBase: QColor("#3a3a3e"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor("#8d8b86"),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#35353a"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff6b6b"),
        QPalette.ColorRole.Highlight: QColor("#7a4a3c"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: accent,
        QPalette.ColorRole.LinkVisited: QColor("#c9a0dc"),
        QPalette.ColorRole.Mid: QColor("#3f3f44"),
        QPalette.ColorRole.Dark: QColor("#18181a"),
        QPalette.ColorRole.Light: QColor("#47474d"),
        QPalette.ColorRole.Midlight: QColor("#3a3a3f"),
        QPalette.ColorRole.Shadow: QColor("#000000"),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    disabled = QColor("#77767a")
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def light_palette() -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: QColor("#f3f1ec"),
        QPalette.ColorRole.WindowText: QColor("#1d1d1f"),
        QPalette.ColorRole.Base: QColor("#ffffff"),
        QPalette.ColorRole.AlternateBase: QColor("#f7f5f0"),
        QPalette.ColorRole.ToolTipBase: QColor("#fffbe8"),
        QPalette.ColorRole.ToolTipText: QColor("#1d1d1f"),
        QPalette.ColorRole.PlaceholderText: QColor("#8a877f"),
        QPalette.ColorRole.Text: QColor("#1d1d1f"),
        QPalette.ColorRole.Button: QColor("#ebe8e1"),
        QPalette.ColorRole.ButtonText: QColor("#1d1d1f"),
        QPalette.ColorRole.Highlight: QColor("#f0c9b8"),
        QPalette.ColorRole.HighlightedText: QColor("#1d1d1f"),
        QPalette.ColorRole.Link: QColor("#b3261e"),
        QPalette.ColorRole.Mid: QColor("#cfcbc2"),
        QPalette.ColorRole.Midlight: QColor("#e2dfd8"),
        QPalette.ColorRole.Light: QColor("#ffffff"),
        QPalette.ColorRole.Dark: QColor("#a8a49b"),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#a09d96"))
    return p


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


class ThemeManager(QObject):
    """Applies the chosen theme and re-applies it when the system switches scheme."""

    theme_changed = Signal(bool)  # dark

    def __init__(self, app: QApplication, choice: str = "system") -> None:
        super().__init__(app)
        self._app = app
        self._choice = choice
        if not _NATIVE:
            app.setStyle("Fusion")
        app.styleHints().colorSchemeChanged.connect(self._on_system_scheme_changed)
        self.apply(choice)

    def _wanted_dark(self) -> bool:
        if self._choice == "dark":
            return True
        if self._choice == "light":
            return False
        return self._app.styleHints().colorScheme() == Qt.ColorScheme.Dark

    def apply(self, choice: str) -> None:
        self._choice = choice
        dark = self._wanted_dark()
        if _NATIVE:
            hints = self._app.styleHints()
            if choice == "system":
                hints.unsetColorScheme()
            else:
                hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
        else:
            self._app.setPalette(dark_palette() if dark else light_palette())
        self.theme_changed.emit(is_dark(self._app.palette()))

    def _on_system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._choice == "system":
            self.apply("system")
