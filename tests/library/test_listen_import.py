"""Importing a listening history: ListenBrainz and Last.fm exports, the Last.fm API, dedupe."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from player.cli import main
from player.library import history, listen_import
from player.library.lastfm_history import LastfmError, import_lastfm
from player.library.listen_formats import HistoryFormatError, read_history
from player.library.listening_stats import listening_stats
from player.library.store import LibraryDB
from player.library.track import TrackInfo
from tests.lastfm_server import API_KEY, LastfmTestServer, Scrobble

MBID_B = "b1b1b1b1-0000-4000-8000-000000000001"
T0 = 1_706_725_200  # 31 Jan 2024 18:20 UTC


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "lib.db"
    with LibraryDB(path) as db:
        db.upsert_tracks(
            [
                TrackInfo(
                    path="/m/a.flac", title="Alpha Song", artists=["Ann Artist"], duration=200.0
                ),
                TrackInfo(
                    path="/m/b.flac",
                    title="Beta (2011 Remaster)",
                    artists=["Bob Band"],
                    duration=180.0,
                    mb_recording_id=MBID_B,
                ),
                TrackInfo(path="/m/c.flac", title="Gamma", artists=["Cat Crew"], duration=240.0),
                # same name, another recording (a live version 9 minutes long)
                TrackInfo(
                    path="/m/c-live.flac", title="Gamma", artists=["Cat Crew"], duration=540.0
                ),
            ]
        )
    return path


def ids(db: LibraryDB) -> dict[str, int]:
    return {Path(p).stem: int(t) for t, p in db.query("SELECT id, path FROM tracks")}


def lb_listen(artist: str, title: str, when: int, **info: object) -> dict[str, object]:
    mapping = {"recording_mbid": info.pop("mapped")} if "mapped" in info else {}
    return {
        "listened_at": when,
        "recording_msid": "x",
        "track_metadata": {
            "artist_name": artist,
            "track_name": title,
            "release_name": "Some Album",
            "additional_info": {"submission_client": "test", **info},
            "mbid_mapping": mapping,
        },
    }


def lb_listens() -> list[dict[str, object]]:
    return [
        lb_listen("Ann Artist", "Alpha Song", T0),
        lb_listen("ann artist", "ALPHA SONG (feat. Zed)", T0 + 300),  # normalised match
        lb_listen("Someone", "Renamed", T0 + 600, mapped=MBID_B),  # MBID wins over names
        lb_listen("Cat Crew", "Gamma", T0 + 900, duration_ms=541_000),  # the live one
        lb_listen("Cat Crew", "Gamma", T0 + 1200, duration_ms=100_000),  # neither: kept apart
        lb_listen("Dan Unknown", "Delta", T0 + 1500, recording_mbid="d0"),
        lb_listen("Dan Unknown", "Epsilon", T0 + 1800),
    ]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def check_lb_import(db_path: Path) -> None:
    with LibraryDB(db_path) as db:
        t = ids(db)
        plays = db.query(
            "SELECT track_id, played_at, finished, imported_from FROM plays ORDER BY played_at"
        )
        assert plays == [
            (t["a"], T0, 1, "listenbrainz"),
            (t["a"], T0 + 300, 1, "listenbrainz"),
            (t["b"], T0 + 600, 1, "listenbrainz"),
            (t["c-live"], T0 + 900, 1, "listenbrainz"),
        ]
        assert db.scalar("SELECT play_count FROM tracks WHERE id = ?", (t["a"],)) == 2
        kept = db.query(
            "SELECT artist, title, mbid, source FROM imported_listens ORDER BY listened_at"
        )
        assert kept == [
            ("Cat Crew", "Gamma", "", "listenbrainz"),
            ("Dan Unknown", "Delta", "d0", "listenbrainz"),
            ("Dan Unknown", "Epsilon", "", "listenbrainz"),
        ]
        assert listen_import.artist_listens(db) == {
            "cat crew": (1, T0 + 1200),
            "dan unknown": (2, T0 + 1800),
        }


SUMMARY = (
    "Imported 7 listens: 4 matched to 3 tracks, 3 not in the library (2 artists); "
    "{} already imported."
)


@pytest.mark.parametrize("shape", ["json", "jsonl", "payload", "zip", "zip-array"])
def test_listenbrainz_export_shapes(
    shape: str, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listens = lb_listens()
    lines = "\n".join(json.dumps(x) for x in listens) + "\n"
    if shape == "json":
        file = tmp_path / "listens.json"
        file.write_text(json.dumps(listens))
    elif shape == "jsonl":
        file = tmp_path / "listens.jsonl"
        file.write_text(lines)
    elif shape == "payload":  # the API's shape, as saved from /1/user/NAME/listens
        file = tmp_path / "page.json"
        file.write_text(json.dumps({"payload": {"count": 7, "listens": listens}}))
    else:
        file = tmp_path / "export.zip"
        with zipfile.ZipFile(file, "w") as archive:
            archive.writestr("user.json", json.dumps({"user_id": 1, "username": "me"}))
            archive.writestr("feedback.jsonl", json.dumps({"score": 1, "recording_mbid": "x"}))
            if shape == "zip":
                archive.writestr(
                    "listens/2024/1.jsonl", "\n".join(json.dumps(x) for x in listens[:4])
                )
                archive.writestr(
                    "listens/2024/2.jsonl", "\n".join(json.dumps(x) for x in listens[4:])
                )
            else:
                archive.writestr("listens.json", json.dumps(listens))
    code, out, _ = run(["import-history", str(file), "--db", str(db_path)], capsys)
    assert code == 0
    assert out.strip() == SUMMARY.format(0)
    check_lb_import(db_path)
    # the same export again: nothing twice
    code, out, _ = run(["import-history", str(file), "--db", str(db_path), "--json"], capsys)
    assert code == 0
    assert json.loads(out) == {"listens": 7, "matched": 4, "tracks": 3, "unmatched": 3,
                               "unmatched_artists": 2, "already_imported": 7}  # fmt: skip
    check_lb_import(db_path)


LASTFM_HEADER = (
    "uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid\n"
    f'{T0 + 60},"31 Jan 2024, 18:21",Ann Artist,,Album,,Alpha Song,\n'
    f'{T0},"31 Jan 2024, 18:20",Bob Band,,Album,,Beta,\n'
    f'{T0 - 60},"31 Jan 2024, 18:19",Eve Elsewhere,,"Far, Away",,Zeta,\n'
)
LASTFM_PLAIN = (
    "Ann Artist,Album,Alpha Song,31 Jan 2024 18:21\n"
    "Bob Band,Album,Beta,31 Jan 2024 18:20\n"
    'Eve Elsewhere,"Far, Away",Zeta,31 Jan 2024 18:19\n'
)


@pytest.mark.parametrize("text", [LASTFM_HEADER, LASTFM_PLAIN], ids=["header", "headerless"])
def test_lastfm_csv_shapes(
    text: str, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "scrobbles.csv"
    file.write_text(text, encoding="utf-8")
    code, out, _ = run(["import-history", str(file), "--db", str(db_path)], capsys)
    assert code == 0, out
    assert out.strip() == (
        "Imported 3 listens: 2 matched to 2 tracks, 1 not in the library (1 artists); "
        "0 already imported."
    )
    with LibraryDB(db_path) as db:
        t = ids(db)
        assert db.query(
            "SELECT track_id, played_at, imported_from FROM plays ORDER BY played_at"
        ) == [
            (t["b"], T0, "lastfm"),
            (t["a"], T0 + 60, "lastfm"),
        ]
        assert db.query("SELECT artist, album, title, listened_at FROM imported_listens") == [
            ("Eve Elsewhere", "Far, Away", "Zeta", T0 - 60)
        ]
    code, out, _ = run(["import-history", str(file), "--db", str(db_path)], capsys)
    assert out.strip().endswith("3 already imported.")


def test_not_a_history(tmp_path: Path) -> None:
    bad = tmp_path / "notes.json"
    bad.write_text(json.dumps([{"hello": 1}]))
    with pytest.raises(HistoryFormatError):
        list(read_history(bad))
    csv = tmp_path / "x.csv"
    csv.write_text("just one column\n")
    with pytest.raises(HistoryFormatError):
        list(read_history(csv))


def test_imported_plays_feed_listening_stats(db_path: Path, tmp_path: Path) -> None:
    file = tmp_path / "listens.json"
    file.write_text(json.dumps(lb_listens()))
    with LibraryDB(db_path) as db:
        listen_import.import_listens(db, read_history(file))
        stats = listening_stats(db, None)
        assert stats.plays == 4 and stats.tracks == 3
        assert stats.top_tracks[0].name == "Alpha Song" and stats.top_tracks[0].plays == 2
        assert round(stats.minutes) == round((200 * 2 + 180 + 541) / 60)
        # imported plays are played to the end: they count for the recommender's taste
        totals = {row[0]: row[1] for row in history.play_totals(db, 30_000)}
        assert totals[ids(db)["a"]] == 2
        assert listen_import.imported_counts(db) == {"imported_plays": 4, "unmatched_listens": 3}


# ---- the Last.fm API ------------------------------------------------------------------
def scrobbles(n: int) -> list[Scrobble]:
    """``n`` scrobbles a minute apart: every third one a library track."""
    out = []
    for i in range(n):
        if i % 3 == 0:
            out.append(Scrobble("Ann Artist", "Alpha Song", "Album", T0 + 60 * i))
        else:
            out.append(Scrobble(f"Artist {i % 7}", f"Song {i}", "Album", T0 + 60 * i))
    return out


def test_lastfm_api_resumes_after_a_failed_page(db_path: Path) -> None:
    listens = scrobbles(700)  # 4 pages of 200
    with LastfmTestServer("alice", listens, fail_pages={3}) as api, LibraryDB(db_path) as db:
        with pytest.raises(LastfmError, match="Operation failed"):
            import_lastfm(db, "alice", API_KEY, root=api.root, now=T0 + 10**6, retry_wait=0)
        assert api.pages_served == [1, 2]
        assert [r["page"] for r in api.requests] == ["1", "2", "3", "3", "3"]  # tried 3 times
        api.server.fail_pages.clear()
        assert (
            db.scalar("SELECT COUNT(*) FROM imported_listens")
            + db.scalar("SELECT COUNT(*) FROM plays")
            == 400
        )
        seen: list[tuple[int, int]] = []
        summary = import_lastfm(db, "alice", API_KEY, root=api.root, now=T0 + 2 * 10**6,
                                page_done=lambda p, n, s: seen.append((p, n)))  # fmt: skip
        assert seen == [(3, 4), (4, 4)]
        assert api.pages_served == [1, 2, 3, 4]
        assert summary.listens == 300 and summary.already == 0
        assert db.scalar("SELECT COUNT(*) FROM plays WHERE imported_from = 'lastfm'") == 234
        assert db.scalar("SELECT COUNT(*) FROM imported_listens") == 466
        # the resumed run asked for the same span as the first: the "to" of its start
        assert {r["to"] for r in api.requests} == {str(T0 + 10**6)}
        assert all(r["limit"] == "200" and r["format"] == "json" for r in api.requests)
        assert all(r["method"] == "user.getRecentTracks" for r in api.requests)
        # a later run asks only for what came after
        api.server.scrobbles.append(Scrobble("Ann Artist", "Alpha Song", "Album", T0 + 10**6 + 5))
        later = import_lastfm(db, "alice", API_KEY, root=api.root, now=T0 + 3 * 10**6)
        assert later.listens == 1 and later.matched == 1
        assert api.requests[-1]["from"] == str(T0 + 10**6 + 1)


def test_lastfm_api_bad_key_and_contract(db_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    with LastfmTestServer("alice", scrobbles(5)) as api:
        monkeypatch.setenv("KINDRED_LASTFM_API_ROOT", api.root)
        monkeypatch.setenv("KINDRED_LASTFM_API_KEY", "wrong")
        code, _, err = run(
            ["import-history", "--lastfm-user", "alice", "--db", str(db_path)], capsys
        )
        assert code == 1 and "Invalid API key" in err
        monkeypatch.setenv("KINDRED_LASTFM_API_KEY", API_KEY)
        code, out, err = run(
            ["import-history", "--lastfm-user", "alice", "--db", str(db_path)], capsys
        )
        assert code == 0, err
        assert out.strip() == (
            "Imported 5 listens: 2 matched to 1 tracks, 3 not in the library (3 artists); "
            "0 already imported."
        )
        assert "page 1/1" in err
        # the server holds to the contract: a limit over 200 is refused
        import httpx

        answer = httpx.get(api.root, params={"method": "user.getRecentTracks", "user": "alice",
                                             "api_key": API_KEY, "format": "json", "limit": 201})  # fmt: skip
        assert answer.status_code == 400 and answer.json()["error"] == 6
    code, _, err = run(["import-history", "--db", str(db_path)], capsys)
    assert code == 2


def test_rematch_after_scanning_more_and_kindred_stats(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "listens.json"
    file.write_text(json.dumps(lb_listens()))
    assert main(["import-history", str(file), "--db", str(db_path)]) == 0
    code, out, _ = run(["stats", "--db", str(db_path)], capsys)
    assert code == 0
    assert "4 plays" in out
    assert "imported history: 4 of the plays, 3 listens not in the library" in out
    with LibraryDB(db_path) as db:  # Dan Unknown's album is scanned later
        db.upsert_tracks([TrackInfo(path="/m/d.flac", title="Delta", artists=["Dan Unknown"])])
        new = ids(db)["d"]
    code, out, _ = run(["import-history", "--rematch", "--db", str(db_path)], capsys)
    assert code == 0
    assert out.strip() == (
        "Matched 1 of 3 kept listens to 1 tracks; 2 still not in the library (2 artists)."
    )
    with LibraryDB(db_path) as db:
        assert db.query(
            "SELECT played_at, imported_from FROM plays WHERE track_id = ?", (new,)
        ) == [(T0 + 1500, "listenbrainz")]
        assert db.scalar("SELECT COUNT(*) FROM imported_listens") == 2
    code, out, _ = run(["stats", "--db", str(db_path), "--json"], capsys)
    stats = json.loads(out)
    assert (stats["plays"], stats["imported_plays"], stats["unmatched_listens"]) == (5, 5, 2)
    # the same export once more: every listen is already there, as a play or kept
    code, out, _ = run(["import-history", str(file), "--db", str(db_path), "--json"], capsys)
    assert json.loads(out)["already_imported"] == 7


def test_lastfm_api_key_from_the_settings_file(
    db_path: Path, kindred_home: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from player.config import Paths, Settings

    monkeypatch.delenv("KINDRED_LASTFM_API_KEY", raising=False)
    settings = Settings()
    settings.extra["lastfm_api_key"] = API_KEY
    settings.save(Paths.resolve())
    with LastfmTestServer("alice", scrobbles(3)) as api:
        monkeypatch.setenv("KINDRED_LASTFM_API_ROOT", api.root)
        code, out, err = run(
            ["import-history", "--lastfm-user", "alice", "--db", str(db_path)], capsys
        )
        assert code == 0, err
        assert out.startswith("Imported 3 listens: 1 matched to 1 tracks")
        assert api.requests[0]["api_key"] == API_KEY
