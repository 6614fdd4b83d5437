"""The kiosk's one window: top bar, the current page, the keyboard, and an overlay layer."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Branding
from kiosk.views.assist import AssistPanel, OfficerBanner
from kiosk.views.icons import svg_pixmap
from kiosk.views.keyboard import OnScreenKeyboard
from kiosk.views.lessons import TasterBanner
from kiosk.views.pinpad import PinPad
from kiosk.views.text import tr
from kiosk.views.widgets import PageScroll, ScrollPage, button, label


class Overlay(QWidget):
    """A card over a dimmed screen: the resident must answer it before going on."""

    action = Signal(str)

    def __init__(self, parent: QWidget, heading: str, paragraphs: list[str],
                 actions: list[tuple[str, str, str]]) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 48, 48, 48)
        outer.addStretch(1)
        card = QFrame()
        card.setObjectName("overlay_card")
        card.setMaximumWidth(1400)
        lay = QVBoxLayout(card)
        lay.setContentsMargins(40, 40, 40, 40)
        lay.setSpacing(24)
        self.heading = label(heading, "heading", "overlay_heading")
        lay.addWidget(self.heading)
        self.texts = [label(p, "", f"overlay_text_{i}") for i, p in enumerate(paragraphs)]
        for paragraph in self.texts:
            lay.addWidget(paragraph)
        self.buttons = {}
        grid = QGridLayout()
        grid.setSpacing(16)
        columns = 2 if len(actions) > 4 else 1  # a long menu still fits the screen at 200% text
        for i, (key, text, role) in enumerate(actions):
            b = button(text, role, f"overlay_{key}")
            b.clicked.connect(lambda _=False, k=key: self.action.emit(k))
            grid.addWidget(b, i // columns, i % columns)
            self.buttons[key] = b
        lay.addLayout(grid)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        next(iter(self.buttons.values())).setFocus(Qt.FocusReason.OtherFocusReason)

    def set_heading(self, text: str) -> None:
        self.heading.setText(text)
        self.heading.setAccessibleName(text)

    def set_text(self, index: int, text: str) -> None:
        self.texts[index].setText(text)
        self.texts[index].setAccessibleName(text)


class KioskWindow(QWidget):
    start_again = Signal()
    get_help = Signal()
    staff = Signal()
    accessibility = Signal()
    repeat = Signal()
    languages = Signal()

    def __init__(self, branding: Branding) -> None:
        super().__init__()
        self.bar_buttons: list[QPushButton] = []  # style changes arrive before the bar exists
        self.setObjectName("kiosk_window")
        self.setWindowTitle(f"{branding.council_name} self-service")
        self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        self.allow_close = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)

        self.topbar = QWidget()
        self.topbar.setObjectName("topbar")
        self.topbar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        bar = QHBoxLayout(self.topbar)
        bar.setContentsMargins(32, 12, 32, 12)
        bar.setSpacing(24)
        if branding.logo is not None and branding.logo.exists():
            logo = QLabel()
            logo.setObjectName("council_logo")
            logo.setPixmap(svg_pixmap(branding.logo, 56))
            logo.setFixedSize(QSize(56, 56))
            logo.setAccessibleName(f"{branding.council_name} logo")
            bar.addWidget(logo)
        name = label(branding.council_name, "", "council_name")
        name.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(name, 1)
        self.start_again_button = button("", "bar", "start_again")
        self.help_button = button("", "bar", "get_help")
        self.staff_button = button("", "bar", "staff")
        self.accessibility_button = button("", "bar", "accessibility")
        self.start_again_button.clicked.connect(self.start_again)
        self.help_button.clicked.connect(self.get_help)
        self.staff_button.clicked.connect(self.staff)
        self.accessibility_button.clicked.connect(self.accessibility)
        self.repeat_button = button("", "bar", "repeat")
        self.retranslate()
        self.repeat_button.clicked.connect(self.repeat)
        # The buttons sit in a grid that becomes two rows when large text makes them too wide.
        self.bar_buttons = [self.repeat_button, self.accessibility_button, self.start_again_button,
                            self.help_button, self.staff_button]
        self.bar_grid = QGridLayout()
        self.bar_grid.setSpacing(16)
        bar.addLayout(self.bar_grid)
        self._bar_columns: tuple[int, tuple[int, ...]] = (0, ())
        self._layout_bar(len(self.bar_buttons))
        lay.addWidget(self.topbar)
        self.repeat_button.hide()  # shown while speech is on
        self.banner = OfficerBanner()
        lay.addWidget(self.banner)
        self.taster_banner = TasterBanner()
        lay.addWidget(self.taster_banner)

        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        self.page_scroll = PageScroll()
        self.stack.addWidget(self.page_scroll)
        self._page: QWidget | None = None
        middle = QHBoxLayout()
        middle.setContentsMargins(0, 0, 0, 0)
        middle.setSpacing(0)
        middle.addWidget(self.stack, 1)
        self.assist = AssistPanel()
        middle.addWidget(self.assist)
        lay.addLayout(middle, 1)
        self.keyboard = OnScreenKeyboard()
        lay.addWidget(self.keyboard)
        self.keyboard.shown.connect(self.taster_banner.compact)
        self.overlay: Overlay | PinPad | None = None
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._on_focus_changed)

    def retranslate(self) -> None:
        """Top bar texts in the current language (the pages are rebuilt by the controller)."""
        for b, text, description in (
                (self.start_again_button, tr("Start again"), tr("Delete your answers and go back to the start")),
                (self.help_button, tr("Get help"), tr("Ask a member of staff to help you")),
                (self.staff_button, tr("Staff"), tr("For council staff: join this session to help")),
                (self.accessibility_button, tr("Text size and language"),
                 tr("Larger text, high contrast colours, speech and language")),
                (self.repeat_button, tr("Repeat"), tr("Read this screen aloud again"))):
            b.setText(text)
            b.setAccessibleName(text)
            b.setAccessibleDescription(description)
        keyboard = getattr(self, "keyboard", None)
        if keyboard is not None:
            keyboard.retranslate()
        self.fit_top_bar()

    # ---- pages ----------------------------------------------------------------------
    @property
    def page(self) -> QWidget | None:
        return self._page

    def show_page(self, page: QWidget, top_bar: bool = True) -> None:
        """Swap in a page; the old one is destroyed, so nothing it held lingers. Scrolling pages
        go into the window's one scroll area; others fill the page area themselves."""
        self.close_overlay()
        self.keyboard.detach()
        old = self._page
        if old is not None:
            if old.parentWidget() is self.stack:
                self.stack.removeWidget(old)
            elif self.page_scroll.widget() is old:
                self.page_scroll.takeWidget()
        if isinstance(page, ScrollPage):
            self.page_scroll.show_page(page)
            self.stack.setCurrentWidget(self.page_scroll)
        else:
            self.stack.addWidget(page)
            self.stack.setCurrentWidget(page)
        self._page = page
        if old is not None:
            old.hide()
            old.deleteLater()
        self.topbar.setVisible(top_bar)
        focus = getattr(page, "focus_start", None)
        if callable(focus):
            focus()

    # ---- overlay --------------------------------------------------------------------
    def show_overlay(self, heading: str, paragraphs: list[str], actions: list[tuple[str, str, str]]) -> Overlay:
        self.close_overlay()
        self.keyboard.detach()
        self.overlay = Overlay(self, heading, paragraphs, actions)
        return self.overlay

    def show_pinpad(self, heading: str) -> PinPad:
        self.close_overlay()
        self.keyboard.detach()
        pad = PinPad(self, heading)
        self.overlay = pad
        pad.keys["1"].setFocus(Qt.FocusReason.OtherFocusReason)
        return pad

    def close_overlay(self) -> None:
        if self.overlay is not None:
            self.overlay.hide()
            self.overlay.deleteLater()
            self.overlay = None

    # ---- keyboard follows focus -----------------------------------------------------
    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if new is None or not self.isAncestorOf(new):
            return
        self.keyboard.attach(new)
        if isinstance(new, (QLineEdit, QPlainTextEdit)):
            # Keep the box in view above the keyboard.
            parent: QObject | None = new.parent()
            while parent is not None and not isinstance(parent, QScrollArea):
                parent = parent.parent()
            if isinstance(parent, QScrollArea):
                parent.ensureWidgetVisible(new, 50, 120)

    # ---- lockdown basics (the full set arrives with shared-terminal safety) ------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.allow_close:
            event.accept()
        else:
            event.ignore()

    def _layout_bar(self, columns: int) -> None:
        # Before the first layout the buttons have no parent yet (and count as hidden): place them all.
        shown = [b for b in self.bar_buttons if b.parent() is None or not b.isHidden()]
        key = (columns, tuple(id(b) for b in shown))
        if key == self._bar_columns:
            return
        self._bar_columns = key
        for b in self.bar_buttons:
            self.bar_grid.removeWidget(b)
        for i, b in enumerate(shown):  # hidden ones leave no gap
            self.bar_grid.addWidget(b, i // columns, i % columns)

    def fit_top_bar(self) -> None:
        """All the buttons in one row when they fit; else two columns; else one (long words at
        200% text on a portrait screen), so the bar never makes the window wider than the screen."""
        shown = [b for b in self.bar_buttons if not b.isHidden()]
        if not shown:
            return
        room = self.width() - 400  # the council's name keeps at least this much
        columns = 1
        for columns in (len(shown), 2, 1):
            rows = [shown[i:i + columns] for i in range(0, len(shown), columns)]
            if max(sum(b.sizeHint().width() + 16 for b in row) for row in rows) <= room:
                break
        self._layout_bar(columns)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:
            self.fit_top_bar()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_top_bar()
        if self.overlay is not None:
            self.overlay.setGeometry(self.rect())
