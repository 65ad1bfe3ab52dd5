"""Profiles, suspensions and the moderation log.

* ``users.suspended_until_us`` / ``suspend_reason``: a moderator's suspension.
* ``songs.artist`` / ``title``: how the song was tagged when first registered,
  so a profile can say which song a comment is on.
* ``ix_comments_author``: a profile's comments, newest first.
* ``moderation_log``: every hide, dismissal and suspension, with who and when.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("suspended_until_us", sa.BigInteger(), nullable=True))
    op.add_column("users", sa.Column("suspend_reason", sa.Text(), nullable=True))
    op.add_column("songs", sa.Column("artist", sa.String(length=1000), nullable=True))
    op.add_column("songs", sa.Column("title", sa.String(length=1000), nullable=True))
    op.create_index("ix_comments_author", "comments", ["author_id", "created_us", "id"])
    op.create_table(
        "moderation_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("target_user_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("until_us", sa.BigInteger(), nullable=True),
        sa.Column("created_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["users.id"],
            name=op.f("fk_moderation_log_moderator_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_moderation_log_comment_id_comments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["target_user_id"],
            ["users.id"],
            name=op.f("fk_moderation_log_target_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_log")),
    )


def downgrade() -> None:
    op.drop_table("moderation_log")
    op.drop_index("ix_comments_author", table_name="comments")
    with op.batch_alter_table("songs") as batch:
        batch.drop_column("title")
        batch.drop_column("artist")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("suspend_reason")
        batch.drop_column("suspended_until_us")
