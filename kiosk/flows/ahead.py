"""The next page, built while the resident reads this one.

A resident reads a question for seconds before answering it, and building a page takes most of
a tap's time on the Qt thread: its widgets made, styled by the style sheet, their text measured
(about 5 to 10 ms on this project's reference machine; showing a page already built, 2 ms:
docs/benchmarks.md). So once a page is up and drawn, the page its step most likely leads to is
built too, out of sight where it will show, styled and laid out; when the answer does lead there,
the tap shows it instead of building it.

The guess is never trusted. A page built ahead is shown only if its key is the key of the page
the tap needs: everything the page says (the engine's ``StepView``, or the confirmation's words
and address), in the same language, text size, contrast and practice mode. Otherwise it waits
(the next key may match it again, after an error) until another page is built ahead in its
place or the session ends. There is one at a time, and the wipe drops it: it can hold answers
(a check-answers page)."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QTimer

from kiosk.shell import Shell
from kiosk.views.scrolling import ScrollPage

#: After a page is shown: long enough for it to be drawn first and for a finger to be lifted,
#: much shorter than anyone reads a page in.
AFTER_MS = 120


class Ahead(QObject):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.window)  # its timer ends with the window
        self._shell = shell
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AFTER_MS)
        self._timer.timeout.connect(self._run)
        self._task: Callable[[], None] | None = None
        self._page: ScrollPage | None = None
        self._key: object = None
        shell.when_wiped(self._on_wipe)

    def key(self, *parts: object) -> object:
        """A page's key: what it says, and how it is shown."""
        shell = self._shell
        return (*parts, shell.catalog.code, shell.display.text_size, shell.display.contrast)

    def after_showing(self, task: Callable[[], None]) -> None:
        """Run ``task`` once the page just shown is up (it calls ``prepare``)."""
        self._task = task
        self._timer.start()

    @property
    def waiting(self) -> ScrollPage | None:
        """The page built ahead and not yet shown, if any."""
        return self._page

    def prepare(self, key: object, build: Callable[[], ScrollPage]) -> None:
        """Hold the page ``build`` makes for ``key``, in place of any page held before; nothing
        to do if the page held is already the one for ``key``."""
        if self._page is not None and self._key == key:
            return
        self.drop()
        page = build()
        self._shell.window.park_page(page)
        self._page, self._key = page, key

    def take(self, key: object) -> ScrollPage | None:
        """The page built ahead for ``key``, now the caller's to show; None if none matches."""
        self._timer.stop()
        self._task = None
        page = self._page
        if page is None or self._key != key or not shiboken6.isValid(page):
            return None
        self._page, self._key = None, None
        return page

    def drop(self) -> None:
        self._timer.stop()
        self._task = None
        page, self._page, self._key = self._page, None, None
        if page is not None:
            self._shell.window.discard_parked(page)

    def _on_wipe(self, _reason: str) -> None:
        if shiboken6.isValid(self):  # not once the window has gone (at shutdown)
            self.drop()

    def _run(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task()

