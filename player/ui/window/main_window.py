"""The main window: navigation, the chosen view, the side panel and the now-playing bar.

Everything it shows comes from the core through the bridge (playback), the
task runner (anything slow) and the track models (SQL). It is built on the
:class:`~player.ui.kit.parts.WindowParts` that :mod:`player.app` made (it opens
no database and builds no engine), and keeps what each feature's installer
returns as a field. Features see it through the
:class:`~player.ui.kit.window.KindredWindow` Protocol (and their own
sub-protocols), never as this class. It keeps no logic of its own beyond
choosing pages, and remembers its layout between runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from player.errors import AppError, QueryError
from player.library.query import compile_query
from player.library.trackquery import TrackSource
from player.ui.comments.bell import Bell, put_bell
from player.ui.comments.counts import attach_counts
from player.ui.desktop.install import DesktopParts
from player.ui.foryou.install import install as install_discovery
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.covers import CoverProvider
from player.ui.kit.lazypages import LazyPages
from player.ui.kit.lazytab import LazyTab
from player.ui.kit.parts import WindowParts
from player.ui.kit.scanstatus import ScanStatus
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.theme import Theme
from player.ui.pages.artists import least_width as least_artists_width
from player.ui.pages.nav import Navigation
from player.ui.pages.tracklist import TrackListPage
from player.ui.playback.nowplaying import NowPlayingBar
from player.ui.playback.queue import QueuePanel
from player.ui.playback.scrobbling import install as install_scrobbling
from player.ui.playlists.page import PlaylistPage
from player.ui.playlists.sidebar import install as install_playlists
from player.ui.settings.appearance import follow_system_scheme
from player.ui.tracks.view import COMPACT_KEY, TrackView
from player.ui.window import shortcuts
from player.ui.window.drops import install as install_drops
from player.ui.window.notices import NoticeBar
from player.ui.window.searchbox import SearchBox
from player.ui.window.shortcuts import ShortcutActions
from player.ui.window.state import RememberedLayout, WindowState
from player.ui.window.watching import FolderWatch

if TYPE_CHECKING:  # the demo (its library maker, tag writer and server) loads when chosen
    from player.ui.comments.inbox import Inbox
    from player.ui.comments.install import Moments
    from player.ui.comments.panel import CommentsPanel
    from player.ui.pages.librarybrowser import LibraryBrowserPage
    from player.ui.pages.listening import ListeningPage
    from player.ui.pages.welcome import WelcomePage
    from player.ui.playback.lyrics import LyricsPanel
    from player.ui.playlists.page import PlaylistPage
    from player.ui.window.demo import WelcomeDemo

log = logging.getLogger(__name__)
LIVE_REFRESH_MS = 1500  # while scanning, the visible list refreshes this often
START_LATER_MS = 300  # work that need not compete with the first paint waits this long at most
LIST_PAINTED_MS = 50  # ... or this long after the first list has its rows


class MainWindow(ShortcutActions, RememberedLayout, QMainWindow):
    """Kindred's window over the parts the composition root built."""

    #: length of each demo track made from the welcome page (seconds)
    DEMO_SECONDS = 24.0

    def __init__(
        self, parts: WindowParts, *, restore: bool = True, runner: TaskRunner | None = None
    ) -> None:
        super().__init__()
        ctx = parts.context
        self.parts = parts
        self._restored_headers = False  # pages built after the layout was restored get its header
        self.ctx, self.db, self.db_path = ctx, ctx.library, ctx.db_path
        self.state = WindowState.load(ctx.paths) if restore else WindowState()
        self.theme = Theme(self.state.theme)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.theme.apply(app)
        follow_system_scheme(self)
        self.runner = runner or TaskRunner(parent=self)
        # comments go over the network: a server that is down (retries, time-outs) must
        # not hold up the library reads and recommendations on the shared pool
        self.net_runner = TaskRunner.own_pool(3, self)
        self.bridge = PlayerBridge(parts.controller, self)
        self.covers = CoverProvider(ctx.paths.cache_dir / "covers", self)
        self.setWindowTitle("Kindred")
        self.setAccessibleName("Kindred")
        self.resize(1320, 820)
        self.setMinimumSize(900, 600)
        self._build()
        self._stale: set[str] = set()
        self.help_dialog: shortcuts.ShortcutsDialog | None = None
        self.demo: WelcomeDemo | None = None  # the welcome page's demo, once started
        self.settings_dialog: QWidget | None = None
        #: MPRIS, tray, notifications and the single-instance server, once started
        self.desktop_parts = DesktopParts()
        self.actions_ = shortcuts.install(self, self._shortcut_handlers())
        if restore:
            self._restore_layout()
            self._restore_queue()
        self.show_view(self.state.view if self.db.has_tracks() else "welcome")
        self.folder_watch = FolderWatch(self)
        # watching (it walks every library folder) and the output stage wait until the
        # window is up and listed: the first list's rows painted, START_LATER_MS at most
        self._started_later = False
        self.tracks_page.model.loaded.connect(
            lambda _n: QTimer.singleShot(LIST_PAINTED_MS, self, self._start_later)
        )
        QTimer.singleShot(START_LATER_MS, self, self._start_later)

    def _start_later(self) -> None:
        """What need not compete with the first paint, started once (the sooner it starts
        after that paint, the sooner the process is quiet)."""
        if self._started_later:
            return
        self._started_later = True
        QTimer.singleShot(0, self, self.comments_tab.get)  # each in its own slice of the loop
        QTimer.singleShot(0, self, self.lyrics_tab.get)
        self.folder_watch.update()
        warm_up = getattr(self.parts.engine, "warm_up", None)  # the output stage
        if warm_up is not None:
            warm_up()

    # ---- building ----------------------------------------------------------------------
    @property
    def lyrics_panel(self) -> LyricsPanel:
        """The Lyrics tab (built now if it was not yet)."""
        return self.lyrics_tab.get()

    @property
    def comments(self) -> CommentsPanel:
        """The Comments tab (built now if it was not yet)."""
        return self.comments_tab.get()

    @property
    def moments(self) -> Moments:
        """The comment marks on the seek slider, the toast and the bar's count."""
        self.comments_tab.get()
        return self._moments

    @property
    def inbox(self) -> Inbox:
        """The bell's inbox."""
        self.comments_tab.get()
        return self._inbox

    def _make_comments_panel(self, parent: QWidget) -> CommentsPanel:
        from player.ui.comments.install import comments_panel

        return comments_panel(self, self.parts.comments, parent)

    def _comments_built(self) -> None:
        from player.ui.comments.inbox import Inbox
        from player.ui.comments.install import attach_moments

        self._moments = attach_moments(self, self.comment_counts)
        self._inbox = Inbox(self, self.bell)

    def _bell_clicked_early(self) -> None:
        """A click on the bell before the tab was built builds it and opens the popup."""
        if self.comments_tab.widget is None:
            self.comments_tab.get()
            self._inbox.popup.open_at(self.bell)

    def _make_lyrics_panel(self, parent: QWidget) -> LyricsPanel:
        from player.ui.playback.lyrics import LyricsPanel

        return LyricsPanel(
            self.bridge,
            self.db_path,
            self.runner,
            self.theme,
            parent,
            settings=self.ctx.settings,
            save_settings=lambda: self.ctx.settings.save(self.ctx.paths),
        )

    def _build(self) -> None:
        central = QWidget(self)
        central.setObjectName("Centre")
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, central)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        # sidebar
        sidebar = QWidget(self.splitter)
        sidebar.setObjectName("Sidebar")
        sidebar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(0, 4, 0, 8)
        brand_row = QHBoxLayout()
        brand_row.setContentsMargins(18, 12, 0, 4)
        brand_row.setSpacing(8)
        logo = QLabel(sidebar)
        logo.setPixmap(
            self.theme.icon("logo", "accent").pixmap(QSize(28, 28), self.devicePixelRatioF())
        )
        brand = QLabel(self.tr("Kindred"), sidebar)
        brand.setObjectName("Brand")
        brand_row.addWidget(logo)
        brand_row.addWidget(brand, 1)
        side.addLayout(brand_row)
        self.nav = Navigation(self.db, self.theme, sidebar)
        side.addWidget(self.nav, 1)
        sidebar.setMinimumWidth(190)
        # centre
        centre = QWidget(self.splitter)
        centre.setObjectName("Centre")
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        top = QHBoxLayout()
        top.setContentsMargins(20, 14, 16, 6)
        self.search = SearchBox(self.theme, centre)
        top.addWidget(self.search, 1)
        help_button = QToolButton(centre)
        self.theme.set_icon(help_button, "keyboard", "text_dim")
        help_button.setIconSize(QSize(20, 20))
        help_button.setAccessibleName(self.tr("Keyboard shortcuts"))
        help_button.setToolTip(self.tr("Keyboard shortcuts (F1)"))
        help_button.clicked.connect(self.show_help)
        top.addWidget(help_button, 0, Qt.AlignmentFlag.AlignTop)
        settings_button = QToolButton(centre)
        settings_button.setObjectName("SettingsButton")
        self.theme.set_icon(settings_button, "settings", "text_dim")
        settings_button.setIconSize(QSize(20, 20))
        settings_button.setAccessibleName(self.tr("Settings"))
        settings_button.setToolTip(self.tr("Settings (Ctrl+,)"))
        settings_button.clicked.connect(self.show_settings)
        top.addWidget(settings_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(top)
        self.notice = NoticeBar(self.theme, centre)
        notice_box = QHBoxLayout()
        notice_box.setContentsMargins(20, 4, 20, 4)
        notice_box.addWidget(self.notice)
        column.addLayout(notice_box)
        self.stack = QStackedWidget(centre)
        # the room the widest page (Artists) needs, kept from the start as when every page
        # was built at once: the first visit to a page built later does not move the splitter
        self.stack.setMinimumWidth(least_artists_width())
        column.addWidget(self.stack, 1)
        self._build_pages()
        # side panel
        self.side = QTabWidget(self.splitter)
        self.side.setObjectName("SidePanel")
        self.side.setAccessibleName(self.tr("Queue, lyrics and comments"))
        self.queue_panel = QueuePanel(self.bridge, self.theme, self.side)
        self.side.addTab(self.queue_panel, self.tr("Queue"))
        # built when first shown or asked for, else just after the first paint
        self.lyrics_tab = LazyTab(self.side, self.tr("Lyrics"), self._make_lyrics_panel)
        self.comments_tab = LazyTab(
            self.side,
            self.tr("Comments"),
            self._make_comments_panel,
            built=lambda _panel: self._comments_built(),
        )
        self.side.setMinimumWidth(260)
        for widget in (sidebar, centre, self.side):
            self.splitter.addWidget(widget)
        self.splitter.setSizes([220, 780, 320])
        self.splitter.setStretchFactor(1, 1)
        outer.addWidget(self.splitter, 1)
        self.now_playing = NowPlayingBar(self.bridge, self.db, self.covers, self.theme, central)
        outer.addWidget(self.now_playing)
        # the lists' comment counts; the bell (its inbox, the marks and count on the bar come
        # with the Comments tab)
        self.comment_counts = attach_counts(self, self.parts.comments)
        self.bell: Bell = put_bell(self.theme, top, top.indexOf(help_button), self)
        self.bell.clicked.connect(self._bell_clicked_early)
        self.setCentralWidget(central)
        # status bar
        self.scan = ScanStatus(self.runner, self.db_path, self)
        self.count_label = QLabel("", self)
        self.statusBar().addWidget(self.scan)
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().setSizeGripEnabled(False)
        # wiring
        self.nav.chosen.connect(self.show_view)
        self.search.searched.connect(self.run_search)
        self.search.cleared.connect(self._search_cleared)
        self.bridge.error.connect(self.notice.show_error)
        self.bridge.trackChanged.connect(self._track_changed)
        self.now_playing.artistClicked.connect(self.go_to_artist)
        self.now_playing.albumClicked.connect(self.go_to_album)
        self.queue_panel.accept_track_drops(self.runner, self.db_path)
        self.scan.finished.connect(self._scan_finished)
        self.scan.failed.connect(self.notice.show_error)
        self.scan.progressed.connect(self._scan_progress)
        self._live = QTimer(self)
        self._live.setSingleShot(True)
        self._live.setInterval(LIVE_REFRESH_MS)
        self._live.timeout.connect(self.refresh_current)
        self.discovery = install_discovery(self)
        self.pages.on_built("foryou", self._attach_wall)
        self.drops = install_drops(self)  # files and folders from a file manager
        self.playlist_actions, self.playlist_sidebar = install_playlists(self)
        self.scrobbling = install_scrobbling(self)  # ListenBrainz and Last.fm

    def _build_pages(self) -> None:
        """The pages, each built the first time it is shown or asked for (:class:`LazyPages`):
        only the track list of the library and the page shown at start exist before the
        window appears. The modules of the other pages are imported when they are built."""
        self.pages = LazyPages(self.stack, self._page_factories())
        self._view_wires: list[Callable[[TrackView], None]] = []
        self._loaded: set[str] = set()
        self.pages.each_built(self._page_built)
        self.pages.on_built("welcome", self._wire_welcome)
        self.pages.on_built("search", self._wire_search)
        self.pages.on_built("browse", self._wire_browser)
        self.pages.on_built("listening", self._wire_listening)
        self.tracks_page: TrackListPage = self.pages["tracks"]  # type: ignore[assignment]
        self.tracks_page.model.loaded.connect(
            lambda n: self.count_label.setText(self.tr("%Ln tracks in the library", "", n))
        )

    def _page_factories(self) -> dict[str, Callable[[], QWidget]]:
        args = (self.db, self.db_path, self.runner, self.bridge)
        stack, extra, theme = self.stack, self.state.extra, self.theme

        def artists() -> QWidget:
            from player.ui.pages.artists import ArtistsPage

            return ArtistsPage(*args, stack, prefs=extra)

        def genres() -> QWidget:
            from player.ui.pages.browse import CategoryPage

            return CategoryPage("genre", self.tr("Genres"), *args, stack)

        def folders() -> QWidget:
            from player.ui.pages.librarybrowser import FolderPage

            return FolderPage(*args, stack, roots=self._library_roots)

        def browse() -> QWidget:
            from player.ui.pages.librarybrowser import LibraryBrowserPage

            return LibraryBrowserPage(*args, stack, roots=self._library_roots)

        def albums() -> QWidget:
            from player.ui.pages.albums import AlbumsPage

            return AlbumsPage(*args, self.covers, theme, stack, prefs=extra)

        def radio() -> QWidget:
            from player.ui.pages.radio import RadioPage

            return RadioPage(self.db, self.bridge, theme, stack, runner=self.runner)

        def foryou() -> QWidget:
            from player.ui.foryou.page import ForYouPage

            return ForYouPage(*args, theme, stack, shelves=self.parts.recommender)

        def listening() -> QWidget:
            from player.ui.pages.listening import ListeningPage

            return ListeningPage(*args, theme, stack)

        def playlist() -> QWidget:
            from player.ui.playlists.page import PlaylistPage

            return PlaylistPage(*args, stack)

        def welcome() -> QWidget:
            from player.ui.pages.welcome import WelcomePage

            return WelcomePage(theme, stack)

        return {
            "tracks": lambda: TrackListPage(*args, stack),
            "search": lambda: TrackListPage(*args, stack),
            "playlist": playlist,
            "artists": artists,
            "genres": genres,
            "folders": folders,
            "browse": browse,
            "albums": albums,
            "radio": radio,
            "foryou": foryou,
            "listening": listening,
            "welcome": welcome,
        }

    def _page_built(self, key: str, page: QWidget) -> None:
        """Wire a new page's track lists as every list of the window is wired."""
        compact = self.state.extra.get(COMPACT_KEY) is True
        item = self.bridge.playing_item
        playing = getattr(item, "track_id", None)
        for view in page.findChildren(TrackView):
            view.notice.connect(self.notice.show_error)
            view.set_compact(compact)
            if self._restored_headers:
                self._restore_header(view)
            if playing is not None:
                view.track_model.set_playing(playing)
            for wire in self._view_wires:
                wire(view)

    def each_track_view(self, wire: Callable[[TrackView], None]) -> None:
        """Call ``wire(view)`` for every track list: those built now and those of pages
        built later (features serving a column or following selections use it)."""
        for view in self.track_views():
            wire(view)
        self._view_wires.append(wire)

    @property
    def search_page(self) -> TrackListPage:
        return self.pages["search"]  # type: ignore[return-value]

    @property
    def playlist_page(self) -> PlaylistPage:
        return self.pages["playlist"]  # type: ignore[return-value]

    def _wire_welcome(self, page: QWidget) -> None:
        welcome: WelcomePage = page  # type: ignore[assignment]
        welcome.folderChosen.connect(self.choose_folder)
        welcome.demoChosen.connect(self.start_demo)

    def _wire_search(self, page: QWidget) -> None:
        self.search_page.model.failed.connect(self.search.show_error)

    def _attach_wall(self, page: QWidget) -> None:
        from player.ui.foryou.wall import attach as attach_wall

        attach_wall(page, self.parts.comments, self.net_runner, self.bridge)  # type: ignore[arg-type]

    def _library_roots(self) -> list[str]:
        return list(self.ctx.settings.library_folders) or self.db.roots()

    def _wire_browser(self, built: QWidget) -> None:
        page: LibraryBrowserPage = built  # type: ignore[assignment]
        grouping = self.state.extra.get("browse_grouping")
        if isinstance(grouping, str):
            page.set_grouping(grouping)
        page.groupingChanged.connect(
            lambda key: self.state.extra.__setitem__("browse_grouping", key)
        )
        page.model.failed.connect(self.search.show_error)

    def track_views(self) -> list[TrackView]:
        """The track lists of the pages built so far (every track list lives in a page)."""
        return [v for page in self.pages.built().values() for v in page.findChildren(TrackView)]

    def show_settings(self) -> None:
        """Open the non-modal Settings dialog (built the first time)."""
        from player.ui.settings.dialog import open_settings

        open_settings(self)

    # ---- views ---------------------------------------------------------------------------
    def current_view(self) -> str:
        return self.state.view

    def show_view(self, key: str) -> None:
        """Show the page for a navigation key (``tracks``, ``albums``, ``playlist:3``, ...)."""
        page_key = key.split(":", 1)[0]
        if page_key not in self.pages:
            key = page_key = "tracks"
        if key.startswith("playlist:") and not self._show_playlist(int(key.split(":", 1)[1])):
            key = page_key = "tracks"
        if page_key not in ("welcome", "search"):
            self.state.view = key
            self.nav.select(key, emit=False)
        self.stack.setCurrentWidget(self.pages[page_key])
        if page_key not in self._loaded or page_key in self._stale:
            self._loaded.add(page_key)
            self._stale.discard(page_key)
            self._load(page_key)

    def _load(self, page_key: str) -> None:
        page = self.pages[page_key]
        if page_key == "tracks":
            self.tracks_page.show_source(TrackSource(self.tr("All tracks")))
        else:
            reload = getattr(page, "reload", None)
            if callable(reload):
                reload()

    def _show_playlist(self, playlist_id: int) -> bool:
        try:
            self.playlist_page.show_playlist(playlist_id)
        except AppError as exc:
            self.notice.show_error(exc)
            return False
        return True

    def refresh_current(self) -> None:
        """Re-read the visible page; mark the others stale (after a scan)."""
        self._stale.update(self._loaded)
        current = self.pages.key_of(self.stack.currentWidget()) or "tracks"
        if current == "welcome" and self.db.has_tracks():
            self.show_view("tracks")
            return
        if current == "search":
            self.search_page.model.reload()
        elif current == "playlist":
            self.playlist_page.model.reload()
        else:
            self._stale.discard(current)
            self._load(current)
        self.nav.rebuild()

    def run_search(self, text: str) -> None:
        """Show the results of *text* (or, on the library browser, filter its tree); a
        malformed query only shows its error (parsing is instant)."""
        try:
            compile_query(text)
        except QueryError as exc:
            self.search.show_error(exc)
            return
        browser = self.pages.peek("browse")
        if browser is not None and self.stack.currentWidget() is browser:
            browser.set_filter(text)  # type: ignore[attr-defined]
            return
        self.search_page.show_source(
            TrackSource(
                self.tr("Results for “{text}”").format(text=text), query=text, kind="search"
            )
        )
        self.stack.setCurrentWidget(self.search_page)

    def _search_cleared(self) -> None:
        self.search.show_error(None)
        browser = self.pages.peek("browse")
        if browser is not None and browser.model.text:  # type: ignore[attr-defined]
            browser.set_filter("")  # type: ignore[attr-defined]
            if self.stack.currentWidget() is browser:
                return
        self.show_view(self.state.view)

    def _wire_listening(self, built: QWidget) -> None:
        page: ListeningPage = built  # type: ignore[assignment]
        period = self.state.extra.get("listening_period")
        if isinstance(period, str) and period in page.period_buttons:
            page.period = period
            page.period_buttons[period].setChecked(True)
        page.periodChanged.connect(
            lambda key: self.state.extra.__setitem__("listening_period", key)
        )
        page.artistChosen.connect(self.go_to_artist)
        page.albumChosen.connect(self.go_to_album)

    def go_to_artist(self, name: str) -> None:
        self.show_view("artists")
        self.pages["artists"].select(name)  # type: ignore[attr-defined]

    def go_to_album(self, album_artist: str, album: str) -> None:
        self.show_view("albums")
        self.pages["albums"].open_named(album_artist, album)  # type: ignore[attr-defined]

    def _track_changed(self, item: object) -> None:
        track_id = getattr(item, "track_id", None)
        for view in self.track_views():
            view.track_model.set_playing(track_id)

    # ---- scanning ----------------------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose your music folder"))
        if folder:
            self.add_folder(folder)

    def add_folder(self, folder: str) -> None:
        settings = self.ctx.settings
        settings.add_folders([folder])
        try:
            settings.save(self.ctx.paths)
        except (AppError, OSError) as exc:
            self.notice.show_error(
                exc
                if isinstance(exc, AppError)
                else AppError(self.tr("Cannot save settings"), str(exc))
            )
        self.scan.start(list(settings.library_folders))
        self.folder_watch.update()

    def start_demo(self) -> None:
        """The demo's first hour, as ``kindred demo`` gives it (:class:`WelcomeDemo`): the
        demo library made in the data folder on a worker, added and scanned, then
        analysed, with its own comment server seeded and signed in."""
        if self.demo is not None:
            return
        self.scan.label.setText(self.tr("Making the demo library…"))
        self.pages["welcome"].setEnabled(False)
        from player.ui.window.demo import WelcomeDemo

        self.demo = WelcomeDemo(self, self.ctx.paths.data_dir / "demo", self)
        self.demo.start(self.DEMO_SECONDS, self._demo_built)

    def _demo_built(self, error: object) -> None:
        self.pages["welcome"].setEnabled(True)
        if error is not None:
            self.demo = None
            self.notice.show_error(error)

    def rescan(self) -> None:
        self.scan.start(list(self.ctx.settings.library_folders))

    def _scan_progress(self, done: int, total: int) -> None:
        if not self._live.isActive():
            self._live.start()

    def _scan_finished(self, summary: object) -> None:
        self._live.stop()
        self.refresh_current()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.bridge.shutdown()
        if self.scan.task is not None:
            self.scan.task.cancel()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Wait for background work (after closing): scans stop at their next step."""
        self.bridge.timer.stop()
        self.folder_watch.stop()
        self.runner.close(60000)
        self.net_runner.close(15000)
        if self.lyrics_tab.widget is not None:
            self.lyrics_tab.widget.close_lookups()
        self.scrobbling.close()
        if self.demo is not None:
            self.demo.stop()  # its comment server: now that no task uses it
        self.parts.comments.close()  # its HTTP clients, now that no task uses them
        self.covers.close(10000)
