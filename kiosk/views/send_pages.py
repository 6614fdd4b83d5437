"""The pages around sending: check your answers, and the confirmation with the reference."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from kiosk.views.pages import back_link, handoff_button, help_box
from kiosk.views.qr import QrCode
from kiosk.views.scrolling import ScrollPage
from kiosk.views.text import tr
from kiosk.views.widgets import button, focusable_heading, label, link_label, screen_reader_on
from kiosk.workflows.describe import StepView, SummaryRow


class CheckAnswersPage(ScrollPage):
    change = Signal(str)
    submit = Signal()
    back = Signal()
    handoff = Signal()

    def __init__(self, view: StepView, rows: list[SummaryRow]) -> None:
        super().__init__("check_answers")
        self.view = view
        #: The rows as shown: what a page built ahead of time is checked against (see reword).
        self.rows = list(rows)
        self._answers: dict[str, QLabel] = {}
        b = back_link()
        b.clicked.connect(self.back)
        self.column.addWidget(b)
        self.column.addWidget(label(view.journey_title, "caption", "caption"))
        self.heading = focusable_heading(view.heading)
        self.heading.setAccessibleDescription(view.journey_title)
        self.column.addWidget(self.heading)
        for row in rows:
            rule = QFrame()
            rule.setProperty("role", "rule")
            self.column.addWidget(rule)
            line = QHBoxLayout()
            line.setSpacing(24)
            texts = QVBoxLayout()
            q = label(row.label, "subheading")
            a = label(row.answer, "", f"answer_{row.step_id}")
            a.setAccessibleName(f"{row.label}: {row.answer}")
            self._answers[row.step_id] = a
            texts.addWidget(q)
            texts.addWidget(a)
            line.addLayout(texts, 1)
            # One short word: a plain button, without the wrapping label and layout the other
            # links have. This is the largest page; that made its tap 12% quicker (measured).
            ch = button(tr("Change"), "link", f"change_{row.step_id}", tr("Change {answer}", answer=row.label),
                        cls=QPushButton)
            ch.setAccessibleName(tr("Change {answer}", answer=row.label))
            ch.setMinimumWidth(140)
            ch.clicked.connect(lambda _=False, sid=row.step_id: self.change.emit(sid))
            line.addWidget(ch, 0, Qt.AlignmentFlag.AlignTop)
            self.column.addLayout(line)
        rule = QFrame()
        rule.setProperty("role", "rule")
        self.column.addWidget(rule)
        self.send_title = label(tr("Now send your answers"), "subheading", "send_title")
        self.column.addWidget(self.send_title)
        self.declaration = label(tr("By sending this you confirm that, to the best of your knowledge, the "
                                    "answers you are giving are correct."), "", "declaration")
        self.column.addWidget(self.declaration)
        self.primary = button(view.continue_label, "primary", "continue")
        self.primary.clicked.connect(self.submit)
        self.set_primary(self.primary)
        self.handoff_button = handoff_button(self.handoff)
        self.add_side(help_box(self.handoff_button))

    def reword(self, rows: list[SummaryRow]) -> bool:
        """Show these answers on a page built ahead of time with the same questions (the answer
        just given was not known then). False, and nothing changed, if the questions differ."""
        if [(r.step_id, r.label, r.sensitive) for r in rows] != [
                (r.step_id, r.label, r.sensitive) for r in self.rows]:
            return False
        for row in rows:
            answer = self._answers[row.step_id]
            if answer.text() != row.answer:
                answer.setText(row.answer)
                answer.setAccessibleName(f"{row.label}: {row.answer}")
        self.rows = list(rows)
        return True

    def practice_only(self) -> None:
        """A taster practice run: this is where a real form would send; here it only ends."""
        for widget, text in ((self.send_title, "This is where you would send your answers"),
                             (self.declaration, "This was a practice, so nothing is sent. On the real form, "
                                                "the button here sends your answers to the council."),
                             (self.primary, "Finish the practice")):
            widget.setText(text)
            widget.setAccessibleName(text)
        self.handoff_button.hide()

    def focus_start(self) -> None:
        (self.heading if screen_reader_on() else self.primary).setFocus(Qt.FocusReason.OtherFocusReason)


class ConfirmationPage(ScrollPage):
    """GOV.UK confirmation: green panel with the reference, then what happens next."""

    finished = Signal()

    def __init__(self, title: str, reference: str, next_steps: list[str], track_url: str, status: str) -> None:
        super().__init__("confirmation")
        #: The reference this page shows.
        self.code = reference
        panel = QFrame()
        panel.setObjectName("confirmation_panel")
        panel.setProperty("role", "panel")
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(40, 40, 40, 40)
        inner.setSpacing(12)
        inner.addWidget(label(title, "panel-title", "page_heading"))
        caption = label(tr("Your reference:"), "", "reference_caption")
        caption.setProperty("spoken", False)  # the reference itself says "Your reference: ..."
        inner.addWidget(caption)
        # A break opportunity after each hyphen: at 200% text on a portrait screen the reference
        # is wider than the panel (the accessible name stays one character at a time).
        ref = label(reference.replace("-", "-\u200b"), "reference", "reference")
        # One character at a time, and reachable by Tab: the one thing a resident must take away.
        ref.setAccessibleName(tr("Your reference: {reference}", reference=" ".join(reference)))
        ref.setAccessibleDescription(title)
        ref.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.reference = ref
        inner.addWidget(ref)
        self.column.addWidget(panel)
        self.status = label(status, "subheading", "send_status")
        self.column.addWidget(self.status)
        self.column.addWidget(label(tr("Write down your reference, or scan the code to keep it on your phone.")))
        self.column.addWidget(label(tr("What happens next"), "subheading"))
        for para in next_steps:
            self.column.addWidget(label(para))
        track = QFrame()
        track.setObjectName("track_box")
        track.setProperty("role", "inset")
        qr_text = QVBoxLayout(track)
        qr_text.setSpacing(16)
        qr_text.addWidget(label(tr("Track it on your phone"), "subheading"))
        qr = QrCode(track_url)
        qr.setAccessibleName(tr("QR code to track your request"))
        qr_text.addWidget(qr)
        qr_text.addWidget(label(tr("Point your phone's camera at the code. Or go to:")))
        qr_text.addWidget(link_label(track_url, "track_url"))
        self.add_side(track)
        self.spell = button(tr("Spell my reference"), "secondary", "spell_reference",
                            tr("Read the reference aloud one letter or number at a time"))
        self.column.addWidget(self.spell)
        self.spell.setVisible(False)  # shown when speech is on
        self.primary = button(tr("Finish"), "primary", "finish", tr("End your session. Your answers are cleared."))
        self.primary.clicked.connect(self.finished)
        self.set_primary(self.primary)

    def set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setAccessibleName(text)

    def focus_start(self) -> None:
        """The reference first: a screen reader reads it as the page appears."""
        (self.reference if screen_reader_on() else self.primary).setFocus(Qt.FocusReason.OtherFocusReason)
