"""Shipped SVG icons rendered to pixmaps (QtSvg; no image plug-ins or network)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

ICON_DIR = Path(__file__).resolve().parent.parent / "icons"


def svg_pixmap(path: Path, side: int) -> QPixmap:
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    renderer = QSvgRenderer(str(path))
    if renderer.isValid():
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
    return pixmap


def icon(name: str, side: int = 64) -> QIcon:
    path = ICON_DIR / f"{name}.svg"
    if not path.exists():
        path = ICON_DIR / "info.svg"
    return QIcon(svg_pixmap(path, side))
