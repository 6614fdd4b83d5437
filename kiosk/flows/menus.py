"""The resident's display settings and menus: text size, colours, speech and its speed, and the
language; the keypad's Help key. Every choice takes effect at once and the wipe undoes it."""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from accessibility.keypad import HELP_TEXT
from accessibility.speech import focus_words, page_text
from kiosk.shell import Shell
from kiosk.views.text import CatalogTranslator, tr

log = logging.getLogger("kiosk.menus")


class MenusFlow(QObject):
    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        self._translator: CatalogTranslator | None = None
        window = shell.window
        window.accessibility.connect(self.show_accessibility)
        window.repeat.connect(shell.narrator.repeat)
        window.languages.connect(self.show_languages)
        shell.when_wiped(self._reset)

    def _reset(self, _reason: str) -> None:
        """The resident's display, speech and language choices go back to the site's."""
        self.shell.display.reset()
        self.shell.narrator.reset()
        self._show_repeat(False)
        self.set_language("en", redraw=False)

    def _show_repeat(self, on: bool) -> None:
        self.shell.window.repeat_button.setVisible(on)
        self.shell.window.fit_top_bar()

    # ---- text size, colours and speech -----------------------------------------------
    def show_accessibility(self) -> None:
        """One menu, named as its button is, with a group for each kind of choice and the
        current choice in each marked."""
        shell = self.shell
        d, n = shell.display, shell.narrator
        overlay = shell.ask(tr("Text size and language"), [
            tr("Choose what is easiest to read. It changes at once, and goes back to normal when you finish."),
        ], [("close", tr("Done"), "primary")], groups=[
            (tr("Text size"), [("size_standard", tr("Standard text"), "secondary"),
                               ("size_large", tr("Large text"), "secondary"),
                               ("size_largest", tr("Largest text"), "secondary")]),
            (tr("Colours"), [("contrast_standard", tr("Standard colours"), "secondary"),
                             ("contrast_high", tr("High contrast: light text on dark"), "secondary")]),
            (tr("Speech"), [("speech_on", tr("Read the screen aloud"), "secondary"),
                            ("speech_off", tr("Speech off"), "secondary"),
                            ("rate_slower", tr("Speak slower"), "secondary"),
                            ("rate_normal", tr("Speak at normal speed"), "secondary")]),
            (tr("Language"), [("language", tr("Language: {language}", language=shell.catalog.language.name),
                               "secondary")]),
        ])
        overlay.mark_chosen({f"size_{d.text_size}", f"contrast_{d.contrast}", f"rate_{n.rate}",
                             "speech_on" if n.enabled else "speech_off"}, tr("Chosen"), ("close", "language"))
        overlay.action.connect(self._on_accessibility_choice)

    def _on_accessibility_choice(self, key: str) -> None:
        shell = self.shell
        if key.startswith("size_"):
            shell.display.set(text_size=key.removeprefix("size_"))
        elif key.startswith("contrast_"):
            shell.display.set(contrast_name=key.removeprefix("contrast_"))
        elif key in ("speech_on", "speech_off"):
            shell.narrator.set_enabled(key == "speech_on")
            self._show_repeat(key == "speech_on")
        elif key.startswith("rate_"):
            shell.narrator.set_rate(key.removeprefix("rate_"))
        elif key == "language":
            self.show_languages()
            return
        else:
            shell.close_overlay()
            return
        if shell.idle.active and not shell.idle.warning:
            shell.idle.extend()  # new limit, with the factor for the new size
        self.show_accessibility()  # shows which choices are on now

    def speak_focus(self, control: QWidget) -> None:
        """The keypad moved: say where to (when the kiosk's speech is on)."""
        self.shell.narrator.say(focus_words(control), remember=False)

    def keypad_help(self) -> None:
        """The Help key: speech comes on if it was off, then the page and how to move around."""
        shell = self.shell
        if not shell.narrator.enabled:
            shell.narrator.set_enabled(True)
            self._show_repeat(True)
        window = shell.window
        target = window.overlay or window.page
        bar = [window.action_slot] if window.overlay is None and window.action_slot.isVisibleTo(window) else []
        shell.narrator.say(f"{page_text(target, *bar) if target is not None else ''} {tr(HELP_TEXT)}".strip())

    # ---- languages ------------------------------------------------------------------
    def show_languages(self) -> None:
        """Every language by its own name (and in English), the current one marked."""
        shell = self.shell
        actions = [(f"lang_{code}", c.language.name if code == "en" else
                    f"{c.language.name} ({c.language.english_name})", "secondary")
                   for code, c in shell.catalogs.items()]
        overlay = shell.ask(tr("Choose your language"), [
            tr("The screen changes at once. Staff can still help in English."),
        ], [*actions, ("close", tr("Close"), "primary")])
        overlay.mark_chosen({f"lang_{shell.catalog.code}"}, tr("Chosen"))
        overlay.action.connect(self._on_language_choice)

    def _on_language_choice(self, key: str) -> None:
        shell = self.shell
        shell.close_overlay()
        if key.startswith("lang_"):
            self.set_language(key.removeprefix("lang_"))
            narrator = shell.narrator
            if narrator.enabled and not narrator.voice_found:
                # In English on purpose: with no voice for the language, the standard voice is English.
                narrator.say(f"There is no {shell.catalog.language.english_name} voice on this kiosk, so the "
                             f"screen is read with the standard English voice. {narrator.last}", remember=False)

    def set_language(self, code: str, redraw: bool = True) -> None:
        """The whole screen in another language, now: texts, direction, voice and keyboard."""
        shell = self.shell
        catalog = shell.catalogs.get(code)
        if catalog is None or (catalog is shell.catalog and self._translator is not None):
            return
        shell.catalog = catalog
        app = shell.app
        if self._translator is not None:
            app.removeTranslator(self._translator)
        self._translator = CatalogTranslator(catalog)
        app.installTranslator(self._translator)
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if catalog.rtl else Qt.LayoutDirection.LeftToRight)
        shell.display.set_direction(catalog.rtl)
        shell.narrator.set_language(catalog.language.voice)
        shell.window.keyboard.set_language(catalog.language.keyboard)
        shell.window.retranslate()
        if shell.resident.journey is not None:
            shell.resident.journey.set_catalog(catalog)
        log.info("language chosen", extra={"language": code})
        if redraw:
            self._redraw()

    def _redraw(self) -> None:
        """Show the current page again in the new language (answers and place kept)."""
        shell = self.shell
        name = shell.page_name()
        if name in ("attract_page", "closed_page"):
            shell.go().show_attract()
        elif name == "home_page":
            shell.go().show_home()
        elif shell.resident.journey is not None and shell.resident.practice is None and (
                name.startswith("step_") or name in ("check_answers", "result")):
            shell.go().show_step()

    def close(self) -> None:
        # At shutdown Qt may have deleted the translator already (found stopping on SIGTERM).
        if self._translator is not None and shiboken6.isValid(self._translator):
            self.shell.app.removeTranslator(self._translator)
        self._translator = None
