"""ICT taster pages: staff set-up, the list of lessons, a lesson step with its practice task,
the end of a lesson, and the certificate. Pages say what the learner did; the taster
controller decides what it means (right, wrong, next)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.views.fields import WideCheckBox, set_invalid, text_input
from kiosk.views.icons import svg_pixmap
from kiosk.views.qr import QrCode
from kiosk.views.scrolling import ScrollPage, enable_kinetic_scrolling, see_through_content
from kiosk.views.widgets import (
    ErrorSummary,
    WrappingButton,
    button,
    error_message,
    label,
    link_label,
)
from kiosk.workflows.lessons import (
    ChoicePractice,
    JourneyPractice,
    Lesson,
    LessonStep,
    ScrollPractice,
    TapPractice,
    TypePractice,
)
from kiosk.workflows.validators import FieldError


class TasterBanner(QFrame):
    """Under the top bar for the whole session: what this is, the time left, and the lessons."""

    lessons = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("taster_banner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._outer = outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 8, 32, 8)
        outer.setSpacing(4)
        row = QHBoxLayout()
        row.setSpacing(24)
        outer.addLayout(row)
        self.hint = label("", "", "taster_hint")
        outer.addWidget(self.hint)
        self.title = label("", "", "taster_title")
        self.left = label("", "", "time_left")
        self.left.setWordWrap(False)  # "45 minutes left" on one line: the banner makes room for it
        self.left.setAccessibleDescription("Time left in this taster session")
        self.menu = button("All lessons", "bar", "all_lessons", "Go to the list of lessons")
        self.menu.clicked.connect(self.lessons)
        row.addWidget(self.title, 1)
        row.addWidget(self.left)
        row.addWidget(self.menu)
        self.hint.hide()
        self.hide()

    def compact(self, on: bool) -> None:
        """While the on-screen keyboard is up only the time left shows, so the page keeps room."""
        self.title.setVisible(not on)
        self.menu.setVisible(not on)
        self.hint.setVisible(not on and bool(self.hint.text()))
        self._outer.invalidate()
        self._outer.activate()  # now, not later: the window is laid out the moment the keyboard shows

    def set_hint(self, text: str) -> None:
        """A line under the time: practice-run guidance and hints on journey pages."""
        self.hint.setText(text)
        self.hint.setAccessibleName(text)
        self.hint.setVisible(bool(text) and self.menu.isVisibleTo(self))

    def show_session(self, group: str) -> None:
        text = f"ICT taster session{f': {group}' if group else ''}"
        self.title.setText(text)
        self.title.setAccessibleName(text)
        self.show()

    def set_left(self, text: str) -> None:
        self.left.setText(text)
        self.left.setAccessibleName(text)


class TasterSetupPage(ScrollPage):
    """For library staff: which lessons, how long, and an optional group name."""

    submitted = Signal(list, str, str)
    cancelled = Signal()

    def __init__(self, lessons: list[Lesson], chosen: list[str] | None = None, minutes: str = "60", group: str = "",
                 errors: list[FieldError] | None = None) -> None:
        super().__init__("taster_setup")
        errors = errors or []
        if errors:
            self.summary: ErrorSummary | None = ErrorSummary([(e.part, e.message) for e in errors])
            self.summary.error_chosen.connect(self._focus_part)
            self.column.addWidget(self.summary)
        else:
            self.summary = None
        self.column.addWidget(label("Staff: library taster session", "caption", "caption"))
        self.column.addWidget(label("Open an ICT taster session", "heading", "page_heading"))
        self.column.addWidget(label("This terminal becomes a tutor for one learner. When the time is up everything "
                                    "is deleted and the terminal goes back to the start screen."))
        bad = {e.part: e.message for e in errors}
        self.column.addWidget(label("Lessons", "subheading"))
        if "lessons" in bad:
            self.column.addWidget(error_message(bad["lessons"], "lessons_error"))
        self.boxes: dict[str, WideCheckBox] = {}
        for lesson in lessons:
            box = WideCheckBox(f"{lesson.title} (about {lesson.minutes} minutes)")
            box.setObjectName(f"lesson_{lesson.id}")
            box.setChecked(chosen is None or lesson.id in chosen)
            self.boxes[lesson.id] = box
            self.column.addWidget(box)
        self.column.addWidget(label("How long, in minutes (15 to 120)", "subheading", "minutes_label"))
        if "minutes" in bad:
            self.column.addWidget(error_message(bad["minutes"], "minutes_error"))
        self.minutes = text_input("input_minutes", "How long, in minutes", "numeric", 6)
        self.minutes.setText(minutes)
        self.column.addWidget(self.minutes)
        self.column.addWidget(label("Group name (optional)", "subheading", "group_label"))
        self.column.addWidget(label("For example: Tuesday beginners. Not a learner's name.", "hint"))
        if "group" in bad:
            self.column.addWidget(error_message(bad["group"], "group_error"))
        self.group = text_input("input_group", "Group name (optional)", "text")
        self.group.setText(group)
        self.column.addWidget(self.group)
        for part, widget in (("minutes", self.minutes), ("group", self.group)):
            if part in bad:
                set_invalid(widget)
        self.primary = button("Open the session", "primary", "open_session")
        self.primary.clicked.connect(self._submit)
        self.column.addWidget(self.primary)
        cancel = button("Cancel", "secondary", "cancel_setup")
        cancel.clicked.connect(self.cancelled)
        self.column.addWidget(cancel)

    def _submit(self) -> None:
        self.submitted.emit([i for i, b in self.boxes.items() if b.isChecked()], self.minutes.text(),
                            self.group.text())

    def _focus_part(self, part: str) -> None:
        target: QWidget = {"minutes": self.minutes, "group": self.group}.get(part) or next(iter(self.boxes.values()))
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.ensureWidgetVisible(target)

    def focus_start(self) -> None:
        (self.summary or self.primary).setFocus(Qt.FocusReason.OtherFocusReason)


class LessonListPage(ScrollPage):
    chosen = Signal(str)
    certificate = Signal()

    def __init__(self, lessons: list[tuple[Lesson, str]], any_done: bool) -> None:
        super().__init__("lesson_list")
        self.column.addWidget(label("Choose a lesson", "heading", "page_heading"))
        self.column.addWidget(label("Take them in any order, at your own speed. You cannot break anything."))
        self.tiles: dict[str, QPushButton] = {}
        for lesson, status in lessons:
            tile = WrappingButton(f"{lesson.title}\n{lesson.summary}\n{status}")
            tile.setObjectName(f"lesson_tile_{lesson.id}")
            tile.setProperty("role", "tile")
            tile.setAccessibleName(f"{lesson.title}. {status}")
            tile.setAccessibleDescription(lesson.summary)
            tile.setAutoDefault(False)
            tile.clicked.connect(lambda _=False, i=lesson.id: self.chosen.emit(i))
            self.tiles[lesson.id] = tile
            self.column.addWidget(tile)
        self.column.addWidget(label("Your certificate", "subheading"))
        self.column.addWidget(label("A page to keep on your phone, listing the lessons you completed and what to "
                                    "try next." if any_done else "Complete a lesson to get a certificate."))
        self.cert = button("Get my certificate", "secondary", "get_certificate",
                           "A QR code to a page listing the lessons you completed")
        self.cert.setEnabled(any_done)
        self.cert.clicked.connect(self.certificate)
        self.column.addWidget(self.cert)

    def focus_start(self) -> None:
        next(iter(self.tiles.values())).setFocus(Qt.FocusReason.OtherFocusReason)


class _MissWatcher(QObject):
    """A press on the practice area that is not on the button: a missed tap."""

    def __init__(self, area: QWidget, missed: Callable[[], None]) -> None:
        super().__init__(area)
        self._missed = missed

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._missed()
        return False


class LessonStepPage(ScrollPage):
    """One step: explanation, picture, and the practice task. Emits each try for the controller
    to judge; shows the hint or feedback it is given."""

    back = Signal()
    next = Signal()
    skip = Signal()
    tapped = Signal()
    missed = Signal()
    picked = Signal(str)
    typed = Signal(str)
    choice = Signal(int)
    start_practice = Signal(str)

    def __init__(self, lesson: Lesson, step: LessonStep, progress: tuple[int, int], illustrations: Path,
                 done: bool = False) -> None:
        super().__init__(f"lesson_step_{step.id}")
        self.step = step
        b = button("‹ Back", "link", "back", "Go back a step in this lesson")
        b.clicked.connect(self.back)
        self.column.addWidget(b)
        caption = f"{lesson.title}: step {progress[0]} of {progress[1]}"
        self.column.addWidget(label(caption, "caption", "caption"))
        self.column.addWidget(label(step.title, "heading", "page_heading"))
        picture = step.illustration or lesson.illustration
        if picture:
            pic = QLabel()
            pic.setObjectName("illustration")
            pic.setPixmap(svg_pixmap(illustrations / f"{picture}.svg", 240).scaled(
                QSize(240, 180), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
            pic.setFixedSize(QSize(240, 180))
            pic.setAccessibleName(f"Picture: {step.title}")
            self.column.addWidget(pic)
        for i, para in enumerate(step.explanation):
            self.column.addWidget(label(para, "", f"explanation_{i}"))
        self.practice_area: QWidget | None = None
        p = step.practice
        if p is not None:
            self.column.addWidget(label(p.prompt, "subheading", "practice_prompt"))
            self.practice_area = self._practice(p)
            self.column.addWidget(self.practice_area)
        self.feedback = label("", "subheading", "feedback")
        self.feedback.hide()
        self.column.addWidget(self.feedback)
        self.hint_box = QFrame()
        self.hint_box.setObjectName("hint_box")
        self.hint_box.setProperty("role", "inset")
        inner = QVBoxLayout(self.hint_box)
        inner.addWidget(label("Hint", "subheading"))
        self.hint = label("", "", "hint_text")
        inner.addWidget(self.hint)
        self.column.addWidget(self.hint_box)
        self.hint_box.hide()
        self.primary = button("Next", "primary", "lesson_next")
        self.primary.clicked.connect(self.next)
        self.column.addWidget(self.primary)
        self.skip_button = button("Skip this practice", "link", "skip_practice",
                                  "Go on without doing this practice")
        self.skip_button.clicked.connect(self.skip)
        self.column.addWidget(self.skip_button)
        self.set_done(done or p is None)

    def _practice(self, p: object) -> QWidget:
        area = QFrame()
        area.setObjectName("practice_area")
        lay = QVBoxLayout(area)
        lay.setContentsMargins(0, 8, 0, 8)
        lay.setSpacing(16)
        if isinstance(p, TapPractice):
            area.setMinimumHeight(320)
            area.setProperty("role", "inset")
            target = button(p.button, "primary", "tap_target")
            target.setMinimumSize(QSize(360, 140))
            target.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            target.clicked.connect(self.tapped)
            lay.addStretch(1)
            lay.addWidget(target, 0, Qt.AlignmentFlag.AlignCenter)
            lay.addStretch(1)
            area.installEventFilter(_MissWatcher(area, self.missed.emit))
        elif isinstance(p, ScrollPractice):
            box = QScrollArea()
            box.setObjectName("practice_list")
            box.setWidgetResizable(True)
            box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            box.setFixedHeight(380)
            inner = QWidget()
            col = QVBoxLayout(inner)
            col.setSpacing(12)
            for i, item in enumerate(p.items):
                row = button(item, "secondary", f"item_{i}")
                row.setMinimumHeight(80)
                row.clicked.connect(lambda _=False, t=item: self.picked.emit(t))
                col.addWidget(row)
            see_through_content(box, inner)
            enable_kinetic_scrolling(box)
            lay.addWidget(box)
        elif isinstance(p, TypePractice):
            lay.addWidget(label(p.label, "", "type_label"))
            self.entry = text_input("practice_input", p.label, p.keyboard)
            self.entry.returnPressed.connect(lambda: self.typed.emit(self.entry.text()))
            lay.addWidget(self.entry)
            check = button("Check", "secondary", "check_typing", "Check what you typed")
            check.clicked.connect(lambda: self.typed.emit(self.entry.text()))
            lay.addWidget(check)
        elif isinstance(p, ChoicePractice):
            for i, option in enumerate(p.options):
                text = option.label + (f"\n{option.detail}" if option.detail else "")
                b = WrappingButton(text)
                b.setObjectName(f"option_{i}")
                b.setProperty("role", "tile")
                b.setAccessibleName(option.label)
                if option.detail:
                    b.setAccessibleDescription(option.detail)
                b.setAutoDefault(False)
                b.clicked.connect(lambda _=False, n=i: self.choice.emit(n))
                lay.addWidget(b)
        elif isinstance(p, JourneyPractice):
            lay.addWidget(label("Practice only: nothing you enter is sent to the council.", "hint", "practice_note"))
            start = button("Start the practice", "secondary", "start_practice")
            start.clicked.connect(lambda: self.start_practice.emit(p.journey))
            lay.addWidget(start)
        return area

    def show_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setAccessibleName(text)
        self.hint_box.show()
        self._reveal(self.hint_box)

    def _reveal(self, widget: QWidget) -> None:
        """Scroll what just appeared into view, once the layout has made room for it."""
        QTimer.singleShot(0, self, lambda: self.ensureWidgetVisible(widget, 20, 40))

    def say(self, text: str) -> None:
        self.feedback.setText(text)
        self.feedback.setAccessibleName(text)
        self.feedback.setVisible(bool(text))

    def set_done(self, done: bool) -> None:
        """Next appears once the practice is done (or there is none); until then, Skip."""
        self.primary.setVisible(done)
        self.skip_button.setVisible(not done)
        if done:
            self.hint_box.hide()
            self.primary.setFocus(Qt.FocusReason.OtherFocusReason)
            self._reveal(self.primary)

    def focus_start(self) -> None:
        if self.primary.isVisibleTo(self):
            self.primary.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            first = self.practice_area.findChild(QPushButton) if self.practice_area is not None else None
            entry = getattr(self, "entry", None)
            (entry or first or self.skip_button).setFocus(Qt.FocusReason.OtherFocusReason)


class LessonDonePage(ScrollPage):
    action = Signal(str)

    def __init__(self, lesson: Lesson, completed: bool, more: bool) -> None:
        super().__init__("lesson_done")
        panel = QFrame()
        panel.setProperty("role", "panel")
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(40, 32, 40, 32)
        inner.addWidget(label("Lesson complete" if completed else "End of the lesson", "panel-title",
                              "page_heading"))
        inner.addWidget(label(lesson.title, "", "lesson_title"))
        self.column.addWidget(panel)
        if not completed:
            self.column.addWidget(label("You skipped a practice, so this lesson is not on your certificate yet. "
                                        "You can do it again at any time.", "", "skipped_note"))
        self.column.addWidget(label("What you learned", "subheading"))
        for i, line in enumerate(lesson.learned):
            self.column.addWidget(label(f"• {line}", "", f"learned_{i}"))
        self.buttons: dict[str, QPushButton] = {}
        for key, text, role in ((("next", "Next lesson", "primary"),) if more else ()) + (
                ("lessons", "Back to the lessons", "primary" if not more else "secondary"),
                ("certificate", "Get my certificate", "secondary")):
            b = button(text, role, f"done_{key}")
            b.clicked.connect(lambda _=False, k=key: self.action.emit(k))
            self.column.addWidget(b)
            self.buttons[key] = b

    def focus_start(self) -> None:
        next(iter(self.buttons.values())).setFocus(Qt.FocusReason.OtherFocusReason)


class CertificatePage(ScrollPage):
    """Step one: an optional first name. Step two (after the hub made it): the QR code."""

    make = Signal(str)
    back = Signal()

    def __init__(self, lessons: list[str], url: str = "", error: str = "", name: str = "") -> None:
        super().__init__("certificate")
        self.column.addWidget(label("Your certificate", "heading", "page_heading"))
        self.column.addWidget(label("Lessons you completed:", "subheading"))
        for i, title in enumerate(lessons):
            self.column.addWidget(label(f"• {title}", "", f"cert_lesson_{i}"))
        if url:
            row = QHBoxLayout()
            row.setSpacing(32)
            qr = QrCode(url, side=320)
            qr.setAccessibleName("QR code for your certificate")
            row.addWidget(qr, 0, Qt.AlignmentFlag.AlignTop)
            text = QVBoxLayout()
            text.addWidget(label("Point your phone's camera at the code and open the link. Keep the page, or "
                                 "show it to library staff to print.", "", "cert_how"))
            text.addWidget(label("Or go to:", "", ""))
            text.addWidget(link_label(url, "cert_url"))
            text.addStretch(1)
            row.addLayout(text, 1)
            self.column.addLayout(row)
            self.column.addWidget(label("The page lists your lessons and what to try next. It is kept for a year.",
                                        "hint"))
        else:
            self.column.addWidget(label("Add your first name to it? (optional)", "subheading", "name_label"))
            self.column.addWidget(label("Only if you want it on the page. Leave the box empty for no name.", "hint"))
            if error:
                self.column.addWidget(error_message(error, "name_error"))
            self.name = text_input("input_first_name", "Your first name (optional)", "text")
            self.name.setText(name)
            if error:
                set_invalid(self.name)
            self.name.returnPressed.connect(lambda: self.make.emit(self.name.text()))
            self.column.addWidget(self.name)
            self.primary = button("Make my certificate", "primary", "make_certificate")
            self.primary.clicked.connect(lambda: self.make.emit(self.name.text()))
            self.column.addWidget(self.primary)
        self.back_button = button("Back to the lessons", "primary" if url else "secondary", "cert_back")
        self.back_button.clicked.connect(self.back)
        self.column.addWidget(self.back_button)

    def focus_start(self) -> None:
        getattr(self, "primary", self.back_button).setFocus(Qt.FocusReason.OtherFocusReason)
