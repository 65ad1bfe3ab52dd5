"""Playlist files (M3U/M3U8/PLS/XSPF) and the library's playlists."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from player.errors import PlaylistError
from player.library import playlist_files, playlists
from player.library.playlist_files import (
    PlaylistEntry,
    parse_playlist,
    read_playlist,
    resolve_location,
    write_playlist,
)
from player.library.playlists import (
    add_to_playlist,
    create_playlist,
    delete_playlist,
    export_playlist,
    get_playlist,
    import_playlist,
    list_playlists,
    move_items,
    playlist_entries,
    remove_from_playlist,
    rename_playlist,
)
from player.library.store import LibraryDB
from player.library.track import TrackInfo

FORMATS = ["m3u", "m3u8", "pls", "xspf"]


@pytest.fixture
def music(tmp_path: Path) -> Path:
    root = tmp_path / "music"
    (root / "sub dir").mkdir(parents=True)
    (root / "周杰伦").mkdir()
    for name in ("a.flac", "sub dir/b 50%.mp3", "周杰伦/晴天.flac", "#1 hit.ogg"):
        (root / name).write_bytes(b"x")
    return root


def sample_entries(music: Path, tmp_path: Path) -> list[PlaylistEntry]:
    outside = tmp_path / "elsewhere" / "c.wav"
    return [
        PlaylistEntry(str(music / "a.flac"), "Alpha", 201.0, False, "The Band"),
        PlaylistEntry(str(music / "sub dir" / "b 50%.mp3"), "Beta", 12.5),
        PlaylistEntry(str(music / "周杰伦" / "晴天.flac"), "晴天", 269.0, False, "周杰伦"),
        PlaylistEntry(str(music / "#1 hit.ogg")),
        PlaylistEntry(str(outside), "Gamma", None),
        PlaylistEntry("https://radio.example/stream?x=1&y=2", "Radio One", None, True),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_round_trips(fmt: str, music: Path, tmp_path: Path) -> None:
    entries = sample_entries(music, tmp_path)
    target = music / f"list.{fmt}"
    write_playlist(target, entries, name="Mix 混合")
    playlist = read_playlist(target)
    assert playlist.format == fmt
    assert playlist.entries == entries
    assert playlist.warnings == []
    if fmt in ("m3u", "m3u8", "xspf"):
        assert playlist.name == "Mix 混合"
    text = target.read_text(encoding="utf-8")
    assert str(music) not in text  # files under the playlist folder are relative
    assert "elsewhere" in text and str(tmp_path / "elsewhere") in text.replace("%20", " ")
    assert [p.name for p in music.iterdir() if p.name.startswith(".")] == []  # no temp left


def test_xspf_keeps_album_and_writes_uris(music: Path, tmp_path: Path) -> None:
    entry = PlaylistEntry(str(tmp_path / "x y" / "晴天.flac"), "晴天", 1.5, False, "A", "Album")
    target = music / "list.xspf"
    write_playlist(target, [entry])
    text = target.read_text(encoding="utf-8")
    assert "file:///" in text and "x%20y/%E6%99%B4%E5%A4%A9.flac" in text
    assert "<duration>1500</duration>" in text
    assert read_playlist(target).entries == [entry]


def test_relative_to_a_library_root_and_absolute(music: Path, tmp_path: Path) -> None:
    entry = PlaylistEntry(str(music / "a.flac"), "A")
    target = music / "playlists" / "x.m3u8"
    write_playlist(target, [entry], relative_to=music)
    assert "../a.flac" in target.read_text(encoding="utf-8").splitlines()
    write_playlist(target, [entry])  # only the playlist's own folder counts: absolute
    assert str(music / "a.flac") in target.read_text(encoding="utf-8").splitlines()
    write_playlist(music / "y.m3u", [entry], relative=False)
    assert str(music / "a.flac") in (music / "y.m3u").read_text(encoding="utf-8").splitlines()
    assert read_playlist(target).entries[0].location == str(music / "a.flac")


def test_locations_of_every_kind(tmp_path: Path) -> None:
    base = tmp_path / "lists"
    text = (
        "#EXTM3U\n"
        "rel/a.mp3\n"
        "..\\x\\y.mp3\n"
        "C:\\Music\\a.flac\n"
        "\\\\server\\share\\b.flac\n"
        "file:///srv/m%C3%BAsica/a%20b.flac\n"
        "file://localhost/srv/c.flac\n"
        "file:///D:/Music/d.flac\n"
        "/abs/../abs2/z.ogg\n"
        "https://host/live.mp3\n"
        "http://host:8000/;stream\n"
    )
    playlist = parse_playlist(text, "m3u", base)
    assert [(e.location, e.is_url) for e in playlist.entries] == [
        (str(base / "rel" / "a.mp3"), False),
        (str(tmp_path / "x" / "y.mp3"), False),
        ("C:\\Music\\a.flac", False),
        ("\\\\server\\share\\b.flac", False),
        ("/srv/música/a b.flac", False),
        ("/srv/c.flac", False),
        ("D:/Music/d.flac", False),
        ("/abs2/z.ogg", False),
        ("https://host/live.mp3", True),
        ("http://host:8000/;stream", True),
    ]
    assert resolve_location("  FILE:///tmp/a.mp3 ", base) == ("/tmp/a.mp3", False)


def test_extinf_variants_and_bad_lines(tmp_path: Path) -> None:
    text = (
        "#EXTM3U\n"
        '#EXTINF:-1 tvg-id="x" group-title="News, Talk",Radio - Live\n'
        "http://host/radio\n"
        "#EXTINF:abc,Artist - Title\n"
        "a.mp3\n"
        "bad\x01line.mp3\n"
        "#EXTINF:12,dangling\n"
    )
    playlist = parse_playlist(text, "m3u", tmp_path)
    radio, track = playlist.entries
    assert (radio.title, radio.artist, radio.duration) == ("Radio - Live", "", None)
    assert (track.artist, track.title, track.duration) == ("Artist", "Title", None)
    assert playlist.warnings == [
        "line 4: malformed #EXTINF, duration ignored",
        "line 6: unreadable characters, skipped",
        "line 7: #EXTINF without an entry",
    ]


def test_m3u_encodings(tmp_path: Path) -> None:
    cp1252 = tmp_path / "old.m3u"
    cp1252.write_bytes(
        "#EXTINF:10,Mötley Crüe - Kickstart – Live\nMötley Crüe/01.mp3\n".encode("cp1252")
    )
    playlist = read_playlist(cp1252)
    assert playlist.encoding == "cp1252"
    assert playlist.entries[0].location == str(tmp_path / "Mötley Crüe" / "01.mp3")
    assert playlist.entries[0].artist == "Mötley Crüe"
    assert playlist.entries[0].title == "Kickstart – Live"
    gbk = tmp_path / "中文.m3u"
    gbk.write_bytes("#EXTINF:10,周杰伦 - 晴天\n周杰伦\\晴天.flac\n".encode("gbk"))
    assert read_playlist(gbk).entries[0].title == "晴天"
    assert read_playlist(gbk).name == "中文"
    bom = tmp_path / "bom.m3u8"
    bom.write_bytes(b"\xef\xbb\xbf#EXTM3U\n" + "晴天.flac\n".encode())
    assert read_playlist(bom).entries[0].location == str(tmp_path / "晴天.flac")
    latin = tmp_path / "latin.m3u8"  # not UTF-8 although it says so
    latin.write_bytes("Beyoncé.mp3\n".encode("latin-1"))
    assert read_playlist(latin).entries[0].location == str(tmp_path / "Beyoncé.mp3")


def test_pls_parsing_and_errors(tmp_path: Path) -> None:
    text = (
        "[playlist]\n"
        "File2=b.mp3\n"
        "File1=http://host/stream\n"
        "Title1=Radio - Station\n"
        "Length1=-1\n"
        "Title2=Artist - Song\n"
        "Length2=abc\n"
        "garbage line\n"
        "Title5=orphan\n"
        "NumberOfEntries=3\n"
        "Version=2\n"
    )
    playlist = parse_playlist(text, "pls", tmp_path)
    assert [(e.location, e.title, e.artist, e.duration) for e in playlist.entries] == [
        ("http://host/stream", "Radio - Station", "", None),
        (str(tmp_path / "b.mp3"), "Song", "Artist", None),
    ]
    assert playlist.warnings == [
        "line 7: bad length 'abc' ignored",
        "line 8: not a key=value line, skipped",
        "entry 5 has a title but no File5, skipped",
        "NumberOfEntries says 3, the file holds 2 entries",
    ]
    with pytest.raises(PlaylistError, match=r"no \[playlist\] section.*line 1"):
        parse_playlist("File1=a.mp3\nNumberOfEntries=1\n", "pls", tmp_path)


def test_xspf_errors_and_warnings(tmp_path: Path) -> None:
    truncated = (
        b'<?xml version="1.0"?>\n<playlist xmlns="http://xspf.org/ns/0/">\n<trackList>\n<track>'
    )
    with pytest.raises(PlaylistError, match=r"broken XML.*line 4") as info:
        parse_playlist(truncated, "xspf", tmp_path, "t.xspf")
    assert "t.xspf" in info.value.short
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;">]>\n<playlist><title>&lol2;</title></playlist>'
    )
    with pytest.raises(PlaylistError, match="DOCTYPE"):
        parse_playlist(bomb, "xspf", tmp_path)
    external = (
        b'<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b"<playlist><title>&x;</title></playlist>"
    )
    with pytest.raises(PlaylistError, match="DOCTYPE"):
        parse_playlist(external, "xspf", tmp_path)
    with pytest.raises(PlaylistError, match="not an XSPF"):
        parse_playlist(b"<html><body/></html>", "xspf", tmp_path)
    partial = (
        b'<playlist version="1" xmlns="http://xspf.org/ns/0/"><trackList>\n'
        b"<track><title>no location</title></track>\n"
        b"<track><location>a%20b.mp3</location><duration>1.5s</duration></track>\n"
        b"</trackList></playlist>"
    )
    playlist = parse_playlist(partial, None, tmp_path)
    assert playlist.format == "xspf"
    assert [e.location for e in playlist.entries] == [str(tmp_path / "a b.mp3")]
    assert playlist.entries[0].duration is None
    assert playlist.warnings == [
        "line 2: <track> without a <location>, skipped",
        "line 3: bad <duration> '1.5s' ignored",
    ]


def test_binary_junk_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.m3u"
    junk.write_bytes(bytes(range(1, 256)) * 8)
    with pytest.raises(PlaylistError, match="not a readable playlist: no usable entry"):
        read_playlist(junk)
    with_nul = tmp_path / "nul.pls"
    with_nul.write_bytes(b"[playlist]\nFile1=a\x00b\n")
    with pytest.raises(PlaylistError, match="binary data"):
        read_playlist(with_nul)
    with pytest.raises(PlaylistError, match="Cannot open playlist"):
        read_playlist(tmp_path / "absent.m3u")


def test_write_errors_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(PlaylistError, match="Cannot tell the playlist format"):
        write_playlist(tmp_path / "x.txt", [])
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(PlaylistError, match="Cannot write playlist"):
        write_playlist(blocker / "x.m3u", [PlaylistEntry("/a.mp3")])
    target = tmp_path / "keep.m3u"
    target.write_text("old")
    write_playlist(target, [PlaylistEntry("/new.mp3")], relative=False)
    assert target.read_text().splitlines() == ["#EXTM3U", "/new.mp3"]


# ---- the library ---------------------------------------------------------------------------
@pytest.fixture
def db(tmp_path: Path) -> LibraryDB:
    library = LibraryDB(tmp_path / "lib.db")
    yield library
    library.close()


def add_tracks(db: LibraryDB, music: Path) -> list[int]:
    cue_image = str(music / "image.flac")
    return db.upsert_tracks(
        [
            TrackInfo(str(music / "a.flac"), title="Alpha", artists=["The Band"], duration=201),
            TrackInfo(str(music / "周杰伦" / "晴天.flac"), title="晴天", artists=["周杰伦"]),
            TrackInfo(cue_image, title="One", subtrack=1, start_ms=0, end_ms=1000, duration=1),
            TrackInfo(cue_image, title="Two", subtrack=2, start_ms=1000, end_ms=3000, duration=2),
        ]
    )


def test_import_links_tracks_and_reports_missing(db: LibraryDB, music: Path) -> None:
    alpha, sunny, one, two = add_tracks(db, music)
    playlist = music / "mix.m3u8"
    playlist.write_text(
        "#EXTM3U\n#PLAYLIST:My Mix\n"
        "#EXTINF:201,The Band - Alpha\na.flac\n"
        "周杰伦/晴天.flac\n"
        "gone/missing.mp3\n"
        "sub dir/b 50%.mp3\n"
        "C:\\Music\\win.flac\n"
        "http://radio/stream\n"
        "#EXTINF:2,Two\nimage.flac\n"
        "image.flac\n",
        encoding="utf-8",
    )
    result = import_playlist(db, playlist)
    assert result.name == "My Mix"
    assert result.added == 8
    assert result.linked == 4
    assert result.urls == 1
    assert result.missing == [str(music / "gone" / "missing.mp3"), "C:\\Music\\win.flac"]
    items = playlist_entries(db, result.playlist_id)
    assert [i.position for i in items] == list(range(8))
    assert [i.track_id for i in items] == [alpha, sunny, None, None, None, None, two, one]
    assert items[2].location == str(music / "gone" / "missing.mp3")  # kept, not dropped
    assert items[0].title == "Alpha" and items[0].artist == "The Band"
    assert items[1].title == "晴天"
    assert items[5].is_url and items[5].location == "http://radio/stream"
    assert (items[6].subtrack, items[7].subtrack) == (2, 1)
    assert get_playlist(db, result.playlist_id).name == "My Mix"
    assert import_playlist(db, playlist, name="Other").name == "Other"


def test_export_then_import_round_trip(db: LibraryDB, music: Path, tmp_path: Path) -> None:
    alpha, sunny, one, two = add_tracks(db, music)
    db.add_roots([str(music)])
    pid = create_playlist(db, "Export 出口")
    add_to_playlist(db, pid, [alpha, one, two, sunny, "http://radio/x", str(tmp_path / "nope.mp3")])
    target = music / "lists" / "out.m3u8"
    result = export_playlist(db, pid, target)
    assert (result.path, result.format, result.written) == (target, "m3u8", 6)
    # nothing exists on disk for the CUE image nor nope.mp3: written and reported
    assert result.missing == [
        str(music / "image.flac"),
        str(music / "image.flac"),
        str(tmp_path / "nope.mp3"),
    ]
    lines = target.read_text(encoding="utf-8").splitlines()
    assert "../a.flac" in lines  # under the library root: relative
    assert lines.count("../image.flac") == 2  # once per CUE subtrack
    assert "#EXTINF:1,One" in lines and "#EXTINF:2,Two" in lines
    assert str(tmp_path / "nope.mp3") in lines  # outside the root: absolute
    again = import_playlist(db, target)
    assert again.name == "Export 出口"
    assert [i.track_id for i in playlist_entries(db, again.playlist_id)] == [
        alpha, one, two, sunny, None, None,
    ]  # fmt: skip
    absolute = export_playlist(db, pid, music / "abs.xspf", relative=False)
    assert absolute.format == "xspf"
    assert "file://" + str(music / "a.flac") in (music / "abs.xspf").read_text(encoding="utf-8")


def test_playlist_editing(db: LibraryDB, music: Path) -> None:
    alpha, sunny, one, _two = add_tracks(db, music)
    pid = create_playlist(db, "  Edit   me ")
    assert get_playlist(db, pid).name == "Edit me"
    ids = add_to_playlist(db, pid, [alpha, sunny])
    inserted = add_to_playlist(db, pid, [one], position=1)
    tail = add_to_playlist(db, pid, [PlaylistEntry("http://r/x", "R", None, True)], position=99)
    assert [i.item_id for i in playlist_entries(db, pid)] == [ids[0], inserted[0], ids[1], tail[0]]
    move_items(db, pid, [tail[0], ids[0]], 1)  # kept in playlist order: ids[0] first
    order = [i.item_id for i in playlist_entries(db, pid)]
    assert order == [inserted[0], ids[0], tail[0], ids[1]]
    move_items(db, pid, [ids[1]], 0)
    assert playlist_entries(db, pid)[0].item_id == ids[1]
    assert remove_from_playlist(db, pid, [inserted[0], 12345]) == 1
    items = playlist_entries(db, pid)
    assert [i.position for i in items] == [0, 1, 2]
    with pytest.raises(PlaylistError, match="not in this playlist"):
        move_items(db, pid, [98765], 0)
    with pytest.raises(PlaylistError, match="no longer in the library"):
        add_to_playlist(db, pid, [98765])
    rename_playlist(db, pid, "Renamed")
    assert [p.name for p in list_playlists(db)] == ["Renamed"]
    with pytest.raises(PlaylistError, match="needs a name"):
        rename_playlist(db, pid, "   ")
    db.delete_tracks([alpha])  # the entry stays, unlinked, with its stored title
    kept = [i for i in playlist_entries(db, pid) if i.location == str(music / "a.flac")]
    assert kept and kept[0].track_id is None and kept[0].title == "Alpha"
    assert kept[0].artist == "The Band"
    delete_playlist(db, pid)
    assert list_playlists(db) == []
    assert db.conn.execute("SELECT COUNT(*) FROM playlist_items").fetchone()[0] == 0
    with pytest.raises(PlaylistError, match="no longer exists"):
        playlist_entries(db, pid)


def test_smart_playlists_have_no_stored_items(db: LibraryDB, tmp_path: Path) -> None:
    pid = create_playlist(db, "Loud", query="genre:rock")
    info = get_playlist(db, pid)
    assert info.is_smart and info.query == "genre:rock"
    with pytest.raises(PlaylistError, match="smart playlist"):
        add_to_playlist(db, pid, ["/a.mp3"])
    with pytest.raises(PlaylistError, match="smart playlist"):
        export_playlist(db, pid, tmp_path / "x.m3u")


def test_glue_joins_an_open_transaction(db: LibraryDB, music: Path) -> None:
    alpha = add_tracks(db, music)[0]
    with pytest.raises(RuntimeError), db.transaction():
        pid = create_playlist(db, "Rolled back")
        add_to_playlist(db, pid, [alpha])
        raise RuntimeError
    assert list_playlists(db) == []


def test_relative_location_added_by_path_is_linked(
    db: LibraryDB, music: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alpha = add_tracks(db, music)[0]
    pid = create_playlist(db, "cwd")
    monkeypatch.chdir(music)
    add_to_playlist(db, pid, ["a.flac", Path("sub dir") / "b 50%.mp3"])
    items = playlist_entries(db, pid)
    assert [i.track_id for i in items] == [alpha, None]
    assert items[1].location == os.path.join(str(music), "sub dir", "b 50%.mp3")


@pytest.mark.parametrize(
    "name",
    [
        "FORMATS", "XSPF_NS", "MAX_PLAYLIST_BYTES", "PlaylistEntry", "Playlist", "is_url",
        "is_windows_path", "file_uri_to_path", "resolve_location", "playlist_format",
        "read_playlist", "parse_playlist", "write_playlist",
    ],
)  # fmt: skip
def test_file_format_names_are_still_importable_from_playlists(name: str) -> None:
    assert getattr(playlists, name) is getattr(playlist_files, name)


def test_playlists_are_listed_with_sizes_and_found_by_id_or_name(tmp_path: Path) -> None:
    with LibraryDB(tmp_path / "library.db") as library:
        ids = library.upsert_tracks([TrackInfo(path="/m/a.flac"), TrackInfo(path="/m/b.flac")])
        mix = playlists.create_playlist(library, "Mix")
        smart = playlists.create_playlist(library, "Abc", query="year:2000")
        playlists.add_to_playlist(library, mix, ids)
        assert playlists.playlist_sizes(library) == [
            (smart, "Abc", "year:2000", 0),
            (mix, "Mix", None, 2),
        ]
        assert playlists.find_playlist(library, str(mix)) == mix
        assert playlists.find_playlist(library, "Abc") == smart
        assert playlists.find_playlist(library, "abc") is None  # names match exactly
        assert playlists.find_playlist(library, "12345") is None
