"""Turn a Theme into the Qt style sheet. Widgets pick their look with a ``role`` property."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from accessibility.themes import Theme

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

TICK = (Path(__file__).resolve().parent.parent / "icons" / "tick.svg").as_posix()


def style_sheet(theme: Theme) -> str:
    """One sheet for both directions: the rules for a drawn side border have a right-to-left
    twin, chosen by the widget's own ``layoutDirection``. Changing language therefore never
    re-styles the whole application (26 ms a time); only the few widgets already on the screen with
    such a border are polished again (``mirrored``)."""
    return _sheet(theme)


def mirrored(widget: QWidget) -> bool:
    """Whether the widget draws a side border, whose side follows the direction. In a
    right-to-left layout Qt mirrors the box's geometry (the space a border, padding or margin
    takes, and text-align) but draws a border where the sheet says, so the twin rules swap the
    drawn border only (swapping padding too put the text against the bar: measured)."""
    return widget.property("role") == "inset" or widget.objectName() == "assist_panel"


def _sheet(theme: Theme) -> str:
    # "A > B" where B is A's own child (a button's words, a bar's labels), not "A B": for "A B" Qt
    # walks up every ancestor of every label for each such rule on each restyle, about a seventh
    # of a text-size or contrast switch (bench.theme_switch, docs/benchmarks.md). The keyboard's
    # keys and the error summary's labels sit deeper, and keep "A B".
    p = theme.palette
    px = theme.px
    return f"""
QWidget {{ color: {p.text}; font-size: {px(theme.body_px)}px; }}
/* The page colour is painted once, by the window, not by every widget in it (a scroll area, a
   label, a column, a row: each was a fill of its own, a tenth of a page change). A frame draws
   its border only with a background of its own, so bordered frames say "transparent". */
QWidget#kiosk_window, QWidget#first_screen {{ background: {p.background}; }}
QScrollArea {{ background: transparent; }}
QWidget#topbar, QWidget#topbar > QLabel {{ background: {p.header}; color: {p.header_text}; }}
QLabel#council_name {{ font-size: {px(28)}px; font-weight: 700; }}
QLabel[role="heading"] {{ font-size: {px(theme.heading_px)}px; font-weight: 700; }}
QLabel[role="subheading"] {{ font-size: {px(32)}px; font-weight: 700; }}
QLabel[role="caption"] {{ font-size: {px(26)}px; color: {p.secondary_text}; }}
QLabel[role="hint"] {{ color: {p.secondary_text}; }}
QLabel[role="error"] {{ color: {p.error}; font-weight: 700; }}
QLabel[role="attract-title"] {{ font-size: {min(px(64), 96)}px; font-weight: 700; }}
QLabel[role="attract-text"] {{ font-size: {min(px(40), 64)}px; }}
QFrame[role="error-summary"] {{ border: 5px solid {p.error}; padding: 16px; background: transparent; }}
QFrame[role="error-summary"] QLabel {{ border: none; }}
QFrame[role="error-bar"] {{ background: {p.error}; border: none; }}
QFrame[role="panel"], QFrame[role="panel"] > QLabel {{ background: {p.panel}; color: {p.panel_text}; }}
QLabel[role="panel-title"] {{ font-size: {px(44)}px; font-weight: 700; }}
QLabel[role="reference"] {{ font-size: {px(theme.reference_px)}px; font-weight: 700; }}
QFrame[role="inset"] {{ border-left: 8px solid {p.border}; padding-left: 16px; background: transparent; }}
QFrame[role="inset"][layoutDirection="RightToLeft"] {{ border-left: 0px none; border-right: 8px solid {p.border}; }}
QFrame[role="rule"] {{ background: {p.border}; max-height: 1px; min-height: 1px; }}
QPushButton {{
    min-height: {theme.button_height_px}px; padding: 8px 24px; border: none; border-radius: 0;
    font-size: {px(theme.body_px)}px; font-weight: 700;
}}
QPushButton[role="primary"] {{ background: {p.button}; color: {p.button_text}; border-bottom: 4px solid {p.button_shadow}; }}
QPushButton[role="primary"]:pressed {{ background: {p.button_pressed}; }}
QPushButton[role="secondary"] {{ background: {p.secondary_button}; color: {p.secondary_button_text};
    border-bottom: 4px solid {p.secondary_shadow}; }}
QPushButton[role="secondary"] > QLabel {{ color: {p.secondary_button_text}; background: transparent; font-weight: 700; }}
QPushButton[role="secondary"] > QLabel[focused="true"] {{ color: {p.focus_text}; }}
QPushButton[role="bar"] {{ background: {p.header}; color: {p.header_text}; border: 3px solid {p.header_text};
    min-height: 64px; padding: 4px 20px; }}
QPushButton[role="link"] {{ background: transparent; color: {p.link}; text-decoration: underline;
    text-align: left; font-weight: 400; min-height: 48px; padding: 4px 0; }}
QPushButton[role="error-link"] {{ background: transparent; color: {p.error}; text-decoration: underline;
    text-align: left; font-weight: 700; min-height: 48px; padding: 4px 0; }}
QPushButton[role="error-link"] > QLabel {{ color: {p.error}; text-decoration: underline; font-weight: 700;
    background: transparent; }}
QPushButton[role="error-link"] > QLabel[focused="true"] {{ color: {p.focus_text}; }}
QPushButton[role="tile"] {{ background: {p.tile}; color: {p.text}; border-bottom: 4px solid {p.border};
    padding: 0; min-height: 120px; }}
QPushButton[role="tile"] > QLabel {{ background: transparent; color: {p.text}; font-size: {px(28)}px;
    font-weight: 700; }}
QPushButton[role="tile"] > QLabel[focused="true"] {{ color: {p.focus_text}; }}
QPushButton[role="answer"] {{ background: {p.background}; border: 3px solid {p.text}; min-height: 80px;
    padding: 12px 24px; }}
QPushButton[role="answer"][chosen="true"] {{ border: 6px solid {p.text}; }}
QPushButton[role="answer"] > QLabel {{ color: {p.text}; background: transparent; font-weight: 700; }}
QPushButton[role="answer"] > QLabel[focused="true"] {{ color: {p.focus_text}; }}
QPushButton[role="start"] {{ background: transparent; border: none; }}
QPushButton:focus, QPushButton[role="link"]:focus, QPushButton[role="error-link"]:focus, QPushButton[role="tile"]:focus, QPushButton[role="bar"]:focus, QPushButton[role="answer"]:focus {{
    background: {p.focus}; color: {p.focus_text}; border-bottom: 4px solid {p.focus_text}; outline: none;
}}
QPushButton[role="start"]:focus {{ background: transparent; border: 8px solid {p.focus}; }}
QPushButton[role="start"] > QLabel {{ background: transparent; }}
QPushButton[role="link"] > QLabel {{ color: {p.link}; text-decoration: underline; background: transparent; }}
QPushButton[role="link"] > QLabel[focused="true"] {{ color: {p.focus_text}; }}
QLineEdit, QPlainTextEdit {{
    border: 3px solid {p.input_border}; padding: 8px; min-height: 48px; background: {p.background};
    font-size: {px(theme.body_px)}px; selection-background-color: {p.link};
}}
QLineEdit:focus, QPlainTextEdit:focus {{ border: 4px solid {p.input_focus_border}; background: {p.input_focus}; }}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"] {{ border: 4px solid {p.error}; }}
QRadioButton, QCheckBox {{ min-height: 64px; spacing: 20px; padding: 4px 8px; border: 3px solid transparent; }}
QRadioButton::indicator, QCheckBox::indicator {{ width: {px(40)}px; height: {px(40)}px;
    border: 3px solid {p.text}; background: {p.background}; }}
QRadioButton::indicator {{ border-radius: {px(40) // 2 + 3}px; }}
QRadioButton::indicator:checked {{ background: qradialgradient(cx:0.5, cy:0.5, radius:0.5, fx:0.5, fy:0.5,
    stop:0 {p.text}, stop:0.55 {p.text}, stop:0.6 {p.background}, stop:1 {p.background}); }}
QCheckBox::indicator:checked {{ image: url({TICK}); }}
QRadioButton > QLabel, QCheckBox > QLabel {{ color: {p.text}; background: transparent; }}
QRadioButton:focus, QCheckBox:focus {{ background: {p.focus}; color: {p.focus_text};
    border: 3px solid {p.focus_text}; }}
QRadioButton > QLabel[focused="true"], QCheckBox > QLabel[focused="true"] {{ color: {p.focus_text}; }}
QScrollArea {{ border: none; }}
QGroupBox {{ border: none; margin: 0; padding: 0; }}
QWidget#action_slot {{ background: {p.background}; border-top: 3px solid {p.border}; }}
QWidget#action_bar {{ background: transparent; }}
QWidget#action_bar > QPushButton[role="primary"] {{ min-width: 400px; }}
QPushButton[role="more"] {{ background: {p.text}; color: {p.background}; border: 3px solid {p.background};
    min-height: 56px; padding: 8px 28px; font-size: {px(24)}px; font-weight: 700; }}
QScrollBar:vertical {{ width: 24px; background: {p.tile}; }}
QScrollBar::handle:vertical {{ background: {p.secondary_text}; min-height: 64px; }}
QWidget#keyboard {{ background: {p.keyboard}; }}
QWidget#keyboard QPushButton {{ background: {p.background}; color: {p.text}; border: 2px solid {p.border};
    min-height: {min(max(64, px(56)), 80)}px; min-width: 64px; padding: 0 8px; font-size: {min(px(26), 38)}px; }}
QWidget#keyboard QPushButton:pressed {{ background: {p.focus}; }}
QWidget#keyboard QPushButton[role="key-wide"] {{ background: {p.secondary_button}; }}
QWidget#overlay {{ background: rgba(11, 12, 12, 180); }}
QScrollArea#overlay_scroll, QWidget#overlay_holder {{ background: transparent; }}
QFrame#overlay_card {{ background: {p.background}; border: 6px solid {p.text}; }}
QLabel#officer_banner {{ background: {p.banner}; color: {p.banner_text}; font-weight: 700; padding: 12px 32px; }}
QFrame#taster_banner, QFrame#taster_banner > QLabel {{ background: {p.banner}; color: {p.banner_text}; font-weight: 700; }}
QScrollArea#assist_panel {{ border-left: 6px solid {p.text}; }}
QScrollArea#assist_panel[layoutDirection="RightToLeft"] {{ border-left: 0px none; border-right: 6px solid {p.text}; }}
QPushButton[chosen="true"] {{ border: 5px solid {p.text}; }}
"""
