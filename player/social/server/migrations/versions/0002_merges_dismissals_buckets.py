"""Song merges, dismissed reports, rate-limit buckets, an index of hidden comments.

* ``songs.merged_into``: a song folded into another keeps its id, pointing at
  the survivor, so old ids keep resolving.
* ``reports.dismissed_us``: a moderator resolved the report without hiding.
* ``rate_buckets`` replaces the fixed-window ``rate_counters``: one row per
  bucket holding its theoretical arrival time (a token bucket, GCRA form).
* ``ix_comments_song_hidden``: who has hidden comments on a song (tiny; only
  hidden rows are indexed).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("songs", sa.Column("merged_into", sa.Integer(), nullable=True))
    op.add_column("reports", sa.Column("dismissed_us", sa.BigInteger(), nullable=True))
    op.create_table(
        "rate_buckets",
        sa.Column("bucket", sa.String(length=200), nullable=False),
        sa.Column("tat_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", name=op.f("pk_rate_buckets")),
    )
    op.drop_table("rate_counters")
    op.create_index(
        "ix_comments_song_hidden",
        "comments",
        ["song_id", "author_id"],
        sqlite_where=sa.text("hidden"),
        postgresql_where=sa.text("hidden"),
    )


def downgrade() -> None:
    op.drop_index("ix_comments_song_hidden", table_name="comments")
    op.create_table(
        "rate_counters",
        sa.Column("bucket", sa.String(length=200), nullable=False),
        sa.Column("window_start", sa.BigInteger(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "window_start", name=op.f("pk_rate_counters")),
    )
    op.drop_table("rate_buckets")
    with op.batch_alter_table("reports") as batch_op:
        batch_op.drop_column("dismissed_us")
    with op.batch_alter_table("songs") as batch_op:
        batch_op.drop_column("merged_into")
