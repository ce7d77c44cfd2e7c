"""Setting changes as a Qt signal, so each part of the window applies the settings it cares about.

``app.settings`` knows no Qt: it calls plain subscribers with the changed key. This bridge turns that
into :attr:`SettingsBridge.setting_changed`; :meth:`SettingsBridge.follow` connects one key to the
part that applies it (after qutebrowser's ``config.instance.changed`` and ``change_filter``):

    bridge.follow("editor.font_size", editor.set_font_size)   # called with the new value
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.settings import Settings, option

if TYPE_CHECKING:
    from ui.main_window import MainWindow


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


def follow_settings(window: MainWindow) -> None:
    """Wire the window's parts to the settings they follow.

    Toggles in the menus only write their setting; each part follows the settings it cares about,
    whoever changed them (a menu, the Preferences dialog).
    """
    a, s = window.action_table, window.settings
    a["spelling/toggle"].toggled.connect(lambda on: s.set("editor.spell_check", on))
    a["view/preview"].toggled.connect(lambda on: s.set("preview.visible", on))
    a["view/sync-scroll"].toggled.connect(lambda on: s.set("preview.sync_scroll", on))
    follow = window.settings_bridge.follow
    spelling, status = window.spelling, window.status
    follow("appearance.theme", window.theme.apply)
    follow("editor.font_size", window.editor.set_font_size)
    follow("editor.spell_language", spelling.load)
    follow("editor.spell_language", window.language_menu.show_language)
    follow("editor.spell_check", spelling.set_enabled)
    follow("editor.spell_check", a["spelling/toggle"].setChecked)
    for key in ("editor.spell_language", "editor.spell_check"):
        follow(key, lambda _v: status.show_language(spelling.language, spelling.enabled))
    follow("preview.visible", window.show_preview)
    follow("preview.visible", a["view/preview"].setChecked)
    follow("preview.sync_scroll", window.preview_controller.set_scroll_sync)
    follow("preview.sync_scroll", a["view/sync-scroll"].setChecked)
