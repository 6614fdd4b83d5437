"""A basic in-app keyboard, so every text box can be filled by touch.

It types into whichever box has focus, with the layout the box asks for (its ``keyboard``
property). Keys never take focus. It works the same on xcb, wayland and offscreen, so tests
can type through it. Letters follow the resident's language (Polish letters; Arabic and Urdu
script), and every key has a spoken name for explore-by-touch.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.app_events import watch
from kiosk.views.text import tr
from kiosk.workflows.placeholders import N_

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

#: Boards kept built (each layout in each keyboard language, Latin or native script): showing
#: one already built takes a few milliseconds, building one tens.
KEEP_BOARDS = 8

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
        # Built boards sit here, all hidden but the current one: a hidden widget takes no room,
        # so the keyboard is as tall as the board showing (a stacked layout takes the tallest).
        self._boards = QVBoxLayout(self)
        self._boards.setContentsMargins(16, 12, 16, 12)
        #: Built boards, the most recently shown last: (layout, language, native) -> board.
        self._built: dict[tuple[str, str, bool], _Board] = {}
        # Boards set aside have no parent: they go with the keyboard, not whenever Python collects it.
        self.destroyed.connect(lambda _=None, built=self._built: _delete_boards(built))
        #: Goes up when the screen's language changes: a board built before says its keys again.
        self._wording = 0
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
        """The language changed: the keys say their names in it (boards are re-worded as shown)."""
        self.setAccessibleName(tr("On-screen keyboard"))
        self._wording += 1
        if self.layout_name:
            self._build(self.layout_name)

    def detach(self) -> None:
        self._hide_on_release = False
        self.target = None
        self.shift = False
        self.hide()

    # ---- building -----------------------------------------------------------------
    def set_aside_hidden(self) -> None:
        """Before the window's style sheet changes (text size, contrast): the boards not showing
        leave the window, so Qt does not restyle their keys (50 or so a board) while no one sees
        them. Each is styled as it comes back, the next time its layout is wanted."""
        for board in self._built.values():
            if board.isHidden() and board.parentWidget() is self:
                self._boards.removeWidget(board)
                board.setParent(None)

    def _build(self, name: str) -> None:
        """Show the board for this layout, language and script: built once, then reused."""
        wanted = (name, self.language, self.native)
        board = self._built.pop(wanted, None)
        if board is None:
            board = self._make_board(name)
        if board.parentWidget() is not self:  # new, or set aside while the window was restyled
            board.hide()
            self._boards.addWidget(board)
        self._built[wanted] = board  # now the most recently used
        if board.wording != self._wording:
            board.reword(self._wording)
        for other in self._built.values():
            if other is not board:
                other.hide()
        board.show()
        self.keys = board.keys
        self.layout_name = name
        while len(self._built) > KEEP_BOARDS:
            oldest = self._built.pop(next(iter(self._built)))
            if oldest.parentWidget() is self:
                self._boards.removeWidget(oldest)
            oldest.deleteLater()

    def _make_board(self, name: str) -> _Board:
        board = _Board(self._wording)
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
                line.addWidget(self._key(board, N_("Shift"), "shift", N_("Shift: next letter in capitals"), wide=True))
            for k in keys:
                line.addWidget(self._key(board, k, k, SPOKEN.get(k, N_("Letter {letter}") if k.isalpha() else "")))
            if r == len(rows) - 1:
                line.addWidget(self._key(board, N_("⌫ Delete"), "backspace", N_("Delete the last character"),
                                         wide=True))
            line.addStretch(1)
            board.rows.addLayout(line)
        bottom = QHBoxLayout()
        bottom.setSpacing(8)
        bottom.addStretch(1)
        if name == "text" and self.language in SCRIPTS:
            script = SCRIPT_NAMES[self.language]
            bottom.addWidget(self._key(board, "ABC" if self.native else script, "script",
                                       N_("Switch between English letters and {script}"), wide=True, script=script))
        if name in ("text", "email", "postcode", "phone"):
            space = self._key(board, N_("Space"), "space", N_("Space"), wide=True)
            space.setMinimumWidth(360)
            bottom.addWidget(space)
        bottom.addWidget(self._key(board, N_("Enter"), "enter", N_("Enter: go on to the next step"), wide=True))
        bottom.addWidget(self._key(board, N_("Hide keyboard"), "hide", N_("Hide the keyboard"), wide=True))
        bottom.addStretch(1)
        board.rows.addLayout(bottom)
        board.reword(self._wording)
        return board

    def _key(self, board: _Board, text: str, key: str, spoken: str, wide: bool = False, **values: str) -> QPushButton:
        """A key; `text` and `spoken` are English, put into the screen's language by the board."""
        b = QPushButton()
        b.setObjectName(f"key_{key}")
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.setAutoRepeat(key == "backspace")
        if wide:
            b.setProperty("role", "key-wide")
        b.clicked.connect(lambda _=False, k=key: self.press(k))
        board.keys[key] = b
        board.words.append((b, text if wide and key not in ("script",) else "", text, spoken, values))
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


def _delete_boards(built: dict[tuple[str, str, bool], _Board]) -> None:
    for board in built.values():
        if shiboken6.isValid(board) and board.parentWidget() is None:  # set aside; the rest go with the keyboard
            board.deleteLater()
    built.clear()


class _Board(QWidget):
    """One built layout: its keys by name, and what each says, to put into the screen's language."""

    def __init__(self, wording: int) -> None:
        super().__init__()
        # Keys sit where they do on a keyboard in every language, never mirrored: digits 1 2 3,
        # Q (and in Arabic ض, on the same key) at the left, Delete and Enter at the right.
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(8)
        self.keys: dict[str, QPushButton] = {}
        #: (key, English label to translate or "" to show as it is, label, English spoken name, values)
        self.words: list[tuple[QPushButton, str, str, str, dict[str, str]]] = []
        self.wording = wording

    def reword(self, wording: int) -> None:
        for b, translated, label, spoken, values in self.words:
            text = tr(translated) if translated else label
            b.setText(text.replace("&", "&&"))  # a lone "&" is a mnemonic marker, drawn as nothing
            b.setAccessibleName(tr(spoken, letter=label, **values) if spoken else label)
        self.wording = wording
