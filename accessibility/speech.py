"""Built-in speech output (EN 301 549 clause 5: closed functionality must speak for itself).

The narrator reads each page as it appears: every visible text and control, top to bottom, as a
sighted resident would scan it; errors first (the error summary is at the top); the idle warning;
and, on request, the reference one character at a time. It never reads what was typed into a
box, and the PIN pad only ever says how many digits there are. Any touch or key stops it;
"Repeat" reads the page again."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QLocale, QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QPlainTextEdit, QWidget

from kiosk.app_events import watch
from kiosk.views.text import tr

log = logging.getLogger("kiosk.speech")

STOP_ON = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}
RATES = {"slower": -0.4, "normal": 0.0, "faster": 0.4}


class Speaker(Protocol):
    def say(self, text: str) -> None: ...

    def stop(self) -> None: ...

    def set_rate(self, rate: float) -> None: ...

    def set_language(self, locale: str) -> bool: ...


class QtSpeaker:
    """QTextToSpeech: speech-dispatcher on a kiosk, the "mock" engine in tests."""

    def __init__(self, engine: str, language: str = "en_GB") -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        self.tts = QTextToSpeech(engine)
        self.engine = engine
        self.set_language(language)

    def set_language(self, locale: str) -> bool:
        """The voice for the language (any voice of that language if not that country). False,
        and the engine's default voice, when none is installed."""
        wanted = QLocale(locale)
        available = self.tts.availableLocales()
        match = next((loc for loc in available if loc.name() == wanted.name()), None) or next(
            (loc for loc in available if loc.language() == wanted.language()), None)
        if match is None:
            log.warning("no voice for the language; using the engine's default voice",
                        extra={"language": locale, "engine": self.engine})
            return False
        self.tts.setLocale(match)
        return True

    def say(self, text: str) -> None:
        self.tts.say(text)

    def stop(self) -> None:
        self.tts.stop()

    def set_rate(self, rate: float) -> None:
        self.tts.setRate(rate)


def spell(reference: str) -> str:
    """KQ4M-7XTB-3HNP -> "K, Q, 4, M. 7, X, T, B. 3, H, N, P." for reading back by ear."""
    groups = reference.split("-")
    return " ".join(", ".join(group) + "." for group in groups)


def page_text(page: QWidget, *after: QWidget) -> str:
    """What is on the page, in reading order: labels as they are, controls as "<name>, button";
    then what is in ``after`` (the action bar under the page)."""
    order = getattr(page, "reading_order", None)
    parts = order() if callable(order) else [page]
    return " ".join(t for t in (_reading(part) for part in (*parts, *after)) if t)


def _reading(page: QWidget) -> str:
    items: list[tuple[int, int, str]] = []
    for w in page.findChildren(QWidget):
        if not w.isVisibleTo(page) or isinstance(w, (QLineEdit, QPlainTextEdit)):
            continue
        if isinstance(w, QLabel):
            if w.property("spoken") is False:
                continue
            parent = w.parent()
            if isinstance(parent, QAbstractButton):  # words inside a tile or option: read with it
                continue
            text = w.accessibleName() or w.text()
        elif isinstance(w, QAbstractButton):
            name = w.accessibleName() or w.text()
            if not name or w.objectName().startswith("key_"):
                continue
            text = control_words(name, w.isCheckable(), w.isCheckable() and w.isChecked())
        else:
            continue
        if text.strip():
            pos = w.mapTo(page, w.rect().topLeft())
            items.append((pos.y(), pos.x(), text.strip()))
    items.sort()
    return " ".join(t if t.endswith((".", "?", "!", ":")) else f"{t}." for _, _, t in items)


def focus_words(w: QWidget) -> str:
    """What the kiosk says when the keypad moves to a control, as EZ Access kiosks do: its name,
    what it is and its state, and where it is in its set ("Report a missed bin, button, 2 of 9"),
    then any hint or error it carries."""
    name = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
    if isinstance(w, (QLineEdit, QPlainTextEdit)):
        said = tr("{name}, text box", name=name)
    elif isinstance(w, QAbstractButton):
        said = control_words(name, w.isCheckable(), w.isCheckable() and w.isChecked())
    else:
        said = name
    parent = w.parentWidget()
    siblings = [s for s in (parent.findChildren(type(w)) if parent is not None else [])
                if s.parentWidget() is parent and s.isVisible() and s.focusPolicy() != Qt.FocusPolicy.NoFocus]
    place = ""
    if len(siblings) > 1 and w in siblings:
        place = tr("{position} of {count}", position=siblings.index(w) + 1, count=len(siblings))
        said = f"{said}, {place}"
    hint = w.accessibleDescription().replace(place, "").strip(" .") if place else w.accessibleDescription().strip()
    return f"{said}. {hint}." if hint else f"{said}."


def control_words(name: str, option: bool, selected: bool) -> str:
    """ "Continue, button" / "Yes, option, selected", in the screen's language."""
    if option:
        return tr("{name}, option, selected", name=name) if selected else tr("{name}, option", name=name)
    return tr("{name}, button", name=name)


class Narrator(QObject):
    def __init__(self, app: QApplication, make_speaker: Callable[[], Speaker]) -> None:
        super().__init__()
        self._make_speaker = make_speaker
        self._speaker: Speaker | None = None
        self.enabled = False
        self.rate = "normal"
        self.language = "en_GB"
        #: False when the last language asked for has no voice here (the default voice reads on).
        self.voice_found = True
        self._last = ""
        watch(app, self, STOP_ON)

    @property
    def speaker(self) -> Speaker:
        """Made on first use: a kiosk where nobody turns speech on never starts the engine."""
        if self._speaker is None:
            self._speaker = self._make_speaker()
            if self.language != "en_GB":
                self.voice_found = self._speaker.set_language(self.language)
        return self._speaker

    @speaker.setter
    def speaker(self, speaker: Speaker) -> None:
        self._speaker = speaker

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        if not on:
            self.speaker.stop()

    def set_rate(self, rate: str) -> None:
        if rate in RATES:
            self.rate = rate
            if self._speaker is not None or rate != "normal":
                self.speaker.set_rate(RATES[rate])

    def set_language(self, locale: str) -> None:
        self.language = locale
        if self._speaker is not None:
            self.voice_found = self._speaker.set_language(locale)

    def say(self, text: str, remember: bool = True) -> None:
        """Speak now (stopping whatever was being said). ``remember``: what "Repeat" says again."""
        if self.enabled and text:
            self.speaker.stop()
            if remember:
                self._last = text
            self.speaker.say(text)

    def read(self, page: QWidget | None, *after: QWidget) -> None:
        if page is not None and self.enabled:  # the words are gathered only to be spoken
            self.say(page_text(page, *after))

    @property
    def last(self) -> str:
        """What Repeat would say: the page (or overlay) last read."""
        return self._last

    def repeat(self) -> None:
        self.say(self._last)

    def reset(self) -> None:
        if self._speaker is not None:
            self._speaker.stop()
        self.enabled = False
        self._last = ""
        self.set_rate("normal")

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self.enabled and event.type() in STOP_ON:
            self.speaker.stop()  # any touch or key stops the speech
        return False
