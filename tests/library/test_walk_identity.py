"""A folder's identity in the walk: on Windows a listing's stat has no inode."""

from __future__ import annotations

import os
from pathlib import Path

from player.library.walk import folder_stat


def test_a_folder_without_an_inode_from_its_listing_is_stat_ed_for_one(tmp_path: Path) -> None:
    """On Windows a listing's stat has no inode or device: the folder's own stat gives them,
    so two folders never look like one (which would leave the second unwalked)."""
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    own = [os.stat(first), os.stat(second)]
    as_listed = [os.stat_result((s.st_mode, 0, 0, 1, 0, 0, 0, 0, 0, 0)) for s in own]
    keys = {
        (st.st_dev, st.st_ino)
        for st in (folder_stat(str(p), s) for p, s in zip((first, second), as_listed, strict=True))
    }
    assert keys == {(s.st_dev, s.st_ino) for s in own} and len(keys) == 2
    assert folder_stat(str(first), own[0]) is own[0]  # a real identity is kept as it is
