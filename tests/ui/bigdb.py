"""A large library database made fast: rows inserted straight into SQLite (no files)."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

from player.library.store import FTS_COLUMNS, LibraryDB

WORDS = ["love", "night", "fire", "river", "blue", "city", "dream", "heart", "light", "rain", "road", "gold", "summer", "shadow", "echo", "ocean", "star", "silver", "wild", "home", "storm", "glass", "velvet", "neon", "ghost"]  # fmt: skip
GENRES = ("Rock", "Jazz", "Ambient", "Folk", "Electronic", "Hip-Hop", "Classical", "Pop")
CODECS = (
    ("flac", "FLAC", True),
    ("mp3", "MP3", False),
    ("aac", "MP4", False),
    ("opus", "Ogg Opus", False),
)


def make_big_library(path: Path, count: int = 100_000, seed: int = 5) -> Path:
    """A library of *count* made-up tracks (about 12 per album) with the word index filled."""
    rng = random.Random(seed)
    LibraryDB(path).close()  # the schema
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    rows, fts = [], []
    for i in range(1, count + 1):
        album_no = (i - 1) // 12
        artist = f"{WORDS[album_no % len(WORDS)].title()} {WORDS[(album_no // 7) % len(WORDS)].title()} {album_no // 500}"
        album = f"{rng.choice(WORDS).title()} {album_no}"
        title = " ".join(rng.sample(WORDS, rng.randint(1, 3))).title()
        genre = GENRES[album_no % len(GENRES)]
        codec, fmt, lossless = CODECS[album_no % len(CODECS)]
        folder = f"/music/{artist}/{album}"
        rows.append((
            i, f"{folder}/{(i - 1) % 12 + 1:02d}.{codec}", title, album, (i - 1) % 12 + 1, 1,
            1960 + album_no % 60, rng.uniform(120, 420), codec, fmt,
            900_000 if lossless else 256_000, 44100 if album_no % 3 else 96000, 16 if lossless else None,
            int(lossless), json.dumps([artist]), json.dumps([artist]), json.dumps([genre]),
            artist, artist, genre, folder, f"{(i - 1) % 12 + 1:02d}.{codec}", 1.7e9 + i, 1.7e9 + i,
            rng.choice((0, 0, 1, 5)),
        ))  # fmt: skip
        fts.append((i, title, artist, album, artist, genre, ""))
    conn.executemany(
        "INSERT INTO tracks (id, path, title, album, track_number, disc_number, year, duration, "
        "codec, format, bitrate, sample_rate, bit_depth, lossless, artists, album_artists, genres, "
        "artist, album_artist, genre, folder, filename, added_at, updated_at, play_count) "
        "VALUES (" + ", ".join(["?"] * 25) + ")",
        rows,
    )
    conn.executemany(
        f"INSERT INTO tracks_fts (rowid, {', '.join(FTS_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        fts,
    )
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path
