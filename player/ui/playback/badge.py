"""The audio badge of the now-playing bar: "FLAC 24/96 · 2.3 Mbps", "MP3 320", "Radio · AAC 128".

Plain functions over a track row (or nothing, for a stream), so the wording is
tested without a window. A candidate for the core when the CLI shows it too.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

LOSSY_NAMES = {
    "mp3": "MP3",
    "aac": "AAC",
    "vorbis": "Vorbis",
    "opus": "Opus",
    "wma": "WMA",
    "mp2": "MP2",
    "ac3": "AC-3",
    "eac3": "E-AC-3",
    "mpc": "Musepack",
    "speex": "Speex",
}
LOSSLESS_NAMES = {
    "flac": "FLAC",
    "alac": "ALAC",
    "pcm": "PCM",
    "wavpack": "WavPack",
    "ape": "APE",
    "tta": "TTA",
    "tak": "TAK",
    "dsd": "DSD",
    "ofr": "OptimFROG",
}


def codec_name(row: dict[str, Any]) -> str:
    codec = str(row.get("codec") or "").lower()
    return (
        LOSSY_NAMES.get(codec)
        or LOSSLESS_NAMES.get(codec)
        or str(row.get("format") or codec.upper())
    )


def _rate_khz(rate: int) -> str:
    value = rate / 1000
    return f"{value:g}" if value != int(value) else str(int(value))


def _kbps(bitrate: int) -> str:
    if bitrate >= 1_000_000:
        return f"{bitrate / 1_000_000:.1f} Mbps"
    return f"{round(bitrate / 1000)} kbps"


def audio_badge(row: dict[str, Any] | None, *, stream: bool = False) -> str:
    """Short technical description of what plays; empty when nothing is known."""
    if row is None:
        return QCoreApplication.translate("AudioBadge", "Radio") if stream else ""
    name = codec_name(row)
    rate, depth, bitrate = (
        row.get("sample_rate") or 0,
        row.get("bit_depth"),
        row.get("bitrate") or 0,
    )
    if stream:
        radio = QCoreApplication.translate("AudioBadge", "Radio")
        return (
            f"{radio} · {name} {round(bitrate / 1000)}"
            if bitrate
            else f"{radio} · {name}".rstrip(" ·")
        )
    if row.get("lossless"):
        parts = [name]
        if depth and rate:
            parts[0] += f" {depth}/{_rate_khz(rate)}"
        elif rate:
            parts[0] += f" {_rate_khz(rate)} kHz"
        if bitrate:
            parts.append(_kbps(bitrate))
        return " · ".join(parts)
    return f"{name} {round(bitrate / 1000)}" if bitrate else name


def gain_text(mode: str, gain_db: float, row: dict[str, Any] | None) -> str:
    """The ReplayGain state: ``RG off``, ``RG track −6.2 dB``, ``RG —`` (no gain tags)."""
    if mode == "off":
        return QCoreApplication.translate("AudioBadge", "RG off")
    if row is None or (row.get("rg_track_gain") is None and row.get("rg_album_gain") is None):
        return QCoreApplication.translate("AudioBadge", "RG — no tags")
    gain = f"{gain_db:+.1f}".replace("-", "−")
    if mode == "album":
        return QCoreApplication.translate("AudioBadge", "RG album {gain} dB").format(gain=gain)
    if mode == "track":
        return QCoreApplication.translate("AudioBadge", "RG track {gain} dB").format(gain=gain)
    return QCoreApplication.translate("AudioBadge", "RG auto {gain} dB").format(gain=gain)
