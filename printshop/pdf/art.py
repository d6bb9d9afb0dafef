"""SVG artwork -> reportlab Drawing, sanitised first, cached per process.

Every SVG goes through :func:`_sanitise` before svglib sees it. The sanitiser is strict
on purpose: our own artwork needs none of what it refuses, and a site may point the
engine at artwork it did not draw. Nothing is ever fetched: the parser runs with
``no_network=True`` and ``resolve_entities=False``, DOCTYPE/ENTITY declarations are
refused outright, and every ``href`` must be an internal ``#id`` reference.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from lxml import etree
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from printshop.errors import UserError

ASSETS_DIR: Path = (Path(__file__).resolve().parents[2] / "assets").resolve()

MAX_BYTES = 256 * 1024
MAX_ELEMENTS = 5000
MAX_DRAWN = 10000  # elements after <use> references are expanded (stops <use> bombs)
MAX_UNITS = 10000.0

# Directories SVGs may be loaded from. Sites with their own artwork (and tests) add
# theirs with add_art_root(); nothing outside these roots is ever opened.
_ROOTS: list[Path] = [ASSETS_DIR]

# Expected viewBox per asset folder (relative to ASSETS_DIR), checked by check_art.
EXPECTED_VIEWBOX: dict[str, tuple[float, float, float, float]] = {
    "illustrations": (0, 0, 400, 300),
    "icons": (0, 0, 48, 48),
    "art/cover.svg": (0, 0, 400, 400),
    "art/header.svg": (0, 0, 600, 120),
}
MAX_SHIPPED_BYTES = 60 * 1024  # our own assets stay well under the hard limit

_FORBIDDEN_TAGS = {"script", "foreignobject", "image", "iframe", "embed", "object", "audio"}
_FORBIDDEN_TAGS |= {"video", "handler", "listener", "feimage"}
_INTERNAL_REF = re.compile(r"^#[A-Za-z_][\w.\-:]*$")
_URL_FUNC = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")

_cache: dict[tuple[str, int, int], Drawing] = {}
_form_names: dict[int, str] = {}  # id of a cached drawing -> its PDF form name


def add_art_root(root: Path) -> None:
    """Allow SVGs under ``root`` (e.g. a site's own asset folder) to be loaded."""
    resolved = Path(root).resolve()
    if resolved not in _ROOTS:
        _ROOTS.append(resolved)


def _resolve(path: Path) -> Path:
    path = Path(path)
    if not path.is_absolute():
        path = ASSETS_DIR / path
    resolved = path.resolve()
    if resolved.suffix.lower() != ".svg":
        raise UserError("artwork must be an .svg file", path)
    if not any(resolved.is_relative_to(root) for root in _ROOTS):
        raise UserError("artwork is outside the allowed asset folders", path)
    if not resolved.is_file():
        raise UserError("artwork file not found", path)
    return resolved


def _line_of(data: bytes, needle: bytes) -> int | None:
    pos = data.lower().find(needle.lower())
    return None if pos < 0 else data.count(b"\n", 0, pos) + 1


def _check_urls(text: str, path: Path, line: int | None, what: str) -> None:
    for match in _URL_FUNC.finditer(text):
        if not _INTERNAL_REF.match(match.group(2).strip()):
            raise UserError(f"{what} refers to something outside the file: url(...)", path, line)
    if "@import" in text.lower():
        raise UserError(f"{what} uses @import", path, line)


def _units(value: str, path: Path, line: int | None, what: str) -> list[float]:
    numbers = [float(n) for n in _NUMBER.findall(value)]
    if any(abs(n) > MAX_UNITS for n in numbers):
        raise UserError(f"{what} is too large (over {MAX_UNITS:g} units)", path, line)
    return numbers


def _sanitise(path: Path) -> etree._Element:
    """Parse ``path`` safely and refuse anything active, external or oversized."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise UserError(f"SVG is too large ({size // 1024} KB, limit 256 KB)", path)
    data = path.read_bytes()
    for needle in (b"<!DOCTYPE", b"<!ENTITY"):
        line = _line_of(data, needle)
        if line is not None:
            raise UserError(f"SVG must not contain {needle.decode()} declarations", path, line)

    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UserError(f"SVG is not well-formed XML: {exc.msg}", path, exc.lineno) from None
    if root is None or etree.QName(root).localname != "svg":
        raise UserError("not an SVG file (root element is not <svg>)", path)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise UserError("SVG must not contain a DOCTYPE", path)

    count = 0
    for node in root.iter():
        count += 1
        if count > MAX_ELEMENTS:
            raise UserError(
                f"SVG has too many elements (over {MAX_ELEMENTS})", path, node.sourceline
            )
        line = node.sourceline
        if isinstance(node, etree._Entity):
            raise UserError("SVG must not use entities", path, line)
        if isinstance(node, etree._ProcessingInstruction):
            raise UserError("SVG must not contain processing instructions", path, line)
        if not isinstance(node.tag, str):
            continue
        name = etree.QName(node).localname
        if name.lower() in _FORBIDDEN_TAGS:
            raise UserError(f"SVG must not contain <{name}>", path, line)
        if name == "style" and node.text:
            _check_urls(node.text, path, line, "<style>")
        for attr, value in node.attrib.items():
            local = etree.QName(attr).localname
            if local.lower().startswith("on"):
                raise UserError(f"SVG must not contain event handlers ({local})", path, line)
            if local == "href" and not _INTERNAL_REF.match(value.strip()):
                raise UserError(
                    f"SVG href must be an internal #id reference: {value!r}", path, line
                )
            if "url(" in value.lower() or "@import" in value.lower():
                _check_urls(value, path, line, f"attribute {local}")
        if name == "svg":
            for attr in ("viewBox", "width", "height"):
                if node.get(attr) is not None:
                    _units(node.get(attr), path, line, attr)
            box = node.get("viewBox")
            if box is not None:
                nums = _units(box, path, line, "viewBox")
                if len(nums) != 4 or nums[2] <= 0 or nums[3] <= 0:
                    raise UserError(f"SVG viewBox is invalid: {box!r}", path, line)
    _check_use_expansion(root, path)
    return root


def _check_use_expansion(root: etree._Element, path: Path) -> None:
    """Count elements as drawn, each <use> counting its target again: refuses <use>
    chains that multiply (a "billion laughs" in SVG) and circular references."""
    by_id = {node.get("id"): node for node in root.iter() if node.get("id")}

    def targets(node: etree._Element) -> list[etree._Element]:
        found = list(node) if isinstance(node.tag, str) else []
        if isinstance(node.tag, str) and etree.QName(node).localname == "use":
            for attr, value in node.attrib.items():
                if etree.QName(attr).localname == "href" and value.strip()[1:] in by_id:
                    found.append(by_id[value.strip()[1:]])
        return found

    cost: dict[etree._Element, int] = {}
    visiting: set[etree._Element] = set()
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:  # iterative post-order walk: deep chains cannot overflow the stack
        node, done = stack.pop()
        if done:
            visiting.discard(node)
            cost[node] = 1 + sum(cost[t] for t in targets(node))
            if cost[node] > MAX_DRAWN:
                raise UserError(
                    f"SVG draws more than {MAX_DRAWN} elements once <use> references are expanded",
                    path,
                    node.sourceline,
                )
            continue
        if node in cost:
            continue
        if node in visiting:
            raise UserError("SVG has a circular <use> reference", path, node.sourceline)
        visiting.add(node)
        stack.append((node, True))
        stack.extend((t, False) for t in targets(node) if t not in cost)


def load_art(path: Path) -> Drawing:
    """Load an SVG as a reportlab Drawing (sanitised, parsed once per process).

    Raises UserError naming the file (and line where known) if the SVG is refused.
    The drawing is shared (cached): treat it as read-only; ArtFlowable only reads it.
    """
    resolved = _resolve(path)
    stat = resolved.stat()
    key = (str(resolved), stat.st_mtime_ns, stat.st_size)
    drawing = _cache.get(key)
    if drawing is None:
        from svglib.svglib import SvgRenderer  # imported late: svglib is slow to import

        root = _sanitise(resolved)
        try:
            drawing = SvgRenderer(str(resolved)).render(root)
        except Exception as exc:  # svglib raises assorted errors on odd input
            raise UserError(f"SVG could not be drawn: {exc}", resolved) from None
        if drawing is None:
            raise UserError("SVG could not be drawn", resolved)
        # content-derived name for the PDF form: same file, same bytes in every build
        _form_names[id(drawing)] = "Art" + hashlib.sha1(resolved.read_bytes()).hexdigest()[:16]
        _cache[key] = drawing
    return drawing


def _use_bundled_font_for_drawings() -> None:
    """renderPDF starts every drawing with setFont(Helvetica), an unembedded base font;
    point it at the bundled NotoSans so every PDF embeds all the fonts it names."""
    from reportlab.graphics import shapes

    from printshop.text.typeset import register_fonts

    if shapes.STATE_DEFAULTS.get("fontName") != "NotoSans":
        register_fonts()
        shapes.STATE_DEFAULTS["fontName"] = "NotoSans"


_RESOURCE_OPERATORS = re.compile(r"\s(Tf|gs|Do|sh|scn|SCN)$|/Pattern")
_codes: dict[int, list[str] | None] = {}


def _drawing_code(drawing: Drawing) -> list[str] | None:
    """The drawing's PDF operators, made once per process and reused in every PDF.

    Turning a drawing into operators is a quarter of a catalog build. Our artwork uses
    paths and colours only; a drawing whose operators name a PDF resource (font, state,
    pattern) would depend on the document, so it is drawn afresh instead (None).
    """
    key = id(drawing)
    if key not in _codes:
        scratch = Canvas(io.BytesIO(), initialFontName="NotoSans")
        start = len(scratch._code)
        renderPDF.draw(drawing, scratch, 0, 0)
        code = scratch._code[start:]
        _codes[key] = None if any(_RESOURCE_OPERATORS.search(op) for op in code) else code
    return _codes[key]


class ArtFlowable(Flowable):
    """A drawing scaled uniformly into a box and centered horizontally, as vectors."""

    def __init__(self, drawing: Drawing, max_width: float, max_height: float) -> None:
        super().__init__()
        self.drawing = drawing
        dw, dh = float(drawing.width), float(drawing.height)
        self.scale = min(max_width / dw, max_height / dh) if dw > 0 and dh > 0 else 1.0
        self.art_width = dw * self.scale
        self.art_height = dh * self.scale
        self.box_width = max_width
        self.hAlign = "CENTER"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = min(self.box_width, max(avail_width, self.art_width))
        self.height = self.art_height
        return self.width, self.height

    def draw(self) -> None:
        """Each picture is written once per PDF as a form (it clips to its own box) and
        placed by reference wherever it is used again."""
        _use_bundled_font_for_drawings()
        canv = self.canv
        name = _form_names.get(id(self.drawing)) or f"Art{id(self.drawing):x}"
        if not canv.hasForm(name):
            canv.beginForm(name, 0, 0, float(self.drawing.width), float(self.drawing.height))
            code = _drawing_code(self.drawing)
            if code is None:
                renderPDF.draw(self.drawing, canv, 0, 0)
            else:
                canv._code.extend(code)
            canv.endForm()
        canv.saveState()
        canv.translate((self.width - self.art_width) / 2.0, 0)
        canv.scale(self.scale, self.scale)
        canv.doForm(name)
        canv.restoreState()


def art_flowable(path: Path, max_width: float, max_height: float) -> Flowable:
    """The SVG at ``path`` scaled (aspect kept) to fit the box, centered horizontally."""
    return ArtFlowable(load_art(path), max_width, max_height)


def _expected_viewbox(resolved: Path) -> tuple[float, ...] | None:
    try:
        rel = resolved.relative_to(ASSETS_DIR).as_posix()
    except ValueError:
        return None
    if rel in EXPECTED_VIEWBOX:
        return EXPECTED_VIEWBOX[rel]
    folder = rel.split("/", 1)[0]
    if "/" in rel and rel.count("/") == 1:
        return EXPECTED_VIEWBOX.get(folder)
    return None


def check_art(path: Path) -> list[str]:
    """Problems with one artwork file (empty list = fine), for `makebook check` and tests."""
    try:
        resolved = _resolve(path)
        drawing = load_art(resolved)
    except UserError as exc:
        return [str(exc)]
    problems: list[str] = []
    where = str(resolved)
    root = _sanitise(resolved)  # cheap for our sizes; already known to pass
    if resolved.stat().st_size > MAX_SHIPPED_BYTES:
        problems.append(f"{where}: larger than {MAX_SHIPPED_BYTES // 1024} KB")
    for node in root.iter("{*}text", "text", "{*}tspan", "{*}textPath"):
        problems.append(f"{where}:{node.sourceline}: contains text; artwork must carry no words")
        break
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        for attr, value in node.attrib.items():
            low = value.lower()
            if "data:" in low or "http:" in low or "https:" in low or "file:" in low:
                name = etree.QName(attr).localname
                problems.append(f"{where}:{node.sourceline}: external or embedded data in {name}")
    nums = [float(n) for n in _NUMBER.findall(root.get("viewBox", ""))]
    expected = _expected_viewbox(resolved)
    if len(nums) != 4:
        problems.append(f"{where}: has no viewBox")
    elif expected is not None and tuple(nums) != tuple(float(v) for v in expected):
        box = " ".join(f"{v:g}" for v in expected)
        problems.append(f"{where}: viewBox should be '{box}'")
    if not drawing.contents or not drawing.getContents():
        problems.append(f"{where}: draws nothing")
    else:
        x0, y0, x1, y1 = drawing.getBounds()
        tol = 0.5
        if x1 - x0 <= 0 or y1 - y0 <= 0:
            problems.append(f"{where}: draws nothing visible")
        elif x0 < -tol or y0 < -tol or x1 > drawing.width + tol or y1 > drawing.height + tol:
            problems.append(
                f"{where}: drawing spills outside its viewBox "
                f"(bounds {x0:.1f},{y0:.1f},{x1:.1f},{y1:.1f})"
            )
    return problems
