"""Decode one item into float32 frames for the output stage, sample for sample.

FFmpeg (through PyAV, which Kindred already uses for analysis) is the stage's
decoder because it gives every sample of a track and no more: it trims the
encoder delay and padding of LAME MP3s, the priming of AAC in MP4 and Opus's
pre-skip. libVLC 3's decoders, fed through its stream output, do not: the
same sweep encoded by LAME lost its first 1,152 samples, as AAC its first
1,024 (and kept 344 samples of padding), as Opus its first 3,528; FLAC and
WAV came out exact from both. Every one of those losses is a click at an
album's track joins.

Integer PCM is converted to float exactly (16- and 24-bit values fit float32's
mantissa), so a bit-perfect path can turn it back without change. A rate the
open stream does not have is converted with soxr (VHQ); channels are matched
(mono doubled, more than the stream has mixed down). A local file FFmpeg will
not open (a few Vorbis files) is read by libsndfile instead.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from player.audio.engine import MediaItem, PlaybackError, missing_file_error
from player.audio.icy import IcyStream, is_live_location

log = logging.getLogger(__name__)

_SCALE = {"s16": 32768.0, "s32": 2147483648.0, "u8": 128.0, "s64": 9223372036854775808.0}


@dataclass(frozen=True)
class SourceFormat:
    """What an item is, before the stage converts it."""

    rate: int
    channels: int
    bits: int  # integer PCM bit depth (16, 24, 32); 0 for a lossy or float source
    codec: str


class _LiveReader(io.RawIOBase):
    """A live stream Kindred reads itself (ICY titles), as a file FFmpeg can read."""

    def __init__(self, stream: IcyStream) -> None:
        self.stream = stream

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: Any) -> int:
        data = self.stream.read(len(buffer))
        if not data:
            return 0
        buffer[: len(data)] = data
        return len(data)


def cannot_play(item: MediaItem, why: str = "") -> PlaybackError:
    return PlaybackError(
        f"Cannot play {item.title or item.location}",
        f"Kindred could not open or decode {item.location}. The file may be damaged or in an "
        "unsupported format, or the stream is unreachable." + (f" ({why})" if why else ""),
    )


class Source:
    """An opened item: a local file, an HTTP file or a live stream. Not thread-safe."""

    def __init__(self, item: MediaItem, client_factory: Callable[[], Any] | None = None) -> None:
        import av

        self.item = item
        self.live: IcyStream | None = None
        location = item.location.removeprefix("file://")
        try:
            if is_live_location(location):
                from player.audio.httpclient import http_client

                self.live = IcyStream(location, client_factory or http_client)
                self.live.start()
                self._container = av.open(_LiveReader(self.live), mode="r", timeout=15)
            else:
                if not item.is_url and not Path(location).is_file():
                    raise missing_file_error(item)
                self._container = av.open(location, mode="r", timeout=15)
            self._stream = self._container.streams.audio[0]
        except PlaybackError:
            raise
        except IndexError:
            self.close()
            raise cannot_play(item, "it holds no audio") from None
        except Exception as exc:  # FFmpeg says why in its own words
            self.close()
            if self.live is not None and self.live.error is not None:
                raise self.live.error from exc
            raise cannot_play(item, str(exc)) from exc
        ctx = self._stream.codec_context
        fmt = ctx.format.name.rstrip("p") if ctx.format is not None else ""
        bits = {"s16": 16, "u8": 8}.get(fmt, 0)
        if fmt == "s32":  # 24-bit sources decode to 32: the header tells which
            bits = _header_bits(item) or 32
        self.format = SourceFormat(
            rate=int(self._stream.rate or ctx.sample_rate or 0),
            channels=int(ctx.channels or 0),
            bits=bits,
            codec=self._stream.codec_context.name,
        )
        if self.format.rate <= 0 or self.format.channels <= 0:
            self.close()
            raise cannot_play(item, "no audio FFmpeg can decode in it")

    @property
    def title(self) -> str | None:
        return self.live.title if self.live is not None else None

    def length_frames(self) -> int | None:
        """The item's length in its own frames, None when unknown (a live stream)."""
        if self.live is not None:
            return None
        stream, rate = self._stream, self.format.rate
        if stream.duration is not None and stream.time_base is not None:
            return round(float(stream.duration * stream.time_base) * rate)
        if self._container.duration:
            return round(self._container.duration / 1_000_000 * rate)
        return None

    def frames(
        self, start: int = 0, end: int | None = None, *, rate: int | None = None, channels: int = 2
    ) -> Iterator[np.ndarray]:
        """float32 blocks (frames x *channels*) from item frame *start* to *end* (exclusive),
        at *rate* (the source's own when None)."""
        rate = rate or self.format.rate
        end = self._trimmed_end(end)
        converter = _Converter(self.format.rate, rate, self.format.channels, channels)
        yield from converter.convert(self._native_frames(start, end))

    def _trimmed_end(self, end: int | None) -> int | None:
        """MP4 keeps the encoder's padding after the last sample. iTunSMPB (written by
        iTunes and most AAC encoders) says exactly how many samples are the track's;
        without it the edit list does, to the millisecond only."""
        names = self._container.format.name.split(",")
        if "mp4" in names or "mov" in names:
            length = itunsmpb_length(self.item.location) or self.length_frames()
            if length is not None:
                return length if end is None else min(end, length)
        return end

    def _native_frames(self, start: int, end: int | None) -> Iterator[np.ndarray]:
        stream = self._stream
        rate = self.format.rate
        position = 0
        if start > 0 and self.live is None:
            target = int(start / rate / stream.time_base)
            self._container.seek(target, stream=stream, backward=True, any_frame=False)
            position = None  # learnt from the first frame's time stamp
        for frame in self._decode():
            data = _to_float(frame)
            if position is None:
                if frame.pts is None:
                    raise cannot_play(self.item, "cannot seek in it")
                position = round(float(frame.pts * stream.time_base) * rate)
            first, position = position, position + len(data)
            if position <= start:
                continue
            if first < start:
                data = data[start - first :]
            if end is not None and position >= end:
                keep = len(data) - (position - end)
                if keep > 0:
                    yield data[:keep]
                return
            yield data

    def _decode(self) -> Iterator[Any]:
        try:
            yield from self._container.decode(self._stream)
        except Exception as exc:
            if self.live is not None and self.live.error is not None:
                raise self.live.error from exc
            import av

            if isinstance(exc, av.error.EOFError):
                return
            raise cannot_play(self.item, str(exc)) from exc

    def close(self) -> None:
        container = getattr(self, "_container", None)
        if container is not None:
            container.close()
        if self.live is not None:
            self.live.close()


def _header_bits(item: MediaItem) -> int | None:
    """The bit depth a local file's header states (mutagen), None when it does not."""
    if item.is_url:
        return None
    try:
        import mutagen

        info = mutagen.File(item.location.removeprefix("file://"))
        return int(getattr(info.info, "bits_per_sample", 0) or 0) or None
    except Exception:  # no header to read: 32 stands
        return None


def itunsmpb_length(location: str) -> int | None:
    """The sample count an MP4's iTunSMPB tag gives (``delay padding length ...``, hex)."""
    if "://" in location and not location.startswith("file://"):
        return None
    try:
        from mutagen.mp4 import MP4

        tags = MP4(location.removeprefix("file://")).tags or {}
        value = tags.get("----:com.apple.iTunes:iTunSMPB")
        fields = bytes(value[0]).decode("ascii", "replace").split() if value else []
        length = int(fields[3], 16) if len(fields) >= 4 else 0
    except Exception:  # no or a damaged tag: the container's length stands
        return None
    return length or None


class SndfileSource:
    """A local file FFmpeg will not open, read by libsndfile (some Vorbis files are)."""

    live = None
    title = None

    def __init__(self, item: MediaItem) -> None:
        import soundfile

        self.item = item
        try:
            self._file = soundfile.SoundFile(item.location.removeprefix("file://"))
        except Exception as exc:  # soundfile's LibsndfileError and friends
            raise cannot_play(item, str(exc)) from exc
        subtype = self._file.subtype
        bits = {"PCM_16": 16, "PCM_24": 24, "PCM_32": 32}.get(subtype, 0)
        self.format = SourceFormat(self._file.samplerate, self._file.channels, bits, subtype)

    def length_frames(self) -> int | None:
        return int(self._file.frames) or None

    def frames(
        self, start: int = 0, end: int | None = None, *, rate: int | None = None, channels: int = 2
    ) -> Iterator[np.ndarray]:
        rate = rate or self.format.rate
        converter = _Converter(self.format.rate, rate, self.format.channels, channels)
        yield from converter.convert(self._native_frames(start, end))

    def _native_frames(self, start: int, end: int | None) -> Iterator[np.ndarray]:
        if start:
            self._file.seek(start)
        position = start
        while end is None or position < end:
            want = 8192 if end is None else min(8192, end - position)
            block = self._file.read(want, dtype="float32", always_2d=True)
            if not len(block):
                return
            position += len(block)
            yield block

    def close(self) -> None:
        self._file.close()


def open_source(item: MediaItem) -> Source | SndfileSource:
    """The item opened by FFmpeg, or by libsndfile for a local file FFmpeg refuses."""
    try:
        return Source(item)
    except PlaybackError as ffmpeg_error:
        local = item.location.removeprefix("file://")
        if item.is_url or not Path(local).is_file():
            raise
        try:
            return SndfileSource(item)
        except PlaybackError:
            raise ffmpeg_error from None


def _to_float(frame: Any) -> np.ndarray:
    """One decoded frame as float32 (frames x channels), integers scaled exactly."""
    fmt = frame.format
    data = frame.to_ndarray()
    channels = len(frame.layout.channels)
    data = data.T if fmt.is_planar else data.reshape(-1, channels)
    name = fmt.name.rstrip("p")
    if name in ("flt",):
        return np.ascontiguousarray(data, dtype=np.float32)
    if name == "dbl":
        return data.astype(np.float32)
    if name == "u8":
        return ((data.astype(np.float32) - 128.0) / 128.0).astype(np.float32)
    if name == "s64":
        return (data.astype(np.float64) / _SCALE[name]).astype(np.float32)
    # exact: 16- and 24-bit values (24-bit ones arrive shifted into 32) fit float32's
    # 24-bit mantissa, and the scale is a power of two
    out = data.astype(np.float32)
    out *= np.float32(1.0 / _SCALE[name])
    return out


class _Converter:
    """Rate (soxr, very high quality) and channel count to what the open stream takes."""

    def __init__(self, in_rate: int, out_rate: int, in_channels: int, out_channels: int) -> None:
        self.in_channels, self.out_channels = in_channels, out_channels
        self._resampler = None
        if in_rate != out_rate:
            import soxr

            self._resampler = soxr.ResampleStream(
                in_rate, out_rate, out_channels, dtype="float32", quality="VHQ"
            )

    def _channels(self, block: np.ndarray) -> np.ndarray:
        have, want = block.shape[1], self.out_channels
        if have == want:
            return block
        if have == 1:
            return np.repeat(block, want, axis=1)
        if want == 1:
            return block.mean(axis=1, keepdims=True, dtype=np.float32)
        if want == 2:  # L, R, then the rest shared out at -3 dB
            left = block[:, 0] + 0.7071 * block[:, 2:].sum(axis=1)
            right = block[:, 1] + 0.7071 * block[:, 2:].sum(axis=1)
            mixed = np.stack([left, right], axis=1)
            peak = 1.0 + 0.7071 * (have - 2)
            return (mixed / peak).astype(np.float32)
        return (
            np.ascontiguousarray(block[:, :want])
            if have > want
            else np.pad(block, ((0, 0), (0, want - have)))
        )

    def feed(self, block: np.ndarray) -> np.ndarray:
        block = self._channels(block)
        if self._resampler is None:
            return block
        return self._resampler.resample_chunk(block)

    def convert(self, blocks: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
        """*blocks* converted, and what the resampler still holds at their end."""
        for block in blocks:
            out = self.feed(block)
            if len(out):
                yield out
        tail = self.finish()
        if len(tail):
            yield tail

    def finish(self) -> np.ndarray:
        if self._resampler is None:
            return np.zeros((0, self.out_channels), dtype=np.float32)
        return self._resampler.resample_chunk(
            np.zeros((0, self.out_channels), dtype=np.float32), last=True
        )
