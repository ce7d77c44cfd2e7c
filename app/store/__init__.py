"""The local library on disk: engine and sessions, migrations, integrity checks and backups."""

from app.store.database import Database, open_database

__all__ = ["Database", "open_database"]
