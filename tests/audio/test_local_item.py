"""local_item: the queue item for a file, from the library's row when it has one, else its tags."""

from __future__ import annotations

from pathlib import Path

from player.audio.session import local_item
from player.library.scanner import Scanner
from player.library.store import LibraryDB
from tests.audiogen import make_audio, requires_ffmpeg, tag


@requires_ffmpeg
def test_library_row_first_then_tags_then_the_bare_file(tmp_path: Path) -> None:
    music = tmp_path / "music"
    music.mkdir()
    known = make_audio(music / "known.flac", "flac", seconds=0.5)
    tag(known, title="Known", artists=["Ann"], album="Shared", album_artists=["Various"])
    with LibraryDB(tmp_path / "library.db") as db:
        Scanner(db, workers=1).scan([music])
        tag(known, title="Retagged on disk", artists=["Ann"], album="Shared")
        loose = make_audio(tmp_path / "loose.flac", "flac", seconds=0.5)
        tag(loose, title="Loose", artists=["Bo"])
        broken = tmp_path / "broken.flac"
        broken.write_bytes(b"not audio at all")

        item = local_item(str(known), db)
        assert item.track_id == db.track_id(str(known))
        assert (item.title, item.artist) == ("Known", "Ann")  # the library's view until a rescan
        assert item.album_key == "Various\x1fShared" and item.duration_ms > 0
        outside = local_item(str(loose), db)
        assert outside.track_id is None and outside.title == "Loose"
        assert local_item(str(known)).title == "Retagged on disk"  # no library: the file's tags
        bare = local_item(str(broken), db)
        assert bare.location == str(broken) and bare.title == "" and bare.track_id is None
