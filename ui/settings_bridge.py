"""Setting changes as a Qt signal, so each part of the window applies the settings it cares about.

``app.settings`` knows no Qt: it calls plain subscribers with the changed key. This bridge turns that
into :attr:`SettingsBridge.setting_changed`; :meth:`SettingsBridge.follow` connects one key to the
part that applies it (after qutebrowser's ``config.instance.changed`` and ``change_filter``):

    bridge.follow("editor.font_size", editor.set_font_size)   # called with the new value
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.settings import Settings, option


class SettingsBridge(QObject):
    setting_changed = Signal(str)  # the key; read the value from the settings

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        unsubscribe = settings.subscribe(self._on_settings_changed)
        # the settings outlive the window: stop hearing from them when this bridge goes
        self.destroyed.connect(lambda *_args: unsubscribe())

    def _on_settings_changed(self, key: str) -> None:
        self.setting_changed.emit(key)

    def follow(self, key: str, apply: Callable[[Any], object]) -> None:
        """Call *apply* with the new value of *key* each time it changes."""
        option(key)  # an unknown key raises here, not at the first change

        def on_changed(changed: str) -> None:
            if changed == key:
                apply(self.settings.get(key))

        self.setting_changed.connect(on_changed)
