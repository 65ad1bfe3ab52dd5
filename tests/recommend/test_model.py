"""Similar tracks: audio styles group, tags work alone, lists are diverse, reasons are given."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from player.library.store import LibraryDB
from player.recommend.features import DIM, GROUPS
from player.recommend.model import Model, TrackMeta, Weights
from player.recommend.recommender import Recommender, RecommendError
from player.recommend.tagvec import TagFields
from player.songid import song_key
from tests.recommend.conftest import PER_STYLE, style_of


def test_similar_tracks_group_by_style(styled_library: Path) -> None:
    with LibraryDB(styled_library) as db:
        rec = Recommender(db)
        hits = total = 0
        for row in db.tracks():
            results = rec.similar(row["id"], n=PER_STYLE - 1)
            assert len(results) == PER_STYLE - 1
            same = [r for r in results if style_of(r.path) == style_of(row["path"])]
            hits += len(same)
            total += len(results)
            assert all(r.reason.startswith("similar ") for r in same)
            assert all(Path(row["path"]).stem in r.reason for r in results)
            assert all(r.track_id != row["id"] for r in results)
    # chance would be about a third
    assert hits / total >= 0.8


def test_similar_by_path_and_unknown_item(styled_library: Path) -> None:
    with LibraryDB(styled_library) as db:
        rec = Recommender(db)
        path = db.tracks()[0]["path"]
        assert rec.similar(path, n=3)[0].track_id != db.track_id(path)
        with pytest.raises(RecommendError):
            rec.similar("/no/such/file.flac")


def _meta(i: int, artist: str, genre: str, year: int | None = None, title: str = "") -> TrackMeta:
    title = title or f"song {i}"
    return TrackMeta(
        i, f"/m/{i}.flac", title, artist,
        TagFields(genre=genre, artist=artist, album=f"{artist} album", year=year),
        song_key(artist, title, 200.0), 200.0,
    )  # fmt: skip


def test_tags_alone_for_tracks_not_analysed() -> None:
    metas = [
        _meta(1, "Anna", "Gamelan", 1990),
        _meta(2, "Budi", "Gamelan", 1992),
        _meta(3, "Carl", "Death Metal", 1991),
        _meta(4, "Dora", "Polka", 2020),
        _meta(5, "Anna", "Gamelan", 1995),
    ]
    model = Model(metas, {})
    result = model.similar(1, n=4)
    assert [r.track_id for r in result[:2]] == [5, 2]  # same artist+genre, then same genre
    assert "same artist and genre and era" in result[0].reason
    assert "genre" in result[1].reason and "Anna" not in result[1].artist


def test_audio_alone_for_untagged_files() -> None:
    rng = np.random.default_rng(0)
    base = rng.normal(size=(2, DIM)).astype(np.float32)
    vectors = {i: base[i % 2] + rng.normal(0, 0.1, DIM).astype(np.float32) for i in range(1, 9)}
    metas = [TrackMeta(i, f"/x/{i}.wav") for i in vectors]
    model = Model(metas, vectors)
    result = model.similar(1, n=3)
    assert {r.track_id % 2 for r in result} == {1}


def test_at_most_a_few_tracks_per_artist() -> None:
    metas = [_meta(i, "Same Band" if i <= 10 else f"Other {i}", "Jazz") for i in range(1, 21)]
    model = Model(metas, {}, Weights(max_per_artist=2))
    result = model.similar(1, n=8)
    assert sum(r.artist == "Same Band" for r in result) == 2
    assert len(result) == 8


def test_the_same_recording_in_two_files_is_left_out() -> None:
    rng = np.random.default_rng(3)
    vectors = {i: rng.normal(size=DIM).astype(np.float32) for i in range(1, 7)}
    vectors[3] = vectors[2] + 1e-4  # an untagged copy of track 2's audio
    metas = [_meta(i, f"Artist {i}", "Rock") for i in range(1, 7)]
    metas[3] = _meta(4, "Artist 1", "Rock", title="song 1")  # same song as track 1 (tags)
    metas[2] = TrackMeta(3, "/m/3.flac", duration=200.0)
    model = Model(metas, vectors)
    ids = [r.track_id for r in model.similar(1, n=5)]
    assert 4 not in ids  # the seed's own recording, another file
    assert not {2, 3} <= set(ids)  # one copy of the duplicated audio at most


def test_blend_weights_change_the_ranking() -> None:
    rng = np.random.default_rng(4)
    a = rng.normal(size=DIM).astype(np.float32)
    vectors = {1: a, 2: a + rng.normal(0, 0.05, DIM), 3: rng.normal(size=DIM), 4: rng.normal(size=DIM)}
    metas = [
        _meta(1, "X", "Folk"),
        _meta(2, "Y", "Techno"),
        _meta(3, "Z", "Folk"),
        _meta(4, "W", "Opera"),
    ]
    audio_first = Model(metas, vectors, Weights(audio=1.0, tags=0.0)).similar(1, n=1)[0]
    tags_first = Model(metas, vectors, Weights(audio=0.0, tags=1.0)).similar(1, n=1)[0]
    assert (audio_first.track_id, tags_first.track_id) == (2, 3)


def test_model_refreshes_incrementally(styled_library: Path, tmp_path: Path) -> None:
    copy = tmp_path / "lib.db"
    shutil.copy(styled_library, copy)
    with LibraryDB(copy) as db:
        rec = Recommender(db)
        assert rec.refresh() is True
        n = len(rec.model)
        assert rec.refresh() is False  # nothing changed: nothing rebuilt
        from player.library.track import TrackInfo

        with db.transaction():
            db.upsert_tracks(
                [TrackInfo(path=str(tmp_path / "new.flac"), title="New", artists=["N"])]
            )
        assert rec.refresh() is True and len(rec.model) == n + 1
        new_id = db.track_id(str(tmp_path / "new.flac"))
        assert not rec.model.has_audio[rec.model.row[new_id]]
        with db.transaction():
            db.delete_tracks([new_id])
        assert rec.refresh() is True and len(rec.model) == n
        assert rec.model.has_audio.all()


def test_reasons_name_groups_closer_than_chance_and_the_stereo_image_last() -> None:
    rng = np.random.default_rng(7)
    vectors = {i: rng.normal(size=DIM).astype(np.float32) for i in range(1, 31)}
    tempo, space = GROUPS["tempo"], GROUPS["space"]
    twin = rng.normal(size=DIM).astype(np.float32)  # unlike track 1 but in tempo and space
    twin[tempo], twin[space] = vectors[1][tempo], vectors[1][space]
    vectors[31] = twin
    only_space = rng.normal(size=DIM).astype(np.float32)
    only_space[space] = vectors[1][space]
    vectors[32] = only_space
    metas = [TrackMeta(i, f"/m/{i}.flac", title=f"t{i}") for i in vectors]
    model = Model(metas, vectors)
    why = model.why(model.row[31], model.row[1])
    assert why.audio[0] == "tempo" and set(why.audio) <= {"tempo", "space"}
    assert why.english().startswith("similar tempo")
    assert model.why(model.row[32], model.row[1]).audio == ("space",)
    noise = [model.why(model.row[i], model.row[1]).audio for i in range(2, 31)]
    assert sum(len(a) for a in noise) < len(noise)  # chance alone rarely counts as similar


def test_short_clips_come_only_for_short_seeds_or_when_nothing_else_is_left() -> None:
    rng = np.random.default_rng(11)
    base = rng.normal(size=DIM).astype(np.float32)
    seconds = {1: 240.0, 2: 12.0, 3: 8.0, 4: 200.0, 5: 180.0, 6: 9.0, 7: 300.0, 8: 0.0}
    clips = {2, 3, 6}
    vectors = {  # the clips sound closest to each other and to track 1
        i: base + rng.normal(0, 0.2 if i in clips or i == 1 else 0.8, DIM).astype(np.float32)
        for i in seconds
    }
    metas = [TrackMeta(i, f"/m/{i}.flac", f"t{i}", duration=seconds[i]) for i in vectors]
    model = Model(metas, vectors)
    assert {r.track_id for r in model.similar(1, n=4)} == {4, 5, 7, 8}  # 8: length unknown
    everything = [r.track_id for r in model.similar(1, n=7)]
    assert set(everything[:4]) == {4, 5, 7, 8} and set(everything[4:]) == clips
    assert {3, 6} <= {r.track_id for r in model.similar(2, n=3)}  # clips for a clip
