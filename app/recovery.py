"""The library's safety net as a service: the daily backup, and recovery from a damaged library.

What the window calls (it does not reach into :mod:`app.store`): once the user can work,
:meth:`LibraryRecovery.make_daily_backup`; when the library cannot be opened,
:meth:`~LibraryRecovery.latest_backup`, then :meth:`~LibraryRecovery.restore` or
:meth:`~LibraryRecovery.set_aside_damaged`. Nothing here needs SQLAlchemy (only ``sqlite3``), so it
works on a library that cannot be opened.
"""

from __future__ import annotations

from pathlib import Path

from app.paths import DataPaths
from app.store import backup
from app.store.backup import Backup

__all__ = ["Backup", "LibraryRecovery"]


class LibraryRecovery:
    def __init__(self, paths: DataPaths) -> None:
        self._database = paths.database
        self._backups = paths.backups

    def latest_backup(self) -> Backup | None:
        """The newest backup that passes SQLite's quick check, if any."""
        return backup.latest_sound_backup(self._backups)

    def restore(self, chosen: Backup) -> Path | None:
        """Put *chosen* in place of the library; returns where the damaged file was kept, if any."""
        return backup.restore_backup(self._database, chosen)

    def set_aside_damaged(self) -> Path:
        """Rename the damaged library aside (nothing is deleted), so that an empty one can start."""
        return backup.set_aside_damaged(self._database)

    def make_daily_backup(self) -> Path | None:
        """Today's backup unless it exists (old ones pruned); returns the new file, if one was made."""
        return backup.make_daily_backup(self._database, self._backups)
