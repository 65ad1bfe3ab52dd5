"""The For You page: today's mix, a radio from what's playing, "because you liked X" rows.

Everything is computed by a :class:`~player.ui.foryou.session.RecommendSession`
on the task runner; the page only draws the shelves it gets back and forwards
what the listener does (play, queue, save, like, skip, "not this one"). A
"Similar tracks" or "Start radio" request from any track menu (or the
now-playing bar) shows up as the first shelf. Recommendations work from tags
alone and get better as audio analysis completes: the page re-reads when told.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from player.audio.queue import QueueItem
from player.errors import AppError
from player.library import playlists
from player.library.store import LibraryDB
from player.recommend import feedback
from player.recommend.shelves import Shelves
from player.ui.foryou.hidden import HiddenTracksDialog
from player.ui.foryou.radio import RadioFollower, queue_items
from player.ui.foryou.rows import ShelfView, stylesheet
from player.ui.foryou.session import ForYou, RecommendSession, Shelf, ShelfItem
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.theme import Theme
from player.ui.pages.layout import page_header, scrolling_body
from player.ui.tracks.ratings import show_change

#: while analysis runs, the visible page re-reads at most this often
ANALYSIS_REFRESH_S = 8.0


class ForYouPage(QWidget):
    """Recommendation shelves. ``notice(AppError)``, ``playlistSaved(id)``, ``updated()``."""

    notice = Signal(object)
    playlistSaved = Signal(int)
    updated = Signal()
    smoothChanged = Signal(bool)

    def __init__(
        self,
        db: LibraryDB,
        db_path: str | Path,
        runner: TaskRunner,
        bridge: PlayerBridge,
        theme: Theme,
        parent: QWidget | None = None,
        *,
        shelves: Shelves,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.setAccessibleName(self.tr("For You"))
        self.db, self.runner, self.bridge, self.theme = db, runner, bridge, theme
        self.session = RecommendSession(shelves)
        self.radio = RadioFollower(bridge, runner, self.session, self)
        self.data: ForYou | None = None
        self.shelves: list[ShelfView] = []
        self._busy = False
        self._again = False
        self._dirty = False
        self._last_analysis_reload = 0.0
        self._styled_for = ""
        self.hidden_count = 0
        self.smooth_mix = False
        self.hidden_dialog: HiddenTracksDialog | None = None
        self._mix_queue: set[str] = set()  # queue item ids of today's mix, when played
        self.wall: QWidget | None = None  # "Loved in the comments", put here by wall.attach
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        header, _, self.subtitle = page_header(
            self, self.tr("For You"), self.tr("Made on this computer from your library")
        )
        self._add_hidden_link(header)
        layout.addWidget(header)
        self.scroll, self.body, self.column = scrolling_body(self, (20, 4, 20, 20), 16)
        self.empty = QLabel(self.tr("Finding music for you…"), self.body)
        self.empty.setObjectName("EmptyText")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.column.addWidget(self.empty)
        self.column.addStretch(1)
        self.scroll.setWidget(self.body)
        layout.addWidget(self.scroll, 1)
        self._follow = QTimer(self)
        self._follow.setSingleShot(True)
        self._follow.setInterval(400)
        self._follow.timeout.connect(self.reload)
        bridge.trackChanged.connect(self._track_changed)
        self._restyle()  # the Hidden tracks link is counted with the first lists, not at start-up

    # ---- styling -----------------------------------------------------------------------
    def _restyle(self) -> None:
        if self._styled_for != self.theme.name:
            self._styled_for = self.theme.name
            self.setStyleSheet(stylesheet(self.theme))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.PaletteChange):
            self._restyle()
        super().changeEvent(event)

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self._restyle()
        if self._dirty:
            self.reload()

    # ---- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Recompute every shelf on a worker (a reload during one runs once more after it)."""
        self._dirty = False
        if self._busy:
            self._again = True
            return
        self._busy = True
        item = self.bridge.playing_item
        playing = item.track_id if item is not None else None
        from_mix = item is not None and item.id in self._mix_queue
        task = self.runner.submit(
            self.session.build, playing, dt.date.today(), from_mix, name="for you"
        )
        task.done.connect(self._built)

    def _built(self, data: ForYou | None, error: object) -> None:
        self._busy = False
        if self._again:
            self._again = False
            self.reload()
            return
        if error is not None or data is None:
            if error is not None:
                emit(self.notice, _readable(error))
            return
        self.show_data(data)

    def show_data(self, data: ForYou) -> None:
        self.data = data
        for view in self.shelves:
            self.column.removeWidget(view)
            view.hide()  # out of sight now: it is deleted only when control returns to Qt
            view.deleteLater()
        self.shelves = []
        self.empty.setVisible(not data.shelves)
        self.empty.setText(data.hint or self.tr("Nothing to recommend yet."))
        for i, shelf in enumerate(data.shelves):
            view = ShelfView(shelf, self.theme, self.body, smooth=self.smooth_mix)
            view.smoothToggled.connect(self.set_smooth_mix)
            view.newMixRequested.connect(self.new_mix)
            view.acted.connect(self.act)
            view.playRequested.connect(self.play)
            view.queueRequested.connect(self.enqueue)
            view.saveRequested.connect(self.save)
            self.column.insertWidget(i, view)
            self.shelves.append(view)
        self.subtitle.setText(_status(data))
        self._show_hidden(data.hidden)  # counted with the lists, on the worker
        emit(self.updated)

    def set_smooth_mix(self, on: bool) -> None:
        """Today's mix in smooth order (or back to its own order); the page is rebuilt."""
        if on == self.smooth_mix:
            return
        self.smooth_mix = on
        self.session.set_smooth_mix(on)
        emit(self.smoothChanged, on)
        self.mark_dirty()

    def new_mix(self) -> None:
        """Make a different mix for today (it then stays, like the first one)."""
        task = self.runner.submit(self.session.new_mix, name="new mix")
        task.done.connect(lambda *_: self.reload())

    def shelf(self, key: str) -> ShelfView | None:
        return next((v for v in self.shelves if v.shelf.key == key), None)

    def mark_dirty(self) -> None:
        """Re-read when next shown (or now, when visible)."""
        if self.isVisible():
            self.reload()
        else:
            self._dirty = True

    def analysis_progress(self, done: int, total: int) -> None:
        """Analysis moved on: re-read now and then, so recommendations improve as it runs."""
        now = time.monotonic()
        if done >= total or now - self._last_analysis_reload >= ANALYSIS_REFRESH_S:
            self._last_analysis_reload = now
            self.mark_dirty()

    def _track_changed(self, item: object) -> None:
        if self.isVisible():
            self._follow.start()
        else:
            self._dirty = True

    # ---- hidden ("not this one") tracks ---------------------------------------------------
    def _add_hidden_link(self, header: QWidget) -> None:
        """A "Hidden tracks (N)" link on the subtitle's line, shown while any track is hidden."""
        self.hidden_link = QToolButton(header)
        self.hidden_link.setObjectName("LinkButton")
        self.hidden_link.setCursor(Qt.CursorShape.PointingHandCursor)
        self.hidden_link.setToolTip(
            self.tr("Tracks you said “Not this one” to: see them and bring them back")
        )
        self.hidden_link.clicked.connect(self.open_hidden)
        self.hidden_link.hide()
        column = header.layout()
        assert isinstance(column, QBoxLayout)
        column.removeWidget(self.subtitle)
        line = QHBoxLayout()
        line.setSpacing(12)
        self.subtitle.setWordWrap(True)  # wraps beside the link rather than being cut
        self.subtitle.setMinimumWidth(120)
        line.addWidget(self.subtitle, 1)
        line.addWidget(self.hidden_link, 0, Qt.AlignmentFlag.AlignVCenter)
        column.addLayout(line)

    def update_hidden(self) -> None:
        """Count the hidden tracks again and show it on the link (right after a restore)."""
        try:
            count = len(feedback.dismissed(self.db))
        except sqlite3.Error as exc:
            emit(self.notice, AppError("Could not count the hidden tracks", str(exc)))
            return
        self._show_hidden(count)

    def _show_hidden(self, count: int) -> None:
        self.hidden_count = count
        text = self.tr("Hidden tracks ({n})").format(n=self.hidden_count)
        self.hidden_link.setText(text)
        self.hidden_link.setAccessibleName(text)
        self.hidden_link.setVisible(self.hidden_count > 0)

    def open_hidden(self) -> HiddenTracksDialog:
        """Show the hidden tracks (without blocking) so some or all can be restored."""
        if self.hidden_dialog is not None:
            self.hidden_dialog.close()
        dialog = HiddenTracksDialog(self.db, self.theme, self)
        self.hidden_dialog = dialog
        dialog.restored.connect(self._restored)
        dialog.finished.connect(lambda _result: self._hidden_closed(dialog))
        dialog.open()
        return dialog

    def _hidden_closed(self, dialog: HiddenTracksDialog) -> None:
        if self.hidden_dialog is dialog:
            self.hidden_dialog = None
        dialog.deleteLater()

    def _restored(self, track_ids: list[int]) -> None:
        self.update_hidden()
        self.reload()

    def resume_radio(self) -> bool:
        """The queue was restored: the radio playing at the last close goes on, if still queued."""
        return self.radio.resume()

    # ---- requests from track menus ----------------------------------------------------------
    def show_similar(self, track_ids: list[int]) -> None:
        task = self.runner.submit(self.session.set_request, "similar", list(track_ids[:1]))
        task.done.connect(lambda *_: self.reload())

    def start_radio(self, track_ids: list[int]) -> None:
        """A radio from *track_ids*: play the seeds and the station, show it as the first shelf."""
        seeds = list(track_ids)
        if not seeds:
            return
        task = self.runner.submit(self.session.radio_items, seeds, name="radio")
        task.done.connect(lambda items, error: self._radio_ready(seeds, items, error))

    def _radio_ready(self, seeds: list[int], items: list[ShelfItem] | None, error: object) -> None:
        if error is not None or items is None:
            emit(self.notice, _readable(error))
            return
        from player.library.search import fetch_rows

        by_id = {row["id"]: row for row in fetch_rows(self.db, seeds)}
        queue = [QueueItem.from_row(by_id[t]) for t in seeds if t in by_id]
        queue += queue_items(items)
        if queue:
            self.bridge.play_items(queue, 0)
        self.reload()

    # ---- acting on shelves -------------------------------------------------------------
    def _queue(self, shelf: Shelf) -> list[QueueItem]:
        return queue_items(shelf.items)

    def play(self, shelf: Shelf, start: int = 0) -> None:
        """Play *shelf*; a radio shelf goes on by itself as it plays (see :class:`RadioFollower`)."""
        items = self._queue(shelf)
        if items:
            self._mix_queue = {i.id for i in items} if shelf.key == "mix" else set()
            self.session.play_shelf(shelf.key, [i.track_id for i in shelf.items])
            self.bridge.play_items(items, max(0, min(start, len(items) - 1)))

    def enqueue(self, shelf: Shelf) -> None:
        items = self._queue(shelf)
        if items:
            self.bridge.enqueue(items)

    def save(self, shelf: Shelf) -> int | None:
        """Save *shelf* as a normal playlist named after it and today's date."""
        name = f"{shelf.title} · {dt.date.today().isoformat()}"
        try:
            existing = {p.name for p in playlists.list_playlists(self.db)}
            base, n = name, 2
            while name in existing:
                name, n = f"{base} ({n})", n + 1
            playlist_id = playlists.create_playlist(self.db, name)
            playlists.add_to_playlist(self.db, playlist_id, [i.track_id for i in shelf.items])
        except AppError as exc:
            emit(self.notice, exc)
            return None
        self.subtitle.setText(self.tr("Saved “{name}” to your playlists").format(name=name))
        emit(self.playlistSaved, playlist_id)
        return playlist_id

    def act(self, track_id: int, action: str) -> None:
        """Like, unlike, skip or dismiss a track; the shelves are recomputed afterwards."""
        if action in ("skip", "dismiss"):
            for view in self.shelves:
                view.remove(track_id)
        task = self.runner.submit(self.session.feedback, track_id, action, name="feedback")
        task.done.connect(lambda result, error: self._fed_back(track_id, action, error))

    def _fed_back(self, track_id: int, action: str, error: object) -> None:
        if error is not None:
            emit(self.notice, _readable(error))
        elif action in ("like", "unlike"):  # track lists and the now-playing heart follow
            show_change(self, [track_id], {"liked": action == "like"})
        self.reload()


def _status(data: ForYou) -> str:
    if not data.tracks:
        return QCoreApplication.translate("ForYouPage", "Made on this computer from your library")
    if data.analysed >= data.tracks:
        return QCoreApplication.translate(
            "ForYouPage", "From the sound and tags of {tracks} tracks · made on this computer"
        ).format(tracks=f"{data.tracks:,}")
    return QCoreApplication.translate(
        "ForYouPage",
        "From tags, and the sound of {analysed} of {tracks} tracks analysed so far · made on this computer",
    ).format(analysed=f"{data.analysed:,}", tracks=f"{data.tracks:,}")


def _readable(error: object) -> AppError:
    if isinstance(error, AppError):
        return error
    return AppError("Recommendations failed", str(error) or type(error).__name__)
