"""Read and write the WAV files Kindred renders into (PCM 16/24/32 and float32).

libVLC's ``afile`` output writes a float32 WAV whose header may claim a few
bytes more than it wrote, and whose file is rewritten for every item; the
faithful renderer reads each one with :func:`read_wav` (which trusts the bytes
on disk, in whole frames) and appends it to one output with
:class:`FloatWavWriter`. numpy, no libVLC.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

_PCM = 1
_FLOAT = 3
_EXTENSIBLE = 0xFFFE


def read_wav(path: str | Path) -> tuple[np.ndarray, int]:
    """Samples as float64 in [-1, 1) (frames x channels) and the sample rate.

    Integer PCM is divided by 2**(bits-1), so 16- and 24-bit values stay exact.
    """
    data = Path(path).read_bytes()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError(f"{path} is not a WAV file")
    pos, fmt, payload = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body = data[pos + 8 : pos + 8 + size]
        if cid == b"fmt ":
            fmt = body
        elif cid == b"data":
            payload = body  # may be shorter than the header says
            break
        pos += 8 + size + (size & 1)
    if fmt is None or payload is None:
        raise ValueError(f"{path} has no fmt or data chunk")
    tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == _EXTENSIBLE and len(fmt) >= 26:
        tag = struct.unpack("<H", fmt[24:26])[0]
    width = bits // 8
    usable = len(payload) - len(payload) % (width * channels)
    raw = payload[:usable]
    if tag == _FLOAT and bits == 32:
        samples = np.frombuffer(raw, dtype="<f4").astype(np.float64)
    elif tag == _PCM and bits in (16, 32):
        ints = np.frombuffer(raw, dtype="<i2" if bits == 16 else "<i4")
        samples = ints.astype(np.float64) / 2 ** (bits - 1)
    elif tag == _PCM and bits == 24:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        ints = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        ints = np.where(ints >= 1 << 23, ints - (1 << 24), ints)
        samples = ints.astype(np.float64) / 2**23
    else:
        raise ValueError(f"{path}: unsupported WAV encoding (format {tag}, {bits} bits)")
    return samples.reshape(-1, channels), rate


class FloatWavWriter:
    """Appends float32 frames to one WAV file; the header is kept valid after every append."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.rate: int | None = None
        self.channels: int | None = None
        self.frames = 0

    def append(self, samples: np.ndarray, rate: int) -> None:
        """Add frames (frames x channels); the first call fixes rate and channels."""
        frames = np.asarray(samples, dtype="<f4")
        if frames.ndim == 1:
            frames = frames.reshape(-1, 1)
        if self.rate is None:
            self.rate, self.channels = rate, frames.shape[1]
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_bytes(self._header(0))
        if (rate, frames.shape[1]) != (self.rate, self.channels):
            raise ValueError(
                f"cannot join {rate} Hz/{frames.shape[1]} ch audio to a "
                f"{self.rate} Hz/{self.channels} ch WAV"
            )
        with self.path.open("r+b") as out:
            out.seek(0, 2)
            out.write(frames.tobytes())
            self.frames += len(frames)
            out.seek(0)
            out.write(self._header(self.frames))

    def _header(self, frames: int) -> bytes:
        """RIFF, fmt, fact and the data chunk's head. IEEE float with an empty extension
        (as sox writes it) up to two channels; WAVE_FORMAT_EXTENSIBLE, which carries the
        speaker mask, beyond (sox 14.4 warns about any extensible float, needlessly)."""
        channels, rate = self.channels or 2, self.rate or 44100
        size = frames * channels * 4
        base = (channels, rate, rate * channels * 4, channels * 4, 32)
        if channels <= 2:
            fmt = struct.pack("<HHIIHHH", _FLOAT, *base, 0)
        else:
            mask = (1 << channels) - 1
            subformat = struct.pack("<IHH", _FLOAT, 0, 0x10) + bytes.fromhex("800000aa00389b71")
            fmt = struct.pack("<HHIIHHHHI", _EXTENSIBLE, *base, 22, 32, mask) + subformat
        fact = b"fact" + struct.pack("<II", 4, frames)
        return (
            b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + len(fact) + 8 + size) + b"WAVE"
            + b"fmt " + struct.pack("<I", len(fmt)) + fmt
            + fact
            + b"data" + struct.pack("<I", size)
        )  # fmt: skip
