"""Page geometry and furniture: text frames, footers and folios, as placed boxes.

Pages are numbered from 1. In a bound document the spine is on the left of odd pages
(on the right in a right-to-left one); the inner margin is on the spine's side.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from printshop.content.document import Document
from printshop.content.i18n import format_date
from printshop.content.layouts import Footer, Layout
from printshop.errors import UserError
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
            Slot(fill(left, values), left_style, "start", "ltr"),
            Slot(fill(spec.center, values), plain, "center", doc.direction),
            Slot(fill(right, values), right_style, "end", "ltr"),
        ]
        placed, top = self._row(slots, fr, baseline)
        if spec.below and fill(spec.below, values):
            style = TextStyle(
                size=t.small, bold=True, color=self.layout.palette.ink, align="center"
            )
            slot = Slot(fill(spec.below, values), style, "center", doc.direction)
            placed.append(self._below(slot, fr, baseline - t.small * 1.5))
        if spec.rule:
            rule = Rule(self.layout.palette.rule, thickness=0.5, space=0.0)
            rule.measure(fr.width)
            placed.append((rule, fr.x, max(baseline + t.small * 1.6 - 0.25, top + 1.5)))
        return placed

    # ------------------------------------------------------------- fitting the slots
    @property
    def _floor(self) -> float:
        """The smallest footer size: 6 pt, or the layout's own smallest (large print)."""
        return max(MIN_FOOTER_SIZE, self.layout.type.smallest)

    def _box(self, slot: Slot, size: float, width: float | None = None) -> TextBox:
        """The slot's text at `size` (never above its own): one line, or wrapped to `width`."""
        style = replace(slot.style, align=slot.align, size=min(slot.style.size, size))
        if width is None:
            return TextBox.line(
                self.fonts, slot.text, style, lang=self.doc.lang, direction=slot.direction
            )
        style = replace(style, leading=1.15)
        return TextBox(self.fonts, slot.text, style, lang=self.doc.lang, direction=slot.direction)

    def _row(self, slots: list[Slot], fr: Frame, baseline: float) -> tuple[list[Placed], float]:
        """Start, centre and end slots on one baseline, never overlapping, never past the
        frame's sides: the largest size (down to the floor) at which they sit side by side with
        the centre slot centred, else moved between the others; at the floor the widest slot
        wraps onto a second line above. Returns the boxes and the top of the tallest."""
        width = fr.width
        top_size = max((s.style.size for s in slots if s.text), default=self._floor)
        size = top_size
        while True:
            boxes = [self._box(s, size) if s.text else None for s in slots]
            spans = _spans([b.natural_width() if b else 0.0 for b in boxes], width)
            if spans is not None:
                return self._place(boxes, spans, fr, baseline)
            if size <= self._floor:
                break
            size = max(self._floor, size - 0.25)
        return self._wrapped(slots, boxes, fr, baseline)

    def _place(
        self,
        boxes: list[TextBox | None],
        spans: list[tuple[float, float]],
        fr: Frame,
        baseline: float,
    ) -> tuple[list[Placed], float]:
        placed: list[Placed] = []
        top = baseline
        for box, (x, room) in zip(boxes, spans, strict=True):
            if box is None:
                continue
            box.measure(room)
            lines = box.placed_lines()
            # the last line sits on the baseline; lines before it (wrapped) above
            placed.append((box, fr.x + x, baseline - lines[-1].y))
            top = max(top, baseline - lines[-1].y + box.height)
        return placed, top

    def _wrapped(
        self, slots: list[Slot], boxes: list[TextBox | None], fr: Frame, baseline: float
    ) -> tuple[list[Placed], float]:
        """At the smallest size, the widest slot wraps into the room the others leave."""
        widths = [b.natural_width() if b else 0.0 for b in boxes]
        widest = max(range(3), key=lambda i: widths[i])
        others = sum(w for i, w in enumerate(widths) if i != widest)
        count = sum(1 for b in boxes if b is not None)
        room = fr.width - others - FOOTER_SLOT_GAP * (count - 1)
        box = self._box(slots[widest], self._floor, room)
        if room > 0:
            box.measure(room)
        if room <= 0 or box.lines_count > 2 or box.natural_width() > room + 0.01:
            texts = " | ".join(s.text for s in slots if s.text)
            raise UserError(
                f"the footer does not fit across the page even at {self._floor:g} pt "
                f"({texts[:120]}); shorten the site's name or leaflet code, or the footer "
                "labels of this language"
            )
        boxes = list(boxes)
        boxes[widest] = box
        widths[widest] = room
        spans = _spans(widths, fr.width, centred=False)
        assert spans is not None
        return self._place(boxes, spans, fr, baseline)

    def _below(self, slot: Slot, fr: Frame, baseline: float) -> Placed:
        """The line under the footer (the draft mark): shrunk to fit, wrapped at the floor."""
        size = slot.style.size
        while True:
            box = self._box(slot, size)
            if box.natural_width() <= fr.width or size <= self._floor:
                break
            size = max(self._floor, size - 0.25)
        if box.natural_width() > fr.width:
            box = self._box(slot, self._floor, fr.width)
        box.measure(fr.width)
        return box, fr.x, baseline - box.placed_lines()[0].y


FOOTER_SLOT_GAP = 4 * MM  # at least this much between two footer slots


@dataclass(frozen=True)
class Slot:
    """One footer slot: its text, style, where it sits (start/center/end), direction."""

    text: str
    style: TextStyle
    align: str
    direction: str


def _spans(
    widths: list[float], width: float, centred: bool = True
) -> list[tuple[float, float]] | None:
    """(x, room) of the start, centre and end slots in a row `width` wide, or None when
    they cannot sit side by side with FOOTER_SLOT_GAP between them. The centre slot is
    centred on the row when it can be, else placed between the other two."""
    left, centre, right = widths
    gap = FOOTER_SLOT_GAP
    used = [w for w in widths if w > 0]
    if sum(used) + gap * (len(used) - 1) > width + 1e-6:
        return None
    sides = [(0.0, width), None, (0.0, width)]
    if centre <= 0:
        return [sides[0], (0.0, 0.0), sides[2]]
    side = max(left + gap if left else 0.0, right + gap if right else 0.0)
    if centred and side + centre / 2 <= width / 2 + 1e-6:
        return [sides[0], (0.0, width), sides[2]]
    start = left + gap if left else 0.0
    end = width - (right + gap if right else 0.0)
    return [sides[0], (start, max(end - start, centre)), sides[2]]
