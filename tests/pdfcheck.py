"""Reading PDFs back for tests: text, characters' boxes and sizes, QR codes, fonts."""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import yaml
from pypdf import PdfReader

MM = 72 / 25.4


def normalise(text: str) -> str:
    """Whitespace folded, soft line-break hyphens kept as they are."""
    return re.sub(r"\s+", " ", text.replace("\ufffe", "").replace("\x02", "")).strip()


def page_texts(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    return [normalise(page.get_textpage().get_text_range()) for page in pdf]


def char_boxes(path: Path) -> list[tuple[int, float, float, float, float, float, float]]:
    """(page, left, bottom, right, top, page width, page height) for every visible char."""
    boxes = []
    pdf = pdfium.PdfDocument(str(path))
    for index, page in enumerate(pdf):
        width, height = page.get_size()
        textpage = page.get_textpage()
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if not char.strip():
                continue
            left, bottom, right, top = textpage.get_charbox(i)
            boxes.append((index, left, bottom, right, top, width, height))
    return boxes


def decode_qr_codes(path: Path, dpi: int = 150, gray: bool = True) -> list[list[str]]:
    """Every QR code on every page, decoded from a raster render."""
    import zxingcpp

    pdf = pdfium.PdfDocument(str(path))
    found = []
    for page in pdf:
        image = page.render(scale=dpi / 72, grayscale=gray).to_pil()
        results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        found.append(sorted(r.text for r in results))
    return found


def fonts_embedded(path: Path) -> list[tuple[str, bool]]:
    """(font name, has an embedded font file) for every font used."""
    reader = PdfReader(str(path))
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for _key, ref in (resources.get("/Font") or {}).items():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            has_file = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font.get("/BaseFont"))] = has_file
    return sorted(fonts.items())


@dataclass(frozen=True)
class Char:
    """One character as drawn: its text, font size (pt, from the page), box and baseline."""

    text: str
    size: float
    left: float
    bottom: float
    right: float
    top: float
    baseline: float = 0.0


def page_chars(path: Path) -> list[list[Char]]:
    """Every character of every page with the font size pdfium reads from the content."""
    pages = []
    x, y = ctypes.c_double(), ctypes.c_double()
    for page in pdfium.PdfDocument(str(path)):
        textpage = page.get_textpage()
        chars = []
        for i in range(textpage.count_chars()):
            size = pdfium_c.FPDFText_GetFontSize(textpage, i)
            pdfium_c.FPDFText_GetCharOrigin(textpage, i, ctypes.byref(x), ctypes.byref(y))
            box = textpage.get_charbox(i)
            chars.append(Char(textpage.get_text_range(i, 1), size, *box, baseline=y.value))
        pages.append(chars)
    return pages


def short_lines(path: Path, longest: float = 12 * MM) -> list[list[tuple[float, ...]]]:
    """Every short straight line drawn on each page (fold and cut marks): the bounds
    (left, bottom, right, top) of path objects thinner than 1 pt and at most `longest`."""
    pages = []
    for page in pdfium.PdfDocument(str(path)):
        found = []
        for obj in page.get_objects(max_depth=3):
            if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
                continue
            left, bottom, right, top = obj.get_bounds()
            thin, long = sorted((right - left, top - bottom))
            if thin < 1 and 1 < long <= longest:
                found.append((left, bottom, right, top))
        pages.append(found)
    return pages


def layout_yaml(layout_file: Path) -> dict:
    """A layout file as plain YAML, with what it `extends:` merged in (mappings key by
    key): what the file says, read without the engine under test."""
    spec = yaml.safe_load(layout_file.read_text(encoding="utf-8"))
    parent_name = spec.pop("extends", None)
    if parent_name is None:
        return spec
    parent = layout_yaml(layout_file.parent / f"{parent_name}.yaml")

    def merge(a, b):
        if isinstance(a, dict) and isinstance(b, dict):
            return {**a, **{k: merge(a[k], v) if k in a else v for k, v in b.items()}}
        return b

    return merge(parent, spec)


def find_chars(chars: list[Char], text: str, length: int = 40) -> list[Char]:
    """The visible characters where the page shows `text` (its first `length` characters,
    whitespace folded); [] when the page does not show it."""
    joined, where = "", []
    for index, char in enumerate(chars):
        ch = " " if char.text.isspace() else char.text
        if ch == " " and (not joined or joined.endswith(" ")):
            continue
        joined += ch
        where.append(index)
    wanted = normalise(text)[:length]
    start = joined.find(wanted)
    if start < 0:
        return []
    found = [chars[where[i]] for i in range(start, start + len(wanted))]
    return [c for c in found if not c.text.isspace()]


def body_limits(layout_file: Path) -> tuple[float, float, float]:
    """(design body size, minimum body size, bottom margin), in pt, as the layout file
    says them: read with plain YAML, not with the engine under test."""
    spec = yaml.safe_load(layout_file.read_text(encoding="utf-8"))
    while "extends" in spec:  # a layout that changes another: the other's values first
        parent = yaml.safe_load((layout_file.parent / f"{spec.pop('extends')}.yaml").read_text())
        spec = {**parent, **spec, "type": {**parent.get("type", {}), **spec.get("type", {})}}
    units = {"mm": MM, "in": 72.0, "pt": 1.0}
    bottom = str(spec["margins"]["bottom"]).strip()
    unit = next((u for u in units if bottom.endswith(u)), "pt")
    margin = float(bottom.removesuffix(unit)) * units[unit]
    return float(spec["type"]["body"]), float(spec["type"]["body_min"]), margin


def outline(path: Path) -> list[tuple[str, int, int]]:
    """(title, level, 0-based page) for every entry of the PDF's outline, in order."""
    reader = PdfReader(str(path))
    entries = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                entries.append((item.title, level, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return entries
