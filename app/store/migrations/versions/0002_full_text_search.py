"""Full-text search over pieces (SQLite FTS5), kept current by triggers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# An external-content FTS5 table: the text lives once, in ``pieces``; the index follows it by rowid.
# ``unicode61 remove_diacritics 2`` lets "cafe" find "café".
STATEMENTS = [
    """
    CREATE VIRTUAL TABLE pieces_fts USING fts5(
        title, standfirst, byline, body,
        content='pieces', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2"
    )
    """,
    """
    CREATE TRIGGER pieces_fts_insert AFTER INSERT ON pieces BEGIN
        INSERT INTO pieces_fts(rowid, title, standfirst, byline, body)
        VALUES (new.id, new.title, new.standfirst, new.byline, new.body);
    END
    """,
    """
    CREATE TRIGGER pieces_fts_delete AFTER DELETE ON pieces BEGIN
        INSERT INTO pieces_fts(pieces_fts, rowid, title, standfirst, byline, body)
        VALUES ('delete', old.id, old.title, old.standfirst, old.byline, old.body);
    END
    """,
    """
    CREATE TRIGGER pieces_fts_update AFTER UPDATE OF title, standfirst, byline, body ON pieces BEGIN
        INSERT INTO pieces_fts(pieces_fts, rowid, title, standfirst, byline, body)
        VALUES ('delete', old.id, old.title, old.standfirst, old.byline, old.body);
        INSERT INTO pieces_fts(rowid, title, standfirst, byline, body)
        VALUES (new.id, new.title, new.standfirst, new.byline, new.body);
    END
    """,
    # Pieces written before this migration join the index now.
    "INSERT INTO pieces_fts(pieces_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for trigger in ("pieces_fts_update", "pieces_fts_delete", "pieces_fts_insert"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS pieces_fts")
