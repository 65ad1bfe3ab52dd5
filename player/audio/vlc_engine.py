"""The libVLC Engine: the only module of Kindred that imports ``vlc``.

libVLC calls event callbacks on its own threads, and calling libVLC back from
there deadlocks; so its callbacks only forward a tag to the worker thread of
:class:`~player.audio.engine_core.EngineCore`, which turns them into Engine
events. Here the worker also continues with a preloaded item the moment the
current one ends (the smallest gap libVLC allows), retries the volume until
libVLC has an audio output to take it, and polls a stream's "now playing"
title (libVLC's meta event never reaches Python).

Output goes to the sound card or, with a :class:`~player.audio.render.WavOutput`,
into a WAV file: paced 16-bit through ``amem`` or faithful float32 through
``afile``. ReplayGain and the equalizer ride on libVLC's equalizer (see
:mod:`player.audio.soundmath`), so every output hears the same pipeline.
"""

from __future__ import annotations

import ctypes
import logging
from pathlib import Path
from typing import Any

import player
from player.audio import vlcfind
from player.audio.engine import (
    DeviceChanged,
    EngineError,
    Equalizer,
    MediaItem,
    MetadataChanged,
    OutputDevice,
    PlaybackState,
    clamp_volume,
)
from player.audio.engine_core import ACTIVE, EngineCore, Prepared
from player.audio.httpclient import http_client
from player.audio.icy import IcyStream, is_live_location
from player.audio.render import FaithfulCollector, WavOutput, WavRenderer
from player.audio.soundmath import (
    plan_equalizer,
    preset_from_libvlc,
    volume_factor,
    volume_with_extra_gain,
)
from player.audio.vlc_setup import (
    META_POLL_S,
    VLC_ARGS,
    afile_args,
    vlc_install_error,
)
from player.errors import AppError

log = logging.getLogger(__name__)
#: the size libVLC is told for a live stream: unknown, never seekable
UNKNOWN_SIZE = 2**64 - 1

#: where libVLC is on this OS (python-vlc's variables, the bundle, the standard install)
VLC_PLAN = vlcfind.find_libvlc()
_IMPORT_ERROR: Exception | None = VLC_PLAN.error
if VLC_PLAN.error is not None:  # python-vlc would exit the process, or fail less clearly
    vlc = None
else:
    try:  # a missing libvlc raises OSError/FileNotFoundError/ImportError inside python-vlc
        vlcfind.apply(VLC_PLAN)
        import vlc
    except Exception as exc:  # whatever happens, the app must still start
        vlc = None
        _IMPORT_ERROR = exc


def vlc_missing_error() -> AppError | None:
    """None when libVLC can be used, else an AppError saying how to install VLC."""
    if vlc is not None:
        return None
    if isinstance(_IMPORT_ERROR, AppError):
        return _IMPORT_ERROR
    return vlc_install_error(_IMPORT_ERROR)


def libvlc_available() -> bool:
    return vlc is not None


def libvlc_path() -> str:
    """The file libVLC was loaded from, as it was asked for (libVLC must be available)."""
    assert vlc is not None
    return str(getattr(vlc.dll, "_name", "?"))


def libvlc_description() -> str:
    """libVLC's version and the file it was loaded from (libVLC must be available)."""
    assert vlc is not None
    return f"libVLC {_text(vlc.libvlc_get_version())} from {libvlc_path()}"


def _text(value: bytes | str | None) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value or ""


class VlcEngine(EngineCore):
    """Plays on the sound card (``output="device"``) or renders into a WAV file.

    ``output`` is ``"device"``, a :class:`WavOutput`, or (older form) a path,
    which means a paced 16-bit WAV, real time unless ``realtime=False``.
    """

    backend = "libVLC"

    def __init__(self, output: str | Path | WavOutput = "device", *, realtime: bool = True) -> None:
        super().__init__()
        missing = vlc_missing_error()
        if missing is not None:
            raise missing
        if not isinstance(output, WavOutput) and str(output) != "device":
            output = WavOutput(Path(output), paced=True)
        args = list(VLC_ARGS)
        self.renderer: WavRenderer | None = None
        self.collector: FaithfulCollector | None = None
        if isinstance(output, WavOutput) and not output.paced:
            self.collector = FaithfulCollector(output.path)
            args += afile_args(self.collector.part)
        self._instance = vlc.Instance(args)
        if self._instance is None:
            raise AppError(
                "libVLC could not start",
                "libVLC is installed but failed to initialise; reinstall VLC and its plugins.",
            )
        # servers see who is asking (station statistics, per-player quirks)
        self._instance.set_user_agent("Kindred", f"Kindred/{player.__version__} (music player)")
        self._player = self._instance.media_player_new()
        self._media: Any = None
        self._live: dict[int, tuple[Any, IcyStream, tuple[Any, ...]]] = {}
        self._now_playing: str | None = None
        self._last_meta_poll = 0.0
        self._vlc_eq = vlc.AudioEqualizer()
        self._eq_attached = False
        self._extra_db = 0.0  # gain the equalizer preamp could not carry
        self._volume_pending = False
        self._is_device = not isinstance(output, WavOutput)
        self._default_device = _text(self._player.audio_output_device_get()) or None
        if isinstance(output, WavOutput) and output.paced:
            self.renderer = WavRenderer(output.path, realtime=realtime)
            self._attach_renderer(self.renderer, output.rate, output.channels)
        manager = self._player.event_manager()
        et = vlc.EventType
        for kind, tag in (
            (et.MediaPlayerOpening, "opening"),
            (et.MediaPlayerPlaying, "playing"),
            (et.MediaPlayerPaused, "paused"),
            (et.MediaPlayerEndReached, "end"),
            (et.MediaPlayerEncounteredError, "error"),
            (et.MediaPlayerBuffering, "buffering"),
        ):
            manager.event_attach(kind, self._forward, tag)
        self._worker.start()

    # --- libVLC threads: forward only --------------------------------------
    def _forward(self, event: Any, tag: str) -> None:
        self._forward_tag(tag, event.u.new_cache if tag == "buffering" else None)

    def _attach_renderer(self, renderer: WavRenderer, rate: int, channels: int) -> None:
        """amem with a fixed S16 format, the only one it accepts."""
        rate, channels = renderer.setup(rate, channels)
        frame_bytes = 2 * channels

        def play(_opaque: Any, samples: int, count: int, _pts: int) -> None:
            renderer.write(ctypes.string_at(samples, count * frame_bytes), count)

        def restart(_opaque: Any, _pts: int) -> None:
            renderer.restart_clock()

        cb = vlc.CallbackDecorators
        self._callbacks = (cb.AudioPlayCb(play), cb.AudioPauseCb(restart))
        play_cb, restart_cb = self._callbacks
        self._player.audio_set_callbacks(play_cb, restart_cb, restart_cb, restart_cb, None, None)
        self._player.audio_set_format("S16N", rate, channels)

    # --- our worker thread (see EngineCore) ----------------------------------
    def _on_playing(self) -> None:
        chosen = self._device
        if self._is_device and chosen and _text(self._player.audio_output_device_get()) != chosen:
            self._player.audio_output_device_set(None, chosen)  # a new output starts on the default
        self._apply_volume()

    def _halt(self) -> None:
        """Stop the current input. libVLC's stop() also destroys the audio output, which
        forgets the device and volume (the next item would start on the default device at
        full volume); dropping the media keeps it. afile writes its file only on stop()."""
        if self.collector is not None:
            self._player.stop()
            self._collect()
        else:
            self._player.set_media(None)

    def _housekeeping(self, now: float) -> None:
        if self._volume_pending and self._state in ACTIVE:
            self._apply_volume()
        item, media = self._item, self._media
        if item is None or not item.is_url or self._state not in ACTIVE or media is None:
            return
        stream = self._live_stream()
        if stream is not None or now - self._last_meta_poll >= META_POLL_S:
            self._last_meta_poll = now
            title = stream.title if stream else _text(media.get_meta(vlc.Meta.NowPlaying)) or None
            if title != self._now_playing:
                self._now_playing = title
                self._events.put(MetadataChanged(title))

    def _switch(self, nxt: Prepared | None) -> None:
        if self.collector is not None:
            self._halt()  # afile completes its file only when stopped
        if nxt is not None:
            if nxt.gain_db is not None:
                self._gain_db = nxt.gain_db
                self._apply_sound()
            self._player.set_media(nxt.media)
            self._player.play()

    def _moved_on(self, nxt: Prepared) -> None:
        self._media, self._now_playing = nxt.media, None

    # --- sound: volume, gain, equalizer --------------------------------------
    def _apply_volume(self) -> None:
        """Volume (and the gain the equalizer could not carry) where it takes effect."""
        if self.collector is not None:
            return  # afile ignores the volume: applied when the item is collected
        if self.renderer is not None:  # see render.py: amem would miss the first 0.2 s
            self.renderer.gain = self._level_factor()
            return
        volume = volume_with_extra_gain(self._volume, self._extra_db)
        accepted = self._player.audio_set_volume(volume) == 0
        self._player.audio_set_mute(self._muted)
        self._volume_pending = not accepted  # no audio output yet: the worker retries

    def _level_factor(self) -> float:
        """Volume, mute and leftover gain as one factor, for outputs we scale ourselves."""
        return volume_factor(self._volume, self._muted) * 10 ** (self._extra_db / 20)

    def _collect(self) -> None:
        if self.collector is None:
            return
        try:
            self.collector.collect(self._level_factor())
        except ValueError as exc:  # a rate or channel count the file cannot take
            self._events.put(
                EngineError(AppError("Cannot add this item to the WAV file", str(exc)), self._item)
            )

    def _apply_sound(self) -> None:
        """Hand gain and equalizer to libVLC's equalizer (or detach it: the faithful path)."""
        live = self._state in (*ACTIVE, PlaybackState.PAUSED)
        values = plan_equalizer(
            self._equalizer, self._gain_db, attached=self._eq_attached, live=live
        )
        if values is None:
            if self._eq_attached:
                self._player.set_equalizer(None)
                self._eq_attached = False
            self._extra_db = 0.0
        else:
            if values.clamped:
                log.info("%.2f dB beyond libVLC's equalizer range", values.leftover_db)
            self._vlc_eq.set_preamp(values.preamp)
            for index, band in enumerate(values.bands):
                self._vlc_eq.set_amp_at_index(band, index)
            if live and not self._eq_attached:
                log.info("attaching the equalizer while playing restarts the audio output")
            self._player.set_equalizer(self._vlc_eq)
            self._eq_attached = True
            self._extra_db = values.leftover_db
        self._apply_volume()

    def set_volume(self, percent: int) -> None:
        self._volume = clamp_volume(percent)
        self._apply_volume()

    def set_muted(self, muted: bool) -> None:
        self._muted = bool(muted)
        self._apply_volume()

    def set_gain_db(self, db: float) -> None:
        with self._lock:
            self._gain_db = float(db)
            self._apply_sound()

    def set_equalizer(self, eq: Equalizer | None) -> None:
        with self._lock:
            self._equalizer = eq
            self._apply_sound()

    def equalizer_presets(self) -> dict[str, Equalizer]:
        presets: dict[str, Equalizer] = {}
        for index in range(vlc.libvlc_audio_equalizer_get_preset_count()):
            name = _text(vlc.libvlc_audio_equalizer_get_preset_name(index))
            handle = vlc.libvlc_audio_equalizer_new_from_preset(index)
            if handle is None:
                continue
            bands = [handle.get_amp_at_index(b) for b in range(len(Equalizer().bands_db))]
            presets[name] = preset_from_libvlc(name, handle.get_preamp(), bands)
            handle.release()
        return presets

    # --- transport -----------------------------------------------------------
    def _new_media(self, item: MediaItem) -> Any:
        if is_live_location(item.location):
            return self._live_media(item)
        media = self._instance.media_new(item.location)
        if item.start_ms:
            media.add_option(f":start-time={item.start_ms / 1000:.3f}")
        if item.end_ms is not None:
            media.add_option(f":stop-time={item.end_ms / 1000:.3f}")
        return media

    def _live_media(self, item: MediaItem) -> Any:
        """A live stream Kindred reads itself (see icy.py), fed to libVLC's read callback."""
        stream = IcyStream(item.location, http_client)
        cb = vlc.CallbackDecorators

        def open_(_opaque: Any, datap: Any, sizep: Any) -> int:
            sizep.contents.value = UNKNOWN_SIZE
            stream.start()
            return 0

        def read(_opaque: Any, buf: Any, size: int) -> int:
            data = stream.read(size)
            if data is None:
                return -1
            ctypes.memmove(buf, data, len(data))
            return len(data)

        def close(_opaque: Any) -> None:
            stream.close()

        callbacks = (cb.MediaOpenCb(open_), cb.MediaReadCb(read), cb.MediaCloseCb(close))
        media = self._instance.media_new_callbacks(
            callbacks[0], callbacks[1], None, callbacks[2], None
        )
        self._live[id(media)] = (media, stream, callbacks)  # ctypes callbacks must stay alive
        while len(self._live) > 4:  # the current, a preloaded one, and recent ones closing
            _, (_, old, _) = next(iter(self._live.items()))
            old.close()
            del self._live[next(iter(self._live))]
        return media

    def _live_stream(self) -> IcyStream | None:
        entry = self._live.get(id(self._media)) if self._media is not None else None
        return entry[1] if entry is not None else None

    def _source_error(self) -> AppError | None:
        stream = self._live_stream()
        return stream.error if stream is not None else None

    def load(self, item: MediaItem) -> None:
        with self._lock:
            live = (*ACTIVE, PlaybackState.PAUSED)
            if item == self._continued and self._item == item and self._state in live:
                return  # already moved on to it when the previous item ended
            prepared, self._prepared = self._prepared, None
            media = prepared.media if prepared and prepared.item == item else self._new_media(item)
            self._halt()
            self._player.set_media(media)
            self._item, self._media, self._continued = item, media, None
            self._now_playing = None
            self._set_state(PlaybackState.IDLE)
            self._apply_sound()  # attach or detach the equalizer before play(): no dropout

    def preload(self, item: MediaItem, gain_db: float | None = None) -> None:
        """Open *item* ahead of time; when the current item ends it follows at once.

        The owner's ``load(item)``/``play()`` after ``EndReached`` then find it
        playing and do nothing. *gain_db*, when given, becomes the gain as it starts.
        """
        media = self._new_media(item)
        if not item.is_url:
            media.parse_with_options(vlc.MediaParseFlag.local, 5000)
        with self._lock:
            self._prepared = Prepared(item, media, gain_db)

    def play(self) -> None:
        item = self._item
        if item is None or self._state in ACTIVE:
            return
        if self._state == PlaybackState.PAUSED:
            self.resume()
            return
        if self._fail_if_missing(item):
            return
        if self._state in (PlaybackState.ENDED, PlaybackState.STOPPED, PlaybackState.ERROR):
            self._halt()  # and play it again from a fresh media (a used one stays "ended")
            self._media = self._new_media(item)
            self._player.set_media(self._media)
        self._check_device()
        self._set_state(PlaybackState.OPENING)
        self._player.play()

    def pause(self) -> None:
        if self._state == PlaybackState.PLAYING:
            self._player.set_pause(1)

    def resume(self) -> None:
        if self._state == PlaybackState.PAUSED:
            self._player.set_pause(0)
            self._set_state(PlaybackState.PLAYING)

    def stop(self) -> None:
        if self._state in (PlaybackState.IDLE, PlaybackState.STOPPED):
            return
        self._set_state(PlaybackState.STOPPED)
        self._halt()

    def seek(self, ms: int) -> None:
        if self._item is None or self._state not in (PlaybackState.PLAYING, PlaybackState.PAUSED):
            return
        end = self.duration()
        target = max(0, int(ms) if end is None else min(int(ms), end))
        self._player.set_time((self._item.start_ms or 0) + target)

    def _media_time(self) -> int | None:
        return self._player.get_time()

    def _media_length(self) -> int | None:
        return self._player.get_length()

    # --- output device -------------------------------------------------------
    def output_devices(self) -> list[OutputDevice]:
        head = self._player.audio_output_device_enum()
        devices, node = [], head
        while node:
            entry = node.contents
            devices.append(OutputDevice(_text(entry.device), _text(entry.description)))
            node = entry.next
        if head:
            vlc.libvlc_audio_output_device_list_release(head)
        return devices

    def set_output_device(self, device_id: str | None) -> None:
        if device_id is not None and device_id not in {d.id for d in self.output_devices()}:
            self._fall_back(device_id)
            return
        self._device = device_id
        target = device_id if device_id is not None else self._default_device
        if self._is_device and target is not None:
            self._player.audio_output_device_set(None, target)
        self._events.put(DeviceChanged(device_id))

    def _fall_back(self, device_id: str) -> None:
        if self._is_device and self._default_device is not None:
            self._player.audio_output_device_set(None, self._default_device)
        self._report_fallback(device_id)

    def _check_device(self) -> None:
        """Before playing: fall back when the chosen device has vanished (an empty list
        means libVLC cannot tell: the choice stands)."""
        if not self._is_device or not self._device:
            return
        known = {d.id for d in self.output_devices()}
        if known and self._device not in known:
            self._fall_back(self._device)

    # --- life ------------------------------------------------------------------
    def close(self) -> None:
        if self._closed:
            return
        self._player.stop()
        self._collect()
        self._closed = True
        self._worker.join(timeout=2)
        self._player.release()
        self._vlc_eq.release()
        self._instance.release()
        if self.renderer is not None:
            self.renderer.close()
        if self.collector is not None:
            self.collector.close()
