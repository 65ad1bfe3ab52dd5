"""The window's pages by key, each built (and its module imported) the first time it is asked for.

Only the page shown at start is built before the window appears; every other page
is made by its factory on first use: :meth:`LazyPages.__getitem__` (showing it,
a test, a feature reaching into it). Whoever wires a page registers with
:meth:`LazyPages.on_built` (one page) or :meth:`LazyPages.each_built` (every
page), called at once for pages already built and later for the others.
Iterating gives every key without building anything; ``values()`` and
``items()`` build every page (use :meth:`LazyPages.built` for the ones that exist).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping

from PySide6.QtWidgets import QStackedWidget, QWidget

log = logging.getLogger(__name__)

PageFactory = Callable[[], QWidget]


class LazyPages(Mapping[str, QWidget]):
    """Pages of *stack* made by *factories* (key -> a callable that builds the page)."""

    def __init__(self, stack: QStackedWidget, factories: Mapping[str, PageFactory]) -> None:
        self.stack = stack
        self._factories = dict(factories)
        self._built: dict[str, QWidget] = {}
        self._waiting: dict[str, list[Callable[[QWidget], None]]] = {}
        self._each: list[Callable[[str, QWidget], None]] = []
        #: how long building each page took (milliseconds, wiring included)
        self.build_ms: dict[str, float] = {}

    # ---- Mapping -------------------------------------------------------------------------
    def __getitem__(self, key: str) -> QWidget:
        page = self._built.get(key)
        if page is None:
            if key not in self._factories:
                raise KeyError(key)
            page = self._build(key)
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(self._factories)

    def __len__(self) -> int:
        return len(self._factories)

    def __contains__(self, key: object) -> bool:
        return key in self._factories

    # ---- what exists -----------------------------------------------------------------------
    def built(self) -> dict[str, QWidget]:
        """The pages built so far, by key."""
        return dict(self._built)

    def peek(self, key: str) -> QWidget | None:
        """The page of *key* if it was built (never builds it)."""
        return self._built.get(key)

    def key_of(self, widget: QWidget | None) -> str | None:
        """The key of a built page (None for any other widget)."""
        return next((k for k, p in self._built.items() if p is widget), None)

    # ---- wiring --------------------------------------------------------------------------
    def on_built(self, key: str, wire: Callable[[QWidget], None]) -> None:
        """Call ``wire(page)`` for the page of *key*: now if it exists, else once it is built."""
        page = self._built.get(key)
        if page is not None:
            wire(page)
        else:
            self._waiting.setdefault(key, []).append(wire)

    def each_built(self, wire: Callable[[str, QWidget], None]) -> None:
        """Call ``wire(key, page)`` for every page built so far and every page built later."""
        self._each.append(wire)
        for key, page in list(self._built.items()):
            wire(key, page)

    def _build(self, key: str) -> QWidget:
        started = time.perf_counter()
        page = self._factories[key]()
        self._built[key] = page
        self.stack.addWidget(page)
        for wire in list(self._each):
            wire(key, page)
        for wire_one in self._waiting.pop(key, []):
            wire_one(page)
        self.build_ms[key] = (time.perf_counter() - started) * 1000
        log.debug("page %s built in %.1f ms", key, self.build_ms[key])
        return page
