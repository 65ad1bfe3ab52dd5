"""The comment wall's index.

* ``ix_comments_top``: visible comments (neither hidden nor deleted) by likes
  and time, so ``GET /comments/top`` reads the most liked ones in order.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_comments_top",
        "comments",
        ["like_count", "created_us", "id"],
        sqlite_where=sa.text("hidden = 0 AND deleted = 0"),
        postgresql_where=sa.text("hidden = false AND deleted = false"),
    )


def downgrade() -> None:
    op.drop_index("ix_comments_top", table_name="comments")
