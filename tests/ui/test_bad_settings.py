"""A bad settings file does not stop the window: it is set aside and the message bar says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ui import application


@pytest.mark.expect_log("app.settings", "WARNING", "was unusable")
@pytest.mark.expect_log("ui.messages", "WARNING", "The settings file settings.json was unusable")
def test_the_window_opens_on_a_bad_settings_file_and_shows_why(
    qtbot: QtBot, data_dir: Path, qapp: object
) -> None:
    (data_dir / "settings.json").write_text('{"version": "abc"}', encoding="utf-8")
    startup = application.Startup(qapp)  # type: ignore[arg-type]
    window = startup.open(data_dir)
    assert window is not None
    try:
        qtbot.waitUntil(lambda: window.ready_for_work, timeout=15_000)
        assert window.messages.isVisible()
        assert window.messages.text.startswith("The settings file settings.json was unusable (")
        [aside] = data_dir.glob("settings.json.bad-*")
        assert aside.name in window.messages.text
    finally:
        startup.close()
