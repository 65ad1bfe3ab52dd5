"""Profiles and muting in the window, against the real comment server (LiveServer)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from player.social.client import SocialClient
from player.social.people import LOG_PAGE, PROFILE_PAGE
from player.social.server.accounts import set_moderator
from player.ui.comments.profile import ProfileDialog
from tests.social.live_server import LiveServer
from tests.ui.comments.test_comments import account, open_on, shot, song_of
from tests.ui.conftest import wait_loaded


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("people-server")) as live:
        yield live


def test_a_profile_marks_songs_in_the_library_and_plays_them(
    qtbot, open_window, make_ctx, demo_db, server, tmp_path
) -> None:
    author, name = account(server.url, keep=False)
    _viewer, _ = account(server.url)
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    wait_loaded(qtbot, window.tracks_page.model)
    panel = window.comments
    track_id, song_id = song_of(window, author, 0)
    # the library remembers the song id of the track it holds (as reading its thread does)
    assert panel.backend.songs().song_id(track_id, author) == song_id
    elsewhere = author.resolve({"artist": "Nobody We Know", "title": "Not Here Either"}).song_id
    assert elsewhere is not None and elsewhere != song_id
    author.post(song_id, "Held: this one is on your disk.")
    author.post(elsewhere, "Elsewhere: a song you do not have.")
    panel.open_profile(name)
    dialog = panel.findChild(ProfileDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: len(dialog.held()) == 2 and dialog.profile is not None, timeout=10000)
    assert dialog.name.text() == name
    assert "2 comments" in dialog.facts.text() and "Joined" in dialog.facts.text()
    assert not dialog.badge.isVisible()
    assert dialog.mute_button.isVisible()  # someone else's profile
    (newest, newest_track), (older, older_track) = dialog.held()
    assert newest.startswith("Nobody We Know – Not Here Either") and "Elsewhere" in newest
    assert "in your library" not in newest and newest_track is None
    assert "in your library" in older and "Held" in older and older_track == track_id
    dialog.list.setCurrentRow(0)
    assert not dialog.play_button.isEnabled()
    dialog.list.setCurrentRow(1)
    assert dialog.play_button.isEnabled()

    def playing(wanted: int) -> bool:
        item = window.bridge.playing_item
        return item is not None and item.track_id == wanted

    assert not playing(track_id)
    rect = dialog.list.visualItemRect(dialog.list.item(1))
    qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: playing(track_id), timeout=5000)
    other = window.tracks_page.model.ids[4]
    window.tracks_page.view.play_rows([4])
    qtbot.waitUntil(lambda: playing(other), timeout=5000)
    dialog.play_button.click()
    qtbot.waitUntil(lambda: playing(track_id), timeout=5000)
    shot(dialog, tmp_path, "profile.png")


def test_clicking_an_author_opens_the_profile_and_muting_hides_their_comments(
    qtbot, open_window, make_ctx, demo_db, server
) -> None:
    friend, _friend_name = account(server.url, keep=False)
    troll, troll_name = account(server.url, keep=False)
    _viewer, viewer_name = account(server.url)
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    wait_loaded(qtbot, window.tracks_page.model)
    panel = window.comments
    window.side.setCurrentWidget(panel)
    _, song_id = song_of(window, friend, 2)
    friend.post(song_id, "Lovely strings.")
    noise = troll.post(song_id, "Worst song ever, obviously.")
    qtbot.waitUntil(panel.account_box.signed.isVisible, timeout=5000)
    window.tracks_page.view.play_rows([2])
    qtbot.waitUntil(lambda: panel.new_box.count() == 2, timeout=10000)
    card = panel.cards[noise.id]
    qtbot.mouseClick(card.author, Qt.MouseButton.LeftButton)
    dialog = panel.findChild(ProfileDialog)
    assert dialog is not None and dialog.username == troll_name
    qtbot.waitUntil(lambda: dialog.profile is not None and dialog.mute_button.isVisible())
    assert dialog.mute_button.text() == "Mute"
    dialog.mute_button.click()
    qtbot.waitUntil(lambda: dialog.mute_button.text() == "Unmute", timeout=5000)
    qtbot.waitUntil(
        lambda: noise.id not in panel.cards and panel.new_box.count() == 1,
        timeout=10000,
    )
    assert panel.new_box.itemAt(0).widget().body.text() == "Lovely strings."
    dialog.mute_button.click()  # unmuted: back in the thread
    qtbot.waitUntil(lambda: noise.id in panel.cards, timeout=10000)
    # your own profile has no Mute button
    panel.open_profile(viewer_name)
    qtbot.waitUntil(lambda: dialog.profile is not None and dialog.username == viewer_name)
    assert not dialog.mute_button.isVisible()


def moderator(server: LiveServer, *, keep: bool = True) -> tuple[SocialClient, str]:
    client, name = account(server.url, keep=keep)
    assert set_moderator(server.app.state.server, name)
    return client, name


def test_a_non_moderator_has_no_moderation_tab(
    qtbot, open_window, make_ctx, demo_db, server
) -> None:
    account(server.url)
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    tab = window.moments.moderation
    assert tab is not None
    qtbot.waitUntil(lambda: tab.moderator is not None, timeout=10000)
    assert tab.moderator is False
    assert tab.page is None
    titles = [window.side.tabText(i) for i in range(window.side.count())]
    assert "Moderation" not in titles


def test_a_moderator_hides_and_suspends_from_the_moderation_tab(
    qtbot, open_window, make_ctx, demo_db, server, tmp_path
) -> None:
    author, author_name = account(server.url, keep=False)
    reporter, reporter_name = account(server.url, keep=False)
    mod, mod_name = moderator(server)
    song = author.resolve({"artist": "Someone", "title": "Reported Song"}).song_id
    assert song is not None
    rude = author.post(song, "You all have terrible taste.")
    spam = author.post(song, "Buy cheap followers at example.com")
    reporter.report(rude.id, "insulting")
    reporter.report(spam.id, "spam")
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    tab = window.moments.moderation
    qtbot.waitUntil(lambda: tab.page is not None, timeout=10000)
    page = tab.page
    assert window.side.tabText(window.side.indexOf(page)) == "Moderation"
    window.side.setCurrentWidget(page)
    qtbot.waitUntil(lambda: len(page.report_cards) == 2 and page.loading == 0, timeout=10000)
    card = next(c for c in page.report_cards.values() if c.report.comment.id == spam.id)
    qtbot.waitUntil(card.isVisible)
    assert card.author_name == author_name
    assert f"song #{song}" in " ".join(w.text() for w in card.findChildren(QLabel))
    assert reporter_name in card.why.text() and "spam" in card.why.text()
    # hide: a reason is asked for first
    card.hide_button.click()
    assert card.hide_form.isVisible()
    other = next(c for c in page.report_cards.values() if c is not card)
    other.suspend_button.click()
    qtbot.wait(150)
    shot(window.side, tmp_path, "moderation.png")
    other.suspend_button.click()
    card.hide_confirm.click()
    assert card.error.isVisible() and len(page.report_cards) == 2
    card.hide_reason.setText("advertising")
    card.hide_confirm.click()
    qtbot.waitUntil(lambda: len(page.report_cards) == 1 and page.loading == 0, timeout=10000)
    assert all(c.id != spam.id for c in reporter.comments(song, sort="new").items)
    # suspend the author for 3 days
    card = next(iter(page.report_cards.values()))
    card.suspend_button.click()
    card.suspend_reason.setText("repeated insults")
    card.days.setValue(3)
    card.suspend_confirm.click()
    qtbot.waitUntil(
        lambda: (
            page.loading == 0
            and any("suspended" in page.log.item(i).text() for i in range(page.log.count()))
        ),
        timeout=10000,
    )
    lines = [page.log.item(i).text() for i in range(page.log.count())]
    assert any(f"{mod_name} hid comment #{spam.id} of {author_name}: advertising" in t
               for t in lines)  # fmt: skip
    assert any(f"{mod_name} suspended {author_name}" in t and "repeated insults" in t
               for t in lines)  # fmt: skip
    profile = mod.profile(author_name)
    assert profile.suspension and not profile.suspension.get("for_good")
    # dismiss the last report: it leaves the list, the comment stays
    card = next(iter(page.report_cards.values()))
    card.dismiss_button.click()
    qtbot.waitUntil(lambda: not page.report_cards and page.no_reports.isVisible(), timeout=10000)
    assert any(c.id == rude.id for c in reporter.comments(song, sort="new").items)


def test_a_profile_pages_through_many_comments(
    qtbot, open_window, make_ctx, demo_db, server
) -> None:
    author, name = account(server.url, keep=False)
    song = author.resolve({"artist": "Prolific", "title": "Many Words"}).song_id
    assert song is not None
    for i in range(PROFILE_PAGE + 2):
        author.post(song, f"comment number {i}")
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    panel = window.comments
    panel.open_profile(name)
    dialog = panel.findChild(ProfileDialog)
    qtbot.waitUntil(lambda: len(dialog.held()) == PROFILE_PAGE, timeout=10000)
    assert dialog.more_button.isVisible()
    assert dialog.held()[0][0].endswith(f"comment number {PROFILE_PAGE + 1}")  # newest first
    dialog.more_button.click()
    qtbot.waitUntil(lambda: len(dialog.held()) == PROFILE_PAGE + 2, timeout=10000)
    assert dialog.held()[-1][0].endswith("comment number 0")
    assert not dialog.more_button.isVisible()


def test_the_moderation_log_pages_back_through_older_entries(
    qtbot, open_window, make_ctx, demo_db, server
) -> None:
    _author, author_name = account(server.url, keep=False)
    mod, _mod_name = moderator(server)
    for _ in range(LOG_PAGE // 2 + 1):  # two entries each
        mod.suspend(author_name, "cooling off", 1)
        mod.lift_suspension(author_name)
    everything, cursor = mod.moderation_log(limit=100)
    assert LOG_PAGE < len(everything) < 100 and cursor is None
    window, _engine = open_on(open_window, make_ctx, demo_db, server.url)
    tab = window.moments.moderation
    qtbot.waitUntil(lambda: tab.page is not None, timeout=10000)
    page = tab.page
    window.side.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.loading == 0 and page.log.count() > 0, timeout=10000)
    assert page.log.count() == LOG_PAGE
    assert page.more_button.isVisible()
    page.more_button.click()
    qtbot.waitUntil(lambda: page.log.count() == len(everything), timeout=10000)
    lines = [page.log.item(i).text() for i in range(page.log.count())]
    assert lines == [page.log_line(e) for e in everything]  # newest first, none twice
    assert not page.more_button.isVisible()
    # a refresh starts again from the newest page
    page.refresh()
    qtbot.waitUntil(lambda: page.loading == 0, timeout=10000)
    assert page.log.count() == LOG_PAGE and page.more_button.isVisible()
