"""Changing a smart playlist's query."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.errors import PlaylistError, QueryError
from player.library.playlists import create_playlist, get_playlist, set_playlist_query
from player.library.store import LibraryDB


@pytest.fixture
def db(tmp_path: Path):
    with LibraryDB(tmp_path / "library.db") as library:
        yield library


def test_set_playlist_query_changes_only_smart_playlists(db: LibraryDB) -> None:
    smart = create_playlist(db, "Loud", query="genre:rock")
    set_playlist_query(db, smart, "  genre:metal year:>2000 ")
    assert get_playlist(db, smart).query == "genre:metal year:>2000"
    with pytest.raises(QueryError):
        set_playlist_query(db, smart, "year:abc")
    assert get_playlist(db, smart).query == "genre:metal year:>2000"
    normal = create_playlist(db, "Chosen")
    with pytest.raises(PlaylistError, match="not a smart playlist"):
        set_playlist_query(db, normal, "genre:rock")
    assert get_playlist(db, normal).query is None
    with pytest.raises(PlaylistError, match="no longer exists"):
        set_playlist_query(db, 999, "genre:rock")
