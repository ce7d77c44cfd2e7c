"""Alembic migrations, applied automatically when a library is opened.

Start-up only compares the stored revision with :data:`HEAD`, a constant, so Alembic itself is imported
only when there is something to do (a test keeps :data:`HEAD` equal to Alembic's own head).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect

log = logging.getLogger(__name__)

HEAD = "0008"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def alembic_config(engine: Engine) -> object:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(
    engine: Engine, current: str | None, *, keep_dir: Path | None = None, target: str = "head"
) -> None:
    """Bring the library to *target*, copying it into *keep_dir* first when it already holds data."""
    from alembic import command

    if current is not None and keep_dir is not None:
        keep_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        keep = keep_dir / f"library-before-upgrade-from-{current}-{stamp}.sqlite"
        number = 1
        while keep.exists():  # two upgrades within a microsecond: never overwrite a copy
            number += 1
            keep = keep.with_name(f"library-before-upgrade-from-{current}-{stamp}-{number}.sqlite")
        with engine.connect() as conn:
            conn.exec_driver_sql("VACUUM INTO ?", (str(keep),))
        log.info("Kept a copy of the library before upgrading it: %s", keep.name)
    log.info("Migrating the library from %s to %s", current or "empty", target)
    command.upgrade(alembic_config(engine), target)  # type: ignore[arg-type]


def head_of_scripts() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
