"""Where Copydesk keeps its files.

One data folder holds everything of a library: the SQLite database, its backups, the log, the settings
and the personal dictionary. It is the platform's user data folder unless ``--data-dir`` or the
``COPYDESK_DATA_DIR`` environment variable names another, so a library can be moved by moving one folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_DATA_DIR = "COPYDESK_DATA_DIR"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("Copydesk", appauthor=False, roaming=True))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: the explicit argument, then the environment, then the platform default."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(ENV_DATA_DIR)
    if from_env:
        return Path(from_env).expanduser().resolve()
    return default_data_dir()


@dataclass(frozen=True)
class DataPaths:
    """The files inside one data folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "library.sqlite"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    @property
    def personal_dictionary(self) -> Path:
        return self.root / "dictionary.txt"

    @property
    def lock(self) -> Path:
        return self.root / "copydesk.lock"

    @property
    def stylesheet_override(self) -> Path:
        """A newsroom's own preview stylesheet; used instead of the shipped one when present."""
        return self.root / "article.css"

    def ensure(self) -> DataPaths:
        self.root.mkdir(parents=True, exist_ok=True)
        self.backups.mkdir(exist_ok=True)
        self.logs.mkdir(exist_ok=True)
        return self
