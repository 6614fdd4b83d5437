"""The kiosk's pages. Each renders what it is given and emits what the resident asked for;
none decides what comes next (that is the controller's and the engine's job)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.views.fields import AddressField, FieldWidget, make_field, text_input
from kiosk.views.icons import icon
from kiosk.views.qr import QrCode
from kiosk.views.scrolling import ScrollPage
from kiosk.views.text import tr
from kiosk.views.widgets import (
    ErrorSummary,
    TileButton,
    button,
    error_message,
    focusable_heading,
    label,
    screen_reader_on,
)
from kiosk.workflows.describe import StepView
from kiosk.workflows.model import Journey, StepType


class HomePage(ScrollPage):
    """Top tasks as large tiles of equal size across the whole screen: three to a row on a
    landscape screen, two on a portrait one, in the order of their groups."""

    journey_chosen = Signal(str)

    def __init__(self, journeys: list[Journey], offline_ids: set[str] | None = None) -> None:
        super().__init__("home_page", wide=True)
        self.heading = focusable_heading(tr("What do you want to do?"))
        self.column.addWidget(self.heading)
        if offline_ids:
            box = QFrame()
            box.setProperty("role", "inset")
            inner = QVBoxLayout(box)
            inner.addWidget(label(tr("The connection to the council's systems is down"), "subheading", "offline_title"))
            inner.addWidget(label(tr("You can still report and apply here: we will send your answers when the "
                                     "connection is back. Tasks marked \"not available right now\" need the "
                                     "connection."), "", "offline_text"))
            self.column.addWidget(box)
        groups: dict[str, list[Journey]] = {}
        for j in journeys:
            groups.setdefault(j.group, []).append(j)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(24)
        self.tiles: list[QPushButton] = []
        for group, items in groups.items():
            for j in items:
                unavailable = offline_ids is not None and j.id in offline_ids
                tile = task_tile(j, unavailable)
                tile.setAccessibleDescription(f"{group}. {tile.accessibleDescription()}")
                tile.clicked.connect(lambda _=False, jid=j.id: self.journey_chosen.emit(jid))
                self.tiles.append(tile)
        self.column.addLayout(self.grid)
        self._columns = 0
        self._layout_tiles(2)

    def focus_start(self) -> None:
        first = next((t for t in self.tiles if t.isEnabled()), None)
        if screen_reader_on() or first is None:
            self.heading.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _layout_tiles(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for t in self.tiles:
            self.grid.removeWidget(t)
        for i, t in enumerate(self.tiles):
            self.grid.addWidget(t, i // columns, i % columns)
        for c in range(3):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)
        # Keys and Tab go along the rows, as the tiles are read.
        for a, b in itertools.pairwise(self.tiles):
            QWidget.setTabOrder(a, b)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._layout_tiles(3 if self.width() >= 1500 else 2)
        super().resizeEvent(event)


def task_tile(journey: Journey, unavailable: bool) -> QPushButton:
    """A home-screen tile: icon and two to five plain words that wrap, never clip."""
    tile = button("", "tile", f"tile_{journey.id}", journey.title + (
        ". Not available right now: the connection to the council is down." if unavailable else ""), TileButton)
    tile.setAccessibleName(journey.tile)
    # Ignored: every column the same width, whatever the length of the words in it.
    tile.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
    row = QHBoxLayout(tile)
    row.setContentsMargins(24, 20, 24, 20)
    row.setSpacing(20)
    pic = QLabel()
    pic.setPixmap(icon(journey.icon, 128).pixmap(QSize(64, 64)))
    pic.setFixedSize(QSize(64, 64))
    text = label(journey.tile + ("\n(not available right now)" if unavailable else ""))
    for w in (pic, text):
        w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        row.addWidget(w)
    row.setStretch(1, 1)
    tile.setMinimumHeight(max(130, row.sizeHint().height()))
    tile.setEnabled(not unavailable)
    return tile


def back_link() -> QPushButton:
    return button(tr("‹ Back"), "link", "back", tr("Go back to the previous question. Your answers are kept."))


def handoff_button(signal: Any) -> QPushButton:
    b = button(tr("Finish on my phone"), "secondary", "handoff",
               tr("Carry on with these questions on your own phone, using a QR code"))
    b.clicked.connect(signal)
    return b


def help_box(handoff: QPushButton | None = None) -> QFrame:
    """The second column of a question page: where to get help, and the phone handoff."""
    box = QFrame()
    box.setObjectName("help_box")
    box.setProperty("role", "inset")
    lay = QVBoxLayout(box)
    lay.setSpacing(16)
    texts = [label(tr("Need help?"), "subheading", "help_title"),
             label(tr("Press Get help at the top of the screen and a member of staff will come to you. "
                      "Your answers stay on the screen."), "", "help_text")]
    if handoff is not None:
        texts.append(label(tr("Rather finish at home? Your answers can go with you to your own phone."), "",
                           "handoff_text"))
    for text in texts:
        # The same on every page: the kiosk's speech reads the question, not this, each time
        # (a screen reader reaches it, and "Get help" is in the top bar of every page).
        text.setProperty("spoken", False)
        lay.addWidget(text)
    if handoff is not None:
        lay.addWidget(handoff)
    return box


class StepPage(ScrollPage):
    """One question (or an information page), GOV.UK style."""

    continued = Signal(object)
    back = Signal()
    finished = Signal()
    handoff = Signal()

    def __init__(self, view: StepView) -> None:
        super().__init__(f"step_{view.step_id}")
        self.view = view
        self.summary: ErrorSummary | None = None
        self.column.addWidget(back_link())
        self.column.itemAt(0).widget().clicked.connect(self.back)  # type: ignore[union-attr]
        if view.errors:
            self.summary = ErrorSummary([(e.part, e.message) for e in view.errors])
            self.summary.error_chosen.connect(self._on_error_chosen)
            self.column.addWidget(self.summary)
        self.column.addWidget(label(view.journey_title, "caption", "caption"))
        heading = focusable_heading(view.heading)
        heading.setAccessibleDescription(" ".join([view.journey_title, view.hint or "", *view.body]).strip())
        self.heading = heading
        self.column.addWidget(heading)
        if view.hint:
            self.column.addWidget(label(view.hint, "hint", "hint"))
        for para in view.body:
            self.column.addWidget(label(para))
        self.field: FieldWidget | None = make_field(view)
        if self.field is not None:
            holder: QWidget = self.field
            if view.errors:
                frame = QFrame()
                frame.setObjectName("field_error_frame")
                # The red bar is a widget of its own beside the field, not a border: a layout puts
                # it on the leading side in every direction, and nothing draws over it.
                row = QHBoxLayout(frame)
                row.setContentsMargins(0, 0, 0, 0)
                row.setSpacing(16)
                bar = QFrame()
                bar.setObjectName("error_bar")
                bar.setProperty("role", "error-bar")
                bar.setFixedWidth(5)
                row.addWidget(bar)
                inner = QVBoxLayout()
                inner.setContentsMargins(0, 0, 0, 0)
                row.addLayout(inner, 1)
                for e in view.errors:
                    inner.addWidget(error_message(e.message, "field_error", tr("Error: {message}",
                                                                                 message=e.message)))
                inner.addWidget(self.field)
                holder = frame
                self.field.mark_invalid(view.errors[0].part)
                self.field.describe_errors([e.message for e in view.errors])
            self.column.addWidget(holder)
            self.field.submitted.connect(self._on_continue)
            if isinstance(self.field, AddressField):
                self.field.lookup_succeeded.connect(self._clear_errors)
        end_page = bool(view.extra.get("end"))
        self.primary = button(
            tr("Back to the start") if end_page else view.continue_label, "primary", "continue",
        )
        self.primary.clicked.connect(self.finished if end_page else self._on_continue)
        #: Each answer is a button that goes on by itself: no Continue to find and press.
        self.answers_act = self.field is not None and self.field.acts
        if self.answers_act:
            self.primary.setParent(self)
            self.primary.hide()
        else:
            self.set_primary(self.primary)
        self.handoff_button: QPushButton | None = None
        if view.extra.get("handoff") and not end_page:
            self.handoff_button = handoff_button(self.handoff)
        self.add_side(help_box(self.handoff_button))

    def practice_only(self) -> None:
        """A taster practice run: nothing leaves the kiosk, so no phone handoff."""
        if self.handoff_button is not None:
            self.handoff_button.hide()

    def _clear_errors(self) -> None:
        """The resident fixed what the errors were about (addresses were found at the postcode)."""
        if self.summary is not None:
            self.summary.hide()
        for lab in self.findChildren(QLabel, "field_error"):
            lab.hide()
        for bar in self.findChildren(QFrame, "error_bar"):
            bar.hide()

    @property
    def address_field(self) -> AddressField | None:
        return self.field if isinstance(self.field, AddressField) else None

    def _on_continue(self) -> None:
        self.continued.emit(self.field.value() if self.field is not None else None)

    def _on_error_chosen(self, part: str) -> None:
        if self.field is not None:
            self.field.focus_part(part)
            self.ensureWidgetVisible(self.field)

    def focus_start(self) -> None:
        """After a page change focus the error summary; with a screen reader listening, the
        question (so it is heard at once); else the first control, ready for a finger or a key."""
        if self.summary is not None:
            self.summary.setFocus(Qt.FocusReason.OtherFocusReason)
        elif screen_reader_on():
            self.heading.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.field is not None and self.field.offers_answers():
            # Nothing highlighted that could look chosen: the question, the keys go on from it.
            self.heading.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.field is not None and self.view.type not in (StepType.CHOICE, StepType.YES_NO,
                                                              StepType.MULTI_CHOICE):
            self.field.focus_part("")
        else:
            self.primary.setFocus(Qt.FocusReason.OtherFocusReason)


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]


class ResultPage(ScrollPage):
    """The answer to a look-up: bin days, places, a request's status."""

    finished = Signal()
    back = Signal()

    def __init__(self, caption: str, heading: str, intro: list[str], sections: list[Section]) -> None:
        super().__init__("result")
        b = back_link()
        b.clicked.connect(self.back)
        self.column.addWidget(b)
        self.column.addWidget(label(caption, "caption", "caption"))
        self.heading = focusable_heading(heading)
        self.heading.setAccessibleDescription(" ".join([caption, *intro]))
        self.column.addWidget(self.heading)
        for para in intro:
            self.column.addWidget(label(para, "", "result_intro"))
        for i, s in enumerate(sections):
            box = QFrame()
            box.setProperty("role", "inset")
            lay = QVBoxLayout(box)
            lay.addWidget(label(s.title, "subheading", f"result_title_{i}"))
            for line in s.lines:
                lay.addWidget(label(line, "", f"result_line_{i}"))
            self.column.addWidget(box)
        self.primary = button(tr("Finish"), "primary", "finish", tr("End your session"))
        self.primary.clicked.connect(self.finished)
        self.set_primary(self.primary)
        self.add_side(help_box())

    def focus_start(self) -> None:
        (self.heading if screen_reader_on() else self.primary).setFocus(Qt.FocusReason.OtherFocusReason)


class MessagePage(ScrollPage):
    """A plain-language page with a heading, some sentences and one or two buttons."""

    action = Signal(str)

    def __init__(self, name: str, heading: str, paragraphs: list[str], actions: list[tuple[str, str, str]]) -> None:
        super().__init__(name)
        self.heading = focusable_heading(heading)
        self.column.addWidget(self.heading)
        for para in paragraphs:
            self.column.addWidget(label(para))
        self.buttons: dict[str, QPushButton] = {}
        for key, text, role in actions:
            b = button(text, role, f"action_{key}")
            b.clicked.connect(lambda _=False, k=key: self.action.emit(k))
            self.column.addWidget(b)
            self.buttons[key] = b

    def focus_start(self) -> None:
        """The first button; with none (please wait), the heading, so that the focus does not go
        on to the top bar's first button, which a screen reader would then read out."""
        first = next(iter(self.buttons.values()), None)
        (first or self.heading).setFocus(Qt.FocusReason.OtherFocusReason)


def busy_page(heading: str, text: str) -> MessagePage:
    return MessagePage("busy", heading, [text], [])



class MaintenancePage(MessagePage):
    """For staff after the maintenance PIN: the kiosk's state, and restart or stop."""

    def __init__(self, facts: list[tuple[str, str]], closed: bool = False, held: bool = False) -> None:
        actions = [("open_now", "Open the kiosk now (until midnight)", "primary")] if closed else []
        if held:  # after fixing what the hub refused them for (its journeys, the kiosk's token)
            actions.append(("retry_held", "Send the refused items again", "secondary"))
        super().__init__("maintenance", "Maintenance", [], [
            *actions,
            ("back", "Back to the kiosk", "secondary" if closed else "primary"),
            ("restart", "Restart the kiosk", "secondary"),
            ("stop", "Stop the kiosk", "secondary"),
        ])
        for i, (name, value) in enumerate(facts):
            row = label(f"{name}: {value}", "", f"fact_{i}")
            self.column.insertWidget(1 + i, row)


class WhyPage(MessagePage):
    """One optional question after a finished task: why come in rather than go online?"""

    def __init__(self, reasons: dict[str, str]) -> None:
        super().__init__("why", tr("Why did you come in today rather than go online?"), [
            tr("This question is optional. Your answer is anonymous: it helps the council make its online "
               "services work for more people."),
        ], [*((f"why_{code}", tr(text), "secondary") for code, text in reasons.items()),
            ("skip", tr("Skip this question"), "primary")])

    def focus_start(self) -> None:
        self.buttons["skip"].setFocus(Qt.FocusReason.OtherFocusReason)


class HandoffPage(ScrollPage):
    """The QR code (and a short code to type) that carries the journey to the resident's phone."""

    done = Signal()
    send_requested = Signal(str)

    def __init__(self, url: str, code: str, typed_address: str, valid_until: str, can_send: bool = False) -> None:
        super().__init__("handoff_page")
        self.column.addWidget(label(tr("Finish on your phone"), "heading", "page_heading"))
        row = QHBoxLayout()
        row.setSpacing(40)
        qr = QrCode(url, side=360)
        qr.setAccessibleName(tr("QR code that opens your answers on your phone"))
        row.addWidget(qr, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(16)
        text.addWidget(label(tr("Point your phone's camera at the code, and tap the link that appears.")))
        text.addWidget(label(tr("No camera? On your phone, go to:"), "", "typed_intro"))
        text.addWidget(label(typed_address, "subheading", "typed_address"))
        text.addWidget(label(tr("and enter this code:")))
        code_label = label(code, "reference", "handoff_code")
        code_label.setAccessibleName(tr("Code: {code}", code=" ".join(code.replace(" ", ""))))
        text.addWidget(code_label)
        text.addStretch(1)
        row.addLayout(text, 1)
        self.column.addLayout(row)
        self.column.addWidget(label(tr("The link works until {time}. After that your answers are deleted.",
                                       time=valid_until), "", "valid_until"))
        self.column.addWidget(label(tr("Your answers have left this kiosk: when you press Done, nothing you typed "
                                       "stays on this screen.")))
        if can_send:
            box = QFrame()
            box.setObjectName("send_box")
            box.setProperty("role", "inset")
            side = QVBoxLayout(box)
            side.setSpacing(16)
            side.addWidget(label(tr("Or we can send you the link"), "subheading"))
            side.addWidget(label(tr("Your email address or mobile number"), "", "send_label"))
            self.send_to = text_input("input_send_to", tr("Your email address or mobile number"), "email")
            self.send_to.setAccessibleDescription(tr("Used to send this link once. It is not kept."))
            self.send_to.returnPressed.connect(self._on_send)
            side.addWidget(self.send_to)
            send = button(tr("Send me the link"), "secondary", "send_link",
                          tr("Send the link by email or text message"))
            send.clicked.connect(self._on_send)
            side.addWidget(send)
            self.send_status = label("", "subheading", "send_link_status")
            side.addWidget(self.send_status)
            self.send_status.hide()
            self.add_side(box)
        self.primary = button(tr("Done"), "primary", "done", tr("Finish here. Carry on on your phone."))
        self.primary.clicked.connect(self.done)
        self.set_primary(self.primary)

    def focus_start(self) -> None:
        self.primary.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_send(self) -> None:
        self.send_requested.emit(self.send_to.text())

    def say(self, text: str, error: bool = False) -> None:
        self.send_status.setText(text)
        self.send_status.setAccessibleName(text)
        self.send_status.setProperty("role", "error" if error else "subheading")
        self.send_status.style().unpolish(self.send_status)
        self.send_status.style().polish(self.send_status)
        self.send_status.show()
