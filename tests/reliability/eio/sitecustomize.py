"""I/O errors for a Copydesk child process (Python loads this at start-up from PYTHONPATH).

SQLite writes through its own C code, so the faults are injected where Copydesk meets it, in the
``sqlite3`` module: the Nth statement that writes (``COPYDESK_FAULT_EIO_AT``) fails with the error SQLite
gives for an I/O error (SQLITE_IOERR, "disk I/O error"). ``COPYDESK_FAULT_COUNT_FILE`` receives how
many writing statements the process ran (to choose N from a clean run).
"""

from __future__ import annotations

import atexit
import os
import sqlite3
import sqlite3.dbapi2
from typing import Any

_AT = int(os.environ.get("COPYDESK_FAULT_EIO_AT", "0"))
_COUNT_FILE = os.environ.get("COPYDESK_FAULT_COUNT_FILE", "")
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "COMMIT", "END", "CREATE", "DROP", "ALTER")
_seen = {"sql": 0}


def _maybe_fail(sql: str) -> None:
    if not sql.lstrip().upper().startswith(_WRITES):
        return
    _seen["sql"] += 1
    if _seen["sql"] == _AT:
        raise sqlite3.OperationalError("disk I/O error")


class _Cursor(sqlite3.Cursor):
    def execute(self, sql: str, *args: Any) -> Any:
        _maybe_fail(sql)
        return super().execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> Any:
        _maybe_fail(sql)
        return super().executemany(sql, *args)


class _Connection(sqlite3.Connection):
    def cursor(self, factory: Any = _Cursor) -> Any:
        return super().cursor(factory)

    def execute(self, sql: str, *args: Any) -> Any:
        _maybe_fail(sql)
        return super().execute(sql, *args)

    def commit(self) -> None:
        if self.in_transaction:
            _maybe_fail("COMMIT")
        super().commit()


_real_connect = sqlite3.connect


def _connect(*args: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("factory", _Connection)
    return _real_connect(*args, **kwargs)


sqlite3.connect = _connect
sqlite3.dbapi2.connect = _connect


def _report() -> None:
    if _COUNT_FILE:
        with open(_COUNT_FILE, "w", encoding="utf-8") as fh:
            fh.write(f"{_seen['sql']}\n")


atexit.register(_report)
