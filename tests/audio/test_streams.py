"""Streams end to end: resolving URLs and playlists, and libVLC playing them.

Real parts only: a threaded HTTP server and an Icecast server fed by ffmpeg
(:mod:`tests.netservers`), the libVLC engine rendering into a paced WAV file,
and :class:`~player.audio.watchdog.StreamWatchdog` in the owner's loop the way
the playback controller runs it.
"""

from __future__ import annotations

import array
import math
import time
import wave
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from player.audio.engine import (
    EngineError,
    Event,
    MediaItem,
    MetadataChanged,
    PlaybackError,
    PlaybackState,
    PositionChanged,
)
from player.audio.icy import live_location
from player.audio.streams import MAX_PLAYLIST_BYTES, resolve
from player.audio.vlc_engine import VlcEngine, libvlc_available
from player.audio.watchdog import ActionKind, StreamWatchdog, WatchdogAction
from player.errors import AppError
from tests.audiogen import make_audio, requires_ffmpeg
from tests.netservers import HttpTestServer, IcecastServer, free_port, icecast_missing

pytestmark = requires_ffmpeg

needs_vlc = pytest.mark.skipif(
    not libvlc_available(), reason="libVLC is not installed here (CI installs VLC)"
)
needs_icecast = pytest.mark.skipif(icecast_missing() is not None, reason=str(icecast_missing()))

#: the promise made to a listener: a dead stream is reported within this time
DEAD_STREAM_BOUND_S = 10.0


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpTestServer]:
    root = tmp_path_factory.mktemp("www")
    make_audio(root / "tone.flac", "flac", seconds=6.0)
    make_audio(root / "long.flac", "flac", seconds=120.0)
    with HttpTestServer(root) as server:
        server.add_playlists("tone.flac")
        yield server


@pytest.fixture
def icecast() -> Iterator[IcecastServer]:
    if icecast_missing():
        pytest.skip(str(icecast_missing()))
    with IcecastServer() as server:
        yield server


# ---- resolving -----------------------------------------------------------------------------
class TestResolve:
    def test_a_file_url_costs_one_request_for_its_headers(self, http: HttpTestServer) -> None:
        url = http.url("tone.flac")
        before = len(http.requests)
        assert resolve(url) == [MediaItem(url)]  # a file, not live: the default HTTP module
        assert http.requests[before:] == ["/tone.flac"]

    @pytest.mark.parametrize("fmt", ["m3u", "pls", "xspf"])
    def test_playlist_urls_give_their_entries(self, http: HttpTestServer, fmt: str) -> None:
        items = resolve(http.url(f"list.{fmt}"))
        tone = http.url("tone.flac")
        assert [(i.location, i.title) for i in items] == [(tone, "First"), (tone, "Second")]

    @pytest.mark.parametrize(
        ("content_type", "body"),
        [
            ("audio/x-mpegurl", "#EXTM3U\n#EXTINF:-1,Station\nsub/../tone.flac\n"),
            ("audio/x-scpls; charset=latin-1", "[playlist]\nFile1=/tone.flac\nTitle1=Station\n"),
            (
                "application/xspf+xml",
                '<playlist xmlns="http://xspf.org/ns/0/"><trackList><track>'
                "<location>tone.flac</location><title>Station</title></track></trackList>"
                "</playlist>",
            ),
        ],
    )
    def test_playlists_are_recognised_by_content_type(
        self, http: HttpTestServer, content_type: str, body: str
    ) -> None:
        url = http.add("listen", body, content_type)  # no extension to go by
        assert resolve(url) == [MediaItem(http.url("tone.flac"), title="Station")]

    def test_a_stream_without_extension_is_not_downloaded(self, http: HttpTestServer) -> None:
        url = http.add("stream", b"\xff\xfb" * 200_000, "audio/mpeg")
        assert resolve(url) == [MediaItem(url)]
        assert resolve(http.redirect("moved", url)) == [MediaItem(url)]  # where it is now

    def test_nested_playlists_and_redirects(self, http: HttpTestServer) -> None:
        inner = http.add("nest/inner.pls", "[playlist]\nFile1=../tone.flac\n", "audio/x-scpls")
        moved = http.redirect("old/inner.pls", inner)
        outer = http.add("outer.m3u", f"#EXTINF:-1,My Station\n{moved}\n", "audio/x-mpegurl")
        assert resolve(outer) == [MediaItem(http.url("tone.flac"), title="My Station")]

    def test_playlist_loops_and_deep_nesting_are_refused(self, http: HttpTestServer) -> None:
        loop = http.add("loop.m3u", "loop.m3u\n", "audio/x-mpegurl")
        with pytest.raises(PlaybackError, match="refers to itself"):
            resolve(loop)
        for depth in range(5):
            http.add(f"deep{depth}.m3u", f"deep{depth + 1}.m3u\n", "audio/x-mpegurl")
        http.add("deep5.m3u", "tone.flac\n", "audio/x-mpegurl")
        with pytest.raises(PlaybackError, match="nested too deeply"):
            resolve(http.url("deep0.m3u"))
        assert resolve(http.url("deep2.m3u")) == [MediaItem(http.url("tone.flac"))]

    def test_hls_is_passed_through(self, http: HttpTestServer) -> None:
        hls = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\nseg0.ts\n"
        url = http.add("live/index.m3u8", hls, "application/vnd.apple.mpegurl")
        assert resolve(url) == [MediaItem(url)]

    def test_a_local_playlist_resolves_files_and_remote_playlists(
        self, http: HttpTestServer, tmp_path: Path
    ) -> None:
        (tmp_path / "a.flac").write_bytes(b"")
        playlist = tmp_path / "mix.m3u"
        playlist.write_text(f"a.flac\n#EXTINF:-1,Radio\n{http.url('list.pls')}\n")
        items = resolve(playlist)
        tone = http.url("tone.flac")
        assert [(i.location, i.title) for i in items] == [
            (str(tmp_path / "a.flac"), ""),
            (tone, "First"),
            (tone, "Second"),
        ]
        assert resolve(tmp_path / "a.flac") == [MediaItem(str(tmp_path / "a.flac"))]

    @pytest.mark.parametrize(
        ("make_url", "expected"),
        [
            (lambda h: f"http://127.0.0.1:{free_port()}/radio.pls", "cannot connect"),
            (lambda h: h.url("gone.pls"), "not found on the server (404)"),
            (lambda h: "http://nonexistent.invalid/", "unknown server nonexistent.invalid"),
            (lambda h: h.add("bin.m3u", bytes(range(256)) * 8, "audio/x-mpegurl"), "not a"),
            (lambda h: h.add("page", "<!DOCTYPE html><p>hi", "audio/x-scpls"), "web page"),
            (lambda h: h.add("empty.pls", "[playlist]\n", "audio/x-scpls"), "is empty"),
        ],
        ids=["refused", "404", "dns", "garbage", "html", "empty"],
    )
    def test_failures_are_readable(
        self, http: HttpTestServer, make_url: Callable[[HttpTestServer], str], expected: str
    ) -> None:
        url = make_url(http)
        with pytest.raises(PlaybackError) as info:
            resolve(url)
        assert expected in info.value.short
        assert info.value.detail

    def test_a_silent_server_and_a_huge_playlist_are_refused(self, http: HttpTestServer) -> None:
        with httpx.Client(timeout=1.0) as quick, pytest.raises(PlaybackError) as info:
            resolve(http.url("hang/list.pls"), client=quick)
        assert "does not answer" in info.value.short
        huge = http.add("huge.m3u", b"#\n" * (MAX_PLAYLIST_BYTES // 2 + 1), "audio/x-mpegurl")
        with pytest.raises(PlaybackError, match="too large"):
            resolve(huge)

    @needs_icecast
    def test_live_streams_open_at_their_live_location(self, http: HttpTestServer) -> None:
        with IcecastServer(name=None) as station:  # no icy-name: liveness from other headers
            live = live_location(station.url)
            assert live.startswith("icyx://")
            assert resolve(station.url) == [MediaItem(live)]
            listing = http.add("station.pls", f"[playlist]\nFile1={station.url}\n", "audio/x-scpls")
            assert [i.location for i in resolve(listing)] == [live]
            spare = http.add(
                "mirrors.m3u", f"{station.url}\n{http.url('tone.flac')}\n", "audio/x-mpegurl"
            )
            assert [i.location for i in resolve(spare)] == [live, http.url("tone.flac")]


# ---- playing ---------------------------------------------------------------------------------
@dataclass
class Owner:
    """The owner's loop: drain events into the watchdog, apply what it decides."""

    engine: VlcEngine
    watchdog: StreamWatchdog
    events: list[Event] = field(default_factory=list)
    actions: list[WatchdogAction] = field(default_factory=list)

    def play(self, item: MediaItem) -> None:
        self.engine.load(item)
        self.engine.play()
        self.watchdog.watch(item)

    def pump(self) -> None:
        for event in self.engine.drain_events():
            self.events.append(event)
            self.watchdog.observe(event)
        action = self.watchdog.check()
        if action is not None:
            self.actions.append(action)
            self.watchdog.apply(self.engine, action)

    def run_until(self, done: Callable[[], bool], timeout: float, what: str) -> float:
        """Pump until ``done()``; return the seconds it took (fails after ``timeout``)."""
        started = time.monotonic()
        while not done():
            elapsed = time.monotonic() - started
            assert elapsed < timeout, f"{what}: not within {timeout} s; {self.summary()}"
            time.sleep(0.02)
            self.pump()
        return time.monotonic() - started

    def failure(self) -> AppError | None:
        for action in self.actions:
            if action.kind == ActionKind.FAIL:
                return action.error
        errors = [e.error for e in self.events if isinstance(e, EngineError)]
        return errors[0] if errors and self.watchdog.item is None else None

    def titles(self) -> list[str | None]:
        return [e.now_playing for e in self.events if isinstance(e, MetadataChanged)]

    def position(self) -> int:
        ticks = [e.position_ms for e in self.events if isinstance(e, PositionChanged)]
        return ticks[-1] if ticks else 0

    def summary(self) -> str:
        kinds = [type(e).__name__ for e in self.events[-12:]]
        return f"state={self.engine.state} actions={self.actions} last events={kinds}"


@pytest.fixture
def owner(tmp_path: Path) -> Iterator[Owner]:
    if not libvlc_available():
        pytest.skip("libVLC is not installed here (CI installs VLC)")
    engine = VlcEngine(output=tmp_path / "out.wav")
    yield Owner(engine, StreamWatchdog())
    engine.close()


def rms(wav_path: Path) -> float:
    """RMS level (full scale 1.0) of a 16-bit WAV, skipping its first 0.1 s."""
    with wave.open(str(wav_path), "rb") as wav:
        wav.readframes(wav.getframerate() // 10)
        samples = array.array("h", wav.readframes(wav.getnframes()))
    assert len(samples) > 0, "nothing was rendered"
    return math.sqrt(sum(x * x for x in samples) / len(samples)) / 32768


def audible(owner: Owner, at_least_ms: int = 500) -> Callable[[], bool]:
    renderer = owner.engine.renderer
    assert renderer is not None
    rate = renderer.rate or 44100
    return lambda: (
        owner.engine.state == PlaybackState.PLAYING
        and owner.position() >= at_least_ms
        and renderer.frames >= rate * at_least_ms // 1000
    )


@needs_vlc
class TestPlay:
    def test_an_http_flac_file_plays(
        self, owner: Owner, http: HttpTestServer, tmp_path: Path
    ) -> None:
        owner.play(MediaItem(http.url("tone.flac")))
        owner.run_until(audible(owner, 700), 10, "audio from an HTTP FLAC file")
        assert owner.engine.duration() == pytest.approx(6000, abs=50)
        owner.engine.close()
        assert rms(tmp_path / "out.wav") == pytest.approx(0.5 / math.sqrt(2), rel=0.1)

    def test_seeking_over_http_uses_ranges(self, owner: Owner, http: HttpTestServer) -> None:
        # served slowly, so the far end is not downloaded yet when the seek comes
        owner.play(MediaItem(http.url("slow/long.flac")))
        owner.run_until(audible(owner, 300), 10, "playing")
        assert owner.engine.duration() == pytest.approx(120_000, abs=100)
        http.ranges.clear()
        owner.engine.seek(100_000)
        owner.run_until(lambda: owner.position() >= 100_200, 10, "position after the seek")
        assert owner.position() < 105_000
        starts = [int(r.removeprefix("bytes=").split("-")[0]) for _, r in http.ranges]
        assert any(start > 1_000_000 for start in starts), http.ranges
        frames = owner.engine.renderer.frames  # type: ignore[union-attr]
        owner.run_until(
            lambda: owner.engine.renderer.frames > frames + 22050,  # type: ignore[union-attr]
            5,
            "audio after the seek",
        )

    @pytest.mark.parametrize("fmt", ["m3u", "pls", "xspf"])
    def test_a_playlist_url_plays_its_first_entry(
        self, owner: Owner, http: HttpTestServer, fmt: str
    ) -> None:
        first = resolve(http.url(f"list.{fmt}"))[0]
        owner.play(first)
        owner.run_until(audible(owner), 10, f"audio from the {fmt} entry")

    def test_a_stalled_file_is_reported(self, owner: Owner, http: HttpTestServer) -> None:
        owner.watchdog = StreamWatchdog(stall_timeout=3)
        owner.play(MediaItem(http.url("stall/tone.flac"), title="Stalled"))
        owner.run_until(owner.failure, 20, "an error for a stalled file")
        assert "Stalled" in str(owner.failure())


@needs_vlc
@needs_icecast
class TestRadio:
    def test_icecast_plays_and_reports_its_titles(
        self, owner: Owner, icecast: IcecastServer
    ) -> None:
        icecast.set_title("Kindred Test - First Song")  # ASCII: ICY titles travel as latin-1
        owner.play(MediaItem(icecast.url, title="Test FM"))
        owner.run_until(audible(owner), 10, "audio from Icecast")
        owner.run_until(lambda: "Kindred Test - First Song" in owner.titles(), 5, "first title")
        assert owner.engine.duration() is None
        icecast.set_title("Kindred Test - Second Song")
        owner.run_until(lambda: "Kindred Test - Second Song" in owner.titles(), 10, "new title")
        assert owner.actions == []

    def test_titles_of_a_station_without_icy_name(self, owner: Owner) -> None:
        """libVLC's default http module drops ICY titles unless the server sends an
        icy-name header; a live stream resolves to its ``icyx://`` location, which
        Kindred reads itself, asking for them."""
        with IcecastServer(name=None) as station:
            station.set_title("Nameless - Song")
            [item] = resolve(station.url)
            owner.play(item)
            owner.run_until(audible(owner), 10, "audio from Icecast")
            owner.run_until(lambda: "Nameless - Song" in owner.titles(), 5, "the title")
            station.set_title("Nameless - Next Song")
            owner.run_until(lambda: "Nameless - Next Song" in owner.titles(), 10, "new title")

    def test_titles_in_any_script(self, owner: Owner, icecast: IcecastServer) -> None:
        """Icecast recodes a UTF-8 title to latin-1 with HTML entities; Kindred reads
        the stream itself and shows the title as the station meant it."""
        icecast.set_title("周杰伦 - 晴天 (Café Mix)", charset="UTF-8")
        [item] = resolve(icecast.url)
        owner.play(item)
        owner.run_until(audible(owner), 10, "audio from Icecast")
        owner.run_until(lambda: "周杰伦 - 晴天 (Café Mix)" in owner.titles(), 5, "the title")
        icecast.set_title("Sigur Rós - Hoppípolla", charset="UTF-8")
        owner.run_until(lambda: "Sigur Rós - Hoppípolla" in owner.titles(), 10, "new title")

    def test_a_dropped_station_is_reconnected(self, owner: Owner, icecast: IcecastServer) -> None:
        owner.play(MediaItem(icecast.url, title="Test FM"))
        owner.run_until(audible(owner), 10, "audio from Icecast")
        icecast.stop_source()
        reconnects = lambda: [a for a in owner.actions if a.kind == ActionKind.RECONNECT]  # noqa: E731
        owner.run_until(lambda: bool(reconnects()), 15, "a reconnect after the drop")
        icecast.start_source()
        frames = owner.engine.renderer.frames  # type: ignore[union-attr]
        owner.run_until(
            lambda: (
                owner.engine.state == PlaybackState.PLAYING
                and owner.engine.renderer.frames > frames + 44100
            ),  # type: ignore[union-attr]
            15,
            "audio again once the source is back",
        )
        assert owner.failure() is None
        assert 1 <= len(reconnects()) <= 3

    def test_a_station_that_stays_down_fails_clearly(
        self, owner: Owner, icecast: IcecastServer
    ) -> None:
        owner.play(MediaItem(icecast.url, title="Test FM"))
        owner.run_until(audible(owner), 10, "audio from Icecast")
        icecast.stop_source()
        owner.run_until(owner.failure, 30, "giving up on the station")
        error = owner.failure()
        assert error is not None and error.short == "Test FM: the station stopped sending"
        kinds = [a.kind for a in owner.actions]
        assert kinds == [ActionKind.RECONNECT] * 3 + [ActionKind.FAIL]
        assert owner.engine.state == PlaybackState.STOPPED


@needs_vlc
@pytest.mark.parametrize(
    ("make_url", "expected"),
    [
        (lambda h: f"http://127.0.0.1:{free_port()}/live.mp3", "Cannot play Dead"),
        (lambda h: h.url("nothing-here.mp3"), "Cannot play Dead"),
        (lambda h: "http://nonexistent.invalid/live.mp3", "Cannot play Dead"),
        (lambda h: h.url("garbage.mp3"), "not an audio stream"),
        (lambda h: h.url("hang/live.mp3"), "the server does not answer"),
    ],
    ids=["refused", "404", "dns", "garbage", "no-answer"],
)
def test_a_dead_stream_ends_in_a_clear_error(
    owner: Owner,
    http: HttpTestServer,
    make_url: Callable[[HttpTestServer], str],
    expected: str,
) -> None:
    owner.play(MediaItem(make_url(http), title="Dead"))
    owner.run_until(owner.failure, DEAD_STREAM_BOUND_S, "a clear error")
    error = owner.failure()
    assert error is not None and expected in error.short
    assert owner.engine.state in (PlaybackState.ERROR, PlaybackState.STOPPED)
