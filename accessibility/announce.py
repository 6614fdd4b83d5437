"""Tell a screen reader what changed (QAccessibleAnnouncementEvent, Qt 6.8+): a new page by its
heading, politely; a page with errors by the error summary, assertively. Focus also moves to the
error summary or the first control (the pages do that), which screen readers read too."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.views.text import tr
from kiosk.views.widgets import ErrorSummary


def announce(widget: QWidget, text: str, assertive: bool = False) -> None:
    if not text.strip():
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if assertive
                        else QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)


def page_announcement(page: QWidget) -> tuple[str, bool]:
    """What to announce for a page: (text, assertive)."""
    summary = page.findChild(ErrorSummary)
    if summary is not None and summary.isVisibleTo(page):
        errors = [w.text() for w in summary.findChildren(QAbstractButton) if w.objectName().startswith("error_link")]
        return " ".join([tr("There is a problem") + ":", *errors]), True
    heading = page.findChild(QLabel, "page_heading")
    return (heading.text() if heading is not None else ""), False


def announce_page(page: QWidget) -> None:
    text, assertive = page_announcement(page)
    announce(page, text, assertive)
