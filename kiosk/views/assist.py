"""What an officer sees beside the resident's screen: who is helping (for the resident too), the
journey so far, and the few things an officer may do. Every action is reported to the controller,
which audits it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from kiosk.views.scrolling import see_through_content
from kiosk.views.widgets import button, label
from kiosk.workflows.describe import SummaryRow


class OfficerBanner(QLabel):
    """Always visible while an officer is on the screen, so the resident knows."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("officer_banner")
        self.hide()

    def show_for(self, name: str) -> None:
        text = f"Officer helping: {name}"
        self.setText(text)
        self.setAccessibleName(text)
        self.show()


class AssistPanel(QScrollArea):
    go_to = Signal(str)
    reveal = Signal()
    pause_toggled = Signal(bool)
    assisted_toggled = Signal(bool)
    handoff = Signal()
    end = Signal()
    hand_back = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("assist_panel")
        self.setFixedWidth(520)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.hide()

    def show_state(self, officer: str, title: str, current: str, rows: list[SummaryRow], answered: set[str],
                   revealed: bool, timer_paused: bool, assisted: bool, can_hand_off: bool) -> None:
        inner = QWidget()
        lay = QVBoxLayout(inner)
        lay.setContentsMargins(24, 24, 24, 24)
        lay.setSpacing(12)
        lay.addWidget(label(f"Helping as {officer}", "subheading", "assist_title"))
        lay.addWidget(label(title or "On the home screen", "", "assist_journey"))
        for row in rows:
            box = QFrame()
            box.setProperty("role", "inset")
            b = QVBoxLayout(box)
            mark = " (now)" if row.step_id == current else ""
            b.addWidget(label(row.label + mark, "", f"assist_label_{row.step_id}"))
            shown = ("Not answered yet" if row.step_id not in answered
                     else "••••••" if row.sensitive and not revealed else row.answer)
            b.addWidget(label(shown, "hint", f"assist_answer_{row.step_id}"))
            go = button("Go to this question", "link", f"assist_go_{row.step_id}", f"Go to {row.label}")
            go.clicked.connect(lambda _=False, sid=row.step_id: self.go_to.emit(sid))
            b.addWidget(go)
            lay.addWidget(box)
        if any(r.sensitive for r in rows) and not revealed:
            show = button("Show hidden answers", "secondary", "assist_reveal")
            show.clicked.connect(self.reveal)
            lay.addWidget(show)
        pause = QCheckBox("Keep the timer paused")
        pause.setObjectName("assist_pause")
        pause.setAccessibleName("Keep the timer paused after I hand back")
        pause.setChecked(timer_paused)
        pause.toggled.connect(self.pause_toggled)
        lay.addWidget(pause)
        assisted_box = QCheckBox("Count as assisted")
        assisted_box.setObjectName("assist_assisted")
        assisted_box.setAccessibleName("Count this as assisted")
        assisted_box.setChecked(assisted)
        assisted_box.toggled.connect(self.assisted_toggled)
        lay.addWidget(assisted_box)
        if can_hand_off:
            phone = button("Finish on their phone", "secondary", "assist_handoff")
            phone.clicked.connect(self.handoff)
            lay.addWidget(phone)
        back = button("Hand back to the resident", "primary", "assist_hand_back")
        back.clicked.connect(self.hand_back)
        lay.addWidget(back)
        end = button("End the session", "secondary", "assist_end", "Delete the answers and go back to the start")
        end.clicked.connect(self.end)
        lay.addWidget(end)
        lay.addStretch(1)
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        see_through_content(self, inner)
        self.show()

