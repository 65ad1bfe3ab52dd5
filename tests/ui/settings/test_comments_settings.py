"""The Comments settings page and the comment-count column, against the real server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from player.config import Paths, Settings
from player.ui.settings.comments import CommentsSettingsPage, check_server_url
from tests.social.live_server import LiveServer, free_port
from tests.ui.comments.test_comments import PASSWORD, account, open_on, shot, song_of
from tests.ui.conftest import wait_loaded


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("settings-server")) as live:
        yield live


def test_server_addresses_are_checked() -> None:
    assert check_server_url(" https://comments.example.org/ ") == "https://comments.example.org"
    assert check_server_url("http://127.0.0.1:8765") == "http://127.0.0.1:8765"
    for bad in ("", "comments.example.org", "ftp://x", "http://", "http://[::1"):
        assert check_server_url(bad) is None


def test_the_settings_page_registers_switches_servers_and_signs_out(
    qtbot, open_window, make_ctx, demo_db, server, tmp_path
) -> None:
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    wait_loaded(qtbot, window.tracks_page.model)
    panel = window.comments
    page = CommentsSettingsPage(window)
    qtbot.addWidget(page)
    page.resize(460, 360)
    page.show()
    box = page.account
    assert page.url_field.text() == server.url
    qtbot.waitUntil(box.signin.isVisible, timeout=10000)
    name = "u_" + uuid.uuid4().hex[:10]
    box.user_field.setText(name)
    box.password_field.setText(PASSWORD)
    box.register_button.click()
    qtbot.waitUntil(box.signed.isVisible, timeout=10000)
    assert name in box.who.text()
    # the tab is signed in as well, without a restart
    window.side.setCurrentWidget(panel)
    qtbot.waitUntil(panel.account_box.signed.isVisible)
    assert name in panel.account_box.who.text() and panel.backend.signed_in
    shot(page, tmp_path, "settings-comments.png")
    # a bad address: a message, nothing saved or changed
    page.url_field.setText("comments.example.org")
    assert page.apply() is False
    assert "http" in page.message.text() and panel.backend.server == server.url
    first_client = panel.backend.account.client
    # another server: saved with the settings and used at once; no account there yet
    folder = tmp_path / "other"
    folder.mkdir()
    with LiveServer(folder) as other:
        page.url_field.setText(other.url + "/")
        assert page.apply() is True
        assert Settings.load(Paths.resolve()).server_url == other.url
        assert window.ctx.settings.server_url == other.url
        assert panel.backend.server == other.url and not panel.backend.signed_in
        qtbot.waitUntil(box.signin.isVisible)
        qtbot.waitUntil(panel.account_box.signin.isVisible)
    # back to the first: its sign-in was kept; signing out here signs the tab out
    page.url_field.setText(server.url)
    assert page.apply() is True
    qtbot.waitUntil(box.signed.isVisible)
    assert name in box.who.text()
    box.signout_button.click()
    qtbot.waitUntil(lambda: box.signin.isVisible() and panel.account_box.signin.isVisible(),
                    timeout=10000)  # fmt: skip
    assert not panel.backend.signed_in
    # every client opened on the way is closed with the backend, the replaced ones too
    clients = [first_client, *(a.client for a in panel.backend._retired), panel.backend.client]
    assert len({id(c) for c in clients}) >= 3 and first_client is not panel.backend.client
    panel.backend.close()
    assert all(c._http is None for c in clients)


def test_the_comments_column_counts_visible_tracks_in_batches(
    qtbot, open_window, make_ctx, demo_db, server, tmp_path
) -> None:
    author, _ = account(server.url, keep=False)
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    wait_loaded(qtbot, window.tracks_page.model)
    _, busy = song_of(window, author, 0)
    _, quiet = song_of(window, author, 1)
    for n in range(3):
        author.post(busy, f"comment {n}")
    author.post(quiet, "just one")
    view, model = window.tracks_page.view, window.tracks_page.model
    column = [c.key for c in model.columns].index("comments")
    assert view.horizontalHeader().isSectionHidden(column)  # optional: hidden at first
    view.horizontalHeader().setSectionHidden(column, False)
    qtbot.wait(100)  # the title column makes room for it
    view.scrollTo(model.index(0, column))
    view.grab()  # painting the rows is what asks for their counts
    counts = window.moments.column
    first, second = model.ids[0], model.ids[1]
    qtbot.waitUntil(lambda: first in counts.counts and second in counts.counts, timeout=15000)

    def cell(row: int) -> str:
        return model.data(model.index(row, column))

    assert cell(0) == "3" and cell(1) == "1"
    shot(view, tmp_path, "comments-column.png")
    assert cell(2) == ""  # nobody has written about it: no number
    # the tracks were looked up, not created on the server, and are remembered
    songs = window.db.conn.execute("SELECT COUNT(*) FROM song_ids").fetchone()[0]
    assert songs >= 2
    # sorting by the column is not something SQL can do: the natural order stays
    model.sort(column)
    wait_loaded(qtbot, model)
    assert model._sort is None


def test_with_the_server_down_the_column_stays_empty_without_an_error_storm(
    qtbot, open_window, make_ctx, demo_db
) -> None:
    window, _engine = open_on(open_window, make_ctx, demo_db, f"http://127.0.0.1:{free_port()}")
    wait_loaded(qtbot, window.tracks_page.model)
    view, model = window.tracks_page.view, window.tracks_page.model
    column = [c.key for c in model.columns].index("comments")
    view.horizontalHeader().setSectionHidden(column, False)
    qtbot.wait(100)  # the title column makes room for it
    view.scrollTo(model.index(0, column))
    counts = window.moments.column
    view.grab()  # paint: the visible cells ask for their counts
    qtbot.waitUntil(lambda: counts.failures == 1, timeout=15000)
    for _ in range(5):  # repaint and scroll: no new requests while the server is away
        view.verticalScrollBar().setValue(view.verticalScrollBar().value() + 3)
        view.grab()
        qtbot.wait(200)
    assert counts.failures == 1
    # the kept sign-in being read (an account change on the same server) asks nothing more
    window.comments.accountChanged.emit()
    for _ in range(3):
        view.grab()
        qtbot.wait(200)
    assert counts.failures == 1
    assert all(model.data(model.index(row, column)) == "" for row in range(5))
    assert window.isVisible() and not window.comments.status.text().startswith("Traceback")
    # another server is asked at once, and is quiet in its turn
    window.comments.set_server(f"http://127.0.0.1:{free_port()}")
    view.grab()
    qtbot.waitUntil(lambda: counts.failures == 2, timeout=15000)
    view.grab()
    qtbot.wait(300)
    assert counts.failures == 2


def test_the_window_module_imports_neither_httpx_nor_keyring() -> None:
    """Start-up does not pay for the HTTP client or the keyring's backend detection."""
    import subprocess
    import sys

    code = "import sys, player.ui.window.main_window; print('httpx' in sys.modules, 'keyring' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_the_kept_sign_in_is_read_after_the_window_is_built(qtbot, make_ctx, demo_db, server):
    from player.app import window_parts
    from player.ui.main import application, build_window

    application()
    _, name = account(server.url)
    ctx = make_ctx(demo_db)
    ctx.settings.server_url = server.url
    window = build_window(window_parts(ctx, fake_engine=True), restore=False)
    qtbot.addWidget(window)
    try:
        assert not window.comments.backend.account_known  # not read while the window is built
        window.show()
        qtbot.waitUntil(lambda: window.comments.backend.account_known, timeout=10000)
        assert window.comments.backend.username == name and window.comments.backend.signed_in
    finally:
        window.close()
        window.shutdown()
