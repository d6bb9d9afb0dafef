"""QR codes as one vector path: crisp on any printer, light in the PDF.

Each row's dark runs become rectangles of a single path, filled once, on a white
square that keeps the 4-module quiet zone clear; the code is also a link.
"""

from __future__ import annotations

from reportlab.lib.colors import black, white

from printshop.layout.boxes import QrBox
from printshop.layout.qrcode import QUIET_MODULES, dark_runs, qr_matrix
from printshop.pdf.draw import drawer


@drawer(QrBox)
def draw_qr(canvas, box: QrBox, x: float, y: float) -> None:
    matrix = qr_matrix(box.url, box.level)
    module = box.size / (len(matrix) + 2 * QUIET_MODULES)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.setFillColor(white)
    canvas.rect(0, 0, box.size, box.size, stroke=0, fill=1)
    path = canvas.beginPath()
    offset = QUIET_MODULES * module
    for row, col, length in dark_runs(matrix):
        top = box.size - offset - (row + 1) * module
        path.rect(offset + col * module, top, length * module, module)
    canvas.setFillColor(black)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.linkURL(box.url, (0, 0, box.size, box.size), relative=1)
    canvas.restoreState()
