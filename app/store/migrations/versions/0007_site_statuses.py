"""The post statuses each site registers (custom ones included, e.g. PublishPress's), and the status
of each post in the cached review queue.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.store.models import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_statuses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
        sa.Column("slug", sa.String(50), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("fetched_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("site_id", "slug", name="uq_site_statuses"),
    )
    with op.batch_alter_table("review_queue") as batch:
        batch.add_column(sa.Column("status", sa.String(30), nullable=False, server_default="pending"))


def downgrade() -> None:
    with op.batch_alter_table("review_queue") as batch:
        batch.drop_column("status")
    op.drop_table("site_statuses")
