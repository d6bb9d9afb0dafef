"""QR codes as one vector path: crisp on any printer, light in the PDF.

reportlab's own QR widget draws one rectangle per module; here each row's dark runs
become rectangles of a single path, filled once.
"""

from __future__ import annotations

from functools import lru_cache

import qrcode
import qrcode.constants
from reportlab.lib.colors import black, white
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

QUIET_MODULES = 4
MIN_MODULE = 0.5 * mm
_LEVELS = {
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


@lru_cache(maxsize=256)
def qr_matrix(url: str, level: str = "M") -> tuple[tuple[bool, ...], ...]:
    """The module matrix, without quiet zone (we add our own)."""
    code = qrcode.QRCode(error_correction=_LEVELS[level], border=0, box_size=1)
    code.add_data(url.encode("utf-8"))
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def dark_runs(matrix: tuple[tuple[bool, ...], ...]) -> list[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules."""
    runs = []
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return runs


def qr_side(url: str, size: float, level: str = "M") -> float:
    """Printed side incl. quiet zone: at least `size`, grown so modules stay >= 0.5 mm."""
    modules = len(qr_matrix(url, level)) + 2 * QUIET_MODULES
    return max(size, modules * MIN_MODULE)


class QrFlowable(Flowable):
    """A square QR code with a white 4-module quiet zone, drawn as one filled path."""

    def __init__(self, url: str, size: float, level: str = "M") -> None:
        super().__init__()
        self.url = url
        self.level = level
        self.size = qr_side(url, size, level)
        self.width = self.height = self.size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        matrix = qr_matrix(self.url, self.level)
        count = len(matrix)
        module = self.size / (count + 2 * QUIET_MODULES)
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(white)
        canvas.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        path = canvas.beginPath()
        offset = QUIET_MODULES * module
        for row, col, length in dark_runs(matrix):
            y = self.size - offset - (row + 1) * module
            path.rect(offset + col * module, y, length * module, module)
        canvas.setFillColor(black)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.linkURL(self.url, (0, 0, self.size, self.size), relative=1)
        canvas.restoreState()
