"""Built-in speech: what the kiosk says, exactly, through a whole journey."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractButton

from accessibility.speech import QtSpeaker, spell
from tests.resident import Kiosk


class Recorder:
    """Stands in for the speech engine: keeps what would have been said."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.stops = 0
        self.rate = 0.0

    def say(self, text: str) -> None:
        self.said.append(text)

    def stop(self) -> None:
        self.stops += 1

    def set_rate(self, rate: float) -> None:
        self.rate = rate

    def set_language(self, locale: str) -> bool:
        """Voices for English, Polish and Arabic here; none for Urdu (the fallback is tested)."""
        self.locale = locale
        return locale.split("_")[0] in ("en", "pl", "ar")


def turn_on(k: Kiosk) -> Recorder:
    recorder = Recorder()
    k.controller.narrator.speaker = recorder
    k.tap("attract_accessibility")
    k.tap("overlay_speech_on")
    k.tap("overlay_close")
    recorder.said.clear()
    return recorder


def test_a_whole_journey_is_spoken(kiosk: Kiosk) -> None:
    said = turn_on(kiosk).said
    kiosk.tap("attract_start")
    kiosk.wait_page("home_page")
    assert said[-1].startswith("What do you want to do? Check your bin days, button. Report a missed bin, button.")
    kiosk.tap("tile_free-wifi")
    kiosk.wait_heading("What do you need?")
    assert said[-1] == (
        "‹ Back, button. Find free WiFi and computers. What do you need? "
        "Free WiFi for my own phone or laptop, button. A computer I can use, button. "
        "Printing or scanning, button.")
    kiosk.choose("need", "computer")
    kiosk.wait_page("result")
    assert said[-1].startswith("‹ Back, button. Find free WiFi and computers. Places near you. "
                               "All of these are free to use. Central Library.")
    spoken = len(said)
    kiosk.tap("repeat")  # explore-by-touch: the first tap says what it is, the second presses it
    assert said[spoken:] == ["Repeat, button. Read this screen aloud again. Tap again to choose it.",
                             said[spoken - 1]]  # "Repeat" says the page again


def test_reference_spelled_and_typing_never_spoken(kiosk: Kiosk) -> None:
    said = turn_on(kiosk).said
    kiosk.tap("attract_start")  # (kiosk.start() would wipe first, and the wipe turns speech off)
    kiosk.tap("tile_missed-bin")
    kiosk.typed_address("address", line1="99 Zqxvspoken Street")
    kiosk.choose("bin_type", "general")
    kiosk.wait_heading("When was your bin due to be collected?")
    kiosk.cont()  # no date given: the error is read first
    kiosk.qtbot.waitUntil(lambda: said[-1].startswith("‹ Back, button. There is a problem."), timeout=3000)
    assert "When was your bin due to be collected? For example, 17 11 2026. Error: Enter the date your bin was due." in said[-1]
    kiosk.date("when", "1", "11", "2026")
    kiosk.cont()
    kiosk.choose("where_left", "kerbside")
    kiosk.type("input_details", "Zqxvtypedsecret")
    kiosk.cont()
    kiosk.cont()
    kiosk.wait_page("check_answers")
    kiosk.tap("continue")
    kiosk.wait_page("confirmation")
    reference = kiosk.label_text("reference")
    assert said[-1].startswith(f"Missed bin reported. Your reference: {' '.join(reference)}.")
    kiosk.tap("spell_reference")
    assert said[-1] == spell(reference)
    assert spell("KQ4M-7XTB-3HNP") == "K, Q, 4, M. 7, X, T, B. 3, H, N, P."
    # What was typed is never read out while typing; the check-answers page reads answers back
    # (that is its purpose), but the typed details were only on the long-text page as a box.
    details_page = [s for s in said if s.startswith("‹ Back, button. Report a missed bin. Is there anything")]
    assert details_page and all("Zqxvtypedsecret" not in s for s in details_page)


def test_speech_stops_on_any_touch_and_the_wipe_turns_it_off(kiosk: Kiosk) -> None:
    recorder = turn_on(kiosk)
    kiosk.tap("attract_start")
    kiosk.wait_page("home_page")
    stops = recorder.stops
    kiosk.click_at(kiosk.page, QPoint(5, 5))
    assert recorder.stops > stops
    assert kiosk.controller.shell.time_factor() == 2.0
    kiosk.controller.end_session("start_again")
    assert not kiosk.controller.narrator.enabled and not kiosk.window.repeat_button.isVisible()


def test_the_speaker_really_speaks_through_qt_text_to_speech(kiosk: Kiosk) -> None:
    """QtSpeaker drives a real QTextToSpeech engine (Qt's "mock" engine here, speech-dispatcher
    on a kiosk): it starts speaking, says every word in order, and stops when told."""
    speaker = QtSpeaker("mock")
    states: list[str] = []
    words: list[str] = []
    speaker.tts.stateChanged.connect(lambda state: states.append(state.name))
    speaker.tts.sayingWord.connect(lambda word, *_: words.append(word))
    speaker.say("Touch the screen to start")
    kiosk.qtbot.waitUntil(lambda: states[-1:] == ["Ready"], timeout=5000)
    assert states == ["Speaking", "Ready"]
    assert words == ["Touch", "the", "screen", "to", "start"]
    speaker.say("Your answers will be deleted in 20 seconds")
    kiosk.qtbot.waitUntil(lambda: states[-1:] == ["Speaking"], timeout=5000)
    speaker.stop()
    kiosk.qtbot.waitUntil(lambda: states[-1:] == ["Ready"], timeout=5000)
    assert "seconds" not in words  # stopped before the end


def test_explore_by_touch_speaks_first_and_acts_on_the_second_tap(kiosk: Kiosk) -> None:
    said = turn_on(kiosk).said
    start = kiosk.widget(QAbstractButton, "attract_start")
    kiosk.click_at(start)
    assert kiosk.page_name() == "attract_page"  # one tap only speaks
    assert said[-1].startswith("Touch the screen to start, button.")
    kiosk.click_at(start)
    kiosk.wait_page("home_page")  # the second tap presses it
