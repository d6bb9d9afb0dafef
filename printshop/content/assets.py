"""Pictures named by content and site files: checked, sized, never trusted.

Every SVG is sanitised before anything draws it. The sanitiser is strict on purpose:
our own artwork needs none of what it refuses, and a site may point the engine at
artwork it did not draw. Nothing is ever fetched: the parser runs with
``no_network=True`` and ``resolve_entities=False``, DOCTYPE/ENTITY declarations are
refused outright, every ``href`` must be an internal ``#id`` reference, and every
number must be finite and of a sane size. PNG and JPEG logos are checked with Pillow
(size, pixel count, format, truncation) before anything decodes them for drawing.

`picture(path)` gives a `Picture`: the checked file and its intrinsic size, which is
all layout needs to place it. Results are cached per file version in the process, and
for SVG in the on-disk cache (`printshop.cache`): an entry keyed by the file's bytes and
this module's source records that exactly these bytes passed exactly this sanitiser,
and the size it found; any other bytes, or a changed sanitiser, are checked afresh.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from printshop import cache
from printshop.content.document import Picture
from printshop.errors import UserError
from printshop.files import read_capped, regular_file

if TYPE_CHECKING:
    from lxml import etree

CHECKED_KIND = "svg-checked"
CHECKED_BY = (("printshop.content.assets",), ("lxml",))
MAX_BYTES = 256 * 1024
MAX_ELEMENTS = 5000
MAX_DRAWN = 10000  # elements after <use> references are expanded (stops <use> bombs)
MAX_UNITS = 10000.0  # the svg element's own width, height and viewBox
MAX_COORDINATE = 1e6  # any number in any attribute
MAX_SCALE = 1e4  # what nested transforms may stretch a drawing by

_FORBIDDEN_TAGS = {"script", "foreignobject", "image", "iframe", "embed", "object", "audio"}
_FORBIDDEN_TAGS |= {"video", "handler", "listener", "feimage"}
_TEXT_TAGS = {"text", "tspan", "textpath", "tref", "font", "font-face", "glyph"}
_INTERNAL_REF = re.compile(r"^#[A-Za-z_][\w.\-:]*$")
_URL_FUNC = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_NOT_FINITE = re.compile(r"(?<![a-z])(nan|inf|infinity)(?![a-z])", re.IGNORECASE)
_TEXT_ATTRIBUTES = {"id", "class", "href", "font-family", "lang", "space"}
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b")
MIN_UNITS = 0.01  # the smallest width or height a drawing may have
MAX_ASPECT = 100.0  # how much wider than high (or the other way) a drawing may be


def _line_of(data: bytes, needle: bytes) -> int | None:
    pos = data.lower().find(needle.lower())
    return None if pos < 0 else data.count(b"\n", 0, pos) + 1


def _check_urls(text: str, path: Path, line: int | None, what: str) -> None:
    for match in _URL_FUNC.finditer(text):
        if not _INTERNAL_REF.match(match.group(2).strip()):
            raise UserError(f"{what} refers to something outside the file: url(...)", path, line)
    if "@import" in text.lower():
        raise UserError(f"{what} uses @import", path, line)


def _check_numbers(value: str, path: Path, line: int | None, what: str) -> None:
    """Every number drawn must be finite and of a size a page can hold."""
    value = _HEX_COLOUR.sub(" ", value)  # '#1e9999' is a colour, not 10 to the 9999
    if _NOT_FINITE.search(value):
        raise UserError(
            f"attribute {what} has a number that is not finite ({value[:30]!r})", path, line
        )
    for number in _NUMBER.findall(value):
        if abs(float(number)) > MAX_COORDINATE:
            raise UserError(f"attribute {what} has a number too large ({number[:20]})", path, line)


def _units(value: str, path: Path, line: int | None, what: str) -> list[float]:
    numbers = [float(n) for n in _NUMBER.findall(value)]
    if any(abs(n) > MAX_UNITS for n in numbers):
        raise UserError(f"{what} is too large (over {MAX_UNITS:g} units)", path, line)
    return numbers


def sanitise(path: Path) -> etree._Element:
    """Parse ``path`` safely and refuse anything active, external or oversized."""
    from lxml import etree  # imported late: a build whose art is cached never parses SVG

    data = read_capped(path, MAX_BYTES, "SVG")
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
        if "Excessive depth" in str(exc.msg):
            raise UserError("SVG is nested deeper than 256 levels", path, exc.lineno) from None
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
        if name.lower() in _TEXT_TAGS:
            raise UserError(
                f"SVG has text (<{name}>), which would print in a font without its letters or "
                "shaping; convert the text to paths (Inkscape: Path > Object to Path)",
                path,
                line,
            )
        if name == "style" and node.text:
            _check_urls(node.text, path, line, "<style>")
            _check_numbers(node.text, path, line, "<style>")
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
            if local not in _TEXT_ATTRIBUTES:
                _check_numbers(value, path, line, local)
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
    _check_transforms(root, path)
    return root


_TRANSFORM = re.compile(r"(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)", re.I)


def _transform_scale(value: str) -> float:
    """How much one transform attribute can stretch a length, at most."""
    factor = 1.0
    for name, args in _TRANSFORM.findall(value):
        nums = [abs(float(n)) for n in _NUMBER.findall(args)]
        kind = name.lower()
        if kind == "matrix" and len(nums) >= 4:
            factor *= max(nums[0] + nums[1], nums[2] + nums[3])
        elif kind == "scale" and nums:
            factor *= max(nums[:2])
        elif kind in ("skewx", "skewy") and nums:
            factor *= 1 + abs(math.tan(math.radians(nums[0] % 180)))
    return factor


def _check_transforms(root: etree._Element, path: Path) -> None:
    """Nested transforms multiply: refuse a drawing stretched past MAX_SCALE along any
    branch, whose numbers a PDF reader could not hold."""
    from lxml import etree

    stack: list[tuple[etree._Element, float]] = [(root, 1.0)]
    while stack:
        node, scale = stack.pop()
        if not isinstance(node.tag, str):
            continue
        for attr, value in node.attrib.items():
            if etree.QName(attr).localname.lower().endswith("transform"):
                scale *= _transform_scale(value)
        if scale > MAX_SCALE:
            raise UserError(
                f"SVG transforms scale the drawing by more than {MAX_SCALE:g} times "
                "(nested scale or matrix transforms); remove them",
                path,
                node.sourceline,
            )
        stack.extend((child, scale) for child in node)


def _check_use_expansion(root: etree._Element, path: Path) -> None:
    """Count elements as drawn, each <use> counting its target again: refuses <use>
    chains that multiply (a "billion laughs" in SVG) and circular references."""
    from lxml import etree

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


def svg_size(root: etree._Element, path: Path) -> tuple[float, float]:
    """The drawing's size in its own units: width and height, else the viewBox's."""
    nums = [float(n) for n in _NUMBER.findall(root.get("viewBox", ""))]
    sizes = []
    for i, attr in enumerate(("width", "height")):
        own = _NUMBER.match(root.get(attr, "").strip())
        if own and "%" not in root.get(attr, ""):
            sizes.append(float(own.group()))
        elif len(nums) == 4:
            sizes.append(nums[2 + i])
        else:
            sizes.append(0.0)
    if sizes[0] <= 0 or sizes[1] <= 0:
        raise UserError("SVG has no size: give it a viewBox with a width and height above 0", path)
    if min(sizes) < MIN_UNITS:
        raise UserError(
            f"SVG is too small ({sizes[0]:g} x {sizes[1]:g} units; at least {MIN_UNITS:g} "
            "each): give it a viewBox the size of the drawing",
            path,
        )
    if max(sizes) / min(sizes) > MAX_ASPECT:
        raise UserError(
            f"SVG is {sizes[0]:g} x {sizes[1]:g} units: more than {MAX_ASPECT:g} times wider "
            "than high (or higher than wide); give it a viewBox the size of the drawing",
            path,
        )
    return sizes[0], sizes[1]


def _checked_size(entry: dict | None) -> tuple[float, float] | None:
    """The size a cache entry records, if both are sizes `svg_size` could have found."""
    if entry is None:
        return None
    width = cache.positive(entry.get("width"), MAX_UNITS)
    height = cache.positive(entry.get("height"), MAX_UNITS)
    return None if width is None or height is None else (width, height)


def _checked_svg(path: Path) -> Picture:
    """A sanitised SVG's picture: the sanitiser runs unless these very bytes passed it."""
    data = read_capped(path, MAX_BYTES, "SVG")
    key = cache.entry_key(CHECKED_KIND, data, cache.fingerprint(*CHECKED_BY))
    size = _checked_size(cache.read(key))
    if size is None:
        size = svg_size(sanitise(path), path)
        cache.write(key, {"width": size[0], "height": size[1]})
    return Picture(path, size[0], size[1], "svg")


@lru_cache(maxsize=512)
def _picture(path: Path, _mtime_ns: int, _size: int) -> Picture:
    if path.suffix.lower() == ".svg":
        return _checked_svg(path)
    width, height = _check_raster(path)
    return Picture(path, float(width), float(height), "raster")


def picture(path: Path) -> Picture:
    """A checked picture file (SVG, PNG or JPEG) and its size; raises UserError if refused."""
    info = regular_file(path, "picture")  # a FIFO or device is refused before it is opened
    return _picture(path, info.st_mtime_ns, info.st_size)


MAX_LOGO_BYTES = 2_000_000
MAX_LOGO_PIXELS = 4000 * 4000  # refuses decompression bombs before decoding


def _check_raster(path: Path) -> tuple[int, int]:
    """Pixel size of a PNG/JPEG logo; refuses huge, broken or disguised files."""
    from PIL import Image  # only sites with raster logos need Pillow

    data = read_capped(path, MAX_LOGO_BYTES, "logo")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
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
