"""PySide6 6.12.0 on Python 3.11 drops a reference to None on every void call, and the process
aborts after a few thousand (Fatal Python error: none_dealloc). We pin 6.11.3; this fails if a
version with that bug comes in."""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


def test_pinned_version() -> None:
    assert PySide6.__version__ == "6.11.3"


def test_void_calls_leave_the_refcount_of_none_alone(qapp: QApplication) -> None:
    widget = QWidget()
    timer = QTimer()
    obj = QObject()
    calls = 5000
    before = sys.getrefcount(None)
    for i in range(calls):
        widget.setEnabled(True)  # void setters: each returns None from C++
        widget.setToolTip("")
        timer.setInterval(i)
        obj.setObjectName("x")
    after = sys.getrefcount(None)
    # With the bug, None loses 4 x 5000 references; a healthy build moves by a handful at most.
    assert abs(after - before) < 200, f"refcount of None moved by {after - before} over {4 * calls} void calls"
    widget.deleteLater()
