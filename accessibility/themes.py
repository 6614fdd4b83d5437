"""Visual themes as data (GOV.UK palette), and the WCAG contrast maths that checks them.

Qt-free: the kiosk turns a Theme into a style sheet; tests check every pair's contrast.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Palette:
    text: str = "#0b0c0c"
    secondary_text: str = "#484949"
    background: str = "#ffffff"
    link: str = "#1d70b8"
    button: str = "#00703c"
    button_text: str = "#ffffff"
    button_pressed: str = "#005a30"
    secondary_button: str = "#f3f2f1"
    secondary_button_text: str = "#0b0c0c"
    focus: str = "#ffdd00"
    focus_text: str = "#0b0c0c"
    error: str = "#d4351c"
    panel: str = "#00703c"
    panel_text: str = "#ffffff"
    border: str = "#b1b4b6"
    input_border: str = "#0b0c0c"
    tile: str = "#f3f2f1"
    header: str = "#0b0c0c"
    header_text: str = "#ffffff"
    button_shadow: str = "#002d18"
    secondary_shadow: str = "#929191"
    input_focus: str = "#fffbe0"
    #: A focused text box's border: dark on the light page, yellow on the dark one.
    input_focus_border: str = "#0b0c0c"
    keyboard: str = "#dee0e2"
    banner: str = "#ffdd00"
    banner_text: str = "#0b0c0c"


@dataclass(frozen=True)
class Theme:
    name: str
    palette: Palette
    #: Multiplies every type size (1.0 standard, 1.5 large, 2.0 largest).
    font_scale: float = 1.0
    #: Minimum text contrast this theme promises (4.5 AA; 7 for high contrast).
    min_text_contrast: float = 4.5
    body_px: int = 24
    heading_px: int = 44
    reference_px: int = 60
    button_height_px: int = 72

    def px(self, base: int) -> int:
        return round(base * self.font_scale)


STANDARD = Theme("standard", Palette())

#: Light on dark, every text pair at least 7:1 (WCAG 1.4.6, AAA).
HIGH_CONTRAST = Palette(
    text="#ffffff", secondary_text="#e8e8e8", background="#0b0c0c", link="#ffdd00",
    button="#ffdd00", button_text="#0b0c0c", button_pressed="#ffe866", secondary_button="#2b2c2c",
    secondary_button_text="#ffffff", focus="#ffffff", focus_text="#0b0c0c", error="#ff9c8f",
    panel="#ffdd00", panel_text="#0b0c0c", border="#ffffff", input_border="#ffffff", tile="#1f2020",
    header="#000000", header_text="#ffffff", button_shadow="#ffffff", secondary_shadow="#ffffff",
    input_focus="#1f2020", input_focus_border="#ffdd00", keyboard="#1f2020", banner="#ffdd00", banner_text="#0b0c0c",
)

TEXT_SIZES = {"standard": 1.0, "large": 1.5, "largest": 2.0}
CONTRASTS = {"standard": Palette(), "high": HIGH_CONTRAST}


def theme_for(text_size: str, contrast_name: str, base: Palette | None = None) -> Theme:
    """The theme for a resident's choices; ``base`` is the site's branded standard palette."""
    palette = HIGH_CONTRAST if contrast_name == "high" else (base or Palette())
    return Theme(f"{text_size}-{contrast_name}", palette, font_scale=TEXT_SIZES[text_size],
                 min_text_contrast=7.0 if contrast_name == "high" else 4.5)


def all_themes() -> list[Theme]:
    return [theme_for(size, c) for size in TEXT_SIZES for c in CONTRASTS]


def text_pairs(p: Palette) -> list[tuple[str, str, str]]:
    """(what, foreground, background) for every text colour the kiosk draws."""
    return [
        ("body text", p.text, p.background),
        ("hint text", p.secondary_text, p.background),
        ("links", p.link, p.background),
        ("primary button", p.button_text, p.button),
        ("pressed button", p.button_text, p.button_pressed),
        ("secondary button", p.secondary_button_text, p.secondary_button),
        ("focused control", p.focus_text, p.focus),
        ("error text", p.error, p.background),
        ("confirmation panel", p.panel_text, p.panel),
        ("tile text", p.text, p.tile),
        ("top bar", p.header_text, p.header),
        ("officer banner", p.banner_text, p.banner),
        ("keyboard keys", p.text, p.background),
    ]


def ui_pairs(p: Palette) -> list[tuple[str, str, str]]:
    """Non-text UI that needs 3:1 (WCAG 1.4.11)."""
    return [
        ("input border", p.input_border, p.background),
        ("focus highlight against page", p.focus_text, p.focus),
        ("focused text box border", p.input_focus_border, p.input_focus),
        ("error border", p.error, p.background),
    ]


def _channel(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    h = colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
