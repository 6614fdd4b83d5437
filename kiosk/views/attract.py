"""The attract (and closed) screen, shown between residents. It is the first thing the kiosk
paints, before the rest is loaded (kiosk/boot.py), so it imports only Qt and the light view
helpers: no catalogs, no journeys, no hub client."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.views.text import tr
from kiosk.views.widgets import WrappingButton, label


class AttractPage(QWidget):
    """Shown between residents: the whole screen is one big 'start' target, with the site's
    messages (opening hours, "do it online" promotions) taking turns under the invitation."""

    start = Signal()

    def __init__(self, council_name: str, messages: list[str] | None = None, rotate_ms: int = 8000,
                 closed_hours: list[str] | None = None, languages: list[str] | None = None) -> None:
        super().__init__()
        closed = closed_hours is not None
        self.setObjectName("closed_page" if closed else "attract_page")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.target = QPushButton()
        self.target.setObjectName("attract_start")
        self.target.setProperty("role", "start")
        self.target.setAccessibleName(tr("This kiosk is closed") if closed else tr("Touch the screen to start"))
        self.target.setAccessibleDescription(tr("{council} self-service. Report, book, apply and check here.",
                                                council=council_name))
        self.target.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        inner = QVBoxLayout(self.target)
        # Little above and below: the stretches place the words anyway, and at the largest text
        # in Arabic or Urdu with a message, on a landscape screen, every pixel is needed (Noto
        # Naskh Arabic's lines are 1.7 times its size; the screen drive found them squeezed).
        inner.setContentsMargins(80, 8, 80, 8)
        inner.addStretch(2)
        lines = [(council_name, "attract-title", "attract_title")]
        if closed:
            lines += [(tr("This kiosk is closed"), "attract-title", "closed_title"),
                      (tr("Opening hours"), "attract-text", "hours_title")]
            lines += [(h, "attract-text", f"hours_{i}") for i, h in enumerate(closed_hours or [])]
        else:
            lines += [(tr("Report, book, apply and check"), "attract-text", "attract_subtitle"),
                      (tr("Touch the screen to start"), "attract-title", "attract_invitation"),
                      (tr("Staff are here to help if you need them"), "attract-text", "attract_help")]
        for text, role, name in lines:
            lab = label(text, role, name)
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lab.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            inner.addWidget(lab)
            inner.addSpacing(24)
        self.messages = list(messages or [])
        self.message = label(self.messages[0] if self.messages else "", "attract-text", "attract_message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        inner.addWidget(self.message)
        self.message.setVisible(bool(self.messages) and not closed)
        inner.addStretch(3)
        # Every language by its own name, so someone who reads no English can still find it.
        names = languages or []
        self.language = attract_link(" · ".join(names), "attract_language", tr("Choose your language"))
        self.language.setAccessibleName(tr("Language") + ": " + " · ".join(names))
        self.accessibility = attract_link(tr("Larger text and high contrast"), "attract_accessibility",
                                          tr("Change the text size and colours before you start"))
        self.privacy = attract_link(tr("How we use information"), "privacy",
                                    tr("What this kiosk collects and what happens to it"))
        # One above the other, each centred in a row of its own, words wrapping: at 200% text on a
        # portrait screen they are wider than the screen (and an alignment flag would stop the wrap).
        links = QVBoxLayout()
        links.setContentsMargins(24, 0, 24, 24)
        for link in (self.language, self.accessibility, self.privacy):
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(link, 10)
            row.addStretch(1)
            links.addLayout(row)
        lay.addLayout(links)
        # Only after they have a parent: shown before that, each would be a window of its own.
        self.privacy.setVisible(not closed)
        self.accessibility.setVisible(not closed)
        self.language.setVisible(not closed and len(names) > 1)
        self._turn = 0
        self._rotation = QTimer(self)
        self._rotation.timeout.connect(self._next_message)
        if len(self.messages) > 1 and not closed:
            self._rotation.start(rotate_ms)
        if not closed:
            self.target.clicked.connect(self.start)
        lay.addWidget(self.target)

    def focus_start(self) -> None:
        self.target.setFocus(Qt.FocusReason.OtherFocusReason)  # Enter on a keypad starts

    def _next_message(self) -> None:
        self._turn = (self._turn + 1) % len(self.messages)
        self.message.setText(self.messages[self._turn])
        self.message.setAccessibleName(self.messages[self._turn])


def attract_link(text: str, name: str, description: str) -> WrappingButton:
    link = WrappingButton(text)
    link.setObjectName(name)
    link.setProperty("role", "link")
    link.setAutoDefault(False)
    link.setAccessibleDescription(description)
    link.setCursor(Qt.CursorShape.PointingHandCursor)
    link.centre()
    return link
