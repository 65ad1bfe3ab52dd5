"""``kindred lyrics PATH [--fetch] [--json]`` against a strict local LRCLIB."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from player.cli import main
from player.config import Paths, Settings
from player.library import lyrics_cache
from player.library.store import LibraryDB
from tests.audiogen import make_audio, requires_ffmpeg, tag
from tests.lrclib_server import LrclibServer, Record

pytestmark = requires_ffmpeg

FOUND = "[00:01.00]found online\n[00:04.50]second line\n"


@pytest.fixture
def song(tmp_path: Path, kindred_home: Path) -> tuple[Path, Path]:
    """A 6 s tagged FLAC in a scanned library: (audio path, database path)."""
    music = tmp_path / "music"
    music.mkdir()
    audio = make_audio(music / "song.flac", "flac", seconds=6.0)
    tag(audio, title="Song", artists=["Ana"], album="Disc")
    db = tmp_path / "lib.db"
    assert main(["scan", str(music), "--db", str(db)]) == 0
    return audio, db


def use_server(url: str, *, online: bool = False) -> None:
    paths = Paths.resolve()
    settings = Settings.load(paths)
    settings.lyrics_server, settings.lyrics_online = url, online
    settings.save(paths)


def test_local_bilingual_lyrics_as_json_with_the_offset_applied(
    song: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    audio, db = song
    audio.with_suffix(".lrc").write_text(
        "[00:02.00]原文\n[00:02.00]original\n[00:05.00]第二行\n", encoding="utf-8"
    )
    with LibraryDB(db) as library:
        lyrics_cache.set_offset(library, library.track_id(str(audio)), 500)
    capsys.readouterr()
    assert main(["lyrics", str(audio), "--db", str(db), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["origin"] == "file" and out["synced"] and out["offset_ms"] == 500
    assert out["lines"] == [
        {"time_ms": 1500, "text": "原文", "translation": "original"},
        {"time_ms": 4500, "text": "第二行", "translation": ""},
    ]
    assert main(["lyrics", str(audio), "--db", str(db)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "[00:01.50] 原文",
        "           original",
        "[00:04.50] 第二行",
    ]


def test_fetch_asks_even_with_lookups_off_and_the_answer_is_cached(
    song: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    audio, db = song
    with LrclibServer([Record("Song", "Ana", "Disc", 6, synced=FOUND)]) as server:
        use_server(server.url, online=False)
        capsys.readouterr()
        assert main(["lyrics", str(audio), "--db", str(db)]) == 1
        assert "--fetch" in capsys.readouterr().err
        assert server.requests == []  # lookups are off: nothing sent
        assert main(["lyrics", str(audio), "--db", str(db), "--fetch", "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert server.paths() == ["/api/get"] and server.refused == 0
        assert out["origin"] == "online" and out["kind"] == "synced"
        assert [(x["time_ms"], x["text"]) for x in out["lines"]] == [
            (1000, "found online"),
            (4500, "second line"),
        ]
        # the cached answer prints without a request, the setting still off
        assert main(["lyrics", str(audio), "--db", str(db)]) == 0
        captured = capsys.readouterr()
        assert captured.out.splitlines()[0] == "[00:01.00] found online"
        assert "cached" in captured.err
        assert len(server.requests) == 1
    assert not audio.with_suffix(".lrc").exists()  # saving .lrc files is off by default


def test_a_missing_file_is_a_clear_error(
    tmp_path: Path, kindred_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lyrics", str(tmp_path / "nope.flac"), "--db", str(tmp_path / "x.db")]) == 1
    assert "No such file" in capsys.readouterr().err
