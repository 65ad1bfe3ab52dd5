"""A tab whose widget is built (and its module imported) when first needed.

:class:`LazyTab` adds an empty stand-in page under the tab's label; the real
widget is made by its factory the first time the tab becomes current, the
first time someone asks for it (:meth:`LazyTab.get`), or when the window calls
:meth:`LazyTab.get` once its first paint is done; ``built(widget)`` then wires it. The stand-in is then swapped
for the widget at the same index, the current tab kept, without a
``currentChanged`` for the swap. A tab that is not current shows nothing, so
the window looks the same either way.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtWidgets import QTabWidget, QWidget

log = logging.getLogger(__name__)

W = TypeVar("W", bound=QWidget)


class LazyTab(Generic[W]):
    """The tab *label* of *tabs*, its widget made by ``factory(tabs)`` on first need."""

    def __init__(
        self,
        tabs: QTabWidget,
        label: str,
        factory: Callable[[QWidget], W],
        *,
        built: Callable[[W], None] | None = None,
    ) -> None:
        self.tabs, self.label, self._factory, self._built = tabs, label, factory, built
        self.holder = QWidget(tabs)
        self.widget: W | None = None
        #: how long building the widget took (milliseconds), once built
        self.build_ms: float | None = None
        tabs.addTab(self.holder, label)
        tabs.currentChanged.connect(self._current_changed)

    def get(self) -> W:
        """The tab's widget, built now if it was not yet."""
        if self.widget is None:
            started = time.perf_counter()
            widget = self._factory(self.tabs)
            index = self.tabs.indexOf(self.holder)
            current = self.tabs.currentIndex()
            blocked = self.tabs.blockSignals(True)
            try:
                self.tabs.removeTab(index)
                self.tabs.insertTab(index, widget, self.label)
                self.tabs.setCurrentIndex(current)
            finally:
                self.tabs.blockSignals(blocked)
            self.tabs.currentChanged.disconnect(self._current_changed)
            self.holder.deleteLater()
            self.widget = widget
            if self._built is not None:  # wiring that reaches the widget through its owner
                self._built(widget)
            self.build_ms = (time.perf_counter() - started) * 1000
            log.debug("tab %s built in %.1f ms", self.label, self.build_ms)
        return self.widget

    def _current_changed(self, index: int) -> None:
        if self.widget is None and self.tabs.widget(index) is self.holder:
            self.get()
