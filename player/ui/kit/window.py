"""What a feature may use of the main window: the :class:`KindredWindow` Protocol.

Features (tracks up to settings) take the window typed as this Protocol, never as
:class:`~player.ui.window.main_window.MainWindow`, which sits above them. Its
members are typed with kit-level and core types only (the notice bar, the saved
state and the navigation are small structural protocols here). A feature that
needs a member of a higher type than the kit (the now-playing bar, the track
views, the Comments tab) declares a sub-protocol in its own package that adds
just those members, typed with packages below it; the main window satisfies all
of them structurally.

Qt's own methods are not listed one by one: :meth:`KindredWindow.window` is the
window as a widget (Qt's ``QWidget.window()``, the window itself), for parents,
event filters and showing or hiding it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QStatusBar, QWidget

from player.config import Paths
from player.library.context import AppContext
from player.library.store import LibraryDB
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.scanstatus import ScanStatus
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.theme import Theme


class Notices(Protocol):
    """The notice bar above the pages."""

    def show_error(self, error: object) -> None: ...


class SavedState(Protocol):
    """The window's remembered state (the page shown, the theme, features' own keys)."""

    view: str
    theme: str
    extra: dict[str, object]

    def save(self, paths: Paths) -> object: ...


class Navigator(Protocol):
    """The navigation list in the sidebar."""

    def rebuild(self) -> None: ...


class KindredWindow(Protocol):
    """The members of the main window that features may use."""

    @property
    def ctx(self) -> AppContext: ...
    @property
    def db(self) -> LibraryDB: ...
    @property
    def db_path(self) -> Path: ...
    @property
    def bridge(self) -> PlayerBridge: ...
    @property
    def runner(self) -> TaskRunner: ...
    @property
    def net_runner(self) -> TaskRunner: ...
    @property
    def theme(self) -> Theme: ...
    @property
    def state(self) -> SavedState: ...
    @property
    def notice(self) -> Notices: ...
    @property
    def nav(self) -> Navigator: ...
    @property
    def scan(self) -> ScanStatus: ...

    def window(self) -> QWidget:
        """The window as a widget (Qt's ``QWidget.window()``)."""
        ...

    def statusBar(self) -> QStatusBar: ...
    def show_view(self, key: str) -> None: ...
    def refresh_current(self) -> None: ...
    def add_folder(self, folder: str) -> None: ...
    def show_settings(self) -> None: ...
