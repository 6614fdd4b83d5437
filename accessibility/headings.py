"""Headings that a screen reader knows are headings. Qt's widgets have no heading: a QLabel is
exposed as a plain label, so a screen reader's "next heading" key finds nothing and the question
is not announced as one. A factory gives every label styled as a heading the heading role."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QApplication, QLabel

#: The ``role`` properties (see kiosk.views.style) of labels that are headings.
HEADING_ROLES = ("heading", "panel-title")


class HeadingAccessible(QAccessibleWidget):
    """A label, with the heading role; its name and description are the label's own."""

    def __init__(self, label: QLabel) -> None:
        super().__init__(label, QAccessible.Role.Heading)

    def text(self, kind: QAccessible.Text) -> str:
        widget = self.widget()
        if kind == QAccessible.Text.Name and isinstance(widget, QLabel):
            return widget.accessibleName() or widget.text()
        return super().text(kind)


def heading_factory(_class_name: str, obj: QObject) -> QAccessibleInterface | None:
    if isinstance(obj, QLabel) and obj.property("role") in HEADING_ROLES:
        return HeadingAccessible(obj)
    return None


def install_heading_role(app: QApplication) -> None:
    """Once per application (Qt keeps the factory for the process)."""
    if app.property("heading_role_installed"):
        return
    QAccessible.installFactory(heading_factory)
    app.setProperty("heading_role_installed", True)
