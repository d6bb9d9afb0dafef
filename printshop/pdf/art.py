"""Pictures as PDF: each SVG drawn once per PDF as a clipped form, raster logos as images.

SVG files were sanitised when the document was resolved (`content.assets`); here they
become reportlab drawings through svglib, parsed once per process and shared
read-only. A drawing's operators are made once per process too and reused in every
PDF that places it, under a form name derived from the file's bytes (the same in
every build, so output stays byte-identical).
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from printshop.content.assets import MAX_BYTES, sanitise
from printshop.content.document import Picture
from printshop.errors import UserError
from printshop.files import read_capped
from printshop.layout.boxes import PictureBox
from printshop.pdf.draw import drawer

_drawings: dict[tuple[str, int, int], object] = {}
_form_names: dict[int, str] = {}  # id of a cached drawing -> its PDF form name
_codes: dict[int, list[str] | None] = {}
_RESOURCE_OPERATORS = re.compile(r"\s(Tf|gs|Do|sh|scn|SCN)$|/Pattern")


def load_drawing(path: Path):
    """The SVG at `path` as a reportlab Drawing (sanitised, parsed once per process)."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    drawing = _drawings.get(key)
    if drawing is None:
        from svglib.svglib import SvgRenderer  # imported late: svglib is slow to import

        root = sanitise(path)
        try:
            drawing = SvgRenderer(str(path)).render(root)
        except Exception as exc:  # svglib raises assorted errors on odd input
            raise UserError(f"SVG could not be drawn: {exc}", path) from None
        if drawing is None:
            raise UserError("SVG could not be drawn", path)
        data = read_capped(path, MAX_BYTES, "SVG")
        _form_names[id(drawing)] = "Art" + hashlib.sha1(data).hexdigest()[:16]
        _drawings[key] = drawing
    return drawing


def _drawing_code(drawing) -> list[str] | None:
    """The drawing's PDF operators, made once per process and reused in every PDF.

    Our artwork uses paths and colours only; a drawing whose operators name a PDF
    resource (font, state, pattern) depends on the document, so it is drawn afresh.
    """
    key = id(drawing)
    if key not in _codes:
        from reportlab.graphics import renderPDF
        from reportlab.pdfgen.canvas import Canvas

        scratch = Canvas(io.BytesIO())
        start = len(scratch._code)
        renderPDF.draw(drawing, scratch, 0, 0)
        code = scratch._code[start:]
        _codes[key] = None if any(_RESOURCE_OPERATORS.search(op) for op in code) else code
    return _codes[key]


def _svg_form(canvas, picture: Picture) -> tuple[str, float, float]:
    """The picture's form in this PDF (written on first use): name and drawing size."""
    from reportlab.graphics import renderPDF

    drawing = load_drawing(picture.path)
    name = _form_names[id(drawing)]
    width, height = float(drawing.width), float(drawing.height)
    if not canvas.hasForm(name):
        canvas.beginForm(name, 0, 0, width, height)
        code = _drawing_code(drawing)
        if code is None:
            renderPDF.draw(drawing, canvas, 0, 0)
        else:
            canvas._code.extend(code)
        canvas.endForm()
    return name, width, height


@drawer(PictureBox)
def draw_picture(canvas, box: PictureBox, x: float, y: float) -> None:
    """A picture scaled into its measured size, centred in the box's width."""
    left = x + box.art_x
    if box.picture.kind == "raster":
        canvas.drawImage(str(box.picture.path), left, y, box.art_width, box.art_height, mask="auto")
        return
    name, width, height = _svg_form(canvas, box.picture)
    canvas.saveState()
    canvas.translate(left, y)
    canvas.scale(box.art_width / width, box.art_height / height)
    canvas.doForm(name)
    canvas.restoreState()
