"""A composed document -> PDF bytes: one canvas, set up the same way for every layout.

The output is deterministic (fixed IDs; dates from SOURCE_DATE_EPOCH when set), says
what it is in its metadata, asks the printer for the right duplex mode and no
scaling, and carries an outline and page labels. Pages with bleed (print shops) get
a trim box and a bleed box; their content is drawn inset by the bleed.
"""

from __future__ import annotations

import io

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import PDFPageLabel
from reportlab.pdfgen.canvas import Canvas

import printshop.pdf.art  # noqa: F401 - registers the picture drawer
import printshop.pdf.glyphs  # noqa: F401 - registers the text drawer
import printshop.pdf.qr  # noqa: F401 - registers the QR drawer
import printshop.pdf.shapes  # noqa: F401 - registers the shape drawers
from printshop.content.document import Document
from printshop.content.layouts import Layout
from printshop.layout.compose import Composition
from printshop.layout.pages import frame
from printshop.layout.sheets import Cell, sheet_marks, sheet_sides
from printshop.layout.sheets import Mark as SheetMark
from printshop.pdf.draw import draw
from printshop.pdf.glyphs import ttfont
from printshop.text.fonts import Fonts
from printshop.timing import stage

rl_config.useA85 = 0  # binary streams: smaller files, less work than ASCII85


def base_font(fonts: Fonts) -> str:
    """The default text face, registered: canvases (and the drawings placed on them, see
    `pdf.art`) start with it, so no PDF ever names an unembedded font such as Helvetica."""
    return ttfont(fonts.table.face(fonts.table.default)).fontName


def new_canvas(
    buffer: io.BytesIO,
    pagesize: tuple[float, float],
    doc: Document,
    layout: Layout,
    author: str,
    fonts: Fonts,
) -> Canvas:
    """A canvas set up the same way for every document: deterministic, metadata filled."""
    canvas = Canvas(
        buffer,
        pagesize=pagesize,
        invariant=1,  # fixed IDs; dates from SOURCE_DATE_EPOCH when set
        pageCompression=1,
        lang=doc.lang,
        initialFontName=base_font(fonts),
    )
    canvas.setTitle(doc.title)
    canvas.setSubject(doc.subtitle)
    canvas.setAuthor(author or "makebook")
    canvas.setCreator("makebook")
    canvas.setKeywords([doc.topic_id, doc.lang, layout.name])
    return canvas


def _duplex(canvas: Canvas, layout: Layout, sides: int) -> None:
    """Ask the printer for two-sided printing turned over the right edge, and no scaling."""
    if layout.imposition is not None:
        canvas.addPageLabel(0, style=PDFPageLabel.ARABIC, start=1)
        canvas.showOutline()
        return
    if sides > 1:
        canvas.setViewerPreference("Duplex", f"DuplexFlip{layout.flip.capitalize()}Edge")
    canvas.setViewerPreference("PrintScaling", "None")


def _draw_page(canvas: Canvas, page, layout: Layout, number: int, rtl: bool) -> None:
    """One composed page with its bottom-left corner at the canvas origin."""
    fr = frame(layout, number, rtl)
    content = page.content
    assert content is not None
    draw(canvas, content, fr.x, fr.y + fr.height - content.height)
    for box, x, y in page.furniture:
        draw(canvas, box, x, y)


def _draw_marks(canvas: Canvas, marks: list[SheetMark]) -> None:
    if not marks:
        return
    canvas.saveState()
    canvas.setLineWidth(0.35)
    for mark in marks:
        canvas.setDash(*((2, 1.5) if mark.dashed else ((), 0)))
        canvas.line(mark.x0, mark.y0, mark.x1, mark.y1)
    canvas.restoreState()


def _sides(composition: Composition, layout: Layout, rtl: bool) -> list[list[Cell]]:
    """The pages on each printed side: one page filling it, or several to a sheet."""
    if layout.sheet is not None:
        return sheet_sides(layout, [page.part for page in composition.pages], rtl)
    width, height = layout.page_size
    return [[Cell(i, 0.0, 0.0, width, height)] for i in range(len(composition.pages))]


def render_pdf(
    composition: Composition,
    doc: Document,
    layout: Layout,
    fonts: Fonts,
    bleed: float = 0.0,
    fonts_used: set[str] | None = None,
) -> bytes:
    """Draw every page of a composition; `bleed` (pt) surrounds each page for print shops.

    `fonts_used` receives the keys of the faces the PDF embeds (for up-to-date checks).
    Pages of a layout with a `sheet` are drawn several to a side, each clipped to its
    cell, with the sheet's fold or cut marks."""
    with stage("draw"):
        canvas, buffer = _draw_pages(composition, doc, layout, fonts, bleed)
    with stage("write"):
        canvas.save()
    if fonts_used is not None:
        fonts_used.update(canvas._doc.fontMapping)
    return buffer.getvalue()


def _draw_pages(
    composition: Composition, doc: Document, layout: Layout, fonts: Fonts, bleed: float
) -> tuple[Canvas, io.BytesIO]:
    """A canvas with every page drawn, not yet written out."""
    width, height = layout.sheet_size if layout.sheet is not None else layout.page_size
    buffer = io.BytesIO()
    author = doc.course.instructor if doc.course else doc.site.name
    size = (width + 2 * bleed, height + 2 * bleed)
    canvas = new_canvas(buffer, size, doc, layout, author, fonts)
    if bleed:
        canvas.setTrimBox([bleed, bleed, bleed + width, bleed + height])
        canvas.setBleedBox([0, 0, width + 2 * bleed, height + 2 * bleed])
    sides = _sides(composition, layout, doc.rtl)
    _duplex(canvas, layout, len(sides))
    by_page: dict[int, list] = {}
    for mark, page in composition.marks:
        by_page.setdefault(page, []).append(mark)
    page_w, page_h = layout.page_size
    for cells in sides:
        for cell in cells:
            if cell.page is None:
                continue
            canvas.saveState()
            canvas.translate(bleed + cell.x + (cell.width - page_w) / 2, bleed + cell.y)
            if layout.sheet is not None:  # art that runs off a page stops at its cell
                path = canvas.beginPath()
                path.rect((page_w - cell.width) / 2, 0, cell.width, cell.height)
                canvas.clipPath(path, stroke=0, fill=0)
            _draw_page(canvas, composition.pages[cell.page], layout, cell.page + 1, doc.rtl)
            canvas.restoreState()
        _draw_marks(canvas, sheet_marks(layout, cells))
        for cell in sorted(cells, key=lambda c: -1 if c.page is None else c.page):
            for mark in by_page.get(cell.page, []):
                canvas.bookmarkPage(mark.key)
                canvas.addOutlineEntry(mark.title, mark.key, mark.level)
        canvas.showPage()
    return canvas, buffer
