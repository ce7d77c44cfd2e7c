"""The local library on disk: engine and sessions, migrations, integrity checks and backups.

``Database`` and ``open_database`` are loaded on first use, so that importing
``app.store.backup`` (which needs only ``sqlite3``) does not pull in SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.store.database import Database, open_database

__all__ = ["Database", "open_database"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from app.store import database

        return getattr(database, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
