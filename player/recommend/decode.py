"""Decode any file the library holds into a small float array for analysis.

PyAV (FFmpeg) reads every format the player plays. The audio is folded to at
most two channels (loudness needs them: R128 sums their powers; the features
use their mean) and resampled once to :data:`RATE` by soxr, which costs a
quarter of FFmpeg's resampler here. Sample peak is taken at the file's own
rate, before resampling smooths it.

A packet that fails to decode is skipped and counted, as ``ffmpeg`` does;
only a file with nothing decodable (or that cannot be opened) is an error. A
file FFmpeg will not open at all gets a second chance through libsndfile
(:mod:`player.recommend.sndfile_decode`), which also reads whole FLAC, WAV
and AIFF files first: the same samples for less CPU.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import av
import numpy as np
import soxr

from player.errors import AppError
from player.recommend import sndfile_decode

#: Analysis sample rate: enough for timbre up to 11 kHz, half the work of 44.1 kHz.
RATE = 22050
#: Longest stretch analysed; a 3-hour mix is judged by its first 10 minutes.
MAX_SECONDS = 600.0
#: Give up after this many undecodable packets in a row (a file of garbage).
MAX_BAD_RUN = 200


class DecodeError(AppError):
    """A file has no audio that can be decoded."""


@dataclass
class Decoded:
    """Audio at :data:`RATE`: ``channels`` is (n_channels, n_samples) float32."""

    channels: np.ndarray
    rate: int
    sample_peak: float  # linear, full scale = 1.0, at the file's own rate
    bad_packets: int
    truncated: bool

    @property
    def mono(self) -> np.ndarray:
        if self.channels.shape[0] == 1:
            return self.channels[0]
        if self.channels.shape[0] == 2:  # the same values as mean(axis=0), in a third of the time
            mono = np.add(self.channels[0], self.channels[1])
            mono *= 0.5
            return mono
        return self.channels.mean(axis=0)

    @property
    def seconds(self) -> float:
        return self.channels.shape[1] / self.rate


_DTYPES = {"flt": np.float32, "dbl": np.float64, "s16": np.int16, "s32": np.int32, "u8": np.uint8}
_SCALE = {"s16": 1 / 32768.0, "s32": 1 / 2147483648.0, "u8": 1 / 128.0}
#: Files tried through libsndfile first (:func:`sndfile_decode.read_lossless`).
_LOSSLESS_SUFFIXES = (".flac", ".wav", ".aif", ".aiff")
#: Native samples gathered (per channel) before each hand-over to the resampler.
_BATCH = 1 << 18


def _frame_planes(frame: av.AudioFrame) -> list[np.ndarray]:
    """One array per channel, read straight from the frame's buffers (no copy if float)."""
    name = frame.format.name
    base = name.rstrip("p")
    dtype = _DTYPES.get(base)
    n = frame.samples
    if dtype is None:  # an exotic format: let PyAV convert it
        data = frame.to_ndarray().astype(np.float32)
        return list(data.reshape(-1, n) if name.endswith("p") else data.reshape(n, -1).T)
    if name.endswith("p"):
        planes = [np.frombuffer(plane, dtype, n) for plane in frame.planes]
    else:
        channels = len(frame.layout.channels)
        packed = np.frombuffer(frame.planes[0], dtype, n * channels).reshape(n, channels)
        planes = [packed[:, i] for i in range(channels)]
    if base == "u8":
        return [(p.astype(np.float32) - 128.0) * _SCALE["u8"] for p in planes]
    if base in _SCALE:
        scale = np.float32(_SCALE[base])
        return [np.multiply(p, scale, dtype=np.float32) for p in planes]
    return planes


def _to_stereo(planes: list[np.ndarray]) -> list[np.ndarray]:
    """Fold more than two channels into two (centre and surrounds at -3 dB, no LFE)."""
    if len(planes) <= 2:
        return planes
    left, right = planes[0].astype(np.float32), planes[1].astype(np.float32)
    if len(planes) >= 5:  # L R C LFE Ls (Rs): FFmpeg's order
        centre = planes[2] * 0.7071
        left = left + centre + 0.7071 * planes[4]
        right = right + centre + 0.7071 * planes[5 if len(planes) > 5 else 4]
    return [left, right]


def decode(
    path: str,
    *,
    rate: int = RATE,
    start_s: float = 0.0,
    end_s: float | None = None,
    max_seconds: float = MAX_SECONDS,
) -> Decoded:
    """Decode ``path`` (optionally the range ``start_s``..``end_s``) to ``rate`` Hz.

    Raises :class:`DecodeError` when the file cannot be opened or holds no
    decodable audio.
    """
    if start_s <= 0 and end_s is None and path.lower().endswith(_LOSSLESS_SUFFIXES):
        raw = sndfile_decode.read_lossless(path, rate, max_seconds)
        if raw is not None:
            return Decoded(raw.channels, rate, min(raw.sample_peak, 64.0), 0, raw.truncated)
    try:
        container = av.open(path, metadata_errors="ignore")
    except (av.FFmpegError, OSError, UnicodeError, ValueError) as exc:
        raw = sndfile_decode.read(path, rate, start_s, end_s, max_seconds)
        if raw is None:
            raise DecodeError("Cannot open the file for analysis", f"{path}: {exc}") from exc
        return Decoded(raw.channels, rate, raw.sample_peak, 0, raw.truncated)
    try:
        return _decode_open(container, path, rate, start_s, end_s, max_seconds)
    finally:
        container.close()


def _decode_open(
    container: av.container.InputContainer,
    path: str,
    rate: int,
    start_s: float,
    end_s: float | None,
    max_seconds: float,
) -> Decoded:
    if not container.streams.audio:
        raise DecodeError("The file has no audio stream", path)
    stream = container.streams.audio[0]
    source_rate = stream.codec_context.sample_rate or stream.sample_rate or rate
    if start_s > 0:
        with contextlib.suppress(av.FFmpegError):  # else decode from the start and trim
            container.seek(int(start_s / stream.time_base), stream=stream, backward=True)
    stop = start_s + max_seconds if end_s is None else min(end_s, start_s + max_seconds)
    native_needed = round((stop - start_s) * source_rate)
    pending: list[list[np.ndarray]] = []  # per channel: native frames not yet resampled
    pending_n = 0
    out: list[list[np.ndarray]] = []
    resamplers: list[soxr.ResampleStream] = []
    have = 0
    peak = 0.0
    bad = bad_run = 0
    truncated = False

    def flush(last: bool = False) -> None:
        nonlocal pending, pending_n, peak
        if not pending or not pending[0]:
            if last:
                for i, stream_ in enumerate(resamplers):
                    out[i].append(stream_.resample_chunk(np.zeros(0, np.float32), last=True))
            return
        planes = [np.concatenate(ch) if len(ch) > 1 else ch[0] for ch in pending]
        pending, pending_n = [[] for _ in pending], 0
        batch_peak = max([0.0, *(max(float(p.max()), -float(p.min())) for p in planes if p.size)])
        if not np.isfinite(batch_peak):  # NaN or infinity from a broken float stream
            planes = [np.nan_to_num(p, nan=0.0, posinf=0.0, neginf=0.0) for p in planes]
            batch_peak = max(float(np.abs(p).max()) for p in planes)
        peak = max(peak, batch_peak)
        planes = _to_stereo(planes)
        if not out:
            out.extend([] for _ in planes)
            if source_rate != rate:
                resamplers.extend(
                    soxr.ResampleStream(source_rate, rate, 1, "float32", "HQ") for _ in planes
                )
        for i, plane in enumerate(planes[: len(out)]):
            plane = np.ascontiguousarray(plane, dtype=np.float32)
            out[i].append(resamplers[i].resample_chunk(plane, last=last) if resamplers else plane)

    # Frames are gathered in an FFmpeg FIFO and converted to numpy in large
    # chunks: per-frame Python work costs more than decoding for small frames.
    fifo: av.AudioFifo | None = None
    fifo_key: tuple[str, str] | None = None

    def add(planes: list[np.ndarray]) -> None:
        nonlocal pending, pending_n
        if not pending:
            pending = [[] for _ in planes]
        if len(planes) != len(pending):  # a layout change mid-stream: fold to the first
            mix = sum(p.astype(np.float32) for p in planes) / len(planes)
            planes = [mix] * len(pending)
        for ch, plane in zip(pending, planes, strict=True):
            ch.append(plane)
        pending_n += planes[0].size

    def drain() -> None:
        if fifo is not None and fifo.samples:
            add(_frame_planes(fifo.read()))

    packets = container.demux(stream)
    while True:
        try:
            packet = next(packets)
        except (StopIteration, av.EOFError):
            break
        except (av.FFmpegError, OSError) as exc:  # a broken container: keep what we have
            bad += 1
            if not have:
                raise DecodeError("The file cannot be read", f"{path}: {exc}") from exc
            break
        try:
            frames = packet.decode()
        except (av.FFmpegError, ValueError):
            bad += 1
            bad_run += 1
            if bad_run > MAX_BAD_RUN:
                break
            continue
        bad_run = 0
        for frame in frames:
            if frame.sample_rate != source_rate or not frame.samples:
                continue  # a rate change mid-stream: skip the odd frames
            if start_s > 0 and frame.time is not None and frame.time < start_s:
                cut = round((start_s - frame.time) * source_rate)
                planes = [p[cut:] for p in _frame_planes(frame)]
                if planes[0].size:
                    add(planes)
                    have += planes[0].size
                continue
            key = (frame.format.name, frame.layout.name)
            if fifo is None or key != fifo_key:
                drain()
                fifo, fifo_key = av.AudioFifo(), key
            frame.pts = None  # the FIFO only gathers samples; timing is not needed
            fifo.write(frame)
            have += frame.samples
        if fifo is not None and fifo.samples >= _BATCH:
            drain()
            flush()
        if have >= native_needed:
            truncated = end_s is None
            break
    drain()
    flush(last=True)
    if not out or not any(chunk.size for chunk in out[0]):
        reason = "no decodable audio" + (f" ({bad} bad packets)" if bad else "")
        raise DecodeError("The file holds no decodable audio", f"{path}: {reason}")
    needed = round((stop - start_s) * rate)
    total = min(needed, sum(chunk.size for chunk in out[0]))
    audio = np.empty((len(out), total), np.float32)  # one copy, straight into place
    for row, chunks in zip(audio, out, strict=True):
        at = 0
        for chunk in chunks:
            take = min(chunk.size, total - at)
            row[at : at + take] = chunk[:take]
            at += take
    return Decoded(audio, rate, min(peak, 64.0), bad, truncated)
