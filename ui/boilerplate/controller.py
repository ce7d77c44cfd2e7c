"""Opening the disclaimer and snippet manager, and announcing that the boilerplate changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from app.core import Core


class BoilerplateController(QObject):
    library_changed = Signal()  # disclaimers, snippets or their rules changed; articles re-render

    def __init__(self, core: Core, window: QWidget) -> None:
        super().__init__(window)
        self._core = core
        self._window = window

    def manage(self) -> None:
        """Open the manager (modal) over the window."""
        from ui.boilerplate.dialog import BoilerplateDialog  # loaded when first needed

        dialog = BoilerplateDialog(self._core, self._window)
        dialog.library_changed.connect(self._on_library_changed)
        dialog.exec()

    def _on_library_changed(self) -> None:
        self._core.articles.invalidate()
        self.library_changed.emit()
