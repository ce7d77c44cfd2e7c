from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.errors import SettingsError
from app.settings import VERSION, Settings


def test_defaults_set_and_persist(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings(path)
    assert settings.get("editor.spell_language") == "en_GB"
    settings.set("editor.spell_language", "en_US")
    settings.set("author.byline", "Ana Ruiz")
    settings.save()
    stored = json.loads(path.read_text())
    assert stored["version"] == VERSION
    again = Settings(path)
    assert again.get("editor.spell_language") == "en_US"
    assert again.get("author.byline") == "Ana Ruiz"


def test_unknown_keys_and_wrong_types_raise(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "s.json")
    with pytest.raises(SettingsError, match="no setting"):
        settings.get("editor.colour")
    with pytest.raises(SettingsError, match="must be bool"):
        settings.set("editor.spell_check", "yes")
    with pytest.raises(SettingsError, match="one of"):
        settings.set("appearance.theme", "purple")


def test_settings_of_a_newer_version_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 1, "future.thing": 3, "editor.font_size": "big"}))
    settings = Settings(path)
    assert settings.get("editor.font_size") == 13  # a bad stored value falls back to the default
    settings.save()
    assert json.loads(path.read_text())["future.thing"] == 3


def test_unreadable_file_is_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{ not json")
    settings = Settings(path)
    assert settings.get("appearance.theme") == "system"
    assert (tmp_path / "settings.json.unreadable").exists()


def test_a_change_is_announced_to_subscribers_with_its_key(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "s.json")
    heard: list[str] = []
    unsubscribe = settings.subscribe(heard.append)
    settings.set("editor.font_size", 16)
    settings.set("editor.font_size", 16)  # no change: nothing to announce
    settings.reset("editor.font_size")
    settings.reset("editor.font_size")
    with pytest.raises(SettingsError):
        settings.set("editor.font_size", "big")  # refused: nothing changed
    assert heard == ["editor.font_size", "editor.font_size"]
    unsubscribe()
    unsubscribe()  # twice is harmless
    settings.set("appearance.theme", "dark")
    assert heard == ["editor.font_size", "editor.font_size"]
    assert settings.get("appearance.theme") == "dark"
