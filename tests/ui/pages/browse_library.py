"""A small library shaped like a real soundtrack folder, for the Artists and Albums tests.

A soundtrack of several composers without an album-artist tag, two different
albums whose titles begin alike, two editions of one album, multi-artist tags,
a "The" band and untagged files.
"""

from __future__ import annotations

from pathlib import Path

from player.library.store import LibraryDB
from player.library.track import TrackInfo

SOUNDTRACK = "Endgame: Singularity (Original Game Soundtrack)"
SOUNDTRACK_TWO = "Endgame: Singularity II (Original Game Soundtrack)"
COMPOSERS = ("Doug Kaufman", "Ana Ruiz", "Ken Mori", "Lea Stein", "Omar Haddad")


def tracks() -> list[TrackInfo]:
    out: list[TrackInfo] = []
    for i in range(15):  # one soundtrack, five artists, one folder, no album artist
        composer = COMPOSERS[i % 5]
        out.append(
            TrackInfo(
                path=f"/music/ost/{i + 1:02d}.flac",
                title=f"Cue {i + 1}",
                artists=[composer],
                composer=composer,
                album=SOUNDTRACK,
                track_number=i + 1,
                year=2014,
                genres=["Soundtrack"],
                duration=150.0,
            )
        )
    for i in range(4):
        out.append(
            TrackInfo(
                path=f"/music/ost2/{i + 1:02d}.flac",
                title=f"Second cue {i + 1}",
                artists=["Doug Kaufman; Ana Ruiz"],
                album=SOUNDTRACK_TWO,
                track_number=i + 1,
                year=2019,
                duration=120.0,
            )
        )
    for edition, (folder, year, discs) in enumerate(
        (("/music/lp/standard", 2001, 1), ("/music/lp/deluxe", 2011, 2))
    ):
        for i in range(3 + edition * 3):
            out.append(
                TrackInfo(
                    path=f"{folder}/{i + 1:02d}.flac",
                    title=f"Song {i + 1}",
                    artists=["The Beatles"],
                    album_artists=["The Beatles"] if edition == 0 else [],
                    album="Abbey Road",
                    year=year,
                    disc_number=1 + i // 3,
                    disc_total=discs,
                    track_number=1 + i % 3,
                    duration=200.0,
                )
            )
    out.append(
        TrackInfo(
            path="/music/misc/duet.mp3",
            title="Duet",
            artists=["Alpha Band feat. Zoe Quinn"],
            album="Singles",
            album_artists=["Alpha Band"],
            duration=180.0,
        )
    )
    out.append(
        TrackInfo(
            path="/music/misc/split.mp3",
            title="Split",
            artists=["Beck / Zoe Quinn"],
            album="Singles",
            album_artists=["Alpha Band"],
            duration=180.0,
        )
    )
    for i in range(3):
        out.append(TrackInfo(path=f"/music/loose/{i}.mp3", duration=60.0))
    return out


def build(path: Path) -> Path:
    with LibraryDB(path) as db:
        db.upsert_tracks(tracks())
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path
