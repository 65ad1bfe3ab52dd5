"""The server's tables (SQLAlchemy Core), shared by the queries and Alembic.

Times are integer microseconds since the Unix epoch (UTC): exact, portable
between SQLite and PostgreSQL, and a clean keyset for cursors. Counters that
reads need (``like_count``, ``reply_count``, ``comment_count``) are kept
denormalised and maintained in the same transaction as the write, and each
song carries a ``version`` bumped by every change to its thread (for ETags).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    false,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False),
    #: NFKC + casefold: "Alice" and "alice" are one account
    Column("username_key", String(128), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("is_moderator", Boolean, nullable=False, default=False),
    Column("created_us", BigInteger, nullable=False),
    #: suspended by a moderator until then (µs; FOREVER_US: for good), null: not suspended
    Column("suspended_until_us", BigInteger),
    Column("suspend_reason", Text),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    #: SHA-256 of the bearer token; the token itself is never stored
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_us", BigInteger, nullable=False),
    Column("expires_us", BigInteger, nullable=False),
)

songs = Table(
    "songs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_us", BigInteger, nullable=False),
    Column("comment_count", Integer, nullable=False, default=0),
    Column("version", Integer, nullable=False, default=0),
    #: set when this song was merged into another: its id now means that song
    Column("merged_into", Integer),
    #: how the first listener who registered it tagged it (for profiles and the inbox)
    Column("artist", String(1000)),
    Column("title", String(1000)),
)

song_aliases = Table(
    "song_aliases",
    metadata,
    #: "mbid", "isrc", "fp" (hash of a fingerprint) or "key" (artist+title+duration)
    Column("kind", String(8), primary_key=True),
    Column("value", String(512), primary_key=True),
    Column("song_id", Integer, ForeignKey("songs.id", ondelete="CASCADE"), nullable=False),
    Column("created_us", BigInteger, nullable=False),
)

comments = Table(
    "comments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("song_id", Integer, ForeignKey("songs.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    #: the top-level comment a reply belongs to (replies are one level deep)
    Column("parent_id", Integer, ForeignKey("comments.id", ondelete="CASCADE")),
    #: the user a reply answers
    Column("reply_to_user_id", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    Column("body", Text, nullable=False),
    Column("position_ms", Integer),
    Column("like_count", Integer, nullable=False, default=0),
    Column("reply_count", Integer, nullable=False, default=0),
    #: log10(1 + likes) + seconds / 45000: a time-invariant "hot" order
    Column("hot_score", Float, nullable=False),
    Column("created_us", BigInteger, nullable=False),
    Column("edited_us", BigInteger),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("hidden", Boolean, nullable=False, default=False),
    Column("idem_key", String(64), nullable=False),
    #: hash of the request that created it: same key + other content = conflict
    Column("idem_hash", String(64), nullable=False),
    UniqueConstraint("author_id", "idem_key", name="uq_comments_author_idem"),
)

Index(
    "ix_comments_song_new",
    comments.c.song_id,
    comments.c.created_us,
    comments.c.id,
    sqlite_where=comments.c.parent_id.is_(None),
    postgresql_where=comments.c.parent_id.is_(None),
)
Index(
    "ix_comments_song_hot",
    comments.c.song_id,
    comments.c.hot_score,
    comments.c.id,
    sqlite_where=comments.c.parent_id.is_(None),
    postgresql_where=comments.c.parent_id.is_(None),
)
Index("ix_comments_replies", comments.c.parent_id, comments.c.created_us, comments.c.id)
#: a profile's comments, newest first
Index("ix_comments_author", comments.c.author_id, comments.c.created_us, comments.c.id)
#: the comment wall: visible comments by likes and time (see :mod:`.wall`)
Index(
    "ix_comments_top",
    comments.c.like_count,
    comments.c.created_us,
    comments.c.id,
    sqlite_where=and_(comments.c.hidden == false(), comments.c.deleted == false()),
    postgresql_where=and_(comments.c.hidden == false(), comments.c.deleted == false()),
)
#: who has hidden comments on a song (only hidden rows are indexed)
Index(
    "ix_comments_song_hidden",
    comments.c.song_id,
    comments.c.author_id,
    sqlite_where=comments.c.hidden,
    postgresql_where=comments.c.hidden,
)

likes = Table(
    "likes",
    metadata,
    Column("comment_id", Integer, ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("created_us", BigInteger, nullable=False),
)

reports = Table(
    "reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("comment_id", Integer, ForeignKey("comments.id", ondelete="CASCADE"), nullable=False),
    Column("reporter_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_us", BigInteger, nullable=False),
    #: a moderator closed the report without hiding the comment
    Column("dismissed_us", BigInteger),
    UniqueConstraint("comment_id", "reporter_id", name="uq_reports_comment_reporter"),
)

rate_buckets = Table(
    "rate_buckets",
    metadata,
    #: e.g. "post_user:42" or "login_addr:203.0.113.9"
    Column("bucket", String(200), primary_key=True),
    #: the bucket's theoretical arrival time (µs): when it will be empty again
    Column("tat_us", BigInteger, nullable=False),
)

notifications = Table(
    "notifications",
    metadata,
    #: ids only grow: the inbox is newest first by id, and "read up to" is an id
    Column("id", Integer, primary_key=True),
    #: whose inbox
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    #: "reply", "like", "mention" or "hidden"
    Column("kind", String(16), nullable=False),
    #: the reply, the liked comment, the mentioning comment or the hidden comment
    Column("comment_id", Integer, ForeignKey("comments.id", ondelete="CASCADE"), nullable=False),
    #: who did it (the latest liker of a like group; null for a moderator's hide)
    Column("actor_id", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    #: how many people a like group holds (1 for the other kinds)
    Column("actor_count", Integer, nullable=False, default=1),
    #: a moderator's reason for hiding
    Column("reason", Text),
    Column("created_us", BigInteger, nullable=False),
    #: SQLite must never hand out a deleted row's id again (a regrouped like reuses none)
    sqlite_autoincrement=True,
)
Index("ix_notifications_inbox", notifications.c.user_id, notifications.c.id)
Index("ix_notifications_comment", notifications.c.comment_id)

notification_likers = Table(
    "notification_likers",
    metadata,
    #: the liked comment (its author's like group)
    Column("comment_id", Integer, ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("created_us", BigInteger, nullable=False),
)
Index(
    "ix_notification_likers_latest",
    notification_likers.c.comment_id,
    notification_likers.c.created_us,
)

notification_reads = Table(
    "notification_reads",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    #: every notification with an id up to this one has been read
    Column("read_up_to", Integer, nullable=False),
)

mutes = Table(
    "mutes",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("muted_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("created_us", BigInteger, nullable=False),
)

moderation_log = Table(
    "moderation_log",
    metadata,
    Column("id", Integer, primary_key=True),
    #: null once that moderator's account is deleted
    Column("moderator_id", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    #: "hide", "dismiss", "suspend" or "unsuspend"
    Column("action", String(16), nullable=False),
    Column("comment_id", Integer, ForeignKey("comments.id", ondelete="SET NULL")),
    #: whose comment or account it was (null once that account is deleted)
    Column("target_user_id", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    Column("reason", Text),
    #: the end of a suspension (µs; FOREVER_US: for good)
    Column("until_us", BigInteger),
    Column("created_us", BigInteger, nullable=False),
)

#: "suspended for good": far past any real date, and valid as a signed 64-bit integer
FOREVER_US = 2**62
