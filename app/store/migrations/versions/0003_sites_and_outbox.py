"""Remote sites, the links of pieces to their posts, and the outbox of remote actions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.store.models import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("username", sa.Text, nullable=False),
        sa.Column("api_root", sa.Text, nullable=False),
        sa.Column("allow_insecure_http", sa.Boolean, nullable=False),
        sa.Column("secret_key", sa.Text, nullable=False),
        sa.Column("role", sa.String(50), nullable=False),
        sa.Column("capabilities", sa.Text, nullable=False),
        sa.Column("companion_version", sa.String(20), nullable=False),
        sa.Column("checked_at", UTCDateTime, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "piece_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "piece_id", sa.Integer, sa.ForeignKey("pieces.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("remote_id", sa.Integer, nullable=True),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("remote_status", sa.String(20), nullable=False),
        sa.Column("modified_gmt", sa.String(32), nullable=False),
        sa.Column("remote_hash", sa.String(64), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("media", sa.Text, nullable=False),
        sa.Column("terms", sa.Text, nullable=False),
        sa.Column("pending_write", sa.Text, nullable=False),
        sa.Column("pushed_at", UTCDateTime, nullable=True),
        sa.Column("pulled_at", UTCDateTime, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("piece_id", "site_id", name="uq_piece_links"),
    )
    op.create_index("ix_piece_links_remote", "piece_links", ["site_id", "remote_id"], unique=True)
    op.create_table(
        "outbox_jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column(
            "site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "piece_id", sa.Integer, sa.ForeignKey("pieces.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UTCDateTime, nullable=False),
        sa.Column("last_error", sa.Text, nullable=False),
        sa.Column("error_kind", sa.String(20), nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("claimed_by", sa.String(200), nullable=False),
        sa.Column("lease_until", UTCDateTime, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("finished_at", UTCDateTime, nullable=True),
        sa.CheckConstraint(
            "state IN ('queued', 'in_flight', 'done', 'failed', 'cancelled')",
            name="ck_outbox_jobs_state",
        ),
    )
    op.create_index("ix_outbox_jobs_site_id", "outbox_jobs", ["site_id"])
    op.create_index("ix_outbox_jobs_piece_id", "outbox_jobs", ["piece_id"])
    op.create_index("ix_outbox_jobs_due", "outbox_jobs", ["state", "next_attempt_at"])


def downgrade() -> None:
    for table in ("outbox_jobs", "piece_links", "sites"):
        op.drop_table(table)
