"""Opening the SQLite library: WAL mode, foreign keys, damage detection, migrations on start.

Reading must work when writing cannot, so that a user on a full disk or a read-only folder can still
list and export their text. Opening a WAL library writes (the ``-wal`` and ``-shm`` files, the WAL
set-up), so when the normal open fails because nothing can be written, the library is opened
read-only instead: first SQLite's ``mode=ro`` (which uses an existing ``-wal``), then, when there is no
``-wal`` to miss, ``immutable=1`` (no lock or shared-memory file at all). Such a :class:`Database` has
``read_only`` set, and every write through it fails with a :class:`StorageError` that says why.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import urllib.parse
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


def _on_connect_read_only(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA temp_store = MEMORY")  # sorts need no temporary file on the disk
    finally:
        cursor.close()


def make_engine(path: Path, *, read_only: str = "") -> Engine:
    """An engine on *path*; *read_only* "ro" or "immutable" opens it without writing anything."""
    if not read_only:
        engine = create_engine(
            f"sqlite+pysqlite:///{path}",
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        event.listen(engine, "connect", _on_connect)
        return engine
    query = "mode=ro" if read_only == "ro" else "mode=ro&immutable=1"
    uri = f"file:{urllib.parse.quote(str(path.absolute()))}?{query}"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)

    engine = create_engine("sqlite+pysqlite://", creator=connect)
    event.listen(engine, "connect", _on_connect_read_only)
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


# What stops the library from being written: (the reason, what to do about it). The words fit the
# command line and the window alike: neither mentions an editor (the window adds its own sentence
# about the text it still holds) nor a way of retrying that only one of them has.
_CAUSES: dict[str, tuple[str, str]] = {
    "read-only": ("its folder cannot be written to", "Make the folder writable"),
    "read-only file": ("the library file cannot be written to", "Make the file writable"),
    "full": ("the disk is full", "Free some space on the disk"),
    "io": (
        "the disk reported an input/output error",
        "Check the disk (it may be failing or gone); export what matters to another disk first",
    ),
}
NEARLY_FULL_BYTES = 1 << 20  # less room than this and SQLite's "disk I/O error" means a full disk


def _cause(path: Path, detail: str) -> str:
    """Why *path* cannot be written: a key of :data:`_CAUSES`, or "" when nothing says why.

    SQLite's own words are often vague ("disk I/O error" for a shared-memory file that cannot grow,
    "unable to open" for a read-only folder), so the folder and the disk are asked as well.
    """
    detail = detail.lower()
    folder = path.parent
    if not folder.is_dir():
        return ""
    folder_writable = os.access(folder, os.W_OK)
    if folder_writable and path.exists() and not os.access(path, os.W_OK):
        return "read-only file"
    if "readonly" in detail or "read-only" in detail or not folder_writable:
        return "read-only"
    try:
        nearly_full = shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        nearly_full = False
    if "full" in detail or nearly_full:
        return "full"
    return "io" if "disk i/o" in detail else ""


def _storage_error(exc: OperationalError, path: Path, read_only: str = "") -> StorageError:
    detail = str(exc.orig)
    if read_only:
        reason, remedy = _CAUSES.get(read_only, (read_only, "Fix that"))
        return StorageError(
            f"The library is open only for reading ({reason}), so nothing could be saved.",
            hint=f"{remedy}, then run Copydesk again.",
            cause=read_only,
        )
    if "locked" in detail.lower() or "busy" in detail.lower():
        return LibraryLockedError(
            "The library is busy in another program.",
            hint="Close the other program, then try again.",
            cause="locked",
        )
    cause = _cause(path, detail)
    if cause:
        reason, remedy = _CAUSES[cause]
        return StorageError(f"The library could not be saved: {reason}.", hint=f"{remedy}.", cause=cause)
    return StorageError(f"The library could not be read or written ({exc.orig}).")


@dataclass
class Database:
    """An open library database: the engine and a session factory bound to it."""

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    read_only: str = ""  # why it could only be opened for reading, a cause ("" when writable)

    @property
    def read_only_reason(self) -> str:
        """Why the library is open only for reading, in words ("" when it is writable)."""
        return _CAUSES[self.read_only][0] if self.read_only in _CAUSES else self.read_only

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
            raise _storage_error(exc, self.path, self.read_only) from exc
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


def _open_read_only(path: Path, cause: str) -> Database | None:
    """The library opened without writing anything, or None when even that is impossible.

    *cause* says why it cannot be written (a key of :data:`_CAUSES`). Nothing is logged above INFO:
    whoever opened the library tells the user, once (:attr:`Database.read_only`).
    """
    reason, remedy = _CAUSES[cause]
    wal = path.with_name(path.name + "-wal")
    modes = ["ro"]
    if not wal.exists() or wal.stat().st_size == 0:
        modes.append("immutable")  # nothing is waiting in a WAL: the file alone is the library
    for mode in modes:
        engine = make_engine(path, read_only=mode)
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
                current = migrate.current_revision(conn)
        except DatabaseError as exc:
            engine.dispose()
            log.info("Could not open %s read-only (%s): %s", path.name, mode, exc.orig)
            continue
        if current != migrate.HEAD:
            engine.dispose()
            raise StorageError(
                f"The library cannot be opened: {reason}, and it must be upgraded (schema "
                f"{current or 'none'} to {migrate.HEAD}) before this Copydesk can read it.",
                hint=f"{remedy}, then run Copydesk again.",
                cause=cause,
            )
        log.info("The library is open only for reading (%s): %s", mode, reason)
        return Database(
            path=path,
            engine=engine,
            sessions=sessionmaker(engine, expire_on_commit=False),
            read_only=cause,
        )
    return None


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
        detail = str(exc.orig)
        locked = "locked" in detail or "busy" in detail
        cause = _cause(path, detail) if path.exists() and not locked else ""
        fallback = _open_read_only(path, cause) if cause else None
        if fallback is not None:
            return fallback
        if locked:
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
