from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.store import backup, open_database


def _library(tmp_path: Path) -> Path:
    path = tmp_path / "library.sqlite"
    open_database(path).dispose()
    return path


def test_one_backup_a_day_and_only_the_newest_kept(tmp_path: Path) -> None:
    db = _library(tmp_path)
    folder = tmp_path / "backups"
    for day in range(1, 11):
        backup.make_daily_backup(db, folder, today=date(2026, 11, day), keep=7)
    again = backup.make_daily_backup(db, folder, today=date(2026, 11, 10), keep=7)
    assert again is None
    days = [b.day.day for b in backup.list_backups(folder)]
    assert days == [10, 9, 8, 7, 6, 5, 4]
    assert all(backup.is_sound(b.path) for b in backup.list_backups(folder))


@pytest.mark.expect_log("app.store.backup", "WARNING", "Kept the damaged library as")
def test_restore_keeps_the_damaged_file(tmp_path: Path) -> None:
    db = _library(tmp_path)
    folder = tmp_path / "backups"
    backup.make_daily_backup(db, folder, today=date(2026, 11, 1))
    db.write_bytes(b"garbage" * 1000)
    (tmp_path / "library.sqlite-wal").write_bytes(b"wal")
    latest = backup.latest_sound_backup(folder)
    assert latest is not None and latest.label == "1 November 2026"
    kept = backup.restore_backup(db, latest)
    assert kept is not None and kept.read_bytes() == b"garbage" * 1000
    assert kept.with_name(kept.name + "-wal").read_bytes() == b"wal"
    assert not (tmp_path / "library.sqlite-wal").exists()
    assert backup.is_sound(db)


@pytest.mark.expect_log("app.store.backup", "WARNING", "is damaged too; looking further back")
def test_a_damaged_backup_is_skipped(tmp_path: Path) -> None:
    db = _library(tmp_path)
    folder = tmp_path / "backups"
    backup.make_daily_backup(db, folder, today=date(2026, 11, 1))
    backup.make_daily_backup(db, folder, today=date(2026, 11, 2))
    (folder / "library-2026-11-02.sqlite").write_bytes(b"broken")
    latest = backup.latest_sound_backup(folder)
    assert latest is not None and latest.day == date(2026, 11, 1)
