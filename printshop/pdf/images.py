"""Raster and vector logos supplied by a site, checked before they are drawn."""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

from PIL import Image
from reportlab.platypus import Flowable
from reportlab.platypus import Image as ImageFlowable

from printshop.errors import UserError
from printshop.pdf.art import art_flowable

MAX_LOGO_BYTES = 2_000_000
MAX_LOGO_PIXELS = 4000 * 4000  # refuses decompression bombs before decoding


def check_png(path: Path) -> tuple[int, int]:
    """Pixel size of a PNG/JPEG logo; refuses huge, broken or disguised files."""
    stat = path.stat()
    return _check_png(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _check_png(path: Path, _mtime_ns: int, _size: int) -> tuple[int, int]:
    if path.stat().st_size > MAX_LOGO_BYTES:
        raise UserError(f"logo is larger than {MAX_LOGO_BYTES // 1_000_000} MB", path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_LOGO_PIXELS:
                    raise UserError(
                        f"logo is {width}x{height} pixels; the limit is 4000x4000", path
                    )
                if image.format not in {"PNG", "JPEG"}:
                    raise UserError(f"logo must be SVG, PNG or JPEG (found {image.format})", path)
                image.load()  # decodes it all (bounded by the pixel limit): finds truncation
    except UserError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UserError(
            "logo is larger than 4000x4000 pixels (a decompression bomb?)", path
        ) from None
    except Exception as exc:  # Pillow raises many kinds for broken files
        reason = str(exc).replace(str(path), path.name)
        raise UserError(f"logo could not be read: {reason}", path) from None
    return width, height


def logo_flowable(path: Path, max_width: float, max_height: float) -> Flowable:
    """The site's logo, scaled to fit the box with its aspect kept."""
    if path.suffix.lower() == ".svg":
        return art_flowable(path, max_width, max_height)
    width, height = check_png(path)
    scale = min(max_width / width, max_height / height)
    return ImageFlowable(str(path), width * scale, height * scale)
