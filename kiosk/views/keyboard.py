"""A basic in-app keyboard, so every text box can be filled by touch.

It types into whichever box has focus, with the layout the box asks for (its ``keyboard``
property). Keys never take focus. It works the same on xcb, wayland and offscreen, so tests
can type through it. Letters follow the resident's language (Polish letters; Arabic and Urdu
script), and every key has a spoken name for explore-by-touch.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.app_events import watch
from kiosk.views.text import tr
from kiosk.workflows.i18n import N_

LETTER_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
LAYOUTS: dict[str, list[list[str]]] = {
    "text": [list("1234567890"), *[list(r) for r in LETTER_ROWS], ["'", "-", ",", ".", "/", "&"]],
    "email": [list("1234567890"), *[list(r) for r in LETTER_ROWS], ["@", ".", "-", "_", ".com", ".co.uk"]],
    "postcode": [list("1234567890"), *[list(r.upper()) for r in LETTER_ROWS]],
    "numeric": [list("123"), list("456"), list("789"), ["0"]],
    "phone": [list("123"), list("456"), list("789"), ["+", "0"]],
}
#: Letters a language adds to the Latin layout of text boxes.
EXTRA_LETTERS: dict[str, str] = {"pl": "ąćęłńóśźż"}
#: Languages with their own script: the letter rows of text boxes, switched with the script key.
SCRIPTS: dict[str, list[str]] = {
    "ar": ["ضصثقفغعهخحج", "شسيبلاتنمكط", "ئءؤرىةوزظدذ", "أإآ"],
    "ur": ["طصھدٹپتبجح", "مورنلہاکیگ", "قفےسشغعچخژ", "ضظذثڑںءئۓز"],
}
#: The script key's label: the script's own name, and "ABC" to come back.
SCRIPT_NAMES: dict[str, str] = {"ar": "عربي", "ur": "اردو"}

SPOKEN = {"'": N_("apostrophe"), "-": N_("hyphen"), ",": N_("comma"), ".": N_("full stop"), "/": N_("slash"),
          "&": N_("and sign"), "@": N_("at sign"), "_": N_("underscore"), "+": N_("plus")}


class OnScreenKeyboard(QWidget):
    #: The resident pressed the "Enter" key: the page treats it like Continue.
    enter_pressed = Signal()
    #: Shown (True) or hidden (False): the window makes room for it.
    shown = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("keyboard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAccessibleName(tr("On-screen keyboard"))
        self.target: QLineEdit | QPlainTextEdit | None = None
        self.layout_name = ""
        self.shift = False
        #: The keyboard of the resident's language (see EXTRA_LETTERS and SCRIPTS), and whether
        #: its own script is showing instead of the Latin letters.
        self.language = "latin"
        self.native = False
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(16, 12, 16, 12)
        self._rows.setSpacing(8)
        self.keys: dict[str, QPushButton] = {}
        #: A finger is down on a control outside the keyboard: hide only once it lifts, so the
        #: screen does not move under the finger and the tap presses what it touched.
        self._hide_on_release = False
        app = QApplication.instance()
        if app is not None:
            watch(app, self, (QEvent.Type.MouseButtonRelease,))
        self.hide()

    # ---- which box we type into -----------------------------------------------------
    def attach(self, widget: QWidget | None) -> None:
        if isinstance(widget, (QLineEdit, QPlainTextEdit)) and not widget.isReadOnly():
            self.target = widget
            wanted = str(widget.property("keyboard") or "text")
            if wanted not in LAYOUTS:
                wanted = "text"
            if wanted != self.layout_name:
                self._build(wanted)
            if self.isHidden():
                self.shown.emit(True)  # before showing: Qt lays the window out as the keyboard appears
            self.show()
        elif widget is not None and not self.isAncestorOf(widget):
            if QApplication.mouseButtons() != Qt.MouseButton.NoButton and self.isVisible():
                self._hide_on_release = True
            else:
                self.detach()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self._hide_on_release and event.type() == QEvent.Type.MouseButtonRelease:
            self._hide_on_release = False
            # After this release has reached the control it lifted from (its click runs first).
            QTimer.singleShot(0, self, self._hide_unless_typing)
        return False

    def _hide_unless_typing(self) -> None:
        focused = QApplication.focusWidget()
        if not (isinstance(focused, (QLineEdit, QPlainTextEdit)) and focused is self.target):
            self.detach()

    def set_language(self, language: str) -> None:
        if language != self.language:
            self.language = language
            self.native = False
            if self.layout_name:
                self._build(self.layout_name)

    def retranslate(self) -> None:
        """The language changed: rebuild the keys with the new names (and letters)."""
        self.setAccessibleName(tr("On-screen keyboard"))
        if self.layout_name:
            self._build(self.layout_name)

    def detach(self) -> None:
        self._hide_on_release = False
        self.target = None
        self.shift = False
        self.hide()

    # ---- building -----------------------------------------------------------------
    def _build(self, name: str) -> None:
        while self._rows.count():
            item = self._rows.takeAt(0)
            holder = item.widget() if item is not None else None
            if holder is not None:  # a row kept left to right (digits), keys and all
                holder.hide()
                holder.deleteLater()
                continue
            row = item.layout() if item is not None else None
            while row is not None and row.count():
                taken = row.takeAt(0)
                w = taken.widget() if taken is not None else None
                if w is not None:
                    w.deleteLater()
        self.keys.clear()
        self.layout_name = name
        rows = [list(r) for r in LAYOUTS[name]]
        if name == "text" and self.language in SCRIPTS and self.native:
            rows = [rows[0], *[list(r) for r in SCRIPTS[self.language]], rows[-1]]
        elif name == "text" and self.language in EXTRA_LETTERS:
            rows.insert(len(rows) - 1, list(EXTRA_LETTERS[self.language]))
        for r, keys in enumerate(rows):
            line = QHBoxLayout()
            line.setSpacing(8)
            line.addStretch(1)
            if name in ("text", "email") and r == 3 and not self.native:
                line.addWidget(self._key(tr("Shift"), "shift", tr("Shift: next letter in capitals"), wide=True))
            for k in keys:
                spoken = tr(SPOKEN[k]) if k in SPOKEN else tr("Letter {letter}", letter=k) if k.isalpha() else k
                line.addWidget(self._key(k, k, spoken))
            if r == len(rows) - 1:
                line.addWidget(self._key(tr("⌫ Delete"), "backspace", tr("Delete the last character"), wide=True))
            line.addStretch(1)
            if name in ("numeric", "phone") or all(k.isdigit() for k in keys):
                # Digits go 1 2 3 in every language, Arabic and Urdu included: never mirrored.
                holder = QWidget()
                holder.setObjectName("digit_row")
                holder.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
                line.setContentsMargins(0, 0, 0, 0)
                holder.setLayout(line)
                self._rows.addWidget(holder)
            else:
                self._rows.addLayout(line)
        bottom = QHBoxLayout()
        bottom.setSpacing(8)
        bottom.addStretch(1)
        if name == "text" and self.language in SCRIPTS:
            label = "ABC" if self.native else SCRIPT_NAMES[self.language]
            bottom.addWidget(self._key(label, "script", tr("Switch between English letters and {script}",
                                                           script=SCRIPT_NAMES[self.language]), wide=True))
        if name in ("text", "email", "postcode", "phone"):
            space = self._key(tr("Space"), "space", tr("Space"), wide=True)
            space.setMinimumWidth(360)
            bottom.addWidget(space)
        bottom.addWidget(self._key(tr("Enter"), "enter", tr("Enter: go on to the next step"), wide=True))
        bottom.addWidget(self._key(tr("Hide keyboard"), "hide", tr("Hide the keyboard"), wide=True))
        bottom.addStretch(1)
        self._rows.addLayout(bottom)

    def _key(self, text: str, key: str, spoken: str, wide: bool = False) -> QPushButton:
        b = QPushButton(text.replace("&", "&&"))  # a lone "&" is a mnemonic marker, drawn as nothing
        b.setObjectName(f"key_{key}")
        b.setAccessibleName(spoken)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.setAutoRepeat(key == "backspace")
        if wide:
            b.setProperty("role", "key-wide")
        b.clicked.connect(lambda _=False, k=key: self.press(k))
        self.keys[key] = b
        return b

    # ---- typing -------------------------------------------------------------------
    def press(self, key: str) -> None:
        target = self.target
        if key == "hide":
            self.detach()
            return
        if key == "shift":
            self.shift = not self.shift
            return
        if key == "script":
            self.native = not self.native
            self._build(self.layout_name)
            return
        if key == "enter":
            if isinstance(target, QLineEdit):
                target.returnPressed.emit()
            else:
                self.enter_pressed.emit()
            return
        if target is None:
            return
        if key == "backspace":
            if isinstance(target, QLineEdit):
                target.backspace()
            else:
                target.textCursor().deletePreviousChar()
            return
        text = " " if key == "space" else key
        if self.shift and len(text) == 1:
            text = text.upper()
            self.shift = False
        if isinstance(target, QLineEdit):
            target.insert(text)
        else:
            target.insertPlainText(text)

    def type_text(self, text: str) -> None:
        """Press the keys that spell ``text`` (tests and demos use this)."""
        for ch in text:
            if ch == " ":
                self.keys["space"].click()
            elif ch.isupper() and ch.lower() in self.keys and self.layout_name != "postcode":
                self.keys["shift"].click()
                self.keys[ch.lower()].click()
            else:
                self.keys[ch].click()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.shown.emit(False)
