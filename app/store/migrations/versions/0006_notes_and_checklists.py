"""Notes anchored to passages (threaded, shared through the site) and the pre-publish checklists.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.store.models import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("piece_id", sa.Integer, sa.ForeignKey("pieces.id", ondelete="CASCADE"), nullable=False),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("notes.id", ondelete="CASCADE"), nullable=True),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("author_remote_id", sa.Integer, nullable=False),
        sa.Column("mine", sa.Boolean, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("anchor", sa.Text, nullable=False),
        sa.Column("orphaned", sa.Boolean, nullable=False),
        sa.Column("resolved", sa.Boolean, nullable=False),
        sa.Column("resolved_by", sa.Text, nullable=False),
        sa.Column("resolved_at", UTCDateTime, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="SET NULL"), nullable=True),
        sa.Column("remote_id", sa.Integer, nullable=True),
        sa.Column("remote_modified", sa.String(32), nullable=False),
        sa.Column("dirty", sa.Boolean, nullable=False),
    )
    op.create_index("ix_notes_piece_id", "notes", ["piece_id"])
    op.create_table(
        "note_bases",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("piece_id", sa.Integer, sa.ForeignKey("pieces.id", ondelete="CASCADE"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "checklists",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=True),
        sa.Column("config", sa.Text, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("site_id", name="uq_checklists_site"),
    )


def downgrade() -> None:
    for table in ("checklists", "note_bases", "notes"):
        op.drop_table(table)
