"""A user's profile, opened by clicking a name in the Comments tab (or an @mention).

A non-modal window beside the main one: the name, when they joined, how many
comments and likes received, a moderator badge; their comments newest first
(more on demand), each with its song, marked "in your library" when the
library holds it and playable from there; and Mute/Unmute (not on your own
profile). Muting reloads the open thread at once, so their comments leave it.
Everything that asks the server runs on the task runner.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from player.social import people
from player.social.client import Profile
from player.social.errors import SocialError
from player.social.service import CommentsService
from player.ui.comments.style import panel_style
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.theme import Theme
from player.ui.tracks.playall import queue_items_for


class ProfileHost(Protocol):
    """What a profile needs of the Comments tab that opens it."""

    backend: CommentsService
    runner: TaskRunner
    theme: Theme
    bridge: PlayerBridge

    def reload(self) -> None: ...


TRACK_ROLE = int(Qt.ItemDataRole.UserRole)
_QSS = """
QDialog#ProfileDialog { background: $panel; }
QListWidget#ProfileComments { background: $panel; border: none; color: $text; }
QListWidget#ProfileComments::item { background: $panel_hi; border: 1px solid $border;
  border-radius: 8px; padding: 8px 10px; margin: 0 0 6px 0; }
QListWidget#ProfileComments::item:selected { background: $selection; color: $text; }
"""


def profile_style(theme: Theme) -> str:
    """The Comments tab's look plus the profile's list, in the theme's colours."""
    text = _QSS
    for key in sorted(theme.colors, key=len, reverse=True):
        text = text.replace(f"${key}", theme.colors[key])
    return panel_style(theme) + text


def error_text(error: object) -> str:
    """A readable one-liner for a failed server call."""
    return error.short if isinstance(error, SocialError) else str(error)


def joined_date(iso: str, fmt: str) -> str:
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return QLocale().toString(QDate(when.year, when.month, when.day), fmt)


class ProfileDialog(QDialog):
    """One user's profile; :meth:`show_user` switches it to another user."""

    mutedChanged = Signal(str, bool)

    def __init__(self, panel: ProfileHost, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("ProfileDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.panel = panel
        self.backend, self.runner = panel.backend, panel.runner
        self.username = ""
        self.profile: Profile | None = None
        self.next_cursor: str | None = None
        self._generation = 0
        self.setStyleSheet(profile_style(panel.theme))
        self.resize(460, 560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(6)
        top = QHBoxLayout()
        self.name = QLabel("", self)
        self.name.setObjectName("CommentsTitle")
        self.badge = QLabel(self.tr("Moderator"), self)
        self.badge.setObjectName("PendingTag")
        self.badge.setVisible(False)
        self.mute_button = QPushButton(self.tr("Mute"), self)
        self.mute_button.setVisible(False)
        self.mute_button.clicked.connect(self.toggle_mute)
        top.addWidget(self.name)
        top.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addStretch(1)
        top.addWidget(self.mute_button)
        layout.addLayout(top)
        self.facts = QLabel("", self)
        self.facts.setObjectName("CommentMeta")
        self.facts.setWordWrap(True)
        layout.addWidget(self.facts)
        self.status = QLabel("", self)
        self.status.setObjectName("CommentError")
        self.status.setWordWrap(True)
        self.status.setVisible(False)
        layout.addWidget(self.status)
        self.list = QListWidget(self)
        self.list.setObjectName("ProfileComments")
        self.list.setAccessibleName(self.tr("Their comments"))
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSpacing(0)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.itemDoubleClicked.connect(self.play_item)
        self.list.currentItemChanged.connect(lambda *_: self._update_play())
        layout.addWidget(self.list, 1)
        bottom = QHBoxLayout()
        self.more_button = QPushButton(self.tr("Load more"), self)
        self.more_button.setVisible(False)
        self.more_button.clicked.connect(self.load_more)
        self.play_button = QPushButton(self.tr("Play"), self)
        self.play_button.setToolTip(self.tr("Play this song from your library"))
        self.play_button.setEnabled(False)
        self.play_button.clicked.connect(lambda: self.play_item(self.list.currentItem()))
        bottom.addWidget(self.more_button)
        bottom.addStretch(1)
        bottom.addWidget(self.play_button)
        layout.addLayout(bottom)

    # ---- reading ------------------------------------------------------------------------
    def show_user(self, username: str) -> None:
        self._generation += 1
        generation = self._generation
        self.username = username
        self.profile = None
        self.next_cursor = None
        self.setWindowTitle(self.tr("{name} — profile").format(name=username))
        self.name.setText(username)
        self.badge.setVisible(False)
        self.mute_button.setVisible(False)
        self.facts.setText(self.tr("Loading…"))
        self._say("")
        self.list.clear()
        self.more_button.setVisible(False)
        self._update_play()
        task = self.runner.submit(people.profile, self.backend, username, name="profile")
        task.done.connect(lambda result, error: self._profiled(generation, result, error))
        page = self.runner.submit(
            people.profile_comments, self.backend, username, None, name="profile comments"
        )
        page.done.connect(lambda result, error: self._page(generation, result, error))

    def _profiled(self, generation: int, profile: Profile | None, error: object) -> None:
        if generation != self._generation:
            return
        if profile is None:
            self.facts.setText("")
            self._say(self.tr("The profile could not be loaded: {error}").format(
                error=error_text(error)))  # fmt: skip
            return
        self.profile = profile
        joined = joined_date(profile.joined_at, self.tr("dd MMM yyyy", "date format"))
        facts = [
            self.tr("Joined {date}").format(date=joined),
            self.tr("%n comments", "", profile.comment_count),
            self.tr("%n likes received", "", profile.likes_received),
        ]
        if profile.suspension:
            if profile.suspension.get("for_good"):
                facts.append(self.tr("suspended for good"))
            else:
                until = joined_date(str(profile.suspension.get("until") or ""),
                                    self.tr("dd MMM yyyy", "date format"))  # fmt: skip
                facts.append(self.tr("suspended until {date}").format(date=until))
        self.facts.setText(" · ".join(facts))
        self.badge.setVisible(profile.is_moderator)
        own = profile.username == self.backend.username
        self.mute_button.setVisible(self.backend.signed_in and not own)
        self._show_muted(profile.muted_by_me)

    def _page(self, generation: int, page: people.ProfileComments | None, error: object) -> None:
        if generation != self._generation:
            return
        self.more_button.setEnabled(True)
        if page is None:
            self._say(self.tr("Their comments could not be loaded: {error}").format(
                error=error_text(error)))  # fmt: skip
            return
        for entry in page.items:
            self.list.addItem(self._item(entry))
        self.next_cursor = page.next_cursor
        self.more_button.setVisible(bool(page.next_cursor))
        if self.list.count() == 0:
            empty = QListWidgetItem(self.tr("No comments yet."))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(empty)

    def _item(self, entry: people.ProfileItem) -> QListWidgetItem:
        song = entry.song
        if song is not None and (song.artist or song.title):
            where = " – ".join(p for p in (song.artist or "", song.title or "") if p)
        else:
            where = self.tr("an unknown song")
        if entry.track_id is not None:
            where += "  · " + self.tr("in your library")
        body = self.tr("[deleted]") if entry.comment.deleted else entry.comment.body
        item = QListWidgetItem(f"{where}\n{body}")
        item.setData(TRACK_ROLE, entry.track_id)
        tip = body
        if entry.track_id is not None:
            tip += "\n\n" + self.tr("Double-click to play it from your library")
        item.setToolTip(tip)
        return item

    def load_more(self) -> None:
        if not self.next_cursor:
            return
        generation = self._generation
        self.more_button.setEnabled(False)
        task = self.runner.submit(
            people.profile_comments, self.backend, self.username, self.next_cursor,
            name="profile comments",
        )  # fmt: skip
        task.done.connect(lambda result, error: self._page(generation, result, error))

    def held(self) -> list[tuple[str, int | None]]:
        """Each listed comment's text and its library track (None: not in the library)."""
        return [
            (self.list.item(i).text(), self.list.item(i).data(TRACK_ROLE))
            for i in range(self.list.count())
        ]

    # ---- playing -----------------------------------------------------------------------
    def _update_play(self) -> None:
        item = self.list.currentItem()
        self.play_button.setEnabled(item is not None and item.data(TRACK_ROLE) is not None)

    def play_item(self, item: QListWidgetItem | None) -> None:
        track_id = item.data(TRACK_ROLE) if item is not None else None
        if track_id is None:
            return
        task = self.runner.submit(
            queue_items_for, self.backend.db_path, [int(track_id)], name="profile play"
        )
        task.done.connect(self._play)

    def _play(self, items: object, error: object) -> None:
        if not items:
            self._say(self.tr("This song is no longer in your library."))
            return
        self.panel.bridge.play_items(list(items), 0)  # type: ignore[call-overload]

    # ---- muting ------------------------------------------------------------------------
    def _show_muted(self, muted: bool) -> None:
        self.mute_button.setProperty("muted", muted)
        self.mute_button.setText(self.tr("Unmute") if muted else self.tr("Mute"))
        self.mute_button.setToolTip(
            self.tr("Show their comments again")
            if muted
            else self.tr("Hide their comments and notifications from you")
        )

    def toggle_mute(self) -> None:
        muted = not bool(self.mute_button.property("muted"))
        self.mute_button.setEnabled(False)
        name = self.username
        task = self.runner.submit(people.set_muted, self.backend, name, muted, name="mute")
        task.done.connect(lambda result, error: self._muted(name, muted, error))

    def _muted(self, name: str, muted: bool, error: object) -> None:
        self.mute_button.setEnabled(True)
        if error is not None:
            self._say(self.tr("Could not change the mute: {error}").format(
                error=error_text(error)))  # fmt: skip
            return
        if name == self.username:
            self._show_muted(muted)
        emit(self.mutedChanged, name, muted)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))


def show_profile(panel: ProfileHost, parent: QWidget, username: str) -> ProfileDialog:
    """Open (or switch the open one to) *username*'s profile, a window of *parent* (the tab)."""
    dialog = parent.findChild(ProfileDialog)
    if dialog is None:
        dialog = ProfileDialog(panel, parent)
        dialog.mutedChanged.connect(lambda *_: panel.reload())
    dialog.show_user(username)
    dialog.show()
    dialog.raise_()
    return dialog
