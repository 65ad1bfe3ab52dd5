"""Every table of the library database, and the migrations that create them.

The schema carries a version (``PRAGMA user_version``); :data:`MIGRATIONS` are
applied in order when a database is opened (see
:meth:`~player.library.store.connection.Store.migrate`), each inside one
transaction, so an old library is brought forward and a crash mid-migration
leaves the old version. Index ``i`` of :data:`MIGRATIONS` brings version ``i``
to ``i + 1``; a released migration never changes.

The tables of other domains are defined here too, so one module creates the
whole file: the audio analysis (queried by :mod:`player.recommend.store`), the
comments' outbox, song ids and cache (:mod:`player.social`), the
recommendation feedback (:mod:`player.recommend.feedback`) and the plays'
time index of the listening statistics (:mod:`player.library.listening_stats`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from player.library.store.rows import FTS_COLUMNS

SCHEMA_VERSION = 13


def run_script(conn: sqlite3.Connection, sql: str) -> None:
    """Run several statements inside the open transaction.

    ``Connection.executescript`` would COMMIT first, breaking the one-transaction
    migration; each complete statement is executed on its own instead.
    """
    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        conn.execute(statement)


def _v1(db: sqlite3.Connection) -> None:
    # the track columns are written out (not derived from TrackInfo): a released
    # migration creates the same table however the record grows later
    run_script(
        db,
        f"""
        CREATE TABLE tracks (
          id INTEGER PRIMARY KEY,
          path TEXT NOT NULL,
          title TEXT NOT NULL DEFAULT '',
          artists TEXT NOT NULL DEFAULT '[]',
          album TEXT NOT NULL DEFAULT '',
          album_artists TEXT NOT NULL DEFAULT '[]',
          track_number INTEGER,
          track_total INTEGER,
          disc_number INTEGER,
          disc_total INTEGER,
          date TEXT NOT NULL DEFAULT '',
          year INTEGER,
          original_date TEXT NOT NULL DEFAULT '',
          original_year INTEGER,
          genres TEXT NOT NULL DEFAULT '[]',
          composer TEXT NOT NULL DEFAULT '',
          comment TEXT NOT NULL DEFAULT '',
          compilation INTEGER NOT NULL DEFAULT 0,
          mb_recording_id TEXT NOT NULL DEFAULT '',
          mb_release_id TEXT NOT NULL DEFAULT '',
          mb_artist_id TEXT NOT NULL DEFAULT '',
          mb_release_group_id TEXT NOT NULL DEFAULT '',
          isrc TEXT NOT NULL DEFAULT '',
          rg_track_gain REAL,
          rg_track_peak REAL,
          rg_album_gain REAL,
          rg_album_peak REAL,
          r128_track_gain REAL,
          r128_album_gain REAL,
          bpm REAL,
          initial_key TEXT NOT NULL DEFAULT '',
          lyrics TEXT NOT NULL DEFAULT '',
          has_cover INTEGER NOT NULL DEFAULT 0,
          format TEXT NOT NULL DEFAULT '',
          codec TEXT NOT NULL DEFAULT '',
          duration REAL NOT NULL DEFAULT 0,
          bitrate INTEGER NOT NULL DEFAULT 0,
          sample_rate INTEGER NOT NULL DEFAULT 0,
          bit_depth INTEGER,
          channels INTEGER NOT NULL DEFAULT 0,
          lossless INTEGER NOT NULL DEFAULT 0,
          size INTEGER NOT NULL DEFAULT 0,
          mtime_ns INTEGER NOT NULL DEFAULT 0,
          subtrack INTEGER NOT NULL DEFAULT 0,
          start_ms INTEGER,
          end_ms INTEGER,
          cue_path TEXT NOT NULL DEFAULT '',
          artist TEXT NOT NULL DEFAULT '',
          album_artist TEXT NOT NULL DEFAULT '',
          genre TEXT NOT NULL DEFAULT '',
          folder TEXT NOT NULL DEFAULT '',
          filename TEXT NOT NULL DEFAULT '',
          content_key TEXT NOT NULL DEFAULT '',
          song_key TEXT NOT NULL DEFAULT '',
          added_at REAL NOT NULL,
          updated_at REAL NOT NULL,
          play_count INTEGER NOT NULL DEFAULT 0,
          skip_count INTEGER NOT NULL DEFAULT 0,
          last_played REAL,
          UNIQUE (path, subtrack)
        );
        CREATE INDEX tracks_folder ON tracks(folder);
        CREATE INDEX tracks_album
          ON tracks(album_artist, album, disc_number, track_number, path, subtrack, year);
        CREATE INDEX tracks_artist ON tracks(artist);
        CREATE INDEX tracks_added ON tracks(added_at);
        CREATE INDEX tracks_year ON tracks(year);
        CREATE INDEX tracks_last_played ON tracks(last_played);

        CREATE TABLE ratings (
          track_id INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
          rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 0 AND 5),
          liked INTEGER NOT NULL DEFAULT 0,
          updated_at REAL NOT NULL
        );

        CREATE TABLE plays (
          id INTEGER PRIMARY KEY,
          track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
          played_at REAL NOT NULL,
          listened_ms INTEGER NOT NULL DEFAULT 0,
          finished INTEGER NOT NULL DEFAULT 0,
          skipped INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX plays_track ON plays(track_id, played_at);

        CREATE TABLE playlists (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          query TEXT,
          created_at REAL NOT NULL,
          updated_at REAL NOT NULL
        );

        CREATE TABLE playlist_items (
          id INTEGER PRIMARY KEY,
          playlist_id INTEGER NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          track_id INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
          location TEXT NOT NULL,
          title TEXT NOT NULL DEFAULT '',
          duration REAL
        );
        CREATE INDEX playlist_items_order ON playlist_items(playlist_id, position);

        CREATE TABLE scan_errors (
          path TEXT PRIMARY KEY,
          reason TEXT NOT NULL,
          size INTEGER,
          mtime_ns INTEGER,
          seen_at REAL NOT NULL
        );

        CREATE TABLE library_roots (
          path TEXT PRIMARY KEY,
          added_at REAL NOT NULL,
          last_scan REAL
        );

        CREATE VIRTUAL TABLE tracks_fts USING fts5(
          {", ".join(FTS_COLUMNS)},
          tokenize = "unicode61 remove_diacritics 2"
        );
        CREATE VIRTUAL TABLE tracks_cjk USING fts5(text, tokenize = "trigram");
        """,
    )


def _v2(db: sqlite3.Connection) -> None:
    """Internet radio stations the listener keeps (see :mod:`player.library.radio`).

    Plain statements rather than a script: a script would commit the
    migration's transaction half-way.
    """
    db.execute(
        """
        CREATE TABLE radio_stations (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          url TEXT NOT NULL UNIQUE,
          genre TEXT NOT NULL DEFAULT '',
          homepage TEXT NOT NULL DEFAULT '',
          added_at REAL NOT NULL,
          last_played REAL
        )
        """
    )
    db.execute("CREATE INDEX radio_stations_name ON radio_stations(name COLLATE NOCASE)")


def _v3(db: sqlite3.Connection) -> None:
    """Audio analysis results (see :mod:`player.recommend.store`).

    One row per file range (path + subtrack), valid while the file's size and
    mtime and the feature version match; failures are kept with their reason so
    a bad file is not retried until it changes.
    """
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS analysis (
          path TEXT NOT NULL,
          subtrack INTEGER NOT NULL DEFAULT 0,
          size INTEGER NOT NULL,
          mtime_ns INTEGER NOT NULL,
          version INTEGER NOT NULL,
          analysed_at REAL NOT NULL,
          ok INTEGER NOT NULL,
          reason TEXT NOT NULL DEFAULT '',
          features BLOB,
          seconds REAL,
          bpm REAL,
          musical_key TEXT NOT NULL DEFAULT '',
          loudness_lufs REAL,
          sample_peak REAL,
          gated_power REAL NOT NULL DEFAULT 0,
          gated_blocks INTEGER NOT NULL DEFAULT 0,
          track_gain REAL,
          album_gain REAL,
          album_peak REAL,
          PRIMARY KEY (path, subtrack)
        )
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS analysis_time ON analysis(analysed_at)")


def _v4(db: sqlite3.Connection) -> None:
    """Comments: the outbox, song ids and the comment cache (used by :mod:`player.social`)."""
    for statement in SOCIAL_STATEMENTS:
        db.execute(statement)


#: the comments' tables (migration 4)
SOCIAL_STATEMENTS = (
    # every post, edit, delete, like and report, written before it is sent
    """
    CREATE TABLE IF NOT EXISTS outbox (
      id INTEGER PRIMARY KEY,
      server TEXT NOT NULL,
      kind TEXT NOT NULL,
      payload TEXT NOT NULL,
      idempotency_key TEXT NOT NULL UNIQUE,
      state TEXT NOT NULL DEFAULT 'pending',
      created_at REAL NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at REAL NOT NULL DEFAULT 0,
      last_error TEXT NOT NULL DEFAULT '',
      result TEXT
    )
    """,
    "CREATE INDEX IF NOT EXISTS outbox_pending ON outbox(server, state, id)",
    # the server's song id for a track, resolved once
    """
    CREATE TABLE IF NOT EXISTS song_ids (
      track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
      server TEXT NOT NULL,
      song_id INTEGER NOT NULL,
      resolved_at REAL NOT NULL,
      PRIMARY KEY (track_id, server)
    )
    """,
    # recently read comment pages, shown (marked as possibly out of date) offline
    """
    CREATE TABLE IF NOT EXISTS comment_cache (
      server TEXT NOT NULL,
      song_id INTEGER NOT NULL,
      sort TEXT NOT NULL,
      page TEXT NOT NULL,
      etag TEXT,
      fetched_at REAL NOT NULL,
      PRIMARY KEY (server, song_id, sort)
    )
    """,
    "CREATE INDEX IF NOT EXISTS comment_cache_age ON comment_cache(fetched_at)",
)


def _v5(db: sqlite3.Connection) -> None:
    """Tracks dismissed from recommendations (see :mod:`player.recommend.feedback`)."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS recommend_dismissed (
          track_id INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
          dismissed_at REAL NOT NULL
        )
        """
    )


def _v6(db: sqlite3.Connection) -> None:
    """Skips pressed on recommendations, kept apart from plays (see ``recommend.feedback``)."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS recommend_skips (
          track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
          skipped_at REAL NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS recommend_skips_track ON recommend_skips(track_id)")


def _v7(db: sqlite3.Connection) -> None:
    """Plays by time, and by track, each holding what the listening statistics read.

    Both indexes carry the listened time and the skip flag, so a period (by
    time) or all time (by track, already in track order) is read from one
    index without touching the table or sorting (see
    :mod:`player.library.listening_stats`).
    """
    db.execute(
        "CREATE INDEX IF NOT EXISTS plays_time ON plays(played_at, track_id, listened_ms, skipped)"
    )
    db.execute("DROP INDEX IF EXISTS plays_track")
    db.execute("CREATE INDEX plays_track ON plays(track_id, played_at, listened_ms, skipped)")


def _v8(db: sqlite3.Connection) -> None:
    """The titles a radio station announced while it played (see :mod:`player.library.radio`)."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS radio_titles (
          id INTEGER PRIMARY KEY,
          station_id INTEGER NOT NULL REFERENCES radio_stations(id) ON DELETE CASCADE,
          title TEXT NOT NULL,
          heard_at REAL NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS radio_titles_station ON radio_titles(station_id, id)")


def _v9(db: sqlite3.Connection) -> None:
    """Sort tags, and the index the Albums view groups by (see :mod:`.groups`).

    The sort columns (artist, album artist, composer, album) stay NULL on the
    rows this migration finds: NULL means "read before sort tags were kept", and
    :meth:`~player.library.store.database.LibraryDB.file_index` reports such a
    file as changed, so the next scan reads it again (a scan writes "" or the tag).

    Each artist role gets an index of its names with the sort tags they need
    (the album artist's falls back to the artist's), so the Artists view and the
    browser's artist levels still group by reading one index. The album index
    holds a track's album title, its album owner (album artist, else
    compilation, else folder: the expression of
    :func:`~player.library.store.groups.album_key_sql`) and every column the
    Albums view reads, so its grouping walks the index in order instead of
    sorting the table.
    """
    have = {row[1] for row in db.execute("PRAGMA table_info(tracks)")}
    for column in ("artist_sort", "album_artist_sort", "composer_sort", "album_sort"):
        if column not in have:  # like the other steps, safe to run on a newer table
            db.execute(f"ALTER TABLE tracks ADD COLUMN {column} TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS tracks_artist_sort ON tracks(artist, artist_sort)")
    db.execute(
        "CREATE INDEX IF NOT EXISTS tracks_album_artist_sort "
        "ON tracks(album_artist, album_artists, artist_sort, album_artist_sort)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS tracks_composer_sort ON tracks(composer, composer_sort)")
    db.execute(
        """
        CREATE INDEX IF NOT EXISTS tracks_album_owner ON tracks(
          album,
          (CASE WHEN album_artists NOT IN ('', '[]') THEN 'a' || album_artist
           WHEN compilation THEN 'c' ELSE 'f' || folder END),
          artist, year, disc_number, disc_total, has_cover, path, folder,
          album_artists, compilation, album_artist
        )
        """
    )


def _v10(db: sqlite3.Connection) -> None:
    """Lyrics found online and each track's lyrics offset (see :mod:`player.library.lyrics_cache`).

    ``lyrics_cache`` holds one answer per question asked of a lyrics server
    (the server, artist, title, album and whole seconds make the key, so a file
    outside the library is cached too): synced or plain text, "instrumental",
    or "none" (asked again after a while). ``lyrics_offsets`` holds the
    listener's correction of a track's timing, in milliseconds.
    """
    run_script(
        db,
        """
        CREATE TABLE IF NOT EXISTS lyrics_cache (
          query_key TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          text TEXT NOT NULL DEFAULT '',
          source TEXT NOT NULL DEFAULT '',
          fetched_at REAL NOT NULL
        );
        CREATE TABLE IF NOT EXISTS lyrics_offsets (
          track_id INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
          offset_ms INTEGER NOT NULL
        );
        """,
    )


def _v11(db: sqlite3.Connection) -> None:
    """An imported listening history (see :mod:`player.library.listen_import`).

    ``plays.imported_from`` names where an imported play came from
    (``listenbrainz``, ``lastfm``; "" for a play heard in Kindred): such a play
    is never scrobbled back, and one listen is kept once (track and time). The
    listens no library track matched are kept apart, with their normalised
    artist and title, and the Last.fm API import remembers how far it got.
    Self-contained (each step checks what is there), so it can be renumbered.
    """
    have = {row[1] for row in db.execute("PRAGMA table_info(plays)")}
    if "imported_from" not in have:
        db.execute("ALTER TABLE plays ADD COLUMN imported_from TEXT NOT NULL DEFAULT ''")
    db.execute(
        "CREATE UNIQUE INDEX IF NOT EXISTS plays_imported ON plays(track_id, played_at) "
        "WHERE imported_from != ''"
    )
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS imported_listens (
          id INTEGER PRIMARY KEY,
          artist TEXT NOT NULL,
          title TEXT NOT NULL,
          album TEXT NOT NULL DEFAULT '',
          mbid TEXT NOT NULL DEFAULT '',
          duration REAL,
          listened_at REAL NOT NULL,
          source TEXT NOT NULL,
          artist_key TEXT NOT NULL,
          title_key TEXT NOT NULL,
          UNIQUE (artist_key, title_key, listened_at)
        )
        """
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS imported_listens_artist "
        "ON imported_listens(artist_key, listened_at)"
    )
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS history_import_state (
          source TEXT NOT NULL,
          account TEXT NOT NULL,
          state TEXT NOT NULL,
          updated_at REAL NOT NULL,
          PRIMARY KEY (source, account)
        )
        """
    )


def _v12(db: sqlite3.Connection) -> None:
    """The scrobble queue: listens waiting for ListenBrainz or Last.fm (see
    :mod:`player.library.scrobble_queue`). A listen keeps the start time it was
    written with, so sending it again is the same listen to the service."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS scrobbles (
          id INTEGER PRIMARY KEY,
          service TEXT NOT NULL,
          artist TEXT NOT NULL,
          title TEXT NOT NULL,
          album TEXT NOT NULL DEFAULT '',
          album_artist TEXT NOT NULL DEFAULT '',
          duration_ms INTEGER NOT NULL DEFAULT 0,
          track_number INTEGER NOT NULL DEFAULT 0,
          listened_at INTEGER NOT NULL,
          state TEXT NOT NULL DEFAULT 'pending',
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_at REAL NOT NULL DEFAULT 0,
          last_error TEXT NOT NULL DEFAULT '',
          created_at REAL NOT NULL,
          done_at REAL
        )
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS scrobbles_pending ON scrobbles(service, state, id)")


#: Prefix lengths (in characters) the word index keeps ready-made: a search for
#: one or two letters reads one list instead of merging every word that starts so.
FTS_PREFIXES = "1 2"


def _v13(db: sqlite3.Connection) -> None:
    """The word index gains prefix indexes for one- and two-letter prefixes
    (:data:`FTS_PREFIXES`), so search as you type stays fast at its first letters.
    An FTS5 table cannot change its options: the index is built anew from the
    old one's rows (same tokenizer, same rowids), then takes its name."""
    row = db.execute("SELECT sql FROM sqlite_master WHERE name = 'tracks_fts'").fetchone()
    if row is not None and "prefix" in row[0]:
        return
    columns = ", ".join(FTS_COLUMNS)
    db.execute("DROP TABLE IF EXISTS tracks_fts_prefixed")
    db.execute(
        f"""
        CREATE VIRTUAL TABLE tracks_fts_prefixed USING fts5(
          {columns},
          tokenize = "unicode61 remove_diacritics 2",
          prefix = '{FTS_PREFIXES}'
        )
        """
    )
    if row is not None:
        db.execute(
            f"INSERT INTO tracks_fts_prefixed (rowid, {columns}) "
            f"SELECT rowid, {columns} FROM tracks_fts"
        )
        db.execute("DROP TABLE tracks_fts")
    db.execute("ALTER TABLE tracks_fts_prefixed RENAME TO tracks_fts")


#: Forward migrations; index ``i`` brings version ``i`` to ``i + 1``.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8, _v9, _v10, _v11, _v12, _v13,
]  # fmt: skip
