"""The bell, the inbox and @mentions against the real comment server (LiveServer)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.social.live_server import LiveServer
from tests.ui.comments.test_comments import account, open_on, song_of
from tests.ui.conftest import wait_loaded

UNREAD = "/api/v1/me/notifications/unread-count"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The server, counting the unread-count requests it answers (``server.asked``)."""
    live = LiveServer(tmp_path_factory.mktemp("inbox-server"))
    live.asked = 0  # type: ignore[attr-defined]

    @live.app.middleware("http")
    async def count(request, call_next):  # type: ignore[no-untyped-def]
        if request.url.path == UNREAD:
            live.asked += 1  # type: ignore[attr-defined]
        return await call_next(request)

    with live:
        yield live


def test_replies_and_mentions_reach_the_bell_and_the_inbox_opens_the_thread(
    qtbot, open_window, make_ctx, demo_db, server, tmp_path
) -> None:
    me, my_name = account(server.url)  # the window's account
    them, their_name = account(server.url, keep=False)
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    wait_loaded(qtbot, window.tracks_page.model)
    panel, bell, inbox = window.comments, window.inbox.bell, window.inbox
    window.side.setCurrentWidget(panel)
    track, song = song_of(window, me, 0)
    _, elsewhere = song_of(window, me, 1)
    mine = me.post(song, "What a chorus.")
    window.tracks_page.view.play_rows([0])  # reading its comments remembers the song's id
    qtbot.waitUntil(lambda: mine.id in panel.cards, timeout=10000)
    reply = them.post(song, f"Agreed! cc @{my_name}", parent_id=mine.id)
    them.post(elsewhere, f"@{my_name} you would love this one")
    qtbot.waitUntil(lambda: window.inbox.poller.asked >= 1, timeout=10000)  # the first ask
    inbox.poller.poll()
    qtbot.waitUntil(lambda: bell.count == 2, timeout=10000)
    assert bell.badge_text() == "2" and "2 unread" in bell.accessibleName()

    # the inbox: both, grouped by song; opening it marks them read
    window.tracks_page.view.play_rows([2])  # another song plays now
    qtbot.waitUntil(lambda: panel.track_id != track, timeout=5000)
    qtbot.mouseClick(bell, Qt.MouseButton.LeftButton)
    popup = inbox.popup
    qtbot.waitUntil(lambda: len(popup.rows) == 2, timeout=10000)
    assert popup.isVisible()
    texts = [row.text.text() for row in popup.rows]
    assert texts == [f"{their_name} mentioned you", f"{their_name} replied to your comment"]
    headers = [g.header.text() for g in popup.groups.values()]
    title = window.db.get_track(track).title
    assert headers[0] == "a song" and headers[1].startswith(title)
    qtbot.waitUntil(lambda: bell.count == 0, timeout=10000)
    assert me.unread_count().count == 0
    folder = Path(os.environ.get("KINDRED_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    popup.grab().save(str(folder / "inbox-popup.png"))
    # a song the library does not hold: said in the popup, which stays open
    qtbot.mouseClick(popup.rows[0], Qt.MouseButton.LeftButton)
    assert popup.isVisible() and "not in your library" in popup.status.text()
    # the reply: that song's comments, the thread opened, the reply in view
    playing = window.bridge.playing_item
    qtbot.mouseClick(popup.rows[1], Qt.MouseButton.LeftButton)
    assert not popup.isVisible()
    assert window.side.currentWidget() is panel and panel.track_id == track
    qtbot.waitUntil(lambda: reply.id in panel.cards, timeout=10000)
    card = panel.cards[reply.id]
    qtbot.waitUntil(lambda: card.isVisible() and not card.visibleRegion().isEmpty())
    assert window.bridge.playing_item is playing  # what played goes on (the song is queued)
    queue = window.bridge.controller.queue

    def queued_next() -> bool:
        items = queue.items
        at = [i.id for i in items].index(playing.id)
        return at + 1 < len(items) and items[at + 1].track_id == track

    qtbot.waitUntil(queued_next, timeout=5000)

    # the mention in the reply is a link; clicking it asks for that user
    assert card.body.textFormat() == Qt.TextFormat.RichText
    assert f'href="user:{my_name}"' in card.body.text()
    with qtbot.waitSignal(panel.user_clicked) as clicked:
        card.body.linkActivated.emit(f"user:{my_name}")
    assert clicked.args == [my_name]

    # "@" in the composer offers the thread's authors (not me)
    panel.editor.setFocus()
    qtbot.keyClicks(panel.editor, "nice @")
    mentions = panel.compose.mentions
    assert mentions is not None and mentions.offered() == [their_name]
    assert mentions.completer.popup().isVisible()
    qtbot.keyClicks(panel.editor, their_name[:4])
    assert mentions.offered() == [their_name]
    qtbot.keyClick(mentions.completer.popup(), Qt.Key.Key_Return)  # takes the highlighted name
    assert panel.editor.toPlainText() == f"nice @{their_name} "
    assert not mentions.completer.popup().isVisible()

    # hidden: no asking; shown again: asked at once
    before = server.asked
    window.hide()
    assert not inbox.poller.timer.isActive()
    inbox.poller.poll()
    qtbot.wait(300)
    assert server.asked == before
    window.show()
    qtbot.waitUntil(lambda: server.asked == before + 1, timeout=5000)
    assert inbox.poller.timer.isActive() and inbox.poller.timer.interval() == 60_000
    # minimized: no asking either; restored: asked at once
    window.setWindowState(Qt.WindowState.WindowMinimized)
    qtbot.waitUntil(lambda: not inbox.poller.timer.isActive())
    inbox.poller.poll()
    qtbot.wait(300)
    assert server.asked == before + 1
    window.setWindowState(Qt.WindowState.WindowNoState)
    qtbot.waitUntil(lambda: server.asked == before + 2, timeout=5000)


def test_signed_out_the_bell_asks_nothing(qtbot, open_window, make_ctx, demo_db, server) -> None:
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    poller = window.inbox.poller
    qtbot.waitUntil(lambda: poller.asked >= 1 and not poller._busy, timeout=10000)
    before = server.asked
    poller.poll()
    qtbot.waitUntil(lambda: not poller._busy)
    qtbot.wait(200)
    assert server.asked == before and window.inbox.bell.count == 0
    qtbot.mouseClick(window.inbox.bell, Qt.MouseButton.LeftButton)
    assert "Sign in" in window.inbox.popup.status.text()
    window.inbox.popup.hide()


def test_desktop_notifications_for_replies_and_mentions_only_when_switched_on(
    qtbot, open_window, make_ctx, demo_db, server
) -> None:
    from player.ui.desktop import comment_alerts
    from player.ui.settings.comments import CommentsSettingsPage

    me, my_name = account(server.url)
    them, their_name = account(server.url, keep=False)
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    wait_loaded(qtbot, window.tracks_page.model)
    sent: list[tuple[str, str]] = []
    alerts = comment_alerts.CommentAlerts(
        window, window.inbox, lambda summary, body, _icon: sent.append((summary, body))
    )
    poller = window.inbox.poller
    qtbot.waitUntil(lambda: poller.asked >= 1 and not poller._busy, timeout=10000)
    _, song = song_of(window, me, 0)
    mine = me.post(song, "First!")
    them.post(song, "Not quite", parent_id=mine.id)
    poller.poll()
    qtbot.waitUntil(lambda: poller.count == 1, timeout=10000)
    qtbot.wait(300)
    assert sent == []  # off by default
    # switched on in Settings → Comments (kept in the window's state)
    page = CommentsSettingsPage(window)
    qtbot.addWidget(page)
    assert not page.alerts.isChecked()
    page.alerts.setChecked(True)
    assert comment_alerts.enabled(window)
    them.like(mine.id)  # a like: the bell only
    poller.poll()
    qtbot.waitUntil(lambda: poller.count == 2, timeout=10000)
    qtbot.waitUntil(lambda: len(sent) == 1, timeout=10000)
    assert sent[0][0] == f"{their_name} replied to your comment"  # the unread reply, not the like
    them.post(song, f"@{my_name} listen at 2:10")
    poller.poll()
    qtbot.waitUntil(lambda: len(sent) == 2, timeout=10000)
    assert sent[1] == (f"{their_name} mentioned you", f"“@{my_name} listen at 2:10” on a song")
    assert alerts.shown and len(alerts.shown) == 2
