"""A QR code drawn with QPainter from the qrcode library's module matrix (no Pillow): an image
of one pixel a module, scaled up without smoothing once, at the size and in the format it is
drawn in, then copied as it is at each paint (one call into Qt a paint, where a rectangle per
dark module was about 600; scaling and converting it at each paint took 0.5 ms of the tap that
shows a reference).

One mask pattern (0, the checkerboard), not the best of all eight: trying them all took 4.9 ms
a code against 0.9 ms, on the tap that shows it. Every mask makes a valid code that phones
read; the best one only scores a little better against runs of one colour."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


class QrCode(QWidget):
    def __init__(self, data: str, side: int = 280) -> None:
        super().__init__()
        self.setObjectName("qr_code")
        # Loaded with the first code drawn, not at start: 0.7 MiB the attract screen does not
        # need (a confirmation's code is drawn while the resident checks their answers:
        # kiosk/flows/ahead.py).
        import qrcode

        code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=0)
        code.add_data(data)
        code.make(fit=True)
        self.matrix: list[list[bool]] = code.get_matrix()
        n = len(self.matrix)
        pixels = b"".join(bytes(0 if dark else 255 for dark in row) for row in self.matrix)
        self._image = QImage(pixels, n, n, n, QImage.Format.Format_Grayscale8).copy()  # owns its pixels
        self.data = data
        self._side = side
        self._drawn: QImage | None = None
        self.setFixedSize(QSize(side, side))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def drawn(self) -> QImage:
        """The code as painted: ``side`` device pixels a side (times the screen's pixel ratio),
        each module sharp-edged."""
        ratio = self.devicePixelRatioF()
        if self._drawn is None or self._drawn.devicePixelRatio() != ratio:
            pixels = round(self._side * ratio)
            image = self._image.scaled(pixels, pixels, Qt.AspectRatioMode.IgnoreAspectRatio,
                                       Qt.TransformationMode.FastTransformation)
            image = image.convertToFormat(QImage.Format.Format_RGB32)
            image.setDevicePixelRatio(ratio)
            self._drawn = image
        return self._drawn

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawImage(QPointF(0, 0), self.drawn())
        painter.end()
