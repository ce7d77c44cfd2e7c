from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.errors import SettingsError
from app.settings import VERSION, Settings, option

ROOT = Path(__file__).resolve().parents[2]


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


@pytest.mark.expect_log("app.settings", "WARNING", "Ignored a stored setting")
def test_settings_of_a_newer_version_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 1, "future.thing": 3, "editor.font_size": "big"}))
    settings = Settings(path)
    assert settings.get("editor.font_size") == 13  # a bad stored value falls back to the default
    settings.save()
    assert json.loads(path.read_text())["future.thing"] == 3


@pytest.mark.expect_log("app.settings", "WARNING", "was unusable")
def test_unreadable_file_is_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{ not json")
    settings = Settings(path)
    assert settings.get("appearance.theme") == "system"
    assert [p.read_text() for p in tmp_path.glob("settings.json.bad-*")] == ["{ not json"]


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


BAD_FILES = {
    "version-text": b'{"version": "abc"}',
    "version-null": b'{"version": null}',
    "version-negative": b'{"version": -3}',
    "version-zero": b'{"version": 0}',
    "version-bool": b'{"version": true}',
    "version-float": b'{"version": 1.5}',
    "deep-lists": b"[" * 100_000 + b"]" * 100_000,
    "deep-objects": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "a-list": b"[1, 2, 3]",
    "a-string": b'"settings"',
    "a-number": b"42",
    "null": b"null",
    "invalid-utf8": b'{"author.byline": "\xff\xfe caf\xe9"}',
    "not-json": b"{ not json",
    "empty": b"",
    "huge": b'{"x": "' + b"a" * (2 * 1024 * 1024) + b'"}',
}


@pytest.mark.expect_log("app.settings", "WARNING", "was unusable")
@pytest.mark.parametrize("content", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_settings_file_is_set_aside_and_the_defaults_used(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes
) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    settings = Settings(path)
    assert settings.get("appearance.theme") == "system"
    assert settings.get("editor.font_size") == 13
    [aside] = tmp_path.glob("settings.json.bad-*")
    assert aside.read_bytes() == content and not path.exists()
    assert settings.problem.startswith("The settings file settings.json was unusable (")
    assert settings.problem.endswith(
        f"; it was kept as {aside.name} and Copydesk is using the default settings."
    )
    assert "\n" not in settings.problem
    assert [r.getMessage() for r in caplog.records] == [settings.problem]
    settings.set("author.byline", "Ana Ruiz")
    settings.save()
    assert Settings(path).get("author.byline") == "Ana Ruiz" and Settings(path).problem == ""


@pytest.mark.parametrize(
    ("key", "stored"),
    [
        ("editor.font_size", "big"),
        ("editor.font_size", -4),
        ("editor.font_size", 10**40),
        ("editor.font_size", True),
        ("editor.font_size", [13]),
        ("editor.spell_check", "yes"),
        ("editor.spell_language", {"en": 1}),
        ("appearance.theme", "purple"),
        ("author.byline", None),
        ("library.last_piece", 2.5),
    ],
)
@pytest.mark.expect_log("app.settings", "WARNING", "Ignored a stored setting")
def test_a_wrong_value_for_a_known_key_falls_back_to_its_default(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, key: str, stored: object
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 1, key: stored}))
    settings = Settings(path)
    assert settings.get(key) == option(key).default
    assert settings.problem == "" and path.exists()
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert f"“{key}”" in caplog.records[0].getMessage()


@pytest.mark.parametrize("content", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_the_cli_runs_on_a_bad_settings_file_with_one_warning(data_dir: Path, content: bytes) -> None:
    (data_dir / "settings.json").write_bytes(content)
    done = subprocess.run(
        [sys.executable, str(ROOT / "copydesk.py"), "--data-dir", str(data_dir), "list"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "No pieces.\n"
    [line] = done.stderr.splitlines()
    assert line.startswith("copydesk: The settings file settings.json was unusable (")
    assert len(list(data_dir.glob("settings.json.bad-*"))) == 1


@pytest.mark.expect_log("app.settings", "WARNING", "could not be written")
def test_a_folder_that_cannot_be_written_keeps_the_settings_in_effect(tmp_path: Path) -> None:
    """A full or read-only disk is no reason to stop: saving says so and the values stay."""
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "settings.json"
    settings = Settings(path)
    # the folder turns into something nothing can be written into (as a full disk refuses files)
    folder.rmdir()
    folder.write_text("not a folder", encoding="utf-8")
    settings.set("editor.font_size", 18)
    assert settings.save() is False
    assert settings.get("editor.font_size") == 18
    assert folder.read_text(encoding="utf-8") == "not a folder"
