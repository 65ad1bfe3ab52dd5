"""Settings, Accounts: sign in to ListenBrainz with a token and to Last.fm through
the browser, see what waits, send it, sign out; against the local stand-ins."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QDesktopServices

from player.library.scrobble_queue import Listen, ScrobbleQueue
from player.social.scrobble.accounts import ScrobbleSettings
from tests.social import scrobble_servers as fake
from tests.ui.settings.test_settings import open_dialog

SHOTS = Path(os.environ.get("KINDRED_SHOTS", "/work/shots"))


def test_sign_in_see_the_queue_send_and_sign_out(qtbot, open_window, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    with fake.serving(fake.ListenBrainz()) as lb, fake.serving(fake.Lastfm()) as fm:
        window, _ = open_window()
        settings = window.ctx.settings
        ScrobbleSettings(listenbrainz_url=lb.url, lastfm_url=fm.url, lastfm_api_key=fake.API_KEY,
                         lastfm_api_secret=fake.SECRET).store(settings)  # fmt: skip
        ScrobbleQueue(window.db).add(["listenbrainz"], Listen("Kindred", "Waiting", 1_700_000_000))
        page = open_dialog(qtbot, window).show_page("accounts")
        page.reload()
        qtbot.waitUntil(lambda: "1 waiting" in page.lb_status.text(), timeout=5000)
        assert "Not signed in" in page.lb_status.text() and not page.lb_sign_out.isEnabled()

        page.lb_sign_in.click()  # no token yet
        assert "token" in page.error.text()
        page.lb_token.setText("wrong")
        page.lb_sign_in.click()
        qtbot.waitUntil(lambda: "not valid" in page.error.text(), timeout=5000)
        page.lb_token.setText(fake.LB_TOKEN)
        page.lb_sign_in.click()
        qtbot.waitUntil(lambda: len(lb.listens) == 1, timeout=5000)  # the queue went out
        page.reload()
        qtbot.waitUntil(lambda: "1 sent" in page.lb_status.text(), timeout=5000)
        assert f"Signed in as {fake.LB_USER}" in page.lb_status.text()

        page.fm_sign_in.click()
        qtbot.waitUntil(lambda: bool(opened), timeout=5000)
        assert opened[0].startswith("https://www.last.fm/api/auth/?api_key=")
        assert page.fm_allowed.isVisible()
        fm.tokens[next(iter(fm.tokens))] = True  # the person allowed Kindred
        page.fm_allowed.click()
        qtbot.waitUntil(
            lambda: f"Signed in as {fake.FM_USER}" in page.fm_status.text(), timeout=5000
        )
        assert not page.fm_allowed.isVisible()

        page.radio.click()
        assert ScrobbleSettings.of(settings).radio
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.window().grab().save(str(SHOTS / "scrobble-accounts.png"))

        page.lb_sign_out.click()
        qtbot.waitUntil(lambda: "Not signed in" in page.lb_status.text(), timeout=5000)
        assert lb.rejected == [] and fm.rejected == []
