"""Live streams read by Kindred: the ICY parser, title decoding, and the connection."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from player.audio.httpclient import http_client
from player.audio.icy import (
    IcyParser,
    IcyStream,
    decode_title,
    is_live_location,
    live_location,
    url_of,
)
from tests.netservers import HttpTestServer


def icy_block(title: bytes) -> bytes:
    body = b"StreamTitle='" + title + b"';"
    size = -(-len(body) // 16)
    return bytes([size]) + body.ljust(size * 16, b"\0")


def icy_stream(metaint: int, audio: bytes, titles: dict[int, bytes]) -> bytes:
    """Audio with a metadata block after every *metaint* bytes (title or empty)."""
    out = bytearray()
    for n, start in enumerate(range(0, len(audio), metaint)):
        out += audio[start : start + metaint]
        if start + metaint <= len(audio):
            out += icy_block(titles[n]) if n in titles else b"\0"
    return bytes(out)


def test_audio_and_titles_come_apart_whatever_the_chunking() -> None:
    audio = bytes(range(256)) * 40  # 10,240 bytes
    wire = icy_stream(1000, audio, {0: b"First", 4: b"Second"})
    for size in (1, 7, 1000, 1001, 4096, len(wire)):
        parser = IcyParser(1000)
        got, titles = bytearray(), []
        for i in range(0, len(wire), size):
            chunk_audio, chunk_titles = parser.feed(wire[i : i + size])
            got += chunk_audio
            titles += chunk_titles
        assert bytes(got) == audio, size
        assert titles == ["First", "Second"], size


def test_a_stream_without_metadata_is_all_audio() -> None:
    assert IcyParser(0).feed(b"\x00\x10StreamTitle='x';") == (b"\x00\x10StreamTitle='x';", [])


def test_an_impossible_interval_is_refused() -> None:
    with pytest.raises(ValueError):
        IcyParser(-1)
    with pytest.raises(ValueError):
        IcyParser(1 << 30)


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("周杰伦 - 晴天".encode(), "周杰伦 - 晴天"),  # sent as UTF-8
        ("Sigur Rós - Hoppípolla".encode("cp1252"), "Sigur Rós - Hoppípolla"),  # latin-1
        (b"&#21608;&#26480;&#20262; - caf\xe9", "周杰伦 - café"),  # Icecast's recoding
        (b"Tom &amp; Jerry", "Tom & Jerry"),
        (b"  spaced \x00 out  ", "spaced out"),
    ],
)
def test_titles_read_as_the_station_meant_them(raw: bytes, title: str) -> None:
    assert decode_title(raw) == title


def test_live_locations() -> None:
    assert live_location("http://h:8000/live") == "icyx://h:8000/live"
    assert live_location("https://h/live") == "icyxs://h/live"
    assert live_location("/music/a.flac") == "/music/a.flac"
    assert url_of("icyxs://h/live") == "https://h/live"
    assert is_live_location("icyx://h/") and not is_live_location("http://h/")


@pytest.fixture
def http(tmp_path: Path) -> Iterator[HttpTestServer]:
    with HttpTestServer(tmp_path) as server:
        yield server


def read_all(stream: IcyStream, timeout: float = 5.0) -> bytes:
    out = bytearray()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data = stream.read(65536)
        if not data:
            break
        out += data
    return bytes(out)


def test_a_stream_is_read_over_one_connection(http: HttpTestServer) -> None:
    audio = bytes(range(256)) * 64
    titles: list[str] = []
    url = http.add("radio", icy_stream(4096, audio, {1: "Müller".encode()}), "audio/mpeg")
    # the test server sends no icy-metaint: all of it is audio, as from a server without ICY
    stream = IcyStream(live_location(url), http_client, on_title=titles.append)
    stream.start()
    body = read_all(stream)
    assert len(body) == len(icy_stream(4096, audio, {1: "Müller".encode()}))
    assert stream.error is None and titles == []
    assert http.requests.count("/radio") == 1


def test_a_missing_stream_gives_a_readable_error(http: HttpTestServer) -> None:
    stream = IcyStream(live_location(http.url("nowhere")), http_client)
    stream.start()
    assert stream.read(1024) is None  # libVLC is told the input failed
    assert stream.error is not None
    assert "404" in stream.error.short or "not found" in stream.error.short.lower()


def test_closing_wakes_a_waiting_reader(http: HttpTestServer) -> None:
    stream = IcyStream(live_location(http.url("hang/live")), http_client)
    stream.start()
    got: list[bytes | None] = []
    reader = threading.Thread(target=lambda: got.append(stream.read(1024)))
    reader.start()  # waits: the server never answers
    time.sleep(0.2)
    assert got == []
    stream.close()  # what libVLC's close callback does when the item is stopped
    reader.join(5)
    assert not reader.is_alive() and got == [None]
