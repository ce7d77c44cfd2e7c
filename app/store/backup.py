"""Rolling daily backups of the library, and recovery from one.

One copy a day, made with SQLite's online backup (consistent even while the app writes), the newest
:data:`KEEP_DAYS` kept. A damaged library is never deleted: it is renamed aside before a backup
replaces it.
"""

from __future__ import annotations

import logging
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from app.errors import StorageError

log = logging.getLogger(__name__)

KEEP_DAYS = 7
_NAME = re.compile(r"^library-(\d{4}-\d{2}-\d{2})\.sqlite$")


@dataclass(frozen=True)
class Backup:
    path: Path
    day: date

    @property
    def label(self) -> str:
        return f"{self.day.day} {self.day:%B %Y}"


def list_backups(folder: Path) -> list[Backup]:
    """The daily backups in *folder*, newest first."""
    found: list[Backup] = []
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Backup(entry, date.fromisoformat(match.group(1))))
    return sorted(found, key=lambda b: b.day, reverse=True)


def is_sound(path: Path) -> bool:
    """Whether *path* is a readable SQLite file that passes a quick check."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return bool(conn.execute("PRAGMA quick_check").fetchone() == ("ok",))
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def latest_sound_backup(folder: Path) -> Backup | None:
    for backup in list_backups(folder):
        if is_sound(backup.path):
            return backup
        log.warning("Backup %s is damaged too; looking further back", backup.path.name)
    return None


def make_daily_backup(
    database: Path, folder: Path, *, today: date | None = None, keep: int = KEEP_DAYS
) -> Path | None:
    """Copy *database* into today's backup unless one exists; prune old ones. Returns the new file."""
    today = today or datetime.now(UTC).astimezone().date()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"library-{today.isoformat()}.sqlite"
    made: Path | None = None
    if not target.exists() and database.exists():
        partial = target.with_suffix(".partial")
        source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            dest = sqlite3.connect(partial)
            try:
                source.backup(dest)
            finally:
                dest.close()
        except sqlite3.DatabaseError as exc:
            partial.unlink(missing_ok=True)
            raise StorageError(f"The daily backup could not be made: {exc}.") from exc
        finally:
            source.close()
        partial.replace(target)
        made = target
        log.info("Made the daily backup %s", target.name)
    for old in list_backups(folder)[keep:]:
        old.path.unlink(missing_ok=True)
        log.info("Removed the old backup %s", old.path.name)
    return made


def set_aside_damaged(database: Path) -> Path:
    """Rename a damaged library (and its WAL files) aside; return the new name of the main file."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = database.with_name(f"{database.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        part = database.with_name(database.name + suffix)
        if part.exists():
            part.replace(kept.with_name(kept.name + suffix))
    log.warning("Kept the damaged library as %s", kept.name)
    return kept


def restore_backup(database: Path, backup: Backup) -> Path | None:
    """Put *backup* in place of *database*; the damaged file is kept aside and its new path returned."""
    kept = set_aside_damaged(database) if database.exists() else None
    shutil.copy2(backup.path, database)
    log.info("Restored the library from the backup of %s", backup.day.isoformat())
    return kept
