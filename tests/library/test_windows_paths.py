"""Windows paths in the library, proven on any OS with the ``nt`` flavour: playlists
and CUE sheets written on Windows, the store's lookups, a library moved to another drive."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from player.library.cue import parse_cue, referenced_files, sheet_relative_name
from player.library.playlist_files import parse_playlist, resolve_location
from player.library.playlists import add_to_playlist, create_playlist, find_track
from player.library.scanner import Scanner, align_known, vanished
from player.library.store import LibraryDB, prepare
from player.library.track import TrackInfo
from player.library.walk import WalkResult, under_any

LISTS = "D:\\Lists"
#: entry as a Windows playlist holds it -> where it resolves from D:\Lists
ENTRIES = [
    ("Music\\Album/01 One.flac", "D:\\Lists\\Music\\Album\\01 One.flac"),
    ("..\\Music\\Album\\02 Two.flac", "D:\\Music\\Album\\02 Two.flac"),
    ("..\\music/ALBUM\\03 Three.flac", "D:\\music\\ALBUM\\03 Three.flac"),
    ("\\Music\\Album\\04 Four.flac", "D:\\Music\\Album\\04 Four.flac"),
    ("c:\\Music\\Élan\\05.flac", "C:\\Music\\Élan\\05.flac"),
    ("C:/Music/Élan/06.flac", "C:\\Music\\Élan\\06.flac"),
    ("\\\\nas\\share\\Jazz\\07.flac", "\\\\nas\\share\\Jazz\\07.flac"),
    ("//nas/share/Jazz/08.flac", "\\\\nas\\share\\Jazz\\08.flac"),
    ("\\\\?\\E:\\Long\\09.flac", "E:\\Long\\09.flac"),
    ("\\\\?\\UNC\\nas\\share\\10.flac", "\\\\nas\\share\\10.flac"),
    ("file:///C:/Music/%C3%89lan/11.flac", "C:\\Music\\Élan\\11.flac"),
    ("file://nas/share/Jazz/12.flac", "\\\\nas\\share\\Jazz\\12.flac"),
]


def playlist_text(fmt: str, locations: list[str]) -> str:
    if fmt in ("m3u", "m3u8"):
        return "#EXTM3U\r\n" + "".join(f"#EXTINF:1,A - T\r\n{loc}\r\n" for loc in locations)
    if fmt == "pls":
        lines = [f"File{i}={loc}" for i, loc in enumerate(locations, start=1)]
        return "[playlist]\r\n" + "\r\n".join(lines) + f"\r\nNumberOfEntries={len(lines)}\r\n"
    tracks = "".join(f"<track><location>{escape(loc)}</location></track>" for loc in locations)
    return f'<playlist version="1" xmlns="http://xspf.org/ns/0/"><trackList>{tracks}</trackList></playlist>'


@pytest.mark.parametrize("fmt", ["m3u", "m3u8", "pls", "xspf"])
def test_a_windows_playlist_resolves_against_its_folder(fmt: str) -> None:
    raw = [entry for entry, _ in ENTRIES]
    if fmt == "xspf":  # XSPF holds URIs; a bare path there is read the same way
        raw = [e for e in raw if not e.startswith("file:")]
    playlist = parse_playlist(playlist_text(fmt, raw), fmt, LISTS, flavour="nt")
    wanted = [where for entry, where in ENTRIES if entry in raw]
    assert [e.location for e in playlist.entries] == wanted
    assert not any(e.is_url for e in playlist.entries)
    assert playlist.warnings == []


@pytest.mark.parametrize(("entry", "where"), ENTRIES)
def test_each_windows_entry(entry: str, where: str) -> None:
    assert resolve_location(f"  {entry} ", LISTS, "nt") == (where, False)


def test_posix_reading_is_unchanged(tmp_path: Path) -> None:
    base = tmp_path / "lists"
    assert resolve_location("Music\\Album/01.flac", base, "posix") == (
        str(base / "Music" / "Album" / "01.flac"),
        False,
    )
    assert resolve_location("C:\\Music\\a.flac", base, "posix") == ("C:\\Music\\a.flac", False)
    assert resolve_location("http://host/live", base, "nt") == ("http://host/live", True)


# ---- CUE sheets ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "relative"),
    [
        ("Album.flac", "Album.flac"),
        ("Disc 1\\Album.flac", "Disc 1/Album.flac"),
        ("Music\\Album/01.flac", "Music/Album/01.flac"),
        ("..\\Images\\Album.ape", "../Images/Album.ape"),
        ("C:\\Rips\\CDImage.wav", "CDImage.wav"),
        ("c:/Rips/CDImage.wav", "CDImage.wav"),
        ("C:CDImage.wav", "CDImage.wav"),
        ("\\Rips\\CDImage.wav", "CDImage.wav"),
        ("\\\\nas\\rips\\CDImage.wav", "CDImage.wav"),
        ("\\\\?\\C:\\Rips\\CDImage.wav", "CDImage.wav"),
        ("\\\\?\\UNC\\nas\\rips\\CDImage.wav", "CDImage.wav"),
        ("/home/me/rips/CDImage.wav", "CDImage.wav"),
    ],
)
def test_cue_file_names_from_any_machine(name: str, relative: str) -> None:
    assert sheet_relative_name(name) == relative


def test_cue_sheet_with_mixed_separators_finds_its_files(tmp_path: Path) -> None:
    (tmp_path / "Disc 1" / "Sub").mkdir(parents=True)
    (tmp_path / "Disc 1" / "Sub" / "Part One.flac").write_bytes(b"x")
    (tmp_path / "Part Two.FLAC").write_bytes(b"x")
    cue = tmp_path / "Album.cue"
    cue.write_text(
        'FILE "Disc 1\\Sub/Part One.flac" WAVE\r\n  TRACK 01 AUDIO\r\n    INDEX 01 00:00:00\r\n'
        'FILE "D:\\Rips\\part two.flac" WAVE\r\n  TRACK 02 AUDIO\r\n    INDEX 01 00:00:00\r\n',
        encoding="utf-8",
    )
    assert referenced_files(parse_cue(cue), cue) == [
        tmp_path / "Disc 1" / "Sub" / "Part One.flac",
        tmp_path / "Part Two.FLAC",
    ]


# ---- the store ---------------------------------------------------------------------
def track(path: str, title: str = "T", **extra: object) -> TrackInfo:
    info = TrackInfo(path=path, title=title, artists=["A"], album="B", duration=200.0, size=1000)
    for name, value in extra.items():
        setattr(info, name, value)
    return info


@pytest.fixture
def nt_db(tmp_path: Path) -> Iterator[LibraryDB]:
    with LibraryDB(tmp_path / "lib.db", flavour="nt") as db:
        yield db


STORED = [
    "C:\\Music\\Élan\\01 A.flac",
    "C:\\Music\\Rock\\02 B.flac",
    "\\\\nas\\share\\Jazz\\03 C.flac",
    "D:\\Музыка\\04 D.flac",
]


@pytest.mark.parametrize(
    ("spelling", "index"),
    [
        ("C:\\Music\\Élan\\01 A.flac", 0),
        ("c:\\music\\élan\\01 a.FLAC", 0),
        ("C:/Music/ÉLAN/01 A.flac", 0),
        ("\\\\?\\C:\\MUSIC\\Élan\\01 A.flac", 0),
        ("c:\\music\\rock\\02 b.flac", 1),
        ("C:\\Music\\Rock\\..\\Rock\\02 B.flac", 1),
        ("\\\\NAS\\Share\\jazz\\03 c.flac", 2),
        ("\\\\?\\UNC\\nas\\share\\Jazz\\03 C.flac", 2),
        ("//nas/share/Jazz/03 C.flac", 2),
        ("d:\\МУЗЫКА\\04 d.flac", 3),
    ],
)
def test_windows_store_finds_a_track_by_any_spelling(
    nt_db: LibraryDB, spelling: str, index: int
) -> None:
    ids = nt_db.upsert_tracks([track(p) for p in STORED])
    assert nt_db.track_id(spelling) == ids[index]
    assert [row[0] for row in nt_db.tracks_at(spelling)] == [ids[index]]


@pytest.mark.parametrize(
    "spelling",
    ["C:\\Music\\Elan\\01 A.flac", "D:\\Music\\Élan\\01 A.flac", "C:\\Music\\Élan\\01 A.flac\\x"],
)
def test_windows_store_does_not_confuse_other_files(nt_db: LibraryDB, spelling: str) -> None:
    nt_db.upsert_tracks([track(p) for p in STORED])
    assert nt_db.track_id(spelling) is None
    assert nt_db.tracks_at(spelling) == []


def test_windows_upsert_of_another_spelling_updates_the_same_row(nt_db: LibraryDB) -> None:
    (first,) = nt_db.upsert_tracks([track("C:\\Music\\a.flac", "Old")])
    assert nt_db.upsert_tracks([track("C:\\Music\\A.FLAC", "New")]) == [first]
    assert nt_db.track_count() == 1
    stored = nt_db.get_track(first)
    assert stored is not None and (stored.path, stored.title) == ("C:\\Music\\A.FLAC", "New")


def test_posix_store_stays_exact_and_has_no_extra_index(tmp_path: Path) -> None:
    with LibraryDB(tmp_path / "posix.db", flavour="posix") as db:
        (tid,) = db.upsert_tracks([track("/Music/A.flac")])
        assert db.track_id("/Music/A.flac") == tid
        assert db.track_id("/music/a.flac") is None
        db.upsert_tracks([track("/music/a.flac")])
        assert db.track_count() == 2
        indexes = {r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type='index'")}
        assert "tracks_path_nocase" not in indexes


def test_windows_lookup_uses_the_nocase_index(nt_db: LibraryDB) -> None:
    plan = " ".join(
        str(row[-1])
        for row in nt_db.query(
            "EXPLAIN QUERY PLAN SELECT DISTINCT path FROM tracks WHERE path = ? COLLATE NOCASE",
            ("C:\\X",),
        )
    )
    assert "tracks_path_nocase" in plan


def test_a_windows_playlist_links_to_library_tracks(nt_db: LibraryDB) -> None:
    ids = nt_db.upsert_tracks([track(p) for p in STORED])
    image = [
        track(
            "C:\\Music\\Live\\Image.flac",
            "Intro",
            subtrack=1,
            cue_path="C:\\Music\\Live\\Image.cue",
        ),
        track(
            "C:\\Music\\Live\\Image.flac", "Song", subtrack=2, cue_path="C:\\Music\\Live\\Image.cue"
        ),
    ]
    intro, song = nt_db.upsert_tracks(image)
    text = (
        "#EXTM3U\n"
        "..\\music\\élan/01 a.flac\n"  # relative to C:\Lists, other case, mixed separators
        "\\\\?\\c:\\MUSIC\\rock\\02 b.flac\n"
        "//NAS/share/jazz/03 C.flac\n"
        "C:\\Music\\Missing.flac\n"
        "#EXTINF:5,A - Song\n"
        "c:/music/live/IMAGE.flac\n"
        "..\\Music\\Live\\image.CUE\n"
    )
    entries = parse_playlist(text, "m3u", "C:\\Lists", flavour="nt").entries
    playlist = create_playlist(nt_db, "From Windows")
    items = add_to_playlist(nt_db, playlist, entries)
    linked = [
        nt_db.scalar("SELECT track_id FROM playlist_items WHERE id = ?", (item,)) for item in items
    ]
    assert linked == [ids[0], ids[1], ids[2], None, song, intro]
    assert find_track(nt_db, "C:\\Music\\Rock\\02 B.flac") == ids[1]
    assert find_track(nt_db, "Music\\Rock\\02 B.flac") is None  # relative: not a location


# ---- a library moved to another drive ---------------------------------------------------
def test_walk_roots_hold_paths_by_identity_on_windows() -> None:
    assert under_any("C:\\Music\\Rock\\a.flac", ["c:\\music"], "nt")
    assert under_any("\\\\nas\\share\\a.flac", ["\\\\?\\UNC\\NAS\\share\\"], "nt")
    assert not under_any("C:\\Musicals\\a.flac", ["C:\\Music"], "nt")
    assert not under_any("/Music/a.flac", ["/music"], "posix")


def test_stored_spellings_follow_the_walk_on_windows() -> None:
    known = {"C:\\music\\a.flac": (1, 2, ""), "C:\\Music\\gone.flac": (3, 4, "")}
    files = {"C:\\Music\\A.flac": (1, 2)}
    assert align_known(known, files, "nt") == {
        "C:\\Music\\A.flac": (1, 2, ""),
        "C:\\Music\\gone.flac": (3, 4, ""),
    }
    assert align_known(known, files, "posix") is known


def test_moving_the_library_from_d_to_e_keeps_its_history(nt_db: LibraryDB) -> None:
    old = ["D:\\Music\\Album\\01 One.flac", "D:\\Music\\Album\\02 Two.flac"]
    ids = nt_db.upsert_tracks([track(p, f"Song {i}") for i, p in enumerate(old)])
    nt_db.record_play(ids[1], listened_ms=60_000, finished=True)
    nt_db.set_rating(ids[1], rating=5, liked=True)
    new = [p.replace("D:\\Music", "E:\\music") for p in old]
    found = WalkResult(
        files={p: (1000, 1) for p in new},
        roots_ok=["E:\\music"],
        roots_missing={"D:\\Music": "Folder not found"},
    )
    known = align_known(nt_db.file_index(), found.files, "nt")
    gone, strays = vanished(known, found, "nt")
    assert gone == set() and strays == set(old)  # kept: D: may only be unplugged
    by_key = {key: tid for tid, path, _sub, key in nt_db.track_keys() if path in strays}
    for i, path in enumerate(new):  # what the scanner does with a stray whose content turns up
        row = prepare(track(path, f"Song {i}"))
        nt_db.move_track(by_key[row.content_key], row)
    assert [nt_db.track_id(p.upper()) for p in new] == ids
    assert [nt_db.track_id(p) for p in old] == [None, None]
    assert nt_db.scalar("SELECT play_count FROM tracks WHERE id = ?", (ids[1],)) == 1
    assert nt_db.query("SELECT rating, liked FROM ratings WHERE track_id = ?", (ids[1],)) == [
        (5, 1)
    ]


def test_files_seen_by_another_spelling_are_not_gone_on_windows(nt_db: LibraryDB) -> None:
    nt_db.upsert_tracks([track("C:\\music\\a.flac")])
    found = WalkResult(files={"C:\\Music\\A.flac": (1000, 1)}, roots_ok=["C:\\Music"])
    known = align_known(nt_db.file_index(), found.files, "nt")
    assert vanished(known, found, "nt") == (set(), set())
    # compared exactly, the stored spelling is a file the walk did not see
    assert vanished(nt_db.file_index(), found, "posix") == (set(), {"C:\\music\\a.flac"})


def test_windows_roots_are_one_folder_whatever_the_spelling(nt_db: LibraryDB) -> None:
    nt_db.add_roots(["c:/Music", "C:\\music\\", "\\\\?\\C:\\MUSIC", "d:\\Rips"])
    assert nt_db.roots() == ["C:\\Music", "D:\\Rips"]
    nt_db.upsert_tracks([track("C:\\Music\\a.flac"), track("C:\\Musicals\\b.flac")])
    assert nt_db.remove_root("c:\\MUSIC", drop_tracks=True) == 1
    assert nt_db.roots() == ["D:\\Rips"]
    assert nt_db.track_id("C:\\Musicals\\b.flac") is not None


@pytest.mark.parametrize(("flavour", "claimed"), [("nt", True), ("posix", False)])
def test_a_sheet_claims_its_image_whatever_the_case_on_windows(
    tmp_path: Path, flavour: str, claimed: bool
) -> None:
    (tmp_path / "Album.flac").write_bytes(b"x")
    cue = tmp_path / "Album.cue"
    cue.write_text('FILE "Album.flac" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n', "utf-8")
    walked = str(tmp_path / "ALBUM.FLAC")  # how Windows may spell what the sheet names
    with LibraryDB(tmp_path / "lib.db", flavour=flavour) as db:  # type: ignore[arg-type]
        found, errors, good = Scanner(db)._claim_cue_files({walked: (1, 1)}, {str(cue): (1, 1)})
    assert (found == {walked: str(cue)}) is claimed
    assert (good == {str(cue)}) is claimed and (errors == []) is claimed
