"""Reader comments: the posts they belong to, the comments, the sync state, full-text search.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.store.models import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Like pieces_fts (0002): external content, the text lives once in ``comments``.
FTS_STATEMENTS = [
    """
    CREATE VIRTUAL TABLE comments_fts USING fts5(
        author_name, text,
        content='comments', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2"
    )
    """,
    """
    CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments BEGIN
        INSERT INTO comments_fts(rowid, author_name, text) VALUES (new.id, new.author_name, new.text);
    END
    """,
    """
    CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments BEGIN
        INSERT INTO comments_fts(comments_fts, rowid, author_name, text)
        VALUES ('delete', old.id, old.author_name, old.text);
    END
    """,
    """
    CREATE TRIGGER comments_fts_update AFTER UPDATE OF author_name, text ON comments BEGIN
        INSERT INTO comments_fts(comments_fts, rowid, author_name, text)
        VALUES ('delete', old.id, old.author_name, old.text);
        INSERT INTO comments_fts(rowid, author_name, text) VALUES (new.id, new.author_name, new.text);
    END
    """,
]


def upgrade() -> None:
    op.create_table(
        "comment_posts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("remote_id", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("author_id", sa.Integer, nullable=False),
        sa.Column("remote_status", sa.String(20), nullable=False),
        sa.Column("seen_at", UTCDateTime, nullable=True),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("site_id", "remote_id", name="uq_comment_posts"),
    )
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("remote_id", sa.Integer, nullable=True),
        sa.Column("post_id", sa.Integer, nullable=False),
        sa.Column("parent_id", sa.Integer, nullable=False),
        sa.Column("author_name", sa.Text, nullable=False),
        sa.Column("author_url", sa.Text, nullable=False),
        sa.Column("author_id", sa.Integer, nullable=False),
        sa.Column("date_gmt", UTCDateTime, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("html", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("votes", sa.Integer, nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column(
            "job_id",
            sa.Integer,
            sa.ForeignKey("outbox_jobs.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("first_seen_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_comments_remote", "comments", ["site_id", "remote_id"], unique=True)
    op.create_index("ix_comments_post", "comments", ["site_id", "post_id"])
    op.create_index("ix_comments_status", "comments", ["status"])
    op.create_table(
        "comment_sync",
        sa.Column(
            "site_id",
            sa.Integer,
            sa.ForeignKey("sites.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("user_name", sa.Text, nullable=False),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("features", sa.Text, nullable=False),
        sa.Column("max_remote_id", sa.Integer, nullable=False),
        sa.Column("server_time", sa.Integer, nullable=False),
        sa.Column("synced_at", UTCDateTime, nullable=True),
        sa.Column("full_synced_at", UTCDateTime, nullable=True),
    )
    for statement in FTS_STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for trigger in ("comments_fts_update", "comments_fts_delete", "comments_fts_insert"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS comments_fts")
    for table in ("comment_sync", "comments", "comment_posts"):
        op.drop_table(table)
