"""Settings → Comments: change password, export my data, delete account, against the real server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from player.social.client import SocialClient
from player.social.errors import SocialError
from player.ui.settings.comments import CommentsSettingsPage
from tests.social.live_server import LiveServer
from tests.ui.comments.test_comments import PASSWORD, account, open_on, shot
from tests.ui.conftest import wait_loaded


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("account-server")) as live:
        yield live


def test_change_password_export_and_delete_from_settings(
    qtbot, open_window, make_ctx, demo_db, server, tmp_path, monkeypatch
) -> None:
    me, name = account(server.url)
    other, _ = account(server.url, keep=False)
    song = me.resolve({"artist": "Someone", "title": "Account Song"}).song_id
    assert song is not None
    answered = me.post(song, "A comment somebody answered.")
    other.post(song, "An answer.", parent_id=answered.id)
    alone = me.post(song, "A comment nobody answered.")
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    wait_loaded(qtbot, window.tracks_page.model)
    page = CommentsSettingsPage(window)
    qtbot.addWidget(page)
    page.resize(520, 760)
    page.show()
    actions = page.actions
    qtbot.waitUntil(actions.controls.isVisible, timeout=10000)
    # change password: the two new ones must match; a wrong current one reads as a sentence
    actions.current.setText(PASSWORD)
    actions.new.setText("a brand new secret")
    actions.again.setText("a different one")
    actions.password_button.click()
    assert actions.error.isVisible() and "match" in actions.error.text()
    actions.current.setText("not my password")
    actions.again.setText("a brand new secret")
    actions.password_button.click()
    qtbot.waitUntil(lambda: actions.error.isVisible(), timeout=10000)
    assert "not changed" in actions.error.text()
    actions.current.setText(PASSWORD)
    actions.new.setText("a brand new secret")
    actions.again.setText("a brand new secret")
    actions.password_button.click()
    qtbot.waitUntil(lambda: "Password changed" in actions.message.text(), timeout=10000)
    assert not actions.error.isVisible() and not actions.current.text()
    fresh = SocialClient(server.url, retries=0)
    fresh.sign_in(name, "a brand new secret")  # the new password works
    with pytest.raises(SocialError):
        SocialClient(server.url, retries=0).sign_in(name, PASSWORD)
    # export: through the file dialog, to the chosen file
    target = tmp_path / "me.json"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    actions.export_button.click()
    qtbot.waitUntil(lambda: actions.exported == target, timeout=10000)
    data = json.loads(Path(target).read_text(encoding="utf-8"))
    assert name in json.dumps(data) and "A comment nobody answered." in json.dumps(data)
    assert str(target) in actions.message.text()
    # delete: asks twice, says what happens
    actions.delete_button.click()
    assert actions.delete_box.isVisible() and "[deleted user]" in actions.delete_text.text()
    assert not actions.delete_final.isVisible()
    actions.delete_password.setText("a brand new secret")
    actions.delete_next.click()
    assert actions.really.isVisible() and actions.delete_final.isVisible()
    shot(page, tmp_path, "settings-account.png")
    actions.delete_final.click()
    qtbot.waitUntil(lambda: "deleted" in actions.message.text(), timeout=10000)
    qtbot.waitUntil(page.account.signin.isVisible, timeout=10000)
    assert not actions.controls.isVisible() and not window.comments.backend.signed_in
    with pytest.raises(SocialError):
        fresh.profile(name)
    left = other.comments(song, sort="new").items
    assert [c.id for c in left] == [answered.id] and left[0].author is not None
    assert left[0].author.username == "[deleted user]"
    assert all(c.id != alone.id for c in left)
