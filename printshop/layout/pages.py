"""Page geometry and furniture: text frames, footers and folios, as placed boxes.

Pages are numbered from 1. In a bound document the spine is on the left of odd pages
(on the right in a right-to-left one); the inner margin is on the spine's side.
"""

from __future__ import annotations

from dataclasses import dataclass

from printshop.content.document import Document
from printshop.content.i18n import format_date
from printshop.content.layouts import Footer, Layout
from printshop.layout.box import Box
from printshop.layout.boxes import Rule
from printshop.layout.textbox import TextBox
from printshop.text.fonts import Fonts
from printshop.text.paragraph import TextStyle

MM = 72 / 25.4
FOOTER_GAP = 5 * MM  # between the text frame and the bottom margin
MIN_FOOTER_SIZE = 6.0


@dataclass(frozen=True)
class Frame:
    """The writable area of a page: bottom-left corner and size, in points."""

    x: float
    y: float
    width: float
    height: float


def spine_on_left(number: int, rtl: bool) -> bool:
    """Right-hand (odd) pages of a left-bound document have the spine on their left."""
    return (number % 2 == 1) != rtl


def frame(layout: Layout, number: int, rtl: bool) -> Frame:
    width, height = layout.page_size
    m = layout.margins
    left = m.inner if spine_on_left(number, rtl) else m.outer
    return Frame(
        left,
        m.bottom + FOOTER_GAP,
        width - m.inner - m.outer,
        height - m.top - m.bottom - FOOTER_GAP,
    )


def footer_values(doc: Document, page: int, total: int) -> dict[str, str]:
    site = doc.site
    revised = format_date(site.revision_date, doc.lang) if site.revision_date else ""
    return {
        "site_name": site.name,
        "leaflet_code": site.leaflet_code,
        "leaflet": f"{doc.label('leaflet_code')} {site.leaflet_code}" if site.leaflet_code else "",
        "revised": f"{doc.label('revised')} {revised}" if revised else "",
        "page_n_of_m": doc.label("page_n_of_m", n=page, total=total),
        "page": str(page),
        "title": doc.title,
        "draft": doc.label("draft_mark") if doc.is_draft else "",
    }


def fill(template: str, values: dict[str, str]) -> str:
    """Fill {placeholders}; drop separators left dangling by empty values."""
    text = template
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    parts = [p.strip() for p in text.split("·")]
    return "  ·  ".join(p for p in parts if p)


Placed = tuple[Box, float, float]


class Furniture:
    """Builds the footer (or folio) of each page of one document."""

    def __init__(self, doc: Document, layout: Layout, fonts: Fonts) -> None:
        self.doc = doc
        self.layout = layout
        self.fonts = fonts

    def _line(self, text: str, style: TextStyle, width: float, direction: str) -> TextBox:
        box = TextBox.line(self.fonts, text, style, lang=self.doc.lang, direction=direction)
        box.measure(width)
        return box

    def _at_baseline(self, box: TextBox, x: float, baseline: float) -> Placed:
        _x, offset, _line = box.placed_lines()[0]
        return box, x, baseline - offset

    def _styles(self, spec: Footer) -> tuple[TextStyle, TextStyle]:
        t, p = self.layout.type, self.layout.palette
        small = TextStyle(size=t.small, color=p.muted)
        if spec.style == "folio":
            return small, TextStyle(size=t.small * 1.15, bold=True, color=p.accent)
        return small, small

    def footer(self, number: int, total: int) -> list[Placed]:
        spec = self.layout.footer
        if spec is None:
            return []
        doc, t = self.doc, self.layout.type
        values = footer_values(doc, number, total)
        fr = frame(self.layout, number, doc.rtl)
        baseline = self.layout.margins.bottom - t.small if spec.baseline is None else spec.baseline
        plain, folio = self._styles(spec)
        if spec.sides == "spine":
            near_spine = spine_on_left(number, doc.rtl)
            left, right = (spec.start, spec.end) if near_spine else (spec.end, spec.start)
            left_style, right_style = (plain, folio) if near_spine else (folio, plain)
        else:
            left, right = (spec.end, spec.start) if doc.rtl else (spec.start, spec.end)
            left_style = right_style = plain
        slots = [
            (fill(left, values), left_style, "start", "ltr"),
            (fill(spec.center, values), plain, "center", doc.direction),
            (fill(right, values), right_style, "end", "ltr"),
        ]
        placed: list[Placed] = []
        size = self._fitting_size([s for s in slots if s[0]], fr.width)
        for text, style, align, direction in slots:
            if text:
                style = TextStyle(
                    **{**style.__dict__, "align": align, "size": min(style.size, size)}
                )
                placed.append(
                    self._at_baseline(self._line(text, style, fr.width, direction), fr.x, baseline)
                )
        if spec.below and fill(spec.below, values):
            style = TextStyle(
                size=t.small, bold=True, color=self.layout.palette.ink, align="center"
            )
            line = self._line(fill(spec.below, values), style, fr.width, doc.direction)
            placed.append(self._at_baseline(line, fr.x, baseline - t.small * 1.5))
        if spec.rule:
            rule = Rule(self.layout.palette.rule, thickness=0.5, space=0.0)
            rule.measure(fr.width)
            placed.append((rule, fr.x, baseline + t.small * 1.6 - 0.25))
        return placed

    def _fitting_size(self, slots: list, width: float) -> float:
        """The largest size (down to 6 pt) at which the slots sit side by side."""
        floor = max(MIN_FOOTER_SIZE, self.layout.type.smallest)
        size = max((style.size for _t, style, _a, _d in slots), default=floor)
        gap = 4 * MM
        while size > floor:
            natural = 0.0
            for text, style, _align, direction in slots:
                scaled = TextStyle(**{**style.__dict__, "size": min(style.size, size)})
                natural += TextBox.line(
                    self.fonts, text, scaled, lang=self.doc.lang, direction=direction
                ).natural_width()
            if natural + gap * (len(slots) - 1) <= width:
                break
            size -= 0.25
        return size
