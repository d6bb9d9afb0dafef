"""PNG previews of PDF pages, to look at output the way a reader would.

Bounded like every input: the PDF is a regular file of at most 200 MB, at most 500
pages are drawn, and a page may not need more than 100 million pixels at the chosen
resolution (an A0 poster at 300 dpi is 140 million: preview it at a lower --dpi).
A PNG is only written over a preview makebook made (its `Software` text says so).
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium

from printshop.errors import UserError
from printshop.files import regular_file, size_words
from printshop.pdf.write import ensure_ours, write_atomic

MIN_DPI, MAX_DPI = 30, 600
MAX_PDF_BYTES = 200_000_000
MAX_PAGES = 500
MAX_PIXELS = 100_000_000
PNG_MARKER = b"makebook preview"


def render_pngs(pdf: Path, out_dir: Path, dpi: int = 100, gray: bool = False) -> list[Path]:
    """One PNG per page: <stem>-<n>.png in out_dir."""
    from PIL.PngImagePlugin import PngInfo

    if not MIN_DPI <= dpi <= MAX_DPI:
        raise UserError(f"--dpi must be {MIN_DPI}–{MAX_DPI} (got {dpi})")
    size = regular_file(pdf, "PDF").st_size
    if size > MAX_PDF_BYTES:
        raise UserError(
            f"PDF is too large ({size_words(size)}; the limit is {size_words(MAX_PDF_BYTES)})",
            pdf,
        )
    try:
        document = pdfium.PdfDocument(str(pdf))
    except pdfium.PdfiumError as exc:
        raise UserError(f"not a readable PDF ({exc})", pdf) from None
    if len(document) > MAX_PAGES:
        raise UserError(f"PDF has {len(document)} pages; previews stop at {MAX_PAGES}", pdf)
    info = PngInfo()
    info.add_text("Software", PNG_MARKER.decode())
    paths = []
    for index in range(len(document)):
        page = document[index]
        width, height = page.get_size()
        pixels = (width * dpi / 72) * (height * dpi / 72)
        if not pixels <= MAX_PIXELS:  # also catches a NaN page size
            raise UserError(
                f"page {index + 1} would be {pixels / 1e6:.0f} million pixels at {dpi} dpi "
                f"(the limit is {MAX_PIXELS // 1_000_000} million); use a lower --dpi",
                pdf,
            )
        image = page.render(scale=dpi / 72, grayscale=gray).to_pil()
        path = out_dir / f"{pdf.stem}-{index + 1}.png"
        ensure_ours(path, PNG_MARKER)
        buffer = BytesIO()
        image.save(buffer, format="PNG", optimize=True, pnginfo=info)
        write_atomic(path, buffer.getvalue())
        paths.append(path)
    return paths


THUMBNAIL_WIDTH = 240  # pixels: shown at 120 CSS px on the catalog page, sharp on HiDPI


def thumbnail(pdf: bytes, width: int = THUMBNAIL_WIDTH) -> bytes:
    """Page 1 of a PDF makebook just made, as a small PNG for the catalog page (palette
    colours: a handout's page is a few kilobytes)."""
    from PIL.PngImagePlugin import PngInfo

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=width / page.get_size()[0]).to_pil()
    finally:
        document.close()
    info = PngInfo()
    info.add_text("Software", PNG_MARKER.decode())
    buffer = BytesIO()
    image.convert("RGB").quantize(colors=64).save(buffer, format="PNG", optimize=True, pnginfo=info)
    return buffer.getvalue()
