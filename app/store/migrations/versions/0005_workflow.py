"""The editorial workflow: the timeline of each piece, its review state on each site, the review queue.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.store.models import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _fk(table: str, ondelete: str = "CASCADE") -> sa.ForeignKey:
    return sa.ForeignKey(f"{table}.id", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "workflow_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("piece_id", sa.Integer, _fk("pieces"), nullable=True),
        sa.Column("site_id", sa.Integer, _fk("sites"), nullable=True),
        sa.Column("post_id", sa.Integer, nullable=True),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("from_status", sa.String(30), nullable=False),
        sa.Column("to_status", sa.String(30), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("user_name", sa.Text, nullable=False),
        sa.Column("machine", sa.String(100), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
    )
    op.create_index("ix_workflow_events_piece_id", "workflow_events", ["piece_id"])
    op.create_table(
        "review_states",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("piece_id", sa.Integer, _fk("pieces"), nullable=False),
        sa.Column("site_id", sa.Integer, _fk("sites"), nullable=False),
        sa.Column("post_id", sa.Integer, nullable=False),
        sa.Column("remote_status", sa.String(20), nullable=False),
        sa.Column("state", sa.String(30), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("modified_gmt", sa.String(32), nullable=False),
        sa.Column("date_gmt", sa.String(32), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("submitted_revision_id", sa.Integer, nullable=True),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("piece_id", "site_id", name="uq_review_states"),
    )
    op.create_table(
        "review_queue",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site_id", sa.Integer, _fk("sites"), nullable=False),
        sa.Column("post_id", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("byline", sa.Text, nullable=False),
        sa.Column("submitted_by", sa.Text, nullable=False),
        sa.Column("submitted_at", UTCDateTime, nullable=True),
        sa.Column("word_count", sa.Integer, nullable=False),
        sa.Column("categories", sa.Text, nullable=False),
        sa.Column("modified_gmt", sa.String(32), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("fetched_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("site_id", "post_id", name="uq_review_queue"),
    )


def downgrade() -> None:
    for table in ("review_queue", "review_states", "workflow_events"):
        op.drop_table(table)
