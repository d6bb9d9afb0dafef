"""QR code matrices and their printed size: what layout needs to place a code.

The `qrcode` library computes the modules; `printshop.pdf.qr` draws them.
"""

from __future__ import annotations

from functools import lru_cache

QUIET_MODULES = 4
MIN_MODULE = 0.5 * 72 / 25.4  # 0.5 mm: the smallest module a photocopy keeps


@lru_cache(maxsize=256)
def qr_matrix(url: str, level: str = "M") -> tuple[tuple[bool, ...], ...]:
    """The module matrix, without quiet zone (the drawing adds its own)."""
    import qrcode
    import qrcode.constants

    levels = {
        "M": qrcode.constants.ERROR_CORRECT_M,
        "Q": qrcode.constants.ERROR_CORRECT_Q,
        "H": qrcode.constants.ERROR_CORRECT_H,
    }
    code = qrcode.QRCode(error_correction=levels[level], border=0, box_size=1)
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


def qr_side(url: str, size: float, level: str = "M", code_min: float = 0.0) -> float:
    """Printed side incl. quiet zone: at least `size`, grown so modules stay >= 0.5 mm
    and the code itself (without its quiet zone) is at least `code_min`."""
    code = len(qr_matrix(url, level))
    modules = code + 2 * QUIET_MODULES
    return max(size, modules * MIN_MODULE, code_min * modules / code)
