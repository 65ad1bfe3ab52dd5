"""The Comments tab and moments against the real comment server (LiveServer)."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from PySide6.QtCore import QPoint, Qt

from player.config import Paths
from player.social.client import SocialClient
from player.social.credentials import TokenStore
from player.social.session import ReachedServers, Usernames
from player.social.songs import identity
from tests.social.live_server import LiveServer
from tests.ui.conftest import wait_loaded

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("comments-server")) as live:
        yield live


def account(url: str, *, keep: bool = True) -> tuple[SocialClient, str]:
    """A new signed-in account; ``keep`` stores its token where the window finds it."""
    client = SocialClient(url, retries=0)
    name = "u_" + uuid.uuid4().hex[:10]
    client.register(name, PASSWORD)
    client.sign_in(name, PASSWORD)
    if keep:
        tokens = TokenStore(Paths.resolve())
        tokens.set(url, client.token or "")
        Usernames(Paths.resolve()).set(url, name)
    return client, name


def open_on(open_window, make_ctx, demo_db: Path, url: str):
    ctx = make_ctx(demo_db)
    ctx.settings.server_url = url
    window, engine = open_window(ctx=ctx)
    return window, engine


def song_of(window, client: SocialClient, row: int) -> tuple[int, int]:
    track_id = window.tracks_page.model.ids[row]
    track = window.db.get_track(track_id)
    song_id = client.resolve(identity(track, with_fingerprint=False)).song_id
    assert song_id is not None
    return track_id, song_id


def shot(widget, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("KINDRED_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    widget.grab().save(str(path))
    return path


def test_the_panel_shows_the_playing_tracks_comments_and_moments_seek(
    qtbot, open_window, make_ctx, demo_db, server, tmp_path
) -> None:
    author, _ = account(server.url, keep=False)
    fan, _ = account(server.url, keep=False)
    window, engine = open_on(open_window, make_ctx, demo_db, server.url)
    wait_loaded(qtbot, window.tracks_page.model)
    _, song_id = song_of(window, author, 0)
    loved = author.post(song_id, "The bass line here is unreal.")
    fan.like(loved.id)
    author.post(song_id, "This is where it drops!", position_ms=3000)
    fan.post(song_id, "Reply-worthy", parent_id=loved.id)
    panel = window.comments
    window.side.setCurrentWidget(panel)
    window.tracks_page.view.play_rows([0])
    qtbot.waitUntil(lambda: panel.new_box.count() == 2, timeout=10000)
    assert panel.hot_box.count() == 1 and panel.hot_label.isVisible()
    assert not panel.status.isVisible()  # online: not marked out of date
    bodies = [panel.new_box.itemAt(i).widget().body.text() for i in range(2)]
    assert bodies == ["This is where it drops!", "The bass line here is unreal."]
    card = panel.cards[loved.id]
    assert card.like.text() == "♡ 1" and "1 reply" in card.replies_button.text()
    card.replies_button.click()
    qtbot.waitUntil(lambda: card.replies.count() == 1, timeout=5000)
    qtbot.waitUntil(lambda: window.moments.count.count == 3)
    assert window.moments.count.isVisible()
    # the moment: a tick at 3 s on the seek slider; clicking it seeks the engine there
    marks, slider = window.moments.marks, window.now_playing.seek
    qtbot.waitUntil(lambda: slider.maximum() > 0 and bool(marks.moments))
    assert [ms for ms, _ in marks.moments] == [3000]
    x = marks.x_of(3000)
    groove = marks._groove()
    expected = groove.x() + round(groove.width() * 3000 / slider.maximum())
    assert abs(x - expected) <= 1
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=QPoint(x, slider.height() // 2))
    assert engine.position() == 3000
    # as playback passes the moment, its comment surfaces briefly
    window.bridge.seek(2500)
    for _ in range(4):
        engine.advance(250)
        window.bridge.pump()
    qtbot.waitUntil(lambda: bool(window.moments.toast.shown), timeout=3000)
    assert "drops" in window.moments.toast.text()
    path = shot(panel, tmp_path, "comments-panel.png")
    assert path.exists()
    shot(window, tmp_path, "comments-window.png")


def test_posting_pins_the_position_shows_pending_then_sent(
    qtbot, open_window, make_ctx, demo_db, server, tmp_path
) -> None:
    client, name = account(server.url)
    window, engine = open_on(open_window, make_ctx, demo_db, server.url)
    wait_loaded(qtbot, window.tracks_page.model)
    panel = window.comments
    window.side.setCurrentWidget(panel)
    box = panel.account_box
    qtbot.waitUntil(box.signed.isVisible)  # the kept sign-in is read after the first paint
    assert not box.signin.isVisible()  # signed in: no form
    window.tracks_page.view.play_rows([1])
    qtbot.waitUntil(lambda: panel.empty.isVisible() and not panel.footer.text(), timeout=10000)
    engine.advance(2000)
    window.bridge.pump()
    qtbot.waitUntil(lambda: panel.pin.text() == "at 0:02")
    panel.pin.click()
    engine.advance(1500)  # writing takes a moment: the pin stays where it was set
    window.bridge.pump()
    panel.editor.setPlainText("Pinned right here")
    panel.post_button.click()
    [card] = panel.pending_cards.values()
    assert card.pending and not card.state.isHidden() and card.state.text() == "pending"
    qtbot.waitUntil(card.isVisible)  # at once in the list, before the server answers
    shot(panel, tmp_path, "comments-pending.png")
    assert card.moment is not None and card.moment.text() == "at 0:02"
    qtbot.waitUntil(lambda: not panel.pending_cards, timeout=10000)
    qtbot.waitUntil(
        lambda: any(
            c.comment and c.comment.body == "Pinned right here" for c in panel.cards.values()
        ),
        timeout=10000,
    )
    posted = next(c for c in panel.cards.values() if c.comment and c.comment.body.startswith("Pin"))
    assert 2000 <= posted.comment.position_ms < 3000 and posted.comment.author.username == name
    assert not posted.pending and posted.comment.id in [ms for ms in panel.comments]
    assert any(ms == posted.comment.position_ms for ms, _ in window.moments.marks.moments)
    song_id = panel.song_id
    assert [c.body for c in client.comments(song_id).items] == ["Pinned right here"]
    # liking goes through the outbox too
    posted.like.click()
    assert posted.like.text() == "♥ 1"
    qtbot.waitUntil(lambda: client.comments(song_id).items[0].like_count == 1, timeout=10000)


def test_while_the_server_is_down_a_post_stays_pending_and_goes_out_later(
    qtbot, open_window, make_ctx, demo_db, tmp_path
) -> None:
    folder = tmp_path / "server"
    folder.mkdir()
    with LiveServer(folder) as first:  # an account, then the server goes away
        url, port = first.url, first.port
        client, _ = account(url)
    ReachedServers(Paths.resolve()).add(url)  # the window talked to it before: now "offline"
    window, _engine = open_on(open_window, make_ctx, demo_db, url)
    wait_loaded(qtbot, window.tracks_page.model)
    panel = window.comments
    now = [1_000_000.0]
    panel.backend.clock = lambda: now[0]
    window.side.setCurrentWidget(panel)
    window.tracks_page.view.play_rows([2])
    qtbot.waitUntil(lambda: panel.status.isVisible(), timeout=10000)
    assert "out of date" in panel.status.text()
    panel.editor.setPlainText("Written on the train")
    panel.post_button.click()
    [card] = panel.pending_cards.values()
    qtbot.waitUntil(lambda: panel.backend.pending()[0].attempts >= 1, timeout=10000)
    qtbot.waitUntil(lambda: not panel._delivering)
    assert card.pending and panel.pending_cards and "waiting to send" in panel.status.text()
    # the server is back (same database, same address)
    back = LiveServer(folder)
    back.port = port
    back._server = uvicorn.Server(
        uvicorn.Config(back.app, host="127.0.0.1", port=port, log_level="warning")
    )
    back._thread = threading.Thread(target=back._server.run, daemon=True)
    with back:
        now[0] += 3600  # past the outbox's back-off
        panel.deliver()
        qtbot.waitUntil(lambda: not panel.pending_cards, timeout=10000)
        assert not card.pending
        qtbot.waitUntil(lambda: panel.song_id is not None and not panel.stale, timeout=10000)
        items = client.comments(panel.song_id).items
        assert [c.body for c in items] == ["Written on the train"]
        qtbot.waitUntil(lambda: panel.new_box.count() == 1 and not panel.pending_box.count())


def test_sign_in_inline_endless_scrolling_and_the_selected_track(
    qtbot, open_window, make_ctx, demo_db, server
) -> None:
    author, _ = account(server.url, keep=False)
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    wait_loaded(qtbot, window.tracks_page.model)
    _, song_id = song_of(window, author, 3)
    for n in range(27):
        author.post(song_id, f"comment number {n}")
    panel = window.comments
    window.side.setCurrentWidget(panel)
    box = panel.account_box
    qtbot.waitUntil(box.signin.isVisible)
    assert not box.signed.isVisible()
    # nothing plays: the selected track's comments show
    view = window.tracks_page.view
    view.setCurrentIndex(window.tracks_page.model.index(3, 0))
    qtbot.waitUntil(lambda: panel.new_box.count() == 20, timeout=10000)
    assert panel.next_cursor
    bar = panel.scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())  # near the bottom: the next page loads
    qtbot.waitUntil(lambda: panel.new_box.count() == 27, timeout=10000)
    assert panel.next_cursor is None
    # registering inline stores the token where the next start finds it
    name = "u_" + uuid.uuid4().hex[:10]
    box.user_field.setText(name)
    box.password_field.setText(PASSWORD)
    box.register_button.click()
    qtbot.waitUntil(lambda: box.signed.isVisible(), timeout=10000)
    assert name in box.who.text() and not box.signin.isVisible()
    assert TokenStore(Paths.resolve()).get(server.url.rstrip("/")) == panel.backend.client.token


def test_own_comments_can_be_edited_and_deleted_and_any_reported(
    qtbot, open_window, make_ctx, demo_db, server
) -> None:
    client, _ = account(server.url)
    other, _ = account(server.url, keep=False)
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    wait_loaded(qtbot, window.tracks_page.model)
    _, song_id = song_of(window, client, 4)
    mine = client.post(song_id, "my first take")
    theirs = other.post(song_id, "spam spam spam")
    panel = window.comments
    window.side.setCurrentWidget(panel)
    window.tracks_page.view.play_rows([4])
    qtbot.waitUntil(lambda: panel.new_box.count() == 2, timeout=10000)
    assert panel.cards[mine.id].own and not panel.cards[theirs.id].own
    card = panel.cards[mine.id]
    card._open_box("edit", "Edit your comment", "my second take")
    card.box.returnPressed.emit()
    assert card.body.text() == "my second take"
    qtbot.waitUntil(
        lambda: {c.id: c.body for c in client.comments(song_id).items}[mine.id] == "my second take",
        timeout=10000,
    )
    other_card = panel.cards[theirs.id]
    other_card._open_box("report", "Why report this comment?", "spam")
    other_card.box.returnPressed.emit()
    qtbot.waitUntil(lambda: "moderators" in panel.status.text(), timeout=10000)
    assert not panel.backend.pending()
    panel.delete(mine.id)
    qtbot.waitUntil(
        lambda: all(c.id != mine.id or c.deleted for c in client.comments(song_id).items),
        timeout=10000,
    )


def test_replies_in_an_open_thread_can_be_liked_and_answered(
    qtbot, open_window, make_ctx, demo_db, server
) -> None:
    client, me = account(server.url)
    other, them = account(server.url, keep=False)
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    wait_loaded(qtbot, window.tracks_page.model)
    _, song_id = song_of(window, client, 5)
    top = other.post(song_id, "who else is here in 2026")
    reply = other.post(song_id, "me, on repeat", parent_id=top.id)
    panel = window.comments
    window.side.setCurrentWidget(panel)
    window.tracks_page.view.play_rows([5])
    qtbot.waitUntil(lambda: top.id in panel.cards, timeout=10000)
    qtbot.waitUntil(lambda: panel.backend.username == me, timeout=10000)
    card = panel.cards[top.id]
    card.replies_button.click()
    qtbot.waitUntil(lambda: reply.id in panel.cards, timeout=10000)
    reply_card = panel.cards[reply.id]
    assert reply_card.body.text() == "me, on repeat" and not reply_card.own
    reply_card.like.click()  # a reply's heart works like a comment's
    assert reply_card.like.text() == "♥ 1"
    qtbot.waitUntil(
        lambda: (
            [(c.like_count, c.liked_by_me) for c in client.replies(top.id).items] == [(1, True)]
        ),
        timeout=10000,
    )
    reply_card._open_box("reply", "Reply", "same here")
    reply_card.box.returnPressed.emit()
    qtbot.waitUntil(lambda: len(client.replies(top.id).items) == 2, timeout=10000)
    answer = client.replies(top.id).items[-1]
    assert answer.body == "same here" and answer.parent_id == top.id
    assert answer.reply_to is not None and answer.reply_to.username == them


def test_the_bar_counts_and_marks_comments_with_the_tab_never_opened(
    qtbot, open_window, make_ctx, demo_db, server
) -> None:
    """The Comments tab is built after the first paint: the count on the now-playing bar and
    the marks on the seek slider come without anyone opening (or asking for) the tab."""
    from player.ui.comments.moments import CommentCount, MomentMarks

    author, _ = account(server.url, keep=False)
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    wait_loaded(qtbot, window.tracks_page.model)
    _, song_id = song_of(window, author, 7)
    author.post(song_id, "Right here.", position_ms=3000)
    author.post(song_id, "Lovely.")
    window.tracks_page.view.play_rows([7])
    bar, slider = window.now_playing, window.now_playing.seek

    def counted() -> bool:
        count = bar.findChild(CommentCount)
        return count is not None and count.count == 2 and count.isVisible()

    qtbot.waitUntil(counted, timeout=10000)
    marks = slider.findChild(MomentMarks)
    assert marks is not None
    qtbot.waitUntil(lambda: slider.maximum() > 0 and bool(marks.moments), timeout=5000)
    assert [ms for ms, _ in marks.moments] == [3000]
    assert window.side.currentIndex() == 0  # the queue stayed in front all along
