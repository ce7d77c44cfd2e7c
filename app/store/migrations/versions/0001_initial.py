"""The first schema: pieces with their terms, disclaimers, snippets, default rules and revisions.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.store.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "disclaimers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "snippets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "pieces",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("standfirst", sa.Text, nullable=False),
        sa.Column("slug", sa.String(200), nullable=False),
        sa.Column("slug_manual", sa.Boolean, nullable=False),
        sa.Column("byline", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("excerpt", sa.Text, nullable=False),
        sa.Column("featured_image", sa.Text, nullable=False),
        sa.Column("publish_at", UTCDateTime, nullable=True),
        sa.Column("comment_status", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("word_count", sa.Integer, nullable=False),
        sa.Column(
            "disclaimer_id",
            sa.Integer,
            sa.ForeignKey("disclaimers.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("extra", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("trashed_at", UTCDateTime, nullable=True),
        sa.CheckConstraint(
            "comment_status IN ('open', 'closed')", name="ck_pieces_comment_status"
        ),
    )
    op.create_index("ix_pieces_status", "pieces", ["status"])
    op.create_index("ix_pieces_updated_at", "pieces", ["updated_at"])
    op.create_index("ix_pieces_trashed_at", "pieces", ["trashed_at"])
    op.create_table(
        "piece_terms",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "piece_id", sa.Integer, sa.ForeignKey("pieces.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("taxonomy", sa.String(20), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.UniqueConstraint("piece_id", "taxonomy", "name", name="uq_piece_terms"),
        sa.CheckConstraint("taxonomy IN ('tag', 'category')", name="ck_piece_terms_taxonomy"),
    )
    op.create_index("ix_piece_terms_lookup", "piece_terms", ["taxonomy", "name"])
    op.create_table(
        "piece_snippets",
        sa.Column(
            "piece_id",
            sa.Integer,
            sa.ForeignKey("pieces.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "snippet_id",
            sa.Integer,
            sa.ForeignKey("snippets.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "default_rules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("match_field", sa.String(20), nullable=False),
        sa.Column("match_value", sa.Text, nullable=False),
        sa.Column(
            "disclaimer_id",
            sa.Integer,
            sa.ForeignKey("disclaimers.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column(
            "snippet_id", sa.Integer, sa.ForeignKey("snippets.id", ondelete="CASCADE"), nullable=True
        ),
        sa.CheckConstraint("match_field IN ('category', 'byline')", name="ck_default_rules_field"),
        sa.CheckConstraint(
            "(disclaimer_id IS NULL) <> (snippet_id IS NULL)", name="ck_default_rules_target"
        ),
    )
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "piece_id", sa.Integer, sa.ForeignKey("pieces.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("word_count", sa.Integer, nullable=False),
        sa.Column("snapshot", sa.Text, nullable=False),
    )
    op.create_index("ix_revisions_piece_id", "revisions", ["piece_id"])


def downgrade() -> None:
    for table in (
        "revisions",
        "default_rules",
        "piece_snippets",
        "piece_terms",
        "pieces",
        "snippets",
        "disclaimers",
    ):
        op.drop_table(table)
