"""Hidden tracks on For You: "Not this one" can be undone from the page's "Hidden tracks" dialog.

Runs on the analysed demo library (see ``test_foryou.py``): real page, real
feedback buttons, real dialog, the library database checked underneath.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from player.recommend import feedback
from tests.ui.foryou.test_foryou import _wait_page, open_foryou


def _shown_ids(page) -> set[int]:
    return {r.item.track_id for v in page.shelves for r in v.rows}


def _dismiss(qtbot, page, row: int = 0) -> int:
    """Click "Not this one" on a row of today's mix; the id it hid."""
    mix = page.shelf("mix")
    assert mix is not None and len(mix.rows) > row
    track_id = mix.rows[row].item.track_id
    with qtbot.waitSignal(page.updated, timeout=10000):
        mix.rows[row].dismiss.click()
    _wait_page(qtbot, page)
    return track_id


def test_restore_a_dismissed_track_from_the_dialog(
    qtbot,
    open_window,
    analysed_demo_db,
    tmp_path,
) -> None:
    window, _engine, page = open_foryou(qtbot, open_window, analysed_demo_db)
    assert page.hidden_count == 0 and page.hidden_link.isHidden()  # nothing to bring back
    first = _dismiss(qtbot, page, 0)
    qtbot.wait(20)  # tell the two dismissals apart by time
    second = _dismiss(qtbot, page, 0)
    assert first != second
    assert feedback.dismissed(window.db) == {first, second}
    assert first not in _shown_ids(page) and second not in _shown_ids(page)
    assert page.hidden_link.isVisible() and page.hidden_link.text() == "Hidden tracks (2)"

    page.hidden_link.click()
    dialog = page.hidden_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.track_ids() == [second, first]  # the most recent first
    titles = dict(
        window.db.conn.execute(
            "SELECT id, title || '  —  ' || artist FROM tracks WHERE id IN (?, ?)",
            (first, second),
        ).fetchall()
    )
    assert [dialog.list.item(i).text() for i in range(2)] == [titles[second], titles[first]]
    assert not dialog.restore_button.isEnabled()  # nothing selected yet
    assert dialog.restore_all_button.isEnabled()
    qtbot.wait(50)  # the new shelves laid out, the old ones gone
    assert page.grab().save(str(tmp_path / "foryou-hidden-link.png"))
    assert dialog.grab().save(str(tmp_path / "hidden-dialog.png"))
    target = os.environ.get("KINDRED_SCREENSHOT")
    if target:
        shot = Path(target)
        assert page.grab().save(
            str(shot.with_name(shot.stem + "-foryou-hidden-link" + shot.suffix))
        )
        assert dialog.grab().save(str(shot.with_name(shot.stem + "-hidden-dialog" + shot.suffix)))

    # restore the older one: selected, then "Restore"
    dialog.list.item(1).setSelected(True)
    assert dialog.restore_button.isEnabled()
    with qtbot.waitSignal(page.updated, timeout=10000):
        dialog.restore_button.click()
    _wait_page(qtbot, page)
    assert feedback.dismissed(window.db) == {second}
    assert dialog.track_ids() == [second]
    assert "Restored 1 track" in dialog.status.text()
    assert page.hidden_link.text() == "Hidden tracks (1)"
    # the restored track can be recommended again, the still-hidden one cannot: "Similar to"
    # a third track lists every other track of the (12-track) library that is not hidden
    seed = next(t for t in window.tracks_page.model.ids if t not in (first, second))
    with qtbot.waitSignal(page.updated, timeout=10000):
        page.show_similar([seed])
    qtbot.waitUntil(lambda: page.shelf("result") is not None, timeout=10000)
    similar = {r.item.track_id for r in page.shelf("result").rows}
    assert first in similar and second not in similar, (first, second, similar)


def test_restore_all_and_the_dialog_empties(
    qtbot,
    open_window,
    analysed_demo_db,
) -> None:
    window, _engine, page = open_foryou(qtbot, open_window, analysed_demo_db)
    mix_before = [r.item.track_id for r in page.shelf("mix").rows]
    gone = {_dismiss(qtbot, page, 0), _dismiss(qtbot, page, 1)}
    assert not gone & _shown_ids(page)
    dialog = page.open_hidden()
    assert set(dialog.track_ids()) == gone
    with qtbot.waitSignal(page.updated, timeout=10000):
        dialog.restore_all_button.click()
    _wait_page(qtbot, page)
    assert feedback.dismissed(window.db) == set()
    assert dialog.list.count() == 0 and dialog.list.isHidden() and dialog.empty.isVisible()
    assert not dialog.restore_all_button.isEnabled()
    assert "Restored 2 tracks" in dialog.status.text()
    assert page.hidden_count == 0 and page.hidden_link.isHidden()
    # both are offered again somewhere on the page (they were in today's mix before)
    assert gone <= set(mix_before)
    assert gone & _shown_ids(page), (gone, _shown_ids(page))
    dialog.close_button.click()
    qtbot.waitUntil(lambda: page.hidden_dialog is None)


def test_double_click_restores_and_listing_survives_a_reopen(
    qtbot,
    open_window,
    analysed_demo_db,
) -> None:
    window, _engine, page = open_foryou(qtbot, open_window, analysed_demo_db)
    gone = _dismiss(qtbot, page, 0)
    dialog = page.open_hidden()
    dialog.close_button.click()
    qtbot.waitUntil(lambda: page.hidden_dialog is None)
    dialog = page.open_hidden()  # a fresh dialog reads the library again
    assert dialog.track_ids() == [gone]
    item = dialog.list.item(0)
    album = window.db.conn.execute("SELECT album FROM tracks WHERE id = ?", (gone,)).fetchone()[0]
    assert album and item.toolTip().startswith(album) and "Hidden " in item.toolTip()
    qtbot.waitExposed(dialog)
    where = dialog.list.visualItemRect(item).center()
    with qtbot.waitSignal(dialog.restored, timeout=2000) as restored:
        # a double-click: QTest's double-click event alone lacks the first press a mouse sends
        qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=where)
        qtbot.mouseDClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert restored.args[0] == [gone]
    assert gone not in feedback.dismissed(window.db)
    assert dialog.list.count() == 0 and dialog.empty.isVisible()
    qtbot.waitUntil(lambda: page.hidden_link.isHidden(), timeout=10000)
