"""No comment server chosen: the Comments tab invites (connect, or start a local server);
"Offline" only for a server that answered before."""

from __future__ import annotations

import httpx
import pytest

from player.config import Paths, Settings
from player.social.session import ReachedServers
from tests.social.live_server import LiveServer
from tests.ui.conftest import wait_loaded


def _open(open_window, make_ctx, demo_db, url: str = ""):
    ctx = make_ctx(demo_db)
    ctx.settings.server_url = url
    window, _engine = open_window(ctx=ctx)
    window.side.setCurrentWidget(window.comments)
    return window


def test_no_server_chosen_invites_instead_of_offline(
    qtbot, open_window, make_ctx, demo_db, tmp_path
) -> None:
    assert Settings().server_url == ""  # nobody chose one yet
    window = _open(open_window, make_ctx, demo_db)
    wait_loaded(qtbot, window.tracks_page.model)
    panel = window.comments
    qtbot.waitUntil(lambda: panel.invite.isVisible(), timeout=5000)
    window.tracks_page.view.play_rows([1])
    qtbot.waitUntil(lambda: panel.track_id is not None, timeout=5000)
    qtbot.wait(300)
    assert panel.invite.isVisible()
    assert panel.invite.start_button.isVisible() and panel.invite.url_field.isVisible()
    for button in (panel.invite.start_button, panel.invite.connect_button):
        # the side panel at its usual width shows each button's whole label
        assert button.width() >= button.sizeHint().width(), button.text()
    panel.invite.grab().save(str(tmp_path / "invite.png"))
    assert not panel.status.isVisible() and "Offline" not in panel.status.text()
    assert not panel.compose.isVisible() and not panel.scroll.isVisible()
    # a wrong address is refused with a word, and nothing is saved
    panel.invite.url_field.setText("comments.example.org")
    panel.invite.connect_button.click()
    assert "http://" in panel.invite.error.text()
    assert Settings.load(Paths.resolve()).server_url == ""


def test_start_a_local_server_connects_and_is_remembered(
    qtbot, open_window, make_ctx, demo_db
) -> None:
    window = _open(open_window, make_ctx, demo_db)
    wait_loaded(qtbot, window.tracks_page.model)
    panel = window.comments
    window.tracks_page.view.play_rows([0])
    qtbot.waitUntil(lambda: panel.invite.isVisible(), timeout=5000)
    panel.invite.start_button.click()
    local = None
    try:
        qtbot.waitUntil(lambda: not panel.invite.isVisible(), timeout=60000)
        local = panel.backend.local
        assert local is not None and local.running
        url = panel.backend.server
        assert url == local.url
        assert local.database.parent == Paths.resolve().data_dir / "comment-server"
        saved = Settings.load(Paths.resolve())
        assert saved.server_url == url and saved.local_comment_server
        # a working connection: the tab reads the (empty) conversation, signs up, posts
        qtbot.waitUntil(lambda: panel.song_id is not None or panel.empty.isVisible(), timeout=20000)
        assert not panel.status.isVisible()
        qtbot.waitUntil(lambda: panel.account_box.signin.isVisible(), timeout=10000)
        panel.account_box.user_field.setText("listener")
        panel.account_box.password_field.setText("a good password")
        panel.account_box.register_button.click()
        qtbot.waitUntil(lambda: panel.backend.signed_in, timeout=20000)
        panel.editor.setPlainText("First words on my own server")
        panel.post_button.click()
        qtbot.waitUntil(lambda: panel.new_box.count() == 1, timeout=20000)
        assert httpx.get(f"{url}/healthz", timeout=2).json()["database"] is True
    finally:
        window.close()
        window.shutdown()  # closing the service stops the local server
    assert local is not None and not local.running
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{local.url}/healthz", timeout=2)
    # next time, the window starts the same local server again, and the comment is there
    ctx = make_ctx(demo_db)
    ctx.settings.server_url, ctx.settings.local_comment_server = url, True
    again, _engine = open_window(ctx=ctx)
    panel = again.comments
    try:
        wait_loaded(qtbot, again.tracks_page.model)
        again.tracks_page.view.play_rows([0])
        qtbot.waitUntil(lambda: panel.new_box.count() == 1, timeout=60000)
        assert not panel.invite.isVisible() and panel.backend.local.url == url
    finally:
        again.close()
        again.shutdown()
    assert not panel.backend.local.running


def test_offline_only_after_a_server_that_answered_went_away(
    qtbot, open_window, make_ctx, demo_db, tmp_path
) -> None:
    with LiveServer(tmp_path / "never") as never:
        url = never.url
    # chosen, but it never answered Kindred: still the invitation, saying so
    window = _open(open_window, make_ctx, demo_db, url)
    wait_loaded(qtbot, window.tracks_page.model)
    panel = window.comments
    window.tracks_page.view.play_rows([0])
    qtbot.waitUntil(lambda: panel.invite.isVisible(), timeout=10000)
    assert url in panel.invite.reason.text()
    assert not panel.status.isVisible()
    window.close()
    # a server that answered, then went away: "Offline"
    (tmp_path / "srv").mkdir()
    server = LiveServer(tmp_path / "srv")
    with server:
        window = _open(open_window, make_ctx, demo_db, server.url)
        wait_loaded(qtbot, window.tracks_page.model)
        panel = window.comments
        window.tracks_page.view.play_rows([0])
        qtbot.waitUntil(lambda: panel.song_id is not None or panel.empty.isVisible(), timeout=10000)
        qtbot.waitUntil(lambda: server.url in ReachedServers(Paths.resolve()), timeout=10000)
        assert not panel.invite.isVisible() and not panel.status.isVisible()
    window.tracks_page.view.play_rows([1])
    qtbot.waitUntil(lambda: panel.status.isVisible(), timeout=15000)
    assert "Offline" in panel.status.text()
    assert not panel.invite.isVisible()
