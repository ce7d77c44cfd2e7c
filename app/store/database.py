"""Opening the SQLite library: WAL mode, foreign keys, damage detection, migrations on start."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import CorruptLibraryError, LibraryLockedError, StorageError
from app.store import migrate

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)
    return engine


def check_header(path: Path) -> None:
    """Raise :class:`CorruptLibraryError` when *path* exists but is not an SQLite file at all."""
    if not path.exists():
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise CorruptLibraryError(
            f"The library file {path.name} cannot be read ({exc.strerror}).",
            path=str(path),
            hint="Check the folder's permissions.",
        ) from exc
    if head and head != SQLITE_MAGIC:
        raise CorruptLibraryError(
            f"The library file {path.name} is damaged: it is not a database any more.",
            path=str(path),
        )


def _storage_error(exc: OperationalError) -> StorageError:
    detail = str(exc.orig).lower()
    if "full" in detail:
        return StorageError(
            "The disk is full, so Copydesk could not save.",
            hint="Free some space; your text is still in the editor and will be saved then.",
        )
    if "readonly" in detail or "read-only" in detail:
        return StorageError(
            "The library folder cannot be written to.",
            hint="Check the folder's permissions; your text is still in the editor.",
        )
    if "locked" in detail or "busy" in detail:
        return LibraryLockedError(
            "The library is busy in another program.",
            hint="Close the other program; Copydesk will try again.",
        )
    return StorageError(f"The library could not be read or written ({exc.orig}).")


@dataclass
class Database:
    """An open library database: the engine and a session factory bound to it."""

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction that commits on success and rolls back on error.

        Failures of the database itself (disk full, read-only folder, damaged file, locked) come out
        as :class:`StorageError` with a message for the user; constraint violations stay as they are,
        for the service that knows what they mean.
        """
        try:
            with self.sessions() as session, session.begin():
                yield session
        except IntegrityError:
            raise
        except OperationalError as exc:
            raise _storage_error(exc) from exc
        except DatabaseError as exc:
            raise CorruptLibraryError(
                f"The library file is damaged ({exc.orig}).",
                path=str(self.path),
                hint="Restart Copydesk to restore it from the latest backup.",
            ) from exc

    def integrity_problems(self, *, full: bool = False) -> list[str]:
        """What SQLite's own check finds wrong; an empty list means the file is sound."""
        pragma = "integrity_check" if full else "quick_check"
        try:
            with self.engine.connect() as conn:
                rows = conn.exec_driver_sql(f"PRAGMA {pragma}").fetchall()
        except DatabaseError as exc:
            return [str(exc.orig)]
        problems = [str(r[0]) for r in rows]
        return [] if problems == ["ok"] else problems

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(path: Path, *, upgrade: bool = True, keep_dir: Path | None = None) -> Database:
    """Open (creating if needed) and migrate the library at *path*.

    Damage is reported as :class:`CorruptLibraryError` so the caller can offer a backup. Nothing is
    deleted or rewritten when the file is damaged.
    """
    check_header(path)
    engine = make_engine(path)
    try:
        with engine.connect() as conn:
            mode = conn.exec_driver_sql("PRAGMA journal_mode = WAL").scalar()
            if mode != "wal":
                log.warning("SQLite refused WAL mode (%s); continuing in %s mode", path, mode)
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
            current = migrate.current_revision(conn)
    except OperationalError as exc:
        engine.dispose()
        if "locked" in str(exc.orig):
            raise LibraryLockedError(
                "The library is busy in another program.",
                hint="Close the other Copydesk window and try again.",
            ) from exc
        raise StorageError(f"The library {path} cannot be opened: {exc.orig}.") from exc
    except DatabaseError as exc:
        engine.dispose()
        raise CorruptLibraryError(
            f"The library file {path.name} is damaged ({exc.orig}).", path=str(path)
        ) from exc
    if current != migrate.HEAD:
        if not upgrade:
            engine.dispose()
            raise StorageError(
                f"The library is at schema {current or 'none'}, this Copydesk needs {migrate.HEAD}."
            )
        migrate.upgrade(engine, current, keep_dir=keep_dir)
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return Database(path=path, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
