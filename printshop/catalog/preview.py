"""PNG previews of PDF pages, to look at output the way a reader would."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium

from printshop.errors import UserError
from printshop.pdf.write import write_atomic


def render_pngs(pdf: Path, out_dir: Path, dpi: int = 100, gray: bool = False) -> list[Path]:
    """One PNG per page: <stem>-<n>.png in out_dir."""
    if not pdf.is_file():
        raise UserError("file not found", pdf)
    try:
        document = pdfium.PdfDocument(str(pdf))
    except pdfium.PdfiumError as exc:
        raise UserError(f"not a readable PDF ({exc})", pdf) from None
    paths = []
    for index in range(len(document)):
        image = document[index].render(scale=dpi / 72, grayscale=gray).to_pil()
        path = out_dir / f"{pdf.stem}-{index + 1}.png"
        buffer = BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        write_atomic(path, buffer.getvalue())
        paths.append(path)
    return paths
