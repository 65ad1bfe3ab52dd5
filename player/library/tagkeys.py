"""What reading and writing tags share: file kinds, tag families and field names.

mutagen has one class per file kind; :data:`KINDS` lists them in the order
:func:`mutagen.File` tries them, :data:`STREAM_INFO` names each kind's format and
codec, and the ``*_KINDS`` tuples group the kinds by the tag family they carry
(ID3, Vorbis comments, APEv2, ...). :func:`alias` maps any family's native key
("ALBUM ARTIST", "WM/AlbumArtist", a TXXX description) onto one shared field
name, so :mod:`player.library.tags` reads and :mod:`player.library.tagwrite`
replaces a field under every name it may be stored as.
"""

from __future__ import annotations

import re

from mutagen import FileType
from mutagen.aac import AAC
from mutagen.ac3 import AC3
from mutagen.aiff import AIFF
from mutagen.apev2 import APEv2File
from mutagen.asf import ASF
from mutagen.dsdiff import DSDIFF
from mutagen.dsf import DSF
from mutagen.flac import FLAC
from mutagen.id3 import ID3FileType
from mutagen.monkeysaudio import MonkeysAudio
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.musepack import Musepack
from mutagen.oggflac import OggFLAC
from mutagen.oggopus import OggOpus
from mutagen.oggspeex import OggSpeex
from mutagen.oggtheora import OggTheora
from mutagen.oggvorbis import OggVorbis
from mutagen.optimfrog import OptimFROG
from mutagen.smf import SMF
from mutagen.tak import TAK
from mutagen.trueaudio import TrueAudio
from mutagen.wave import WAVE
from mutagen.wavpack import WavPack

# Same candidates as mutagen.File, so detection matches it exactly.
KINDS: tuple[type[FileType], ...] = (
    MP3, TrueAudio, OggTheora, OggSpeex, OggVorbis, OggFLAC, FLAC, AIFF, APEv2File,
    MP4, ID3FileType, WavPack, Musepack, MonkeysAudio, OptimFROG, ASF, OggOpus, AAC,
    AC3, SMF, TAK, DSF, DSDIFF, WAVE,
)  # fmt: skip

# kind -> (format display name, codec, lossless); None entries are decided per file.
STREAM_INFO: dict[type, tuple[str, str, bool]] = {
    TrueAudio: ("TTA", "tta", True),
    OggTheora: ("Ogg Theora", "theora", False),
    OggSpeex: ("Speex", "speex", False),
    OggVorbis: ("Ogg Vorbis", "vorbis", False),
    OggFLAC: ("Ogg FLAC", "flac", True),
    FLAC: ("FLAC", "flac", True),
    AIFF: ("AIFF", "pcm", True),
    APEv2File: ("APEv2", "", False),
    ID3FileType: ("ID3", "", False),
    WavPack: ("WavPack", "wavpack", True),
    Musepack: ("Musepack", "musepack", False),
    MonkeysAudio: ("APE", "ape", True),
    OptimFROG: ("OptimFROG", "optimfrog", True),
    ASF: ("ASF", "wma", False),
    OggOpus: ("Opus", "opus", False),
    AAC: ("AAC", "aac", False),
    AC3: ("AC-3", "ac3", False),
    SMF: ("MIDI", "midi", False),
    TAK: ("TAK", "tak", True),
    DSF: ("DSF", "dsd", True),
    DSDIFF: ("DFF", "dsd", True),
    MP3: ("MP3", "mp3", False),
    MP4: ("MP4", "aac", False),
    WAVE: ("WAV", "pcm", True),
}

ID3_KINDS = (MP3, TrueAudio, ID3FileType, AIFF, WAVE, DSF, DSDIFF)
VORBIS_KINDS = (FLAC, OggVorbis, OggOpus, OggSpeex, OggFLAC, OggTheora)
APE_KINDS = (APEv2File, WavPack, Musepack, MonkeysAudio, OptimFROG, TAK)
# Files whose own tag type is ID3 but which commonly carry APEv2 instead.
APE_FALLBACK_KINDS = (MP3, TrueAudio, ID3FileType)

# ---------------------------------------------------------------------------
# Shared field names. Every family maps its keys onto these; they are the
# TrackInfo field names plus a few raw helpers (year, artists_multi, ...).
# ---------------------------------------------------------------------------

ALIASES: dict[str, str] = {
    "title": "title",
    "artist": "artists", "author": "artists",
    "artists": "artists_multi",
    "album": "album", "wmalbumtitle": "album",
    "albumartist": "album_artists", "wmalbumartist": "album_artists",
    "tracknumber": "track_number", "track": "track_number", "wmtracknumber": "track_number",
    "tracktotal": "track_total", "totaltracks": "track_total",
    "discnumber": "disc_number", "disc": "disc_number", "wmpartofset": "disc_number",
    "disctotal": "disc_total", "totaldiscs": "disc_total",
    "date": "date", "wmyear": "date", "year": "year",
    "originaldate": "original_date", "wmoriginalreleasetime": "original_date",
    "originalyear": "original_year", "wmoriginalreleaseyear": "original_year",
    "genre": "genres", "wmgenre": "genres",
    "composer": "composer", "wmcomposer": "composer",
    "artistsort": "artist_sort", "wmartistsortorder": "artist_sort",
    "albumartistsort": "album_artist_sort", "wmalbumartistsortorder": "album_artist_sort",
    "composersort": "composer_sort", "wmcomposersortorder": "composer_sort",
    "albumsort": "album_sort", "wmalbumsortorder": "album_sort",
    "comment": "comment", "description": "comment",
    "compilation": "compilation", "wmiscompilation": "compilation",
    "musicbrainztrackid": "mb_recording_id",
    "musicbrainzalbumid": "mb_release_id",
    "musicbrainzartistid": "mb_artist_id",
    "musicbrainzreleasegroupid": "mb_release_group_id",
    "isrc": "isrc", "wmisrc": "isrc",
    "replaygaintrackgain": "rg_track_gain", "replaygaintrackpeak": "rg_track_peak",
    "replaygainalbumgain": "rg_album_gain", "replaygainalbumpeak": "rg_album_peak",
    "r128trackgain": "r128_track_gain", "r128albumgain": "r128_album_gain",
    "bpm": "bpm", "wmbeatsperminute": "bpm",
    "initialkey": "initial_key", "key": "initial_key", "wminitialkey": "initial_key",
    "lyrics": "lyrics", "unsyncedlyrics": "lyrics", "wmlyrics": "lyrics",
}  # fmt: skip

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_alias_cache: dict[str, str | None] = {}


def alias(key: str) -> str | None:
    """Shared field name for a native key ("ALBUM ARTIST", "WM/AlbumArtist", ...)."""
    try:
        return _alias_cache[key]
    except KeyError:
        name = ALIASES.get(_NON_ALNUM.sub("", key.lower()))
        if len(_alias_cache) < 4096:  # bounded: hostile files may invent keys
            _alias_cache[key] = name
        return name


def is_cover_key(key: str) -> bool:
    norm = _NON_ALNUM.sub("", key.lower())
    return norm.startswith("coverart") or norm in ("metadatablockpicture", "wmpicture")
