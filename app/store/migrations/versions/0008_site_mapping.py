"""Where each site takes a piece's byline and standfirst (author or a custom field; lead, excerpt or a
custom field), as JSON. Sites added before keep what pushes sent them until now: the standfirst as the
excerpt.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("publishing", sa.Text, nullable=False, server_default="{}"))
    op.execute("""UPDATE sites SET publishing = '{"byline": "author", "standfirst": "excerpt"}'""")


def downgrade() -> None:
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("publishing")
