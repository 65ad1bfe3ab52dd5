"""Two listeners on one server, as they would meet in the window: one answers and
mentions the other, who sees the bell, opens the reply, visits the profile behind
it and mutes them; after that their mentions and replies stop arriving."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from player.ui.comments.profile import ProfileDialog
from tests.social.live_server import LiveServer
from tests.ui.comments.test_comments import account, open_on, song_of
from tests.ui.conftest import wait_loaded


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("community-server")) as live:
        yield live


def test_a_reply_and_a_mention_then_the_profile_and_a_mute(
    qtbot, open_window, make_ctx, demo_db, server
) -> None:
    me, my_name = account(server.url)  # the window's account
    them, their_name = account(server.url, keep=False)
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    wait_loaded(qtbot, window.tracks_page.model)
    panel, bell, inbox = window.comments, window.inbox.bell, window.inbox
    window.side.setCurrentWidget(panel)
    track, song = song_of(window, me, 0)
    mine = me.post(song, "The bridge at 2:41!")
    window.tracks_page.view.play_rows([0])
    qtbot.waitUntil(lambda: mine.id in panel.cards, timeout=10000)

    reply = them.post(song, f"Yes! @{my_name} have you heard the live one?", parent_id=mine.id)
    qtbot.waitUntil(lambda: inbox.poller.asked >= 1 and not inbox.poller._busy, timeout=10000)
    inbox.poller.poll()
    qtbot.waitUntil(lambda: bell.count == 1, timeout=10000)  # replied and mentioned: one entry

    qtbot.mouseClick(bell, Qt.MouseButton.LeftButton)
    popup = inbox.popup
    qtbot.waitUntil(lambda: len(popup.rows) == 1, timeout=10000)
    assert popup.rows[0].text.text() == f"{their_name} replied to your comment"
    qtbot.mouseClick(popup.rows[0], Qt.MouseButton.LeftButton)
    assert panel.track_id == track
    qtbot.waitUntil(lambda: reply.id in panel.cards, timeout=10000)
    qtbot.waitUntil(lambda: bell.count == 0, timeout=10000)

    # the name on the reply opens their profile, with the reply among their comments
    card = panel.cards[reply.id]
    qtbot.mouseClick(card.author, Qt.MouseButton.LeftButton)
    dialog = panel.findChild(ProfileDialog)
    assert dialog is not None and dialog.username == their_name
    qtbot.waitUntil(
        lambda: dialog.profile is not None and dialog.mute_button.isVisible(), timeout=10000
    )
    assert dialog.profile.comment_count == 1
    dialog.mute_button.click()
    qtbot.waitUntil(lambda: dialog.mute_button.text() == "Unmute", timeout=5000)
    qtbot.waitUntil(lambda: reply.id not in panel.cards, timeout=10000)  # gone from the thread
    assert [m.username for m in me.mutes()] == [their_name]

    # muted: a new mention and a new reply never reach the bell
    them.post(song, f"@{my_name} still there?")
    them.post(song, "hello?", parent_id=mine.id)
    inbox.poller.poll()
    qtbot.wait(500)
    qtbot.waitUntil(lambda: not inbox.poller._busy, timeout=10000)
    assert bell.count == 0 and me.unread_count().count == 0
