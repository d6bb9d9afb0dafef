"""QR code matrices and their printed size: what layout needs to place a code.

The `qrcode` library computes the modules; `printshop.pdf.qr` draws them. A matrix is
kept per process and in the on-disk cache (`printshop.cache`), keyed by the URL, the
level, this module and the installed `qrcode`: a build whose codes are all known does
not import `qrcode` (nor the imaging library it pulls in). A cached matrix is used only
if it is for this very URL and has the shape of a QR code: a square of 21 to 177
modules with the three finder patterns and the timing rows in place.
"""

from __future__ import annotations

from functools import lru_cache

from printshop import cache

QUIET_MODULES = 4
MIN_MODULE = 0.5 * 72 / 25.4  # 0.5 mm: the smallest module a photocopy keeps
MATRIX_KIND = "qr-matrix"
MADE_BY = (("printshop.layout.qrcode",), ("qrcode",))
Matrix = tuple[tuple[bool, ...], ...]


def _finder_at(matrix: Matrix, top: int, left: int) -> bool:
    """A finder pattern (7x7: dark ring, light ring, dark 3x3 core) at (top, left)."""
    for r in range(7):
        for c in range(7):
            ring = max(abs(r - 3), abs(c - 3))
            if matrix[top + r][left + c] != (ring != 2):
                return False
    return True


def _looks_like_qr(matrix: Matrix) -> bool:
    """Square, of a QR version's size, finder patterns and timing rows in place."""
    n = len(matrix)
    if not 21 <= n <= 177 or (n - 17) % 4 or any(len(row) != n for row in matrix):
        return False
    finders = all(_finder_at(matrix, r, c) for r, c in ((0, 0), (0, n - 7), (n - 7, 0)))
    timing = all(matrix[6][i] == matrix[i][6] == (i % 2 == 0) for i in range(8, n - 8))
    return finders and timing


def _cached_matrix(entry: dict | None, url: str, level: str) -> Matrix | None:
    if entry is None or entry.get("url") != url or entry.get("level") != level:
        return None
    rows = entry.get("rows")
    if not isinstance(rows, list) or not all(
        isinstance(row, str) and set(row) <= {"0", "1"} for row in rows
    ):
        return None
    matrix = tuple(tuple(ch == "1" for ch in row) for row in rows)
    return matrix if _looks_like_qr(matrix) else None


@lru_cache(maxsize=256)
def qr_matrix(url: str, level: str = "M") -> Matrix:
    """The module matrix, without quiet zone (the drawing adds its own)."""
    key = cache.entry_key(MATRIX_KIND, f"{level}\0{url}".encode(), cache.fingerprint(*MADE_BY))
    matrix = _cached_matrix(cache.read(key), url, level)
    if matrix is None:
        matrix = _make_matrix(url, level)
        rows = ["".join("1" if dark else "0" for dark in row) for row in matrix]
        cache.write(key, {"url": url, "level": level, "rows": rows})
    return matrix


def _make_matrix(url: str, level: str) -> Matrix:
    """The matrix as the `qrcode` library makes it (smallest version that holds `url`)."""
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
