"""The plain record of one track's tags and stream properties.

:func:`player.library.tags.read_tags` returns it, the scanner stores it, the
store reads it back. Multi-value fields are lists; a missing value is ``None``
(numbers) or ``""`` (text).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

MULTI_VALUE_FIELDS = ("artists", "album_artists", "genres")


@dataclass
class TrackInfo:
    """Everything the library knows about one file (or one CUE range of a file)."""

    path: str
    # --- tags --------------------------------------------------------
    title: str = ""
    artists: list[str] = field(default_factory=list)
    album: str = ""
    album_artists: list[str] = field(default_factory=list)
    track_number: int | None = None
    track_total: int | None = None
    disc_number: int | None = None
    disc_total: int | None = None
    date: str = ""
    year: int | None = None
    original_date: str = ""
    original_year: int | None = None
    genres: list[str] = field(default_factory=list)
    composer: str = ""
    # sort tags ("Beatles, The"); several values joined by "; " as the names are
    artist_sort: str = ""
    album_artist_sort: str = ""
    composer_sort: str = ""
    album_sort: str = ""
    comment: str = ""
    compilation: bool = False
    mb_recording_id: str = ""
    mb_release_id: str = ""
    mb_artist_id: str = ""
    mb_release_group_id: str = ""
    isrc: str = ""
    rg_track_gain: float | None = None  # dB
    rg_track_peak: float | None = None  # linear, 1.0 = full scale
    rg_album_gain: float | None = None
    rg_album_peak: float | None = None
    r128_track_gain: float | None = None  # dB relative to the file's output gain (Opus)
    r128_album_gain: float | None = None
    bpm: float | None = None
    initial_key: str = ""
    lyrics: str = ""
    has_cover: bool = False
    # --- stream ------------------------------------------------------
    format: str = ""  # container family: "MP3", "FLAC", "MP4", "Ogg Vorbis", ...
    codec: str = ""  # "mp3", "flac", "aac", "alac", "vorbis", "opus", "pcm", ...
    duration: float = 0.0  # seconds
    bitrate: int = 0  # bits per second (average)
    sample_rate: int = 0
    bit_depth: int | None = None
    channels: int = 0
    lossless: bool = False
    # --- file --------------------------------------------------------
    size: int = 0
    mtime_ns: int = 0
    # --- CUE ranges (0 = the whole file) -------------------------------
    subtrack: int = 0
    start_ms: int | None = None
    end_ms: int | None = None
    cue_path: str = ""

    @property
    def artist(self) -> str:
        """Display form of the artists."""
        return "; ".join(self.artists)

    @property
    def album_artist(self) -> str:
        return "; ".join(self.album_artists) or self.artist

    @property
    def genre(self) -> str:
        return "; ".join(self.genres)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
