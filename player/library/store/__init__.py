"""The library store: one SQLite database (WAL) reached through the standard sqlite3.

* :mod:`~player.library.store.connection`: opening a connection (pragmas, WAL,
  read-only), the schema check, and the helpers domain modules run SQL through;
* :mod:`~player.library.store.transactions`: ``BEGIN IMMEDIATE`` ... ``COMMIT``;
* :mod:`~player.library.store.schema`: every table of the file and its migrations;
* :mod:`~player.library.store.rows`: a track as a row and back;
* :mod:`~player.library.store.groups`: artists and albums, counted one way for the
  window and ``kindred stats``;
* :mod:`~player.library.store.database`: :class:`LibraryDB`, the tracks and their
  indexes, ratings, plays, roots and scan errors.
* :mod:`~player.library.store.bulkload`: a first scan into an empty library
  builds the tracks' secondary indexes once, at the end.

Only this package (and the comment server's own database) touches a
``sqlite3`` connection; everything else calls :class:`LibraryDB` methods or its
helpers.
"""

from player.library.store.database import LibraryDB, reader, thread_db
from player.library.store.groups import (
    ARTIST_ROLES,
    AlbumGroup,
    ArtistEntry,
    album_count,
    album_groups,
    artist_count,
    artist_entries,
    sort_key_sql,
    split_names,
)
from player.library.store.rows import (
    FTS_COLUMNS,
    TRACK_COLUMNS,
    TRACK_FIELDS,
    Prepared,
    clean_text,
    content_key,
    decode_row,
    fold,
    from_sql_path,
    has_cjk,
    prepare,
    row_to_track,
    sql_path,
    track_row,
)
from player.library.store.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "ARTIST_ROLES",
    "FTS_COLUMNS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "TRACK_COLUMNS",
    "TRACK_FIELDS",
    "AlbumGroup",
    "ArtistEntry",
    "LibraryDB",
    "Prepared",
    "album_count",
    "album_groups",
    "artist_count",
    "artist_entries",
    "clean_text",
    "content_key",
    "decode_row",
    "fold",
    "from_sql_path",
    "has_cjk",
    "prepare",
    "reader",
    "row_to_track",
    "sort_key_sql",
    "split_names",
    "sql_path",
    "thread_db",
    "track_row",
]
