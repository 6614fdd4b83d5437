"""One widget per field type. Each gives back what the resident entered, in the raw shape
the engine validates (see JourneySession.validate), and can focus the part an error names."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.views.text import tr, trn
from kiosk.views.touch import NoDragSelect
from kiosk.views.widgets import _Wrapping, button, label
from kiosk.workflows.describe import StepView
from kiosk.workflows.model import StepType


class WideRadio(_Wrapping, QRadioButton):
    def __init__(self, text: str) -> None:
        QRadioButton.__init__(self)
        self._setup(text)

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)


class WideCheckBox(_Wrapping, QCheckBox):
    def __init__(self, text: str) -> None:
        QCheckBox.__init__(self)
        self._setup(text)

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)


def answer_button(text: str, name: str, place: str, chosen: bool) -> QPushButton:
    """An answer that acts: one tap chooses it and goes on. A button, not a radio, because the
    resident and a screen reader both expect a button to act (a radio that moved the page on by
    itself would surprise them: WCAG 3.2.2). The answer given before, coming back, is marked."""
    b = button(f"\u2713 {text}" if chosen else text, "answer", name)
    b.setAccessibleName(text)
    b.setAccessibleDescription(tr("Your answer so far. {place}", place=place) if chosen else place)
    b.setProperty("chosen", chosen)
    policy = b.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Expanding)
    b.setSizePolicy(policy)
    return b


def no_select(widget: QWidget) -> None:
    guard = NoDragSelect(widget)  # parented to the widget, so it lives and dies with it
    widget.installEventFilter(guard)


class FittedLineEdit(QLineEdit):
    """A box as wide as the text it is for (a postcode, a year), in whatever text size is on:
    the width follows the font the style sheet gives it, not the font it was made with."""

    def __init__(self, width_chars: int) -> None:
        super().__init__()
        self.width_chars = width_chars
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def _fitted(self, hint: QSize) -> QSize:
        # The widest character, the padding and border of the style sheet, and room for the cursor.
        wide = self.fontMetrics().horizontalAdvance("W") * self.width_chars
        margins = self.contentsMargins()
        return QSize(wide + margins.left() + margins.right() + 40, hint.height())

    def sizeHint(self) -> QSize:
        return self._fitted(super().sizeHint())

    def minimumSizeHint(self) -> QSize:
        return self._fitted(super().minimumSizeHint())


def text_input(name: str, accessible: str, keyboard: str, width_chars: int = 0) -> QLineEdit:
    edit = FittedLineEdit(width_chars) if width_chars else QLineEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setProperty("keyboard", keyboard)
    edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    edit.setDragEnabled(False)
    edit.setAcceptDrops(False)
    no_select(edit)
    hints = {
        "email": Qt.InputMethodHint.ImhEmailCharactersOnly,
        "numeric": Qt.InputMethodHint.ImhDigitsOnly,
        "phone": Qt.InputMethodHint.ImhDialableCharactersOnly,
        "postcode": Qt.InputMethodHint.ImhPreferUppercase | Qt.InputMethodHint.ImhNoPredictiveText,
    }
    edit.setInputMethodHints(hints.get(keyboard, Qt.InputMethodHint.ImhNone) | Qt.InputMethodHint.ImhNoPredictiveText)
    if not width_chars:
        edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return edit


class FieldWidget(QWidget):
    """Base: a field renders a StepView's input and hands back the raw answer."""

    #: The resident pressed Enter in the last box, or chose an answer that acts: go on.
    submitted = Signal()
    #: Every answer is a button that goes on by itself: the page has no Continue.
    acts = False

    def __init__(self, view: StepView) -> None:
        super().__init__()
        self.view = view
        self.setObjectName(f"field_{view.step_id}")
        self.lay = QVBoxLayout(self)
        self.lay.setContentsMargins(0, 0, 0, 0)
        self.lay.setSpacing(16)

    def value(self) -> Any:
        raise NotImplementedError

    def focus_part(self, part: str) -> None:
        raise NotImplementedError

    def offers_answers(self) -> bool:
        """The page opens on answer buttons: nothing is focused that could look chosen."""
        return self.acts

    def mark_invalid(self, part: str) -> None:
        """Give the box(es) holding the error a red border. Default: every text box."""
        for w in [*self.findChildren(QLineEdit), *self.findChildren(QPlainTextEdit)]:
            set_invalid(w)

    def describe_errors(self, messages: list[str]) -> None:
        """Each control of the field says what is wrong first (a screen reader reads a control's
        description after its name): the error is tied to the field, not only shown near it."""
        said = " ".join(tr("Error: {message}", message=m) for m in messages)
        for w in [*self.findChildren(QLineEdit), *self.findChildren(QPlainTextEdit),
                  *self.findChildren(QAbstractButton)]:
            rest = w.accessibleDescription()
            w.setAccessibleDescription(f"{said} {rest}".strip())


def set_invalid(widget: QWidget, invalid: bool = True) -> None:
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class TextField(FieldWidget):
    def __init__(self, view: StepView) -> None:
        super().__init__(view)
        width = {StepType.NUMBER: 6, StepType.PHONE: 16, StepType.REFERENCE: 16}.get(view.type, 0)
        self.edit = text_input(f"input_{view.step_id}", view.heading, view.keyboard, width)
        if view.hint:
            self.edit.setAccessibleDescription(view.hint)
        if view.max_length:
            self.edit.setMaxLength(view.max_length + 50)  # let them overtype, then say by how much
        if view.value is not None:
            self.edit.setText(str(view.value))
        self.edit.returnPressed.connect(self.submitted)
        self.lay.addWidget(self.edit)

    def value(self) -> str:
        return self.edit.text()

    def focus_part(self, part: str) -> None:
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)


class LongTextField(FieldWidget):
    def __init__(self, view: StepView) -> None:
        super().__init__(view)
        self.edit = QPlainTextEdit()
        self.edit.setObjectName(f"input_{view.step_id}")
        self.edit.setAccessibleName(view.heading)
        if view.hint:
            self.edit.setAccessibleDescription(view.hint)
        self.edit.setProperty("keyboard", "text")
        self.edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.edit.setAcceptDrops(False)
        self.edit.setTabChangesFocus(True)
        no_select(self.edit.viewport())
        self.edit.setMinimumHeight(200)
        if view.value is not None:
            self.edit.setPlainText(str(view.value))
        self.lay.addWidget(self.edit)
        self.count = label("", "hint", f"count_{view.step_id}")
        if view.max_length:
            self.edit.textChanged.connect(self._on_text_changed)
            self.lay.addWidget(self.count)
            self._on_text_changed()

    def _on_text_changed(self) -> None:
        assert self.view.max_length is not None
        left = self.view.max_length - len(self.edit.toPlainText())
        text = (trn("You have {count} character remaining", "You have {count} characters remaining", left)
                if left >= 0 else
                trn("You have {count} character too many", "You have {count} characters too many", -left))
        self.count.setText(text)
        self.count.setAccessibleName(text)

    def value(self) -> str:
        return self.edit.toPlainText()

    def focus_part(self, part: str) -> None:
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)


class DateField(FieldWidget):
    """GOV.UK date input: Day, Month, Year boxes side by side."""

    def __init__(self, view: StepView) -> None:
        super().__init__(view)
        row = QHBoxLayout()
        row.setSpacing(24)
        self.edits: dict[str, QLineEdit] = {}
        value = view.value or {}
        for part, caption, chars in (("day", tr("Day"), 2), ("month", tr("Month"), 2), ("year", tr("Year"), 4)):
            box = QVBoxLayout()
            box.addWidget(label(caption))
            edit = text_input(f"input_{view.step_id}_{part}", tr("{part}, {question}", part=caption,
                                                                 question=view.heading), "numeric", chars + 1)
            edit.setMaxLength(chars + 2)
            edit.setText(str(value.get(part, "")))
            box.addWidget(edit)
            row.addLayout(box)
            self.edits[part] = edit
        self.edits["year"].returnPressed.connect(self.submitted)
        row.addStretch(1)
        self.boxes = QWidget()
        self.boxes.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        # In the layout first: shown before it has a parent, a widget is a window of its own.
        self.lay.addWidget(self.boxes)
        self.quick: dict[str, tuple[QPushButton, dict[str, str]]] = {}
        quick = view.extra.get("quick_dates") or []
        if quick:
            self._add_quick(quick, value)

    def _add_quick(self, quick: list[tuple[str, str, dict[str, str]]], value: dict[str, str]) -> None:
        """One tap for today or yesterday answers and goes on; "Another date" opens the boxes."""
        box = QGroupBox()
        box.setObjectName(f"dates_{self.view.step_id}")
        box.setFlat(True)
        box.setAccessibleName(self.view.heading)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(16)
        chosen = ""
        for key, _words, parts in quick:
            if value and all(str(value.get(p, "")).lstrip("0") == v for p, v in parts.items()):
                chosen = key
        count = len(quick) + 1
        for i, (key, words, parts) in enumerate(quick):
            b = answer_button(words, f"date_{self.view.step_id}_{key}",
                              tr("{position} of {count}", position=i + 1, count=count), key == chosen)
            b.clicked.connect(lambda _=False, p=parts: self._answer(p))
            lay.addWidget(b)
            self.quick[key] = (b, parts)
        typed = any(str(v) for v in value.values()) if value else False
        self.other = answer_button(tr("Another date"), f"date_{self.view.step_id}_other",
                                   tr("{position} of {count}", position=count, count=count),
                                   bool(typed and not chosen))
        self.other.clicked.connect(self._show_boxes)
        lay.addWidget(self.other)
        self.lay.insertWidget(self.lay.indexOf(self.boxes), box)
        self.boxes.setVisible(bool((typed and not chosen) or self.view.errors))

    def offers_answers(self) -> bool:
        return bool(self.quick) and not self.boxes.isVisibleTo(self)

    def _show_boxes(self) -> None:
        if not self.boxes.isVisibleTo(self):
            for edit in self.edits.values():
                edit.clear()
            self.boxes.setVisible(True)
        self.edits["day"].setFocus(Qt.FocusReason.OtherFocusReason)

    def _answer(self, parts: dict[str, str]) -> None:
        for part, edit in self.edits.items():
            edit.setText(parts[part])
        self.submitted.emit()

    def value(self) -> dict[str, str]:
        return {part: edit.text() for part, edit in self.edits.items()}

    def focus_part(self, part: str) -> None:
        if not self.boxes.isVisibleTo(self) and self.quick:
            next(iter(self.quick.values()))[0].setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.edits.get(part, self.edits["day"]).setFocus(Qt.FocusReason.OtherFocusReason)

    def mark_invalid(self, part: str) -> None:
        for name, edit in self.edits.items():
            if not part or name == part:
                set_invalid(edit)


class ChoiceField(FieldWidget):
    """One answer: a button per answer that acts on one tap (an optional question keeps radios
    and Continue, so it can be left). Several answers: check boxes, then Continue. Each a
    full-width target of at least 64 px."""

    def __init__(self, view: StepView, multiple: bool) -> None:
        super().__init__(view)
        self.multiple = multiple
        #: One tap on an answer goes on: the page needs no Continue.
        self.acts = not multiple and not view.optional
        # One named group (a grouping, to a screen reader): entering it, the question is said.
        self.box = QGroupBox()
        self.box.setObjectName(f"options_{view.step_id}")
        self.box.setFlat(True)
        self.box.setAccessibleName(view.heading)
        if view.hint:
            self.box.setAccessibleDescription(view.hint)
        options = QVBoxLayout(self.box)
        options.setContentsMargins(0, 0, 0, 0)
        options.setSpacing(16)
        self.lay.addWidget(self.box)
        self.group = QButtonGroup(self)
        self.group.setExclusive(not multiple)
        self.buttons: dict[str, QAbstractButton] = {}
        chosen = view.value if view.value is not None else ([] if multiple else "")
        self.answer = "" if multiple else str(chosen)
        for opt in view.options:
            # Where it is in the set, as a screen reader or the kiosk's own speech says it.
            place = tr("{position} of {count}", position=len(self.buttons) + 1, count=len(view.options))
            described = f"{opt.hint}. {place}" if opt.hint else place
            b: QAbstractButton
            if self.acts:
                b = answer_button(opt.label, f"option_{view.step_id}_{opt.value}", described, opt.value == chosen)
                b.clicked.connect(lambda _=False, v=opt.value: self._answer(v))
            else:
                b = WideCheckBox(opt.label) if multiple else WideRadio(opt.label)
                b.setObjectName(f"option_{view.step_id}_{opt.value}")
                b.setAccessibleName(opt.label)
                b.setAccessibleDescription(described)
                b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                b.setChecked(opt.value in chosen if multiple else opt.value == chosen)
                self.group.addButton(b)
            self.buttons[opt.value] = b
            options.addWidget(b)
            if opt.hint:
                h = label(opt.hint, "hint")
                h.setContentsMargins(0 if self.acts else 72, 0, 0, 0)
                options.addWidget(h)

    def _answer(self, value: str) -> None:
        self.answer = value
        self.submitted.emit()

    def value(self) -> Any:
        if self.acts:
            return self.answer
        picked = [v for v, b in self.buttons.items() if b.isChecked()]
        if self.multiple:
            return picked
        return picked[0] if picked else ""

    def focus_part(self, part: str) -> None:
        first = self.buttons.get(self.answer) or next(iter(self.buttons.values()), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)


class AddressField(FieldWidget):
    """Postcode first, then pick the address; or "My address is not listed" for manual entry.

    The look-up itself is the controller's job: this emits ``lookup_requested`` and is told
    the result with ``show_addresses`` or ``show_lookup_failed``.
    """

    lookup_requested = Signal(str)
    #: Addresses were found: an earlier error about the postcode no longer applies.
    lookup_succeeded = Signal()

    def __init__(self, view: StepView) -> None:
        super().__init__(view)
        value = view.value or {"mode": "select"}
        self.mode = value.get("mode", "select")
        self.candidates: list[dict[str, str]] = []
        #: The address chosen (one tap on it goes on), or the one chosen before, coming back.
        self.chosen: dict[str, Any] | None = value.get("address")
        self.address_buttons: list[QPushButton] = []

        # --- find by postcode
        self.find_box = QWidget()
        find = QVBoxLayout(self.find_box)
        find.setContentsMargins(0, 0, 0, 0)
        find.addWidget(label(tr("Postcode"), "subheading"))
        row = QHBoxLayout()
        self.postcode = text_input(f"input_{view.step_id}_postcode", tr("{part}, {question}", part=tr("Postcode"),
                                                                                   question=view.heading),
                                   "postcode", 10)
        self.postcode.setText(str(value.get("postcode", "")) if self.mode == "select" else "")
        self.postcode.returnPressed.connect(self._on_find)
        row.addWidget(self.postcode)
        self.find_button = button(tr("Find address"), "secondary", f"find_{view.step_id}",
                                  tr("Look up the addresses at this postcode"))
        self.find_button.clicked.connect(self._on_find)
        row.addWidget(self.find_button)
        row.addStretch(1)
        find.addLayout(row)
        self.status = label("", "hint", f"lookup_status_{view.step_id}")
        self.status.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # focused when results come
        self.status.hide()
        find.addWidget(self.status)
        self.list_box = QGroupBox()  # a group, to a screen reader, named by the question
        self.list_box.setFlat(True)
        self.list_box.setObjectName(f"addresses_{view.step_id}")
        self.list_box.setAccessibleName(view.heading)
        self.list_lay = QVBoxLayout(self.list_box)
        self.list_lay.setContentsMargins(0, 0, 0, 0)
        self.list_lay.setSpacing(8)
        find.addWidget(self.list_box)
        self.manual_link = button(tr("My address is not listed"), "link", f"manual_{view.step_id}",
                                  tr("Type the address yourself"))
        self.manual_link.clicked.connect(lambda: self.set_mode("manual"))
        find.addWidget(self.manual_link)
        self.lay.addWidget(self.find_box)

        # --- manual entry (GOV.UK address pattern)
        self.manual_box = QWidget()
        man = QVBoxLayout(self.manual_box)
        man.setContentsMargins(0, 0, 0, 0)
        self.manual: dict[str, QLineEdit] = {}
        for part, caption, keyboard, width in (
            ("line1", tr("Address line 1"), "text", 0),
            ("line2", tr("Address line 2 (optional)"), "text", 0),
            ("town", tr("Town or city"), "text", 20),
            ("postcode", tr("Postcode"), "postcode", 10),
        ):
            man.addWidget(label(caption))
            edit = text_input(f"input_{view.step_id}_manual_{part}", caption, keyboard, width)
            edit.setText(str(value.get(part, "")) if self.mode == "manual" else "")
            man.addWidget(edit)
            self.manual[part] = edit
        self.manual["postcode"].returnPressed.connect(self.submitted)
        self.search_link = button(tr("Find the address by postcode instead"), "link", f"search_{view.step_id}")
        self.search_link.clicked.connect(lambda: self.set_mode("select"))
        man.addWidget(self.search_link)
        self.lay.addWidget(self.manual_box)

        self.set_mode(self.mode)
        if self.mode == "select" and self.chosen:
            # Coming back to the page: show the chosen address as the one option.
            self.show_addresses([{k: str(self.chosen.get(k, "")) for k in ("uprn", "line1", "line2", "town",
                                                                             "postcode")}])

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.find_box.setVisible(mode == "select")
        self.manual_box.setVisible(mode == "manual")
        if mode == "manual":
            if not self.manual["postcode"].text():
                self.manual["postcode"].setText(self.postcode.text())
            self.manual["line1"].setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_find(self) -> None:
        self.chosen = None  # a new look-up: the answer is one of what it finds
        self.status.setText(tr("Looking up addresses…"))
        self.status.setAccessibleName(tr("Looking up addresses"))
        self.status.show()
        self.find_button.setEnabled(False)
        self.lookup_requested.emit(self.postcode.text())

    def show_addresses(self, addresses: list[dict[str, str]]) -> None:
        self.find_button.setEnabled(True)
        for b in self.address_buttons:
            b.hide()
            b.deleteLater()
        self.address_buttons = []
        self.candidates = addresses
        if not addresses:
            text = tr("We cannot find any addresses at that postcode. Check it, or choose My address is not listed.")
        else:
            text = trn("{count} address found. Select yours.", "{count} addresses found. Select yours.",
                       len(addresses))
        self.status.setText(text)
        self.status.setAccessibleName(text)
        self.status.setProperty("role", "error" if not addresses else "hint")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.show()
        if addresses:
            set_invalid(self.postcode, False)
            self.lookup_succeeded.emit()
        for i, a in enumerate(addresses):
            text_line = ", ".join(p for p in (a["line1"], a["line2"], a["town"], a["postcode"]) if p)
            chosen = bool(self.chosen and self.chosen.get("uprn") == a["uprn"])
            b = answer_button(text_line, f"address_{self.view.step_id}_{i}",
                              tr("{position} of {count}", position=i + 1, count=len(addresses)), chosen)
            b.clicked.connect(lambda _=False, found=a: self._answer(found))
            self.address_buttons.append(b)
            self.list_lay.addWidget(b)
        if addresses and not self.chosen:
            # "2 addresses found": heard first, and nothing highlighted that could look chosen.
            self.status.setFocus(Qt.FocusReason.OtherFocusReason)

    def _answer(self, address: dict[str, str]) -> None:
        self.chosen = dict(address)
        self.submitted.emit()

    def show_lookup_failed(self, message: str) -> None:
        """The look-up could not run: say so, and offer typing the address instead."""
        self.find_button.setEnabled(True)
        self.status.setText(message)
        self.status.setAccessibleName(message)
        self.status.setProperty("role", "error")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.show()

    def value(self) -> dict[str, Any]:
        if self.mode == "manual":
            return {"mode": "manual", **{k: e.text() for k, e in self.manual.items()}}
        return {"mode": "select", "postcode": self.postcode.text(), "address": self.chosen}

    def focus_part(self, part: str) -> None:
        if self.mode == "manual":
            self.manual.get(part, self.manual["line1"]).setFocus(Qt.FocusReason.OtherFocusReason)
        elif part == "address" and self.address_buttons:
            self.address_buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.postcode.setFocus(Qt.FocusReason.OtherFocusReason)

    def mark_invalid(self, part: str) -> None:
        targets = [self.manual[part]] if self.mode == "manual" and part in self.manual else (
            [self.postcode] if part == "postcode" else [])
        for edit in targets:
            set_invalid(edit)


def make_field(view: StepView) -> FieldWidget | None:
    t = view.type
    if t in (StepType.TEXT, StepType.NUMBER, StepType.EMAIL, StepType.PHONE, StepType.REFERENCE):
        return TextField(view)
    if t == StepType.LONG_TEXT:
        return LongTextField(view)
    if t == StepType.DATE:
        return DateField(view)
    if t in (StepType.CHOICE, StepType.YES_NO):
        return ChoiceField(view, multiple=False)
    if t == StepType.MULTI_CHOICE:
        return ChoiceField(view, multiple=True)
    if t == StepType.ADDRESS:
        return AddressField(view)
    return None

