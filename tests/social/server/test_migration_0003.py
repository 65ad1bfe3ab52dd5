"""Migration 0003 (notifications and mutes) goes up over 0002 data and back down."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect

from player.social.server.db import Database
from player.social.server.migrate import alembic_config, current_revision, head_revision, upgrade

NEW_TABLES = {"notifications", "notification_likers", "notification_reads", "mutes"}


def _tables(db: Database) -> set[str]:
    return set(inspect(db.engine).get_table_names())


def test_up_from_0002_and_down_again(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    try:
        upgrade(db, "0002")
        with db.write() as conn:
            conn.exec_driver_sql(
                "INSERT INTO users (username, username_key, password_hash, is_moderator,"
                " created_us) VALUES ('old_user', 'old_user', 'x', 0, 1)"
            )
        assert not NEW_TABLES & _tables(db)
        upgrade(db)
        assert current_revision(db) == head_revision()
        assert _tables(db) >= NEW_TABLES
        with db.write() as conn:
            conn.exec_driver_sql("INSERT INTO mutes VALUES (1, 1, 5)")
        config = alembic_config()
        with db.write() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0002")
        assert not NEW_TABLES & _tables(db)
        with db.read() as conn:
            assert conn.exec_driver_sql("SELECT username FROM users").scalar() == "old_user"
    finally:
        db.close()
