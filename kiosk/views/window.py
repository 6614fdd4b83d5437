"""The kiosk's one window: top bar, the current page, the keyboard, and an overlay layer."""

from __future__ import annotations

import itertools

import shiboken6
from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.app_events import cover
from kiosk.config import Branding
from kiosk.views.assist import AssistPanel, OfficerBanner
from kiosk.views.icons import svg_pixmap
from kiosk.views.keyboard import OnScreenKeyboard
from kiosk.views.lessons import TasterBanner
from kiosk.views.pinpad import PinPad
from kiosk.views.scrolling import PageScroll, ScrollPage, scroll_area_of, see_through_content
from kiosk.views.text import tr
from kiosk.views.widgets import button, label, lead_with_layout, set_margins_by_direction


class Overlay(QWidget):
    """A card over a dimmed screen: the resident must answer it before going on."""

    action = Signal(str)

    def __init__(self, parent: QWidget, heading: str, paragraphs: list[str],
                 actions: list[tuple[str, str, str]],
                 groups: list[tuple[str, list[tuple[str, str, str]]]] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # The card sits in a scroll area of its own (no kinetic gesture: one is grabbed per
        # scroll area and never freed), so at the largest text a long card scrolls instead of
        # squeezing its words; "More below" shows when it does not all fit.
        frame = QVBoxLayout(self)
        frame.setContentsMargins(24, 24, 24, 24)
        self.card_scroll = QScrollArea()
        self.card_scroll.setObjectName("overlay_scroll")
        self.card_scroll.setWidgetResizable(True)
        self.card_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.card_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.card_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        frame.addWidget(self.card_scroll)
        holder = QWidget()
        holder.setObjectName("overlay_holder")
        outer = QVBoxLayout(holder)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(1)
        card = QFrame()
        card.setObjectName("overlay_card")
        card.setMaximumWidth(1400)
        lay = QVBoxLayout(card)
        lay.setContentsMargins(40, 40, 40, 40)
        lay.setSpacing(24)
        self.heading = label(heading, "heading", "overlay_heading")
        self.heading.setAccessibleDescription(" ".join(paragraphs))
        lay.addWidget(self.heading)
        self.texts = [label(p, "", f"overlay_text_{i}") for i, p in enumerate(paragraphs)]
        for paragraph in self.texts:
            lay.addWidget(paragraph)
        self.buttons: dict[str, QPushButton] = {}
        #: Each group's box, by title: a screen reader hears the title with each choice in it.
        self.groups: dict[str, QFrame] = {}
        for title, members in groups or []:
            box = QFrame()
            box.setObjectName("overlay_group")
            box.setAccessibleName(title)
            inner = QVBoxLayout(box)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.setSpacing(12)
            inner.addWidget(label(title, "subheading", f"group_{len(self.groups)}"))
            inner.addLayout(self._grid(members, 3 if len(members) > 2 else 2, title))
            lay.addWidget(box)
            self.groups[title] = box
        lay.addLayout(self._grid(actions, 2 if len(actions) > 4 else 1))
        # Centred by stretches, not an alignment flag: with a flag Qt sizes the card by its size
        # hint and ignores height-for-width, so a heading that wraps later ("We could not call a
        # member of staff") was cut off.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 100)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        see_through_content(self.card_scroll, holder)  # over the dimmed screen
        self.more = button(tr("More below ▾"), "more", "overlay_more", tr("Show the rest of this page"))
        self.more.setAccessibleName(tr("More below"))
        self.more.setParent(self)
        self.more.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.more.clicked.connect(self._scroll_on)
        bar = self.card_scroll.verticalScrollBar()
        bar.rangeChanged.connect(self._place_more)
        bar.valueChanged.connect(self._place_more)
        self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        # A confirmation starts on its safe answer: Enter, a stray tap or a keypad press must
        # never delete a resident's answers by default.
        (self.buttons.get("cancel") or next(iter(self.buttons.values()))).setFocus(Qt.FocusReason.OtherFocusReason)

    def _scroll_on(self) -> None:
        bar = self.card_scroll.verticalScrollBar()
        bar.setValue(bar.value() + round(self.card_scroll.viewport().height() * 0.7))

    def _place_more(self) -> None:
        bar = self.card_scroll.verticalScrollBar()
        more = bar.value() < bar.maximum() - 8
        self.more.setVisible(more)
        if more:
            hint = self.more.sizeHint()
            self.more.setGeometry(self.width() - hint.width() - 48, self.height() - hint.height() - 40,
                                  hint.width(), hint.height())
            self.more.raise_()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_more()

    def _grid(self, actions: list[tuple[str, str, str]], columns: int, group: str = "") -> QGridLayout:
        """Buttons in rows of ``columns`` (a long menu still fits the screen at 200% text)."""
        grid = QGridLayout()
        grid.setSpacing(16)
        for i, (key, text, role) in enumerate(actions):
            b = button(text, role, f"overlay_{key}")
            if group:
                b.setAccessibleDescription(group)
            b.clicked.connect(lambda _=False, k=key: self.action.emit(k))
            grid.addWidget(b, i // columns, i % columns)
            self.buttons[key] = b
        for c in range(columns):
            grid.setColumnStretch(c, 1)
        return grid

    def mark_chosen(self, chosen: set[str], said: str, not_choices: tuple[str, ...] = ("close",)) -> None:
        """Show, and tell a screen reader, which choices are on: a tick, a heavy border, and the
        button's checked state ("selected"). ``not_choices`` are buttons that only go somewhere."""
        for key, b in self.buttons.items():
            if key in not_choices:
                continue
            on = key in chosen
            b.setCheckable(True)
            b.setChecked(on)
            b.setProperty("chosen", "true" if on else "false")
            words = b.accessibleName().removeprefix("✓ ")
            b.setText(f"✓ {words}" if on else words)
            b.setAccessibleName(words)
            group = b.accessibleDescription().split(". ")[0]
            b.setAccessibleDescription(f"{group}. {said}" if on and group else said if on else group)
            b.style().unpolish(b)
            b.style().polish(b)

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
        # The content never sets the window's size: the window is the screen (fit_screen).
        lay.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
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
        # The current page's action bar: under the scrolling part, above the keyboard, always in view.
        self.action_slot = QWidget()
        self.action_slot.setObjectName("action_slot")
        self.action_slot.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._slot = QHBoxLayout(self.action_slot)
        self._mirror_slot()
        self._slot.setSpacing(0)
        self.more_button = button("", "more", "more_below")
        self.more_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys move through the page itself
        self.more_button.clicked.connect(self.page_scroll.scroll_on)
        self._slot.addStretch(1)
        self._slot.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.more_button.hide()
        self.page_scroll.more.connect(self._show_more)
        self.action_slot.hide()
        page_area = QVBoxLayout()
        page_area.setContentsMargins(0, 0, 0, 0)
        page_area.setSpacing(0)
        page_area.addWidget(self.stack, 1)
        page_area.addWidget(self.action_slot)
        middle = QHBoxLayout()
        middle.setContentsMargins(0, 0, 0, 0)
        middle.setSpacing(0)
        middle.addLayout(page_area, 1)
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
        self.retranslate()  # again, now that every part of the window exists

    def restyle(self, sheet: str) -> None:
        """The theme's style sheet (text size, contrast), the window's own: the keyboard's hidden
        boards are set aside first, and styled when next shown."""
        self.keyboard.set_aside_hidden()
        self.setStyleSheet(sheet)

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
        more = getattr(self, "more_button", None)
        if more is not None:
            more.setText(tr("More below ▾"))
            more.setAccessibleName(tr("More below"))
            more.setAccessibleDescription(tr("Show the rest of this page"))
        for lab in self.findChildren(QLabel):  # the direction may have changed with the language
            lead_with_layout(lab)
        self.fit_top_bar()

    # ---- pages ----------------------------------------------------------------------
    @property
    def page(self) -> QWidget | None:
        return self._page

    def show_page(self, page: QWidget, top_bar: bool = True) -> None:
        """Swap in a page; the old one is destroyed, so nothing it held lingers. Scrolling pages
        go into the window's one scroll area; others fill the page area themselves.

        The new page is in and has the focus before the old one is hidden: hiding the widget
        with the focus (Continue, say) would first pass it on along the chain, to a button in
        the top bar, which the window would redraw and a screen reader announce, for nothing."""
        self.close_overlay()
        self.keyboard.detach()
        old = self._page
        if old is not None:  # out of the layouts, not yet hidden: it is under the new one
            if self.page_scroll.page() is old:
                self.page_scroll.take_page()
            if isinstance(old, ScrollPage):
                self._slot.removeWidget(old.action_bar)
        if isinstance(page, ScrollPage):
            if page.actions_row.count():
                self._slot.insertWidget(0, page.action_bar, 1)
                page.action_bar.show()
            self.page_scroll.show_page(page)
            self.stack.setCurrentWidget(self.page_scroll)
        else:
            self.stack.addWidget(page)
            self.stack.setCurrentWidget(page)
        self._page = page
        self._order_tabs(page)
        focus = getattr(page, "focus_start", None)
        if callable(focus):
            focus()
        if old is not None:
            if old.parentWidget() is self.stack:
                self.stack.removeWidget(old)
            old.hide()
            bar = old.action_bar if isinstance(old, ScrollPage) else None
            if bar is not None:
                bar.hide()
            # Deleted once the new page has been drawn: deleting a page's widgets takes a few
            # milliseconds, and a deferred delete would run before the paint (it is posted at a
            # higher priority than the window's update). Nothing of it is on the screen meanwhile.
            # (Its action bar stays where it is until then: moved, it would be styled again.)
            for gone in (old, bar):
                if gone is not None:
                    QTimer.singleShot(1, gone, gone.deleteLater)
        self._show_more(isinstance(page, ScrollPage) and self.page_scroll.has_more)
        self.topbar.setVisible(top_bar)
        self._settle()
        focused = QApplication.focusWidget()
        if focused is not None and page.isAncestorOf(focused):
            self._keep_in_view(focused)  # again: the action bar may have come or gone since

    def _settle(self) -> None:
        """Lay the window out now, before its next frame: whether there is "More below" (and so
        whether a page without actions has an action bar) is known only once the new page is laid
        out, and the scroll area then says so (``PageScroll.more``, to ``_show_more``). Left to Qt,
        that came after the first frame: the new page was drawn with the old page's bar, then
        laid out and drawn again (tests/test_page_change.py)."""
        for _ in range(3):  # the bar shown or hidden asks for one more layout, at most twice
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def park_page(self, page: ScrollPage) -> None:
        """Keep a page built ahead of time where it will show, hidden, styled and laid out
        (kiosk/flows/ahead.py); show_page shows it. Its action bar waits in the action slot."""
        self.page_scroll.park(page)
        page.action_bar.setParent(self.action_slot)
        page.action_bar.hide()
        page.action_bar.ensurePolished()

    def discard_parked(self, page: ScrollPage) -> None:
        """Delete a page parked by park_page that will not be shown, its action bar with it."""
        if shiboken6.isValid(page):
            page.action_bar.deleteLater()
            page.deleteLater()

    # ---- overlay --------------------------------------------------------------------
    def show_overlay(self, heading: str, paragraphs: list[str], actions: list[tuple[str, str, str]],
                     groups: list[tuple[str, list[tuple[str, str, str]]]] | None = None) -> Overlay:
        self.close_overlay()
        self.keyboard.detach()
        self.overlay = Overlay(self, heading, paragraphs, actions, groups)
        return self.overlay

    def show_pinpad(self, heading: str) -> PinPad:
        self.close_overlay()
        self.keyboard.detach()
        pad = PinPad(self, heading)
        self.overlay = pad
        pad.keys["1"].setFocus(Qt.FocusReason.OtherFocusReason)
        return pad

    def _order_tabs(self, page: QWidget) -> None:
        """Tab (and the keypad) go through the page first, then its action bar, then the top
        bar: the question before "Start again", the address list straight on to Continue."""
        def chain(root: QWidget) -> list[QWidget]:
            return [w for w in root.findChildren(QWidget) if w.focusPolicy() & Qt.FocusPolicy.TabFocus
                    and not isinstance(w, QScrollArea)]
        parts = chain(page)
        if isinstance(page, ScrollPage):
            parts += chain(page.action_bar)
        parts += list(self.bar_buttons)
        for a, b in itertools.pairwise(parts):
            QWidget.setTabOrder(a, b)

    def fit_screen(self) -> None:
        """Exactly the screen, whatever the text size, language or page: content wraps, stacks
        and scrolls inside it, and no minimum size can push the window past the screen's edges."""
        screen = self.screen()
        if screen is None:
            return
        self.setMaximumSize(screen.size())
        self.setGeometry(screen.geometry())

    def _show_more(self, more: bool) -> None:
        """The action bar shows while the page has actions, or there is more of it below."""
        page = self._page
        has_actions = isinstance(page, ScrollPage) and page.actions_row.count() > 0
        self.more_button.setVisible(more and isinstance(page, ScrollPage))
        self.action_slot.setVisible(isinstance(page, ScrollPage) and (has_actions or more))

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
        self._keep_in_view(new)

    def _keep_in_view(self, box: QWidget | None) -> None:
        """A text box with the focus is scrolled into view above the keyboard and the action bar,
        once the window is laid out with them: worked out before the keyboard came up, the page
        area was still its full height, and the box ended up under the action bar."""
        if not isinstance(box, (QLineEdit, QPlainTextEdit)):
            return
        area = scroll_area_of(box)
        if area is not None:
            self._settle()
            area.ensureWidgetVisible(box, 50, 120)

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
            if max(sum(self._bar_width(b) + 16 for b in row) for row in rows) <= room:
                break
        self._layout_bar(columns)

    @staticmethod
    def _bar_width(b: QPushButton) -> int:
        """A bar button's width from its font now (its size hint can lag a text size change)."""
        b.ensurePolished()
        return max(b.sizeHint().width(), b.fontMetrics().horizontalAdvance(b.text()) + 52)

    def _mirror_slot(self) -> None:
        """"More below" keeps its gap from the screen's edge on the right in English and on the
        left in Arabic or Urdu: a layout's margins are not mirrored with its contents, and it was
        drawn touching the screen's edge."""
        set_margins_by_direction(self._slot, self, 0, 0, 24, 0)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LayoutDirectionChange:
            self._mirror_slot()
        if event.type() == QEvent.Type.StyleChange:
            self.fit_top_bar()
            # Again once the buttons themselves have their new fonts (they are styled after us).
            QTimer.singleShot(0, self, self.fit_top_bar)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        cover(self)  # the input watchers see what reaches this window (kiosk/app_events.py)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_top_bar()
        if self.overlay is not None:
            self.overlay.setGeometry(self.rect())
