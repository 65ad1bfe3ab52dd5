"""Deleting with a confirmation, and what waits in the outbox shown again after a restart."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.social.live_server import LiveServer
from tests.ui.comments.test_comments import account, open_on, shot, song_of
from tests.ui.conftest import wait_loaded


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("pending-server")) as live:
        yield live


def test_delete_asks_first_and_keeps_a_placeholder_where_replies_hang(
    qtbot, open_window, make_ctx, demo_db, server, tmp_path
) -> None:
    me, _ = account(server.url)
    other, _ = account(server.url, keep=False)
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    wait_loaded(qtbot, window.tracks_page.model)
    _, song_id = song_of(window, me, 6)
    threaded = me.post(song_id, "mine, with an answer")
    other.post(song_id, "an answer", parent_id=threaded.id)
    alone = me.post(song_id, "mine, alone")
    panel = window.comments
    window.side.setCurrentWidget(panel)
    window.tracks_page.view.play_rows([6])
    qtbot.waitUntil(lambda: panel.new_box.count() == 2 and panel.backend.signed_in, timeout=10000)
    card = panel.cards[alone.id]
    qtbot.waitUntil(card.isVisible)
    card.ask_delete()
    assert card.confirm is not None and card.confirm.isVisible()
    assert "Delete this comment?" in card.confirm.findChild(type(card.author)).text()
    shot(panel, tmp_path, "comments-delete-confirm.png")
    card.cancel_button.click()  # changed their mind: nothing happens
    assert card.confirm.isHidden() and not panel.backend.pending()
    assert alone.id in panel.cards
    card.ask_delete()
    card.confirm_button.click()
    assert alone.id not in panel.cards  # no replies: gone from the list
    qtbot.waitUntil(lambda: not panel.backend.pending(), timeout=10000)
    # a comment with replies leaves "[deleted]" so the thread keeps its shape
    parent = panel.cards[threaded.id]
    parent.ask_delete()
    parent.confirm_button.click()
    assert threaded.id in panel.cards and not parent.isHidden()
    assert parent.author.text() == "[deleted]" and parent.body.text() == "[deleted]"
    assert parent.like is not None and parent.like.isHidden()
    assert parent.replies_button is not None and not parent.replies_button.isHidden()
    qtbot.waitUntil(lambda: not panel.backend.pending(), timeout=10000)
    # read again from the server: the placeholder is still there, and its replies open
    panel.reload()
    qtbot.waitUntil(lambda: threaded.id in panel.cards and panel.cards[threaded.id] is not parent,
                    timeout=10000)  # fmt: skip
    again = panel.cards[threaded.id]
    assert again.comment is not None and again.comment.deleted
    assert again.body.text() == "[deleted]" and alone.id not in panel.cards
    assert again.replies_button is not None and not again.replies_button.isHidden()
    again.replies_button.click()
    qtbot.waitUntil(lambda: again.replies.count() == 1, timeout=10000)
    assert again.replies.itemAt(0).widget().body.text() == "an answer"
    shot(panel, tmp_path, "comments-deleted-placeholder.png")


def test_pending_replies_edits_deletes_and_likes_show_after_a_restart(
    qtbot, open_window, make_ctx, demo_db, tmp_path
) -> None:
    folder = tmp_path / "server"
    folder.mkdir()
    with LiveServer(folder) as live:
        url = live.url
        me, _ = account(url)
        other, _ = account(url, keep=False)
        window, _engine = open_on(open_window, make_ctx, demo_db, url)
        wait_loaded(qtbot, window.tracks_page.model)
        _, song_id = song_of(window, me, 0)
        threaded = me.post(song_id, "mine, with an answer")
        other.post(song_id, "an answer", parent_id=threaded.id)
        alone = me.post(song_id, "mine, alone")
        theirs = other.post(song_id, "theirs")
        panel = window.comments
        window.side.setCurrentWidget(panel)
        window.tracks_page.view.play_rows([0])
        qtbot.waitUntil(lambda: panel.new_box.count() == 3 and panel.backend.signed_in,
                        timeout=10000)  # fmt: skip
    # the server is gone: all of this waits in the outbox
    panel.reply(theirs.id, "a pending answer")
    panel.edit(alone.id, "mine, edited offline")
    panel.cards[theirs.id].like.click()
    panel.cards[threaded.id].ask_delete()
    panel.cards[threaded.id].confirm_button.click()
    assert sorted(e.kind for e in panel.backend.pending()) == ["delete", "edit", "like", "post"]
    window.close()

    # the app starts again, still offline: the cached comments, with what is still pending
    later, _engine = open_on(open_window, make_ctx, demo_db, url)
    wait_loaded(qtbot, later.tracks_page.model)
    panel = later.comments
    later.side.setCurrentWidget(panel)
    later.tracks_page.view.play_rows([0])
    qtbot.waitUntil(lambda: panel.stale and len(panel.cards) == 3, timeout=10000)
    qtbot.waitUntil(lambda: len(panel.pending_cards) == 4, timeout=10000)
    edited = panel.cards[alone.id]
    assert edited.body.text() == "mine, edited offline" and edited.pending
    assert not edited.state.isHidden() and edited.state.text() == "pending"
    liked = panel.cards[theirs.id]
    assert liked.like is not None and liked.like.isChecked() and liked.like.text() == "♥ 1"
    assert liked.pending
    [reply] = [liked.replies.itemAt(i).widget() for i in range(liked.replies.count())]
    assert reply.body.text() == "a pending answer" and reply.pending
    deleted = panel.cards[threaded.id]
    qtbot.waitUntil(deleted.isVisible)  # still in the list: its answer hangs from it
    assert deleted.body.text() == "[deleted]" and deleted.pending
    assert not any(c.pending for c in panel.cards.values() if c.comment.id not in
                   (alone.id, theirs.id, threaded.id))  # fmt: skip
    shot(panel, tmp_path, "comments-pending-after-restart.png")
