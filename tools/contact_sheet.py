"""Contact sheet: every illustration and icon on labelled A4 pages, at layout sizes.

    python -m tools.contact_sheet OUT.pdf

Page 1: every technique illustration at handout-card size (40 mm wide).
Page 2: every icon at 20 mm and 10 mm.
Next pages: illustrations at booklet size (90 mm wide), then every cover and header (all
topics' files in assets/art/).
Everything is drawn through printshop.pdf.art.load_drawing, as the engine draws it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from printshop.pdf.art import load_drawing

ASSETS_DIR = Path(__file__).resolve().parents[1] / "assets"

MARGIN = 12 * mm
LABEL_SIZE = 7
TITLE_SIZE = 9


def _files(folder: str) -> list[Path]:
    return sorted((ASSETS_DIR / folder).glob("*.svg"))


def _draw(canv: Canvas, path: Path, x: float, y: float, width: float, height: float) -> None:
    """Draw the SVG scaled to fit the box (x, y = bottom-left), with a hairline frame."""
    drawing = load_drawing(path)
    scale = min(width / drawing.width, height / drawing.height)
    w, h = drawing.width * scale, drawing.height * scale
    canv.saveState()
    canv.setStrokeColorRGB(0.8, 0.8, 0.8)
    canv.setLineWidth(0.3)
    canv.rect(x, y + height - h, w, h)
    canv.translate(x, y + height - h)
    canv.scale(scale, scale)
    renderPDF.draw(drawing, canv, 0, 0)
    canv.restoreState()


def _label(canv: Canvas, text: str, x: float, y: float) -> None:
    canv.setFont("Helvetica", LABEL_SIZE)
    canv.setFillColorRGB(0.2, 0.2, 0.2)
    canv.drawString(x, y, text)


def _title(canv: Canvas, text: str) -> float:
    width, height = A4
    canv.setFont("Helvetica-Bold", TITLE_SIZE)
    canv.setFillColorRGB(0, 0, 0)
    canv.drawString(MARGIN, height - MARGIN, text)
    return height - MARGIN - 6 * mm


def _grid(
    canv: Canvas,
    title: str,
    items: list[Path],
    cell_w: float,
    cell_h: float,
    draw_cell: Callable[[Path, float, float], None],
) -> None:
    width, _ = A4
    cols = max(1, int((width - 2 * MARGIN + 4 * mm) // (cell_w + 3 * mm)))
    top = _title(canv, title)
    row_h = cell_h + 8 * mm
    for i, path in enumerate(items):
        col, row = i % cols, i // cols
        y_top = top - row * row_h
        if y_top - row_h < MARGIN:
            canv.showPage()
            top = _title(canv, title + " (continued)") + row * row_h
            y_top = top - row * row_h
        x = MARGIN + col * (cell_w + 3 * mm)
        draw_cell(path, x, y_top - cell_h)
        _label(canv, path.name, x, y_top - cell_h - 4 * mm)
    canv.showPage()


def build_contact_sheet(out_path: Path) -> None:
    """Render every illustration, icon and art file onto labelled A4 pages."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    canv = Canvas(str(out_path), pagesize=A4)
    canv.setTitle("makebook artwork contact sheet")
    illustrations = _files("illustrations")
    icons = _files("icons")

    small_w = 40 * mm
    small_h = small_w * 3 / 4
    _grid(
        canv,
        "Illustrations at handout-card size (40 mm wide)",
        illustrations,
        small_w,
        small_h,
        lambda p, x, y: _draw(canv, p, x, y, small_w, small_h),
    )

    big_icon, small_icon = 20 * mm, 10 * mm

    def icon_cell(path: Path, x: float, y: float) -> None:
        _draw(canv, path, x, y, big_icon, big_icon)
        _draw(canv, path, x + big_icon + 3 * mm, y, small_icon, small_icon)

    _grid(
        canv,
        "Icons at 20 mm and 10 mm",
        icons,
        big_icon + small_icon + 3 * mm,
        big_icon,
        icon_cell,
    )

    big_w = 90 * mm
    big_h = big_w * 3 / 4
    _grid(
        canv,
        "Illustrations at booklet size (90 mm wide)",
        illustrations,
        big_w,
        big_h,
        lambda p, x, y: _draw(canv, p, x, y, big_w, big_h),
    )

    # Every topic's decorative art: square covers at 90 mm, wide headers at full width.
    top = _title(canv, "Covers (90 mm) and handout headers (full width)")
    y = top
    for path in _files("art"):
        drawing = load_drawing(path)
        ratio = drawing.height / drawing.width
        w = 90 * mm if ratio > 0.5 else A4[0] - 2 * MARGIN
        h = w * ratio
        if y - h - 10 * mm < MARGIN:
            canv.showPage()
            y = _title(canv, "Covers and handout headers (continued)")
        y -= h
        _draw(canv, path, MARGIN, y, w, h)
        _label(canv, path.name, MARGIN, y - 4 * mm)
        y -= 10 * mm
    canv.showPage()
    canv.save()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m tools.contact_sheet OUT.pdf", file=sys.stderr)
        return 2
    build_contact_sheet(Path(args[0]))
    print(f"wrote {args[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
