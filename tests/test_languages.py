"""Languages: every shipped language is complete (the check that fails the build otherwise), the
check finds what is missing or broken, a resident does a whole journey in Polish while the council
receives English, Arabic mirrors the layout, a language can change mid-journey without losing
answers, the voice and the keyboard follow the language, and the wipe puts English back."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextLayout
from PySide6.QtWidgets import QAbstractButton, QApplication, QFrame, QLabel, QLineEdit, QVBoxLayout, QWidget
from sqlalchemy import select

from hub.db import InsightCount
from kiosk.ui_texts import resident_ui_texts
from kiosk.views.keyboard import OnScreenKeyboard
from kiosk.workflows.i18n import check_catalog, load_catalog, load_catalogs
from kiosk.workflows.loader import load_journeys
from tests.hubserver import HubServer
from tests.resident import Kiosk
from tests.test_speech import Recorder

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "config" / "i18n"
JOURNEYS = load_journeys([ROOT / "config" / "journeys"])


def test_shipped_languages_are_complete_and_say_whether_they_are_reviewed() -> None:
    catalogs = load_catalogs(I18N)
    assert list(catalogs) == ["en", "ar", "pl", "ur"]
    keys = resident_ui_texts()
    assert len(keys) > 200  # the extraction really finds the screen texts
    for code, catalog in catalogs.items():
        if code == "en":
            continue
        problems = check_catalog(catalog, keys, JOURNEYS)
        assert problems == [], "\n".join(map(str, problems))
        info = catalog.language
        assert info.status in ("reviewed", "unreviewed")
        assert info.status == "unreviewed" or info.reviewed_by, f"{code}: reviewed by whom?"
        assert catalog.rtl == (code in ("ar", "ur"))


def test_the_check_lists_missing_stale_and_broken_translations(tmp_path: Path) -> None:
    folder = tmp_path / "pl"
    shutil.copytree(I18N / "pl", folder)
    ui = (folder / "ui.toml").read_text(encoding="utf-8")
    ui = ui.replace('"Get help" = "Poproś o pomoc"\n', "")
    ui = ui.replace('"Code: {code}" = "Kod: {code}"', '"Code: {code}" = "Kod: {kod}"')
    ui = ui.replace("[ui]\n", '[ui]\n"An old sentence" = "Stare zdanie"\n')
    (folder / "ui.toml").write_text(ui, encoding="utf-8")
    journey = (folder / "journeys" / "track-request.toml").read_text(encoding="utf-8")
    (folder / "journeys" / "track-request.toml").write_text(
        journey.replace('"Your request" = "Twoja sprawa"\n', ""), encoding="utf-8")
    problems = [str(p) for p in check_catalog(load_catalog(folder), resident_ui_texts(), JOURNEYS)]
    assert sorted(problems) == sorted([
        "pl: ui: missing: 'Get help'",
        "pl: ui: placeholders differ ('Kod: {kod}'): 'Code: {code}'",
        "pl: ui: not used any more (remove it): 'An old sentence'",
        "pl: journey track-request: missing: 'Your request'",
    ])


def test_a_plural_needs_the_forms_of_its_language(tmp_path: Path) -> None:
    folder = tmp_path / "pl"
    shutil.copytree(I18N / "pl", folder)
    ui = (folder / "ui.toml").read_text(encoding="utf-8")
    start = ui.index('"{count} second." = {')
    end = ui.index("\n", start)
    (folder / "ui.toml").write_text(ui[:start] + '"{count} second." = { one = "{count} sekunda.", other = '
                                    '"{count} sekundy." }' + ui[end:], encoding="utf-8")
    problems = [str(p) for p in check_catalog(load_catalog(folder), resident_ui_texts(), JOURNEYS)]
    assert problems == ["pl: ui: plural forms missing: few, many: '{count} second.'"]
    catalog = load_catalogs(I18N)["pl"]
    assert [catalog.plural("{count} second.", "{count} seconds.", n) for n in (1, 3, 5, 22)] == [
        "1 sekunda.", "3 sekundy.", "5 sekund.", "22 sekundy."]


def test_a_whole_journey_in_polish_reaches_the_council_in_english(kiosk: Kiosk, hub: HubServer) -> None:
    k = kiosk
    k.tap("attract_language")
    assert k.label_text("overlay_heading") == "Choose your language"
    k.tap("overlay_lang_pl")
    k.wait_page("attract_page")
    assert k.label_text("attract_invitation") == "Dotknij ekranu, aby zacząć"
    k.tap("attract_start")
    k.wait_heading("Co chcesz zrobić?")
    assert k.widget(QAbstractButton, "start_again").text() == "Zacznij od nowa"
    k.tap("tile_missed-bin")
    k.wait_heading("Pod jakim adresem nie opróżniono pojemnika?")
    k.cont()
    assert k.errors() == ["Podaj kod pocztowy"]
    assert k.label_text("field_error") == "Podaj kod pocztowy"  # "Błąd:" is heard, not shown (GOV.UK)
    assert k.widget(QLabel, "field_error").accessibleName() == "Błąd: Podaj kod pocztowy"
    k.find_address("address", "TS18 1AU")
    k.wait_heading("Który pojemnik nie został opróżniony?")
    k.choose("bin_type", "general")
    k.date("when", "31", "2", "2026")
    k.cont()
    assert k.errors() == ["Podaj prawdziwą datę (datę planowanego odbioru)"]
    k.date("when", "1", "11", "2026")
    k.cont()
    k.choose("where_left", "kerbside")
    k.cont()  # optional details
    k.type("input_email", "anna@example.com")
    k.cont()
    k.wait_page("check_answers")
    assert k.heading() == "Sprawdź swoje odpowiedzi"
    assert k.label_text("answer_when") == "1 listopada 2026"
    assert k.label_text("answer_bin_type") == "Odpady zmieszane (szary pojemnik)"
    k.tap("continue")
    k.wait_page("confirmation")
    assert k.heading() == "Zgłoszono nieopróżniony pojemnik"
    reference = k.label_text("reference")
    k.qtbot.waitUntil(lambda: hub.case(reference) is not None, timeout=5000)
    case = hub.case(reference)
    assert case is not None
    from hub.crypto import Sealer
    summary = Sealer(hub.state.settings.data_key).open(case.sealed)["summary"]
    assert {"question": "Bin", "answer": "General waste (grey bin)"} in summary
    assert {"question": "Due on", "answer": "1 November 2026"} in summary
    assert case.journey_title == "Report a missed bin"
    # The confirmation's tracking link opens in Polish too.
    import httpx
    url = k.label_text("track_url")
    assert url.endswith(f"/track/{reference}?lang=pl")
    track = httpx.get(url)
    assert track.status_code == 200 and '<html lang="pl" dir="ltr" class="govuk-template">' in track.text
    assert '<h1 class="govuk-heading-l">Zgłoś nieopróżniony pojemnik</h1>' in track.text
    assert '<h2 class="govuk-heading-m">Stan</h2>' in track.text
    # Insight counts the language chosen.
    k.services.worker.wake()

    def polish_counted() -> bool:
        with hub.state.sessions() as session:
            return session.scalar(select(InsightCount).where(InsightCount.metric == "language",
                                                             InsightCount.key == "pl")) is not None

    k.qtbot.waitUntil(polish_counted, timeout=10000)
    # The wipe puts English back.
    k.tap("finish")
    k.wait_page("why")
    assert k.heading() == "Dlaczego przyszedłeś dzisiaj osobiście, zamiast załatwić to przez internet?"
    k.tap("action_skip")
    k.wait_page("attract_page")
    assert k.label_text("attract_invitation") == "Touch the screen to start"
    assert k.controller.shell.catalog.code == "en"


def test_arabic_mirrors_the_layout_and_the_wipe_turns_it_back(kiosk: Kiosk) -> None:
    k = kiosk
    k.tap("attract_start")
    k.wait_page("home_page")
    k.tap("accessibility")
    k.tap("overlay_language")
    k.tap("overlay_lang_ar")
    k.wait_heading("ماذا تريد أن تفعل؟")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    k.tap("tile_bin-days")
    k.wait_heading("ما عنوانك؟")
    back = k.widget(QAbstractButton, "back")
    page = k.page
    centre = page.mapToGlobal(QPoint(page.width() // 2, 0)).x()
    # The reading column hugs the right edge (in English it starts at the left margin).
    assert back.mapToGlobal(QPoint(0, 0)).x() > 300
    assert back.mapToGlobal(QPoint(back.width(), 0)).x() > page.mapToGlobal(QPoint(page.width() - 80, 0)).x()
    staff = k.widget(QAbstractButton, "staff")
    k.qtbot.waitUntil(lambda: staff.mapToGlobal(QPoint(0, 0)).x() < centre, timeout=2000)  # the top bar too
    k.tap("start_again")
    k.tap("overlay_confirm")
    k.wait_page("attract_page")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert k.controller.display.rtl is False


def bar_side(frame: QFrame, colour: str) -> str:
    """Where the frame's side bar is drawn, from its pixels: "left", "right", or what is there."""
    image = frame.grab().toImage()
    y = image.height() // 2
    left, right = image.pixelColor(2, y), image.pixelColor(image.width() - 3, y)
    want = QColor(colour)
    return "left" if left == want and right != want else "right" if right == want and left != want else (
        f"neither: {left.name()} at the left, {right.name()} at the right")


def test_side_bars_are_drawn_on_the_reading_side(kiosk: Kiosk) -> None:
    """GOV.UK's inset bar stands where the text starts: on the left in English, on the right in
    Arabic, on a page drawn in Arabic and on one already on the screen when the language changes
    (the style sheet is the same for both directions; such frames are polished again)."""
    k = kiosk
    colour = k.controller.display.theme.palette.border
    k.start("fly-tipping")
    k.wait_heading("What is the nearest address to the fly-tipping?")

    def insets() -> list[QFrame]:
        return [f for f in k.page.findChildren(QFrame) if f.property("role") == "inset" and f.isVisible()]

    assert insets(), "the question page has a help inset"
    assert [bar_side(f, colour) for f in insets()] == ["left"] * len(insets())
    on_screen = QFrame(k.window)  # stands for any frame that stays up while the language changes
    on_screen.setProperty("role", "inset")
    QVBoxLayout(on_screen).addWidget(QLabel("Zqxv"))
    on_screen.setGeometry(0, 0, 400, 120)
    on_screen.show()
    assert bar_side(on_screen, colour) == "left"
    k.tap("accessibility")
    k.tap("overlay_language")
    k.tap("overlay_lang_ar")
    k.qtbot.waitUntil(lambda: QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft, timeout=3000)
    assert insets()
    assert [bar_side(f, colour) for f in insets()] == ["right"] * len(insets())
    assert bar_side(on_screen, colour) == "right"
    k.controller.set_language("en")
    assert bar_side(on_screen, colour) == "left"
    on_screen.deleteLater()


def typefaces(widget: QWidget, text: str) -> set[str]:
    """The typefaces Qt draws ``text`` in, in the widget's own font (spaces left out: they come
    from the first typeface whatever the script)."""
    layout = QTextLayout(text.replace(" ", ""), widget.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return {run.rawFont().familyName() for run in layout.glyphRuns()}


def test_every_script_is_drawn_in_noto(kiosk: Kiosk) -> None:
    """Arabic and Urdu in Noto Naskh Arabic and the symbols Noto Sans lacks (▾ ✓) in Noto Sans
    Symbols2, as docs/languages.md says: left to fontconfig, both were DejaVu Sans."""
    k = kiosk
    k.tap("attract_start")
    k.wait_page("home_page")
    k.tap("accessibility")
    more = k.window.more_button
    assert typefaces(more, more.text()) == {"Noto Sans", "Noto Sans Symbols2"}
    k.tap("overlay_language")
    for code, heading in (("ar", "ماذا تريد أن تفعل؟"), ("ur", "آپ کیا کرنا چاہتے ہیں؟")):
        k.tap(f"overlay_lang_{code}")
        k.wait_heading(heading)
        shown = next(w for w in k.page.findChildren(QLabel) if w.isVisible() and w.text() == heading)
        assert typefaces(shown, heading) == {"Noto Naskh Arabic"}, code
        k.tap("accessibility")
        k.tap("overlay_language")
    k.tap("overlay_lang_pl")
    k.wait_heading("Co chcesz zrobić?")
    shown = next(w for w in k.page.findChildren(QLabel) if w.isVisible() and w.text() == "Co chcesz zrobić?")
    assert typefaces(shown, shown.text()) == {"Noto Sans"}


def test_changing_language_mid_journey_keeps_the_answers(kiosk: Kiosk) -> None:
    k = kiosk
    k.start("fly-tipping")
    k.wait_heading("What is the nearest address to the fly-tipping?")
    k.typed_address("where")
    k.type("input_location_detail", "Behind the shops")
    k.cont()
    k.wait_heading("What has been dumped?")
    k.tap("accessibility")
    k.tap("overlay_language")
    k.tap("overlay_lang_ur")
    k.wait_heading("کیا پھینکا گیا ہے؟")
    assert k.page_name() == "step_what"
    k.tap("back")
    k.wait_heading("بالکل بتائیں کہ یہ کہاں ہے")
    assert k.widget(QLineEdit, "input_location_detail").text() == "Behind the shops"


def test_the_voice_follows_the_language_with_a_clear_fallback(kiosk: Kiosk) -> None:
    k = kiosk
    recorder = Recorder()
    k.controller.narrator.speaker = recorder
    k.tap("attract_accessibility")
    k.tap("overlay_speech_on")
    k.tap("overlay_language")
    k.tap("overlay_lang_pl")
    assert recorder.locale == "pl_PL"
    assert recorder.said[-1].endswith("Dotknij ekranu, aby zacząć, przycisk.")  # read in Polish
    k.tap("attract_language")
    k.tap("overlay_lang_ur")
    assert recorder.locale == "ur_PK"
    assert recorder.said[-1].startswith("There is no Urdu voice on this kiosk, so the screen is read with the "
                                        "standard English voice. ")
    assert recorder.said[-1].endswith("شروع کرنے کے لیے اسکرین کو چھوئیں، بٹن.")


def left_to_right(keyboard: OnScreenKeyboard, *rows: Sequence[str]) -> bool:
    """Each row's keys stand on the screen from left to right in the order given."""
    def x(key: str) -> int:
        return keyboard.keys[key].mapToGlobal(QPoint(0, 0)).x()
    return all(x(a) < x(b) for row in rows for a, b in itertools.pairwise(row))


def test_the_keyboard_has_the_letters_of_the_language(kiosk: Kiosk) -> None:
    k = kiosk
    k.start("fly-tipping")
    k.controller.set_language("pl")
    k.typed_address("where")
    edit = k.widget(QLineEdit, "input_location_detail")
    k.click_at(edit)
    keyboard = k.window.keyboard
    k.qtbot.waitUntil(keyboard.isVisible, timeout=2000)
    assert {"ą", "ł", "ż"} <= set(keyboard.keys)
    assert keyboard.keys["ł"].accessibleName() == "Litera ł"
    keyboard.type_text("łąka")
    assert edit.text() == "łąka"
    k.controller.set_language("ar")  # the page is drawn again, in Arabic: tap the box again
    edit = k.widget(QLineEdit, "input_location_detail")
    k.click_at(edit)
    k.qtbot.waitUntil(keyboard.isVisible, timeout=2000)
    assert "ض" not in keyboard.keys and keyboard.keys["script"].text() == "عربي"
    # The screen reads right to left; the keys keep their places on a keyboard (Q at the left).
    assert left_to_right(keyboard, "1234567890", "qwertyuiop", ["shift", "z", "m"],
                         ["'", "/", "backspace"], ["script", "space", "enter", "hide"])
    keyboard.press("script")
    assert "ض" in keyboard.keys and keyboard.keys["script"].text() == "ABC"
    assert left_to_right(keyboard, "ضصثقفغعهخحج", "شسيبلاتنمكط")  # ض on the Q key, as on an Arabic keyboard
    for letter in "سوق":
        keyboard.press(letter)
    assert edit.text().endswith("سوق")
    assert "shift" not in keyboard.keys  # Arabic has no capitals


@pytest.mark.parametrize("code", ["pl", "ar", "ur"])
def test_every_view_fits_in_each_language_at_the_largest_text(kiosk: Kiosk, code: str, tmp_path: Path) -> None:
    from kiosk.views.fields import AddressField
    from kiosk.views.pages import HomePage
    from kiosk.views.send_pages import CheckAnswersPage, ConfirmationPage
    from kiosk.workflows.engine import JourneySession
    from kiosk.workflows.model import StepType
    from tests.test_accessible_views import ADDRESSES, check_page, step_pages

    k = kiosk
    k.controller.set_language(code)
    catalog = k.controller.shell.catalog
    k.controller.display.set(text_size="largest")
    k.window.resize(1080, 1920)
    problems = check_page(k, f"{code} attract", tmp_path)
    k.window.show_page(HomePage([catalog.journey(j) for j in JOURNEYS]))
    problems += check_page(k, f"{code} home", tmp_path)
    for where, page in step_pages(k, catalog):
        problems += check_page(k, f"{code} {where}", tmp_path)
        if isinstance(page.address_field, AddressField):
            page.address_field.show_addresses(ADDRESSES)
            problems += check_page(k, f"{code} {where} (address list)", tmp_path)
    for journey in JOURNEYS:
        if journey.submit is not None:
            session = JourneySession(journey, catalog=catalog)
            session.history.append(next(s.id for s in journey.steps if s.type == StepType.CHECK_ANSWERS))
            k.window.show_page(CheckAnswersPage(session.view(), session.summary()))
            problems += check_page(k, f"{code} {journey.id}/check answers", tmp_path)
            submit = catalog.journey(journey).submit
            assert submit is not None
            k.window.show_page(ConfirmationPage(submit.confirmation_title, "KQ4M-7XTB-3HNP", submit.what_happens_next,
                                                f"http://127.0.0.1:8700/track/KQ4M-7XTB-3HNP?lang={code}",
                                                catalog.text("Sending to the council now.")))
            problems += check_page(k, f"{code} {journey.id}/confirmation", tmp_path)
    if k.window.width() > 1080 or k.window.height() > 1920:
        problems.append(f"the window grew to {k.window.width()}x{k.window.height()}")
    assert problems == [], "\n".join(problems)


def test_the_phone_carries_on_in_the_kiosk_language(kiosk: Kiosk, hub: HubServer) -> None:
    """Polish at the kiosk, Polish on the phone (and the case in English); Arabic pages are RTL."""
    import re

    import httpx

    from kiosk.views.qr import QrCode

    k = kiosk
    k.start("missed-bin")
    k.controller.set_language("pl")
    k.find_address("address", "TS18 1AU")
    k.choose("bin_type", "general")
    k.wait_heading("Kiedy pojemnik miał zostać opróżniony?")
    k.tap("handoff")
    k.wait_page("handoff_page")
    qr = k.page.findChild(QrCode, "qr_code")
    assert qr is not None
    with httpx.Client(follow_redirects=True) as phone:
        assert "Kontynuuj na tym telefonie" in phone.get(qr.data).text  # opening the link takes nothing
        page = phone.post(qr.data)
        assert page.status_code == 200
        assert '<html lang="pl" dir="ltr" class="govuk-template">' in page.text
        assert "Kiedy pojemnik miał zostać opróżniony?" in page.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf is not None
        wrong = phone.post(str(page.url), data={"csrf": csrf.group(1), "action": "continue", "when-day": "31",
                                                "when-month": "2", "when-year": "2026"})
        assert wrong.status_code == 422
        assert "Podaj prawdziwą datę (datę planowanego odbioru)" in wrong.text
        assert "Dzień" in wrong.text and ">Wstecz</button>" in wrong.text  # GOV.UK draws the back arrow itself
        assert '<span class="govuk-visually-hidden">Błąd:</span>' in wrong.text  # heard, not shown
    # Arabic: the phone page is right to left.
    k.tap("done")
    k.wait_page("attract_page")
    k.start("missed-bin")
    k.controller.set_language("ar")
    k.find_address("address", "TS18 1AU")
    k.tap("handoff")
    k.wait_page("handoff_page")
    qr = k.page.findChild(QrCode, "qr_code")
    assert qr is not None
    with httpx.Client(follow_redirects=True) as phone:
        page = phone.get(qr.data)
        assert '<html lang="ar" dir="rtl" class="govuk-template">' in page.text and "تابع على هذا الهاتف" in page.text
        page = phone.post(qr.data)
        assert '<html lang="ar" dir="rtl" class="govuk-template">' in page.text
        assert "أي حاوية لم تُجمع؟" in page.text


def test_keyboard_boards_are_built_once_and_speak_the_current_language(kiosk: Kiosk) -> None:
    """Each layout is built once and shown again (performance issue: rebuilding cost 30 ms a
    tap); one shown again after a language change says its keys in the new language, and the
    keyboard is as tall as the board showing, not the tallest one built."""
    keyboard = kiosk.window.keyboard
    box, digits = QLineEdit(kiosk.window), QLineEdit(kiosk.window)
    digits.setProperty("keyboard", "numeric")
    keyboard.attach(box)
    letter_q, enter = keyboard.keys["q"], keyboard.keys["enter"]
    text_height = keyboard.sizeHint().height()
    keyboard.attach(digits)
    assert "q" not in keyboard.keys and keyboard.sizeHint().height() < text_height
    keyboard.attach(box)
    assert keyboard.keys["q"] is letter_q and keyboard.keys["enter"] is enter  # the same buttons
    kiosk.controller.set_language("pl")
    keyboard.attach(digits)
    keyboard.attach(box)
    assert keyboard.keys["enter"].accessibleName() == "Enter: przejdź do następnego kroku"
    assert keyboard.keys["q"] is not letter_q  # Polish letters: a board of its own
    kiosk.controller.set_language("en")
    keyboard.attach(box)
    assert keyboard.keys["q"] is letter_q and letter_q.accessibleName() == "Letter q"
    assert enter.accessibleName() == "Enter: go on to the next step" and enter.text() == "Enter"


def test_more_below_keeps_its_gap_from_the_screen_edge_in_arabic(kiosk: Kiosk) -> None:
    k = kiosk
    k.start("fly-tipping")
    k.typed_address("where")
    more = k.window.more_button

    def gaps() -> tuple[int, int]:
        """From the window's left edge to the button, and from the button to the right edge."""
        k.click_at(k.widget(QLineEdit, "input_location_detail"))  # the keyboard up: more below
        k.qtbot.waitUntil(more.isVisible, timeout=2000)
        left = more.mapTo(k.window, QPoint(0, 0)).x()
        return left, k.window.width() - (left + more.width())

    english = gaps()
    k.controller.set_language("ar")  # the page is drawn again, in Arabic
    arabic = gaps()
    # The same gap at the reading end's far side (the words differ in width, not the gap).
    assert english[1] >= 24 and english[0] > 1000, english
    assert arabic[0] == english[1] and arabic[1] > 1000, f"English {english}, Arabic {arabic}"
