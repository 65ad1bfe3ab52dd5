"""libsndfile (through soundfile): the first decoder for plain FLAC, WAV and AIFF
files, and a second one for files FFmpeg will not open.

Whole mono or stereo files of 16 to 32-bit integers (:func:`read_lossless`)
come out the same as through FFmpeg, bit for bit, for less CPU.

FFmpeg's Ogg demuxer refuses some Vorbis files that libvorbis (and so libVLC)
plays without complaint: it reads the setup header's mode table backwards and
gives up on headers it cannot make sense of that way. libsndfile decodes them
with libvorbis itself, and also reads a few formats FFmpeg does not (MATLAB,
Psion WVE, HTK, ...). Only the opening is retried here; a file FFmpeg opens
but cannot decode is not sent twice through two decoders (:func:`read`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import soxr

#: Frames read (per channel) per block: memory stays small for long files.
_BLOCK = 1 << 18


@dataclass
class Raw:
    """Audio at the asked rate, at most two channels, plus its sample peak at the file's rate."""

    channels: np.ndarray
    sample_peak: float
    truncated: bool


def read(
    path: str, rate: int, start_s: float, end_s: float | None, max_seconds: float
) -> Raw | None:
    """Decoded audio, or None when libsndfile cannot read the file either."""
    import soundfile

    try:
        handle = soundfile.SoundFile(path)
    except (RuntimeError, OSError, TypeError, ValueError):  # soundfile's LibsndfileError
        return None
    with handle:
        source = handle.samplerate
        start = max(0, round(start_s * source))
        stop_s = start_s + max_seconds if end_s is None else min(end_s, start_s + max_seconds)
        stop = round(stop_s * source)
        if handle.frames > 0:
            stop = min(stop, handle.frames)
        truncated = end_s is None and 0 < stop < handle.frames
        if start and handle.seekable():
            handle.seek(start)
        width = min(handle.channels, 2)
        streams = [
            soxr.ResampleStream(source, rate, 1, "float32", "HQ") for _ in range(width)
        ] if source != rate else []  # fmt: skip
        out: list[list[np.ndarray]] = [[] for _ in range(width)]
        peak = 0.0
        at = start
        while at < stop:
            try:
                block = handle.read(min(_BLOCK, stop - at), dtype="float32", always_2d=True)
            except (RuntimeError, OSError, ValueError):
                break  # a damaged tail: keep what came before it
            if not block.size:
                break
            at += block.shape[0]
            block = np.nan_to_num(block, nan=0.0, posinf=0.0, neginf=0.0)
            peak = max(peak, float(np.abs(block).max()))
            planes = _fold(block)
            for i, plane in enumerate(planes):
                out[i].append(streams[i].resample_chunk(plane) if streams else plane)
        for i, stream in enumerate(streams):
            out[i].append(stream.resample_chunk(np.zeros(0, np.float32), last=True))
    if not out or not any(chunk.size for chunk in out[0]):
        return None
    channels = np.vstack([np.concatenate(chunks) for chunks in out]).astype(np.float32)
    return Raw(channels, min(peak, 64.0), truncated)


def _fold(block: np.ndarray) -> list[np.ndarray]:
    """(frames, channels) to one or two contiguous planes; extra channels mixed in at -3 dB."""
    if block.shape[1] <= 2:
        return [np.ascontiguousarray(block[:, i]) for i in range(block.shape[1])]
    extra = block[:, 2:].sum(axis=1) * np.float32(0.7071)
    return [np.ascontiguousarray(block[:, 0] + extra), np.ascontiguousarray(block[:, 1] + extra)]


#: Integer sample types read as integers and scaled as the FFmpeg path scales
#: FFmpeg's output for them (s16, or s32 holding 24 bits shifted up).
_LOSSLESS = {
    "PCM_16": ("int16", 1 / 32768.0),
    "PCM_24": ("int32", 1 / 2147483648.0),
    "PCM_32": ("int32", 1 / 2147483648.0),
}
#: libsndfile's names of the containers read this way.
_FORMATS = {"FLAC", "WAV", "WAVEX", "AIFF"}


def read_lossless(path: str, rate: int, max_seconds: float) -> Raw | None:
    """A whole mono or stereo FLAC, WAV or AIFF file, or None to use FFmpeg's path.

    libFLAC (through libsndfile) decodes FLAC in about 15 % less CPU than
    FFmpeg, and reading integers straight into one buffer skips FFmpeg's
    per-packet frames (a WAV file's decoding step takes about half the CPU).
    The samples, their scaling to float, the peak and the resampling are those
    of the FFmpeg path, so the result is the same bit for bit. Anything else
    (more channels, 8-bit or float samples, a file of ``max_seconds`` or more,
    a read error partway) returns None and goes through FFmpeg, which also
    skips damaged frames instead of stopping at them.
    """
    import soundfile

    try:
        handle = soundfile.SoundFile(path)
    except (RuntimeError, OSError, TypeError, ValueError):
        return None
    with handle:
        lean = _LOSSLESS.get(handle.subtype) if handle.format in _FORMATS else None
        frames, source, width = handle.frames, handle.samplerate, handle.channels
        if lean is None or width > 2 or not 0 < frames < round(max_seconds * source):
            return None
        dtype, scale = lean[0], np.float32(lean[1])
        streams = [
            soxr.ResampleStream(source, rate, 1, "float32", "HQ") for _ in range(width)
        ] if source != rate else []  # fmt: skip
        out: list[list[np.ndarray]] = [[] for _ in range(width)]
        buffer = np.empty((min(_BLOCK, frames), width), dtype)
        top = 0
        at = 0
        while at < frames:
            want = min(_BLOCK, frames - at)
            try:
                block = handle.read(want, dtype=dtype, always_2d=True, out=buffer[:want])
            except (RuntimeError, OSError, ValueError):
                return None
            if block.shape[0] != want:
                return None  # shorter than its header says: FFmpeg's path decides
            at += want
            top = max(top, int(block.max()), -int(block.min()))
            for i in range(width):
                plane = np.multiply(block[:, i], scale, dtype=np.float32)
                out[i].append(streams[i].resample_chunk(plane) if streams else plane)
        for i, stream in enumerate(streams):
            out[i].append(stream.resample_chunk(np.zeros(0, np.float32), last=True))
    total = sum(chunk.size for chunk in out[0])
    channels = np.empty((width, total), np.float32)
    for row, chunks in zip(channels, out, strict=True):
        np.concatenate(chunks, out=row)
    return Raw(channels, float(top * scale), truncated=False)
