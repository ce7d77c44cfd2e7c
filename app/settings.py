"""User settings: one declarative schema, versioned, stored as JSON in the data folder.

Secrets never go here: passwords live in the operating system's keyring (``app.sites.secrets``).
Asking for a key the schema does not declare raises :class:`SettingsError`; a setting written by a
newer Copydesk is kept in the file untouched.

A change is announced: :meth:`Settings.subscribe` takes a plain callable, called with the key after a
:meth:`~Settings.set` or :meth:`~Settings.reset` that changed its value, so each part that cares applies
its own setting (the window bridges this to a Qt signal in ``ui/settings_bridge.py``).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.errors import SettingsError

log = logging.getLogger(__name__)

VERSION = 1
MAX_FILE_SIZE = 1024 * 1024  # bytes; settings are a few hundred
SPELL_LANGUAGES = ("en_GB", "en_US", "en_CA", "en_AU", "en_ZA")
THEMES = ("system", "light", "dark")


@dataclass(frozen=True)
class Option:
    key: str
    type: type
    default: Any
    description: str
    choices: tuple[Any, ...] = ()
    bounds: tuple[int, int] | None = None  # lowest and highest, for numbers


SCHEMA: tuple[Option, ...] = (
    Option("author.byline", str, "", "The byline that new pieces start with."),
    Option("editor.spell_check", bool, True, "Underline misspelt words while typing."),
    Option("editor.spell_language", str, "en_GB", "The spelling dictionary.", choices=SPELL_LANGUAGES),
    Option("editor.font_size", int, 13, "Editor font size in points.", bounds=(6, 72)),
    Option("appearance.theme", str, "system", "Light or dark window colours.", choices=THEMES),
    Option("preview.visible", bool, True, "Show the live preview beside the editor."),
    Option("preview.sync_scroll", bool, True, "Scroll the preview with the editor."),
    Option("window.geometry", str, "", "Main window position and size (Qt, base64)."),
    Option("window.state", str, "", "Toolbars and docks of the main window (Qt, base64)."),
    Option("window.splitter", str, "", "Editor and preview proportions (Qt, base64)."),
    Option("library.last_piece", int, 0, "The piece that was open when Copydesk last closed."),
    Option("library.sort_column", int, 2, "The column the library list is sorted by."),
    Option("library.sort_descending", bool, True, "Sort the library list in descending order."),
)
_BY_KEY = {option.key: option for option in SCHEMA}

Subscriber = Callable[[str], object]

# Migrations from version N to N+1, each a function of the raw mapping.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def option(key: str) -> Option:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise SettingsError(f"There is no setting called “{key}”.") from None


def _coerce(opt: Option, value: Any) -> Any:
    if opt.type is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, opt.type) or (opt.type is int and isinstance(value, bool)):
        raise SettingsError(
            f"The setting “{opt.key}” must be {opt.type.__name__}, not {type(value).__name__}."
        )
    if opt.choices and value not in opt.choices:
        allowed = ", ".join(map(str, opt.choices))
        raise SettingsError(f"The setting “{opt.key}” must be one of {allowed}, not {value!r}.")
    if opt.bounds and isinstance(value, int) and not opt.bounds[0] <= value <= opt.bounds[1]:
        low, high = opt.bounds
        raise SettingsError(f"The setting “{opt.key}” must be from {low} to {high}, not {value!r}.")
    return value


class _BadFileError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _read(path: Path) -> dict[str, Any]:
    """The stored settings migrated to :data:`VERSION`, less "version"; or :class:`_BadFileError`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise _BadFileError(f"it cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_SIZE:
        raise _BadFileError(f"it is {len(data):,} bytes long, far more than settings need")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _BadFileError(f"it is not UTF-8 text (byte {exc.start})") from None
    try:
        raw: Any = json.loads(text)
    except ValueError as exc:
        raise _BadFileError(f"it is not valid JSON ({exc})") from None
    except RecursionError:
        raise _BadFileError("it is nested too deeply to be settings") from None
    if not isinstance(raw, dict):
        raise _BadFileError(f"it holds {type(raw).__name__}, not a mapping of settings")
    version = raw.pop("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _BadFileError(f"its “version” is {json.dumps(version)[:40]}, not a whole number from 1")
    while version < VERSION:
        try:
            raw = MIGRATIONS[version](raw)
        except Exception as exc:  # a migration meets data it does not expect
            raise _BadFileError(f"it cannot be brought up from version {version} ({exc})") from None
        version += 1
    settings: dict[str, Any] = raw
    return settings


def _set_aside(path: Path, reason: str) -> str:
    """Rename a bad settings file out of the way; the message for the user."""
    aside = path.with_name(f"{path.name}.bad-{datetime.now():%Y%m%d-%H%M%S}")
    try:
        path.replace(aside)
    except OSError as exc:
        return (
            f"The settings file {path.name} is unusable ({reason}) and could not be set aside "
            f"({exc.strerror or exc}); Copydesk is using the default settings."
        )
    return (
        f"The settings file {path.name} was unusable ({reason}); it was kept as {aside.name} and "
        "Copydesk is using the default settings."
    )


class Settings:
    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._values: dict[str, Any] = {}
        self._foreign: dict[str, Any] = {}
        self._subscribers: list[Subscriber] = []
        self._problem = ""
        if path is not None:
            self._load(path)

    @property
    def problem(self) -> str:
        """What was wrong with the settings file when it was read ("" when nothing), for the user."""
        return self._problem

    def _load(self, path: Path) -> None:
        try:
            raw = _read(path)
        except FileNotFoundError:
            return
        except _BadFileError as exc:
            self._problem = _set_aside(path, exc.reason)
            log.warning("%s", self._problem)
            return
        for key, value in raw.items():
            if key not in _BY_KEY:
                self._foreign[key] = value
                continue
            try:
                self._values[key] = _coerce(_BY_KEY[key], value)
            except SettingsError as exc:
                log.warning("Ignored a stored setting, using its default: %s", exc)

    def get(self, key: str) -> Any:
        opt = option(key)
        return self._values.get(key, opt.default)

    def set(self, key: str, value: Any) -> None:
        before = self.get(key)
        self._values[key] = _coerce(option(key), value)
        self._announce(key, before)

    def reset(self, key: str) -> None:
        before = self.get(key)
        self._values.pop(key, None)
        self._announce(key, before)

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call *callback* with the key of each setting whose value changes; returns the unsubscribe."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def _announce(self, key: str, before: Any) -> None:
        if self.get(key) == before:
            return
        for callback in list(self._subscribers):
            callback(key)

    def save(self) -> bool:
        """Write atomically: a crash mid-write leaves the old file, never half a file.

        A disk that cannot be written (full, read-only) is no reason to stop: the settings stay in
        effect for this run, the failure is logged, and the next save that can write them does.
        Returns whether they were written.
        """
        if self._path is None:
            return True
        data = {"version": VERSION, **self._foreign, **dict(sorted(self._values.items()))}
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=self._path.parent)
        except OSError as exc:
            log.warning("The settings could not be written (%s); they apply until Copydesk quits", exc)
            return False
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=2, ensure_ascii=False)
                fh.write("\n")
            os.replace(tmp, self._path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            log.warning("The settings could not be written (%s); they apply until Copydesk quits", exc)
            return False
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return True
