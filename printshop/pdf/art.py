"""Pictures as PDF: each SVG drawn once per PDF as a clipped form, raster logos as images.

SVG files were sanitised when the document was resolved (`content.assets`); here they
become PDF operators through svglib and reportlab, once: the operators of each file
are kept per process and, in the on-disk cache (`printshop.cache`), across processes,
keyed by the file's bytes and the engine that compiled them. A cached form is checked
before use: sizes finite and positive, every line made only of the path, colour and
state operators our artwork compiles to. Each PDF that places a picture writes its
form once, under a name derived from the file's bytes (the same in every build, so
output stays byte-identical), and draws it wherever the picture appears.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from printshop import cache
from printshop.content.assets import MAX_BYTES, sanitise
from printshop.errors import UserError
from printshop.files import read_capped
from printshop.layout.boxes import PictureBox
from printshop.pdf.draw import drawer

FORM_KIND = "svg-form"
COMPILED_BY = (("printshop.pdf.art", "printshop.content.assets"), ("svglib", "reportlab", "lxml"))
_RESOURCE_OPERATORS = re.compile(r"\s(Tf|gs|Do|sh|scn|SCN)$|/Pattern")
_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)"
_OPERATOR = r"(?:q|Q|cm|w|J|j|d|M|i|RG|rg|G|g|K|k|m|l|c|v|y|h|re|n|S|s|f\*?|F|B\*?|b\*?|W\*?)"
_TOKEN = rf"(?:{_NUM}|\[(?: ?{_NUM})* ?\]|{_OPERATOR})"
# a line of compiled art: path, colour and graphics-state operators and their numbers;
# or the text state reportlab sets up (no text is ever shown)
_SAFE_LINE = re.compile(rf"{_TOKEN}(?: {_TOKEN})*|BT /F\d+ {_NUM} Tf {_NUM} TL ET")
_MAX_SIZE = 1e7  # pt; any drawing svglib makes of a sanitised file is far smaller

_drawings: dict[tuple[str, int, int], object] = {}
_forms: dict[tuple[str, int, int], Form] = {}


@dataclass(frozen=True)
class Form:
    """An SVG compiled for PDF: its form name, size (pt) and operators (None: the
    drawing names a PDF resource, so it is drawn afresh in each PDF)."""

    name: str
    width: float
    height: float
    code: tuple[str, ...] | None


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
        _drawings[key] = drawing
    return drawing


def _start_drawings_with(font_name: str) -> None:
    """Drawings start in `font_name` (the document's text face), not in Helvetica: no PDF
    names an unembedded font, and no text state is compiled into the operators."""
    from reportlab.graphics import shapes

    shapes.STATE_DEFAULTS["fontName"] = font_name


def _drawing_code(drawing, font_name: str) -> tuple[str, ...] | None:
    """The drawing's PDF operators, or None when they name a PDF resource (font, state,
    pattern): those depend on the document the drawing is placed in."""
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    _start_drawings_with(font_name)
    scratch = Canvas(io.BytesIO())
    start = len(scratch._code)
    renderPDF.draw(drawing, scratch, 0, 0)
    code = tuple(scratch._code[start:])
    return None if any(_RESOURCE_OPERATORS.search(op) for op in code) else code


def _cached_form(entry: dict | None, name: str) -> Form | None:
    """The form a cache entry holds, if every part of it is what we write."""
    if entry is None:
        return None
    width = cache.positive(entry.get("width"), _MAX_SIZE)
    height = cache.positive(entry.get("height"), _MAX_SIZE)
    code = entry.get("code")
    if width is None or height is None or not isinstance(code, list):
        return None
    if not all(isinstance(line, str) and _SAFE_LINE.fullmatch(line) for line in code):
        return None
    return Form(name, width, height, tuple(code))


def svg_form(path: Path, font_name: str) -> Form:
    """The SVG at `path` compiled for PDF: from this process, the cache, or svglib
    (drawing from `font_name`, a registered TrueType face)."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    form = _forms.get(key)
    if form is not None:
        return form
    data = read_capped(path, MAX_BYTES, "SVG")
    name = "Art" + hashlib.sha1(data).hexdigest()[:16]
    entry_key = cache.entry_key(FORM_KIND, data, cache.fingerprint(*COMPILED_BY))
    form = _cached_form(cache.read(entry_key), name)
    if form is None:
        drawing = load_drawing(path)
        code = _drawing_code(drawing, font_name)
        form = Form(name, float(drawing.width), float(drawing.height), code)
        if form.code is not None:
            cache.write(
                entry_key, {"width": form.width, "height": form.height, "code": list(form.code)}
            )
    _forms[key] = form
    return form


def _place_form(canvas, path: Path) -> Form:
    """The picture's form in this PDF, written on first use."""
    form = svg_form(path, canvas._initialFontName)
    if not canvas.hasForm(form.name):
        canvas.beginForm(form.name, 0, 0, form.width, form.height)
        if form.code is None:
            from reportlab.graphics import renderPDF

            _start_drawings_with(canvas._initialFontName)
            renderPDF.draw(load_drawing(path), canvas, 0, 0)
        else:
            canvas._code.extend(form.code)
        canvas.endForm()
    return form


@drawer(PictureBox)
def draw_picture(canvas, box: PictureBox, x: float, y: float) -> None:
    """A picture scaled into its measured size, centred in the box's width."""
    left = x + box.art_x
    if box.picture.kind == "raster":
        canvas.drawImage(str(box.picture.path), left, y, box.art_width, box.art_height, mask="auto")
        return
    form = _place_form(canvas, box.picture.path)
    canvas.saveState()
    canvas.translate(left, y)
    canvas.scale(box.art_width / form.width, box.art_height / form.height)
    canvas.doForm(form.name)
    canvas.restoreState()
