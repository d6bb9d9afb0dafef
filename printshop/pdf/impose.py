"""Booklet imposition: reader-order pages onto sheets for saddle stitching.

Each sheet side carries two pages. Printed duplex (flip on the short edge), the sheets
stacked in order, folded in the middle and stapled on the fold, they read 1, 2, 3…
A booklet in a right-to-left language binds on the right: every pair is mirrored.
With crop marks, pages keep their bleed on the three outer edges (the spine has none:
the two pages meet at the fold) and the sheet grows to leave room for the marks.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    RectangleObject,
)
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from printshop.content.layouts import PAPER, Layout
from printshop.errors import UserError

MARK_GAP = 1 * mm  # crop marks stop short of the bleed
MARK_LENGTH = 6 * mm


def saddle_order(count: int, rtl: bool = False) -> list[tuple[int, int]]:
    """(left page, right page), 0-based, for each sheet side in print order.

    Sheet k: front = (last - 2k, 2k), back = (2k + 1, last - 1 - 2k); mirrored for RTL.
    """
    if count % 4:
        raise UserError(f"a saddle-stitched booklet needs a multiple of 4 pages, not {count}")
    sides = []
    for k in range(count // 4):
        sides.append((count - 1 - 2 * k, 2 * k))
        sides.append((2 * k + 1, count - 2 - 2 * k))
    return [(right, left) for left, right in sides] if rtl else sides


@dataclass(frozen=True)
class SheetPlan:
    width: float  # the sheet side
    height: float
    page_width: float  # trim size of one page
    page_height: float
    bleed: float  # carried by the reader-order pages (0 without marks)
    margin: float  # from the sheet edge to the bleed edge

    @property
    def spine_x(self) -> float:
        return self.width / 2


def plan(layout: Layout, marks: bool) -> SheetPlan:
    assert layout.imposition is not None
    page_w, page_h = PAPER[layout.paper]
    if not marks:
        sheet_w, sheet_h = PAPER[layout.imposition.sheet]
        sheet_w, sheet_h = max(sheet_w, sheet_h), min(sheet_w, sheet_h)  # landscape
        if sheet_w + 0.5 < 2 * page_w or sheet_h + 0.5 < page_h:
            raise UserError(
                f"layout '{layout.name}': two {layout.paper} pages do not fit on "
                f"{layout.imposition.sheet}"
            )
        return SheetPlan(sheet_w, sheet_h, page_w, page_h, 0.0, (sheet_h - page_h) / 2)
    bleed, margin = layout.imposition.bleed, layout.imposition.marks_margin
    return SheetPlan(
        2 * page_w + 2 * bleed + 2 * margin,
        page_h + 2 * bleed + 2 * margin,
        page_w,
        page_h,
        bleed,
        margin,
    )


def _as_form(
    page, bbox: tuple[float, float, float, float], writer: PdfWriter, at: tuple[float, float]
):
    """A page as a Form XObject clipped to bbox (its own coordinates), placed at `at`.

    Drawing a page as a form keeps its content stream as it is (no parsing) and the
    form's BBox clips whatever runs past the page's share of the sheet.
    """
    contents = page["/Contents"].get_object()
    parts = contents if isinstance(contents, ArrayObject) else [contents]
    data = b"\n".join(part.get_object().get_data() for part in parts)
    form = DecodedStreamObject()
    form.set_data(data)
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in bbox),
            NameObject("/Matrix"): ArrayObject(FloatObject(v) for v in (1, 0, 0, 1, *at)),
            NameObject("/Resources"): page["/Resources"].clone(writer),
        }
    )
    return writer._add_object(form.flate_encode())


def _marks_overlay(sheet: SheetPlan) -> bytes:
    """Crop marks at the spread's corners and fold marks at the spine, as one page."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(sheet.width, sheet.height), invariant=1)
    canvas.setLineWidth(0.25)
    x0 = sheet.margin + sheet.bleed
    x1 = x0 + 2 * sheet.page_width
    y0 = sheet.margin + sheet.bleed
    y1 = y0 + sheet.page_height
    off = sheet.bleed + MARK_GAP
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            canvas.line(x + sx * off, y, x + sx * (off + MARK_LENGTH), y)
            canvas.line(x, y + sy * off, x, y + sy * (off + MARK_LENGTH))
    canvas.setDash(2, 1.5)
    spine = sheet.spine_x
    canvas.line(spine, y1 + off, spine, y1 + off + MARK_LENGTH)
    canvas.line(spine, y0 - off, spine, y0 - off - MARK_LENGTH)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def impose(pdf: bytes, layout: Layout, rtl: bool = False, marks: bool = False) -> bytes:
    """The booklet's pages two-up on sheets, in saddle-stitch order."""
    sheet = plan(layout, marks)
    reader = PdfReader(io.BytesIO(pdf))
    count = len(reader.pages)
    overlay = PdfReader(io.BytesIO(_marks_overlay(sheet))).pages[0] if marks else None
    writer = PdfWriter()
    marks_form = None
    if overlay is not None:
        marks_form = _as_form(overlay, (0, 0, sheet.width, sheet.height), writer, (0, 0))
    b, pw, ph = sheet.bleed, sheet.page_width, sheet.page_height
    bottom = (sheet.height - ph) / 2 - b
    for left, right in saddle_order(count, rtl):
        side = writer.add_blank_page(sheet.width, sheet.height)
        xobjects = DictionaryObject()
        ops = []
        # a page keeps its bleed on the outer edges only: at the spine it meets its partner
        for name, index, x, bbox in (
            ("/L", left, sheet.spine_x - pw - b, (0.0, 0.0, b + pw, ph + 2 * b)),
            ("/R", right, sheet.spine_x - b, (b, 0.0, pw + 2 * b, ph + 2 * b)),
        ):
            # placed by the form's own matrix: text extraction tools follow it too
            xobjects[NameObject(name)] = _as_form(reader.pages[index], bbox, writer, (x, bottom))
            ops.append(f"{name} Do")
        if marks_form is not None:
            xobjects[NameObject("/M")] = marks_form
            ops.append("/M Do")
            trim = (sheet.spine_x - pw, bottom + b, sheet.spine_x + pw, bottom + b + ph)
            side.trimbox = RectangleObject(trim)
            side.bleedbox = RectangleObject((trim[0] - b, trim[1] - b, trim[2] + b, trim[3] + b))
        content = DecodedStreamObject()
        content.set_data("\n".join(ops).encode())
        side[NameObject("/Contents")] = writer._add_object(content)
        side[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
    prefs = writer.create_viewer_preferences()
    assert layout.imposition is not None
    prefs.duplex = NameObject(f"/DuplexFlip{layout.imposition.flip.capitalize()}Edge")
    prefs.print_scaling = NameObject("/None")
    if reader.metadata:
        writer.add_metadata({k: v for k, v in reader.metadata.items() if k != "/Producer"})
    root = reader.trailer["/Root"]
    if "/Lang" in root:
        writer._root_object[NameObject("/Lang")] = root["/Lang"]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
