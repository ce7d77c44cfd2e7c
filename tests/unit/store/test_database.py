from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from app.errors import CorruptLibraryError
from app.store import migrate, open_database
from app.store.database import check_header


def test_new_library_is_created_in_wal_mode_at_head(tmp_path: Path) -> None:
    db = open_database(tmp_path / "library.sqlite")
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert migrate.current_revision(conn) == migrate.HEAD
        assert db.integrity_problems() == []
    finally:
        db.dispose()


def test_head_constant_matches_the_migration_scripts() -> None:
    assert migrate.head_of_scripts() == migrate.HEAD


def test_models_match_the_migrated_schema(tmp_path: Path) -> None:
    """The ORM classes and the migrations describe the same tables and columns."""
    from app.store.models import Base

    db = open_database(tmp_path / "library.sqlite")
    try:
        with db.engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                rows = conn.exec_driver_sql(f"PRAGMA table_info({table.name})").fetchall()
                migrated = {r[1]: bool(r[3]) for r in rows}  # name -> NOT NULL
                declared = {c.name: not c.nullable for c in table.columns}
                assert migrated == declared, table.name
    finally:
        db.dispose()


def test_garbage_file_is_reported_as_damaged_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    path.write_bytes(b"this is not a database at all" * 100)
    before = path.read_bytes()
    with pytest.raises(CorruptLibraryError) as caught:
        open_database(path)
    assert "damaged" in caught.value.message
    assert path.read_bytes() == before


def test_truncated_database_is_reported_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    db = open_database(path)
    db.dispose()
    data = path.read_bytes()
    # keep the header but destroy the pages behind it
    path.write_bytes(data[:100] + b"\xff" * (len(data) - 100))
    with pytest.raises(CorruptLibraryError):
        open_database(path)


def test_header_check_accepts_missing_and_empty_files(tmp_path: Path) -> None:
    check_header(tmp_path / "nothing.sqlite")
    (tmp_path / "empty.sqlite").write_bytes(b"")
    check_header(tmp_path / "empty.sqlite")


def test_upgrade_from_the_first_schema_keeps_data_and_indexes_it(tmp_path: Path) -> None:
    """A library made by the 0001 schema is migrated on open; its pieces become searchable."""
    from alembic import command

    from app.store.database import make_engine

    path = tmp_path / "library.sqlite"
    engine = make_engine(path)
    command.upgrade(migrate.alembic_config(engine), "0001")  # type: ignore[arg-type]
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO pieces (uid, title, standfirst, slug, slug_manual, byline, body, "
                "excerpt, featured_image, comment_status, status, word_count, extra, created_at, "
                "updated_at) VALUES ('u1', 'Harbour tales', '', 'harbour-tales', 0, 'Kai', "
                "'The fishermen of Whitby', '', '', 'open', 'draft', 4, '{}', "
                "'2025-01-01 10:00:00', '2025-01-01 10:00:00')"
            )
        )
    engine.dispose()

    keep = tmp_path / "kept"
    db = open_database(path, keep_dir=keep)
    try:
        with db.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.HEAD
            hits = conn.exec_driver_sql(
                "SELECT rowid FROM pieces_fts WHERE pieces_fts MATCH 'fishermen'"
            ).fetchall()
            assert hits == [(1,)]
        copies = list(keep.iterdir())
        assert len(copies) == 1 and copies[0].name.startswith("library-before-upgrade-from-0001")
        with sqlite3.connect(copies[0]) as old:
            assert old.execute("SELECT title FROM pieces").fetchone() == ("Harbour tales",)
    finally:
        db.dispose()
