"""Booklets: sections that flow over pages, a page per technique, real page numbers.

A booklet layout lists sections. A `flow` section runs over as many pages as it needs
(text splits between lines, headings stay with what follows); a `one-page` section is
fitted onto one page (type scaled from the design size down to the minimum) or
reported as an error, never clipped. Composition runs in passes: the first finds
where every section starts and how many notes pages pad the booklet to a multiple of
four, the last fills the contents with those page numbers and checks nothing moved.

Pages are numbered from the cover (page 1); inner pages print their number at the
outer corner, and the PDF's page labels, outline and metadata match.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFPageLabel
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from printshop.content.document import Document
from printshop.content.models import Layout, SectionSpec
from printshop.errors import UserError
from printshop.layout import booklet_blocks  # noqa: F401 - registers the booklet blocks
from printshop.layout.blocks import build_block
from printshop.layout.booklet_blocks import BookCtx, ContentsEntry, Fill
from printshop.layout.boxes import Column, FlowColumns, Gap
from printshop.layout.compose import FOOTER_GAP, PAPER, Fit, Rendered, fit_steps, new_canvas
from printshop.text.typeset import TextFlow, TextStyle, draw_text_line, register_fonts

PLACEHOLDER = "88"  # page numbers in the first pass: as wide as real ones


@dataclass
class Page:
    section: SectionSpec
    items: list[Flowable]
    gap: float = 0.0
    used: float = 0.0  # flow pages: height taken so far
    flow: bool = False


@dataclass(frozen=True)
class Mark:
    """A place in the outline (and the contents): title, level, page index."""

    title: str
    level: int
    page: int
    key: str
    listed: bool = True


@dataclass
class Composed:
    pages: list[Page]
    marks: list[Mark]
    body: float  # smallest body size used, pt


@dataclass
class Geometry:
    width: float  # trim size
    height: float
    frame_width: float
    frame_height: float
    bleed: float
    overdraw: float


def geometry(layout: Layout, bleed: float) -> Geometry:
    width, height = PAPER[layout.paper]
    m = layout.margins
    return Geometry(
        width,
        height,
        width - m.inner - m.outer,
        height - m.top - m.bottom - FOOTER_GAP,
        bleed,
        max(m.inner, m.outer, m.top, m.bottom) + bleed + 1,
    )


def pieces(flowable: Flowable) -> list[Flowable]:
    """A block's flowables as pieces a page may break between.

    Undecorated columns open up into their children (with their gaps as Gap pieces);
    the first child stays with the next piece, so a heading never ends a page.
    """
    if isinstance(flowable, FlowColumns) and flowable.columns == 1:
        flowable = Column(flowable.children, gap=flowable.gap_y)
    plain = isinstance(flowable, Column) and not (
        flowable.fill or flowable.border or flowable.padding or flowable.center
    )
    if not plain or len(flowable.children) < 2:
        return [flowable]
    subs = [pieces(child) for child in flowable.children]
    out: list[Flowable] = []
    for i, sub in enumerate(subs):
        if i:
            out.append(Gap(flowable.gap))
        out += sub
    if len(subs[0]) == 1 and len(out) >= 3:
        out[0:3] = [Column([out[0], out[2]], gap=flowable.gap)]
    return out


def _good_break(parts: list[Flowable], width: float, room: float) -> bool:
    """A split that fits and leaves no single line alone (no widows, no orphans)."""
    if parts[0].wrap(width, room)[1] > room + 1e-6:
        return False
    if isinstance(parts[0], TextFlow):
        parts[1].wrap(width, room)
        return parts[0].lines_count >= 2 and parts[1].lines_count >= 2
    return True


def _fills(flowable: Flowable) -> list[Fill]:
    if isinstance(flowable, Fill):
        return [flowable]
    found: list[Fill] = []
    for child in getattr(flowable, "children", []) or []:
        found += _fills(child[0] if isinstance(child, tuple) else child)
    return found


@dataclass
class Composer:
    doc: Document
    layout: Layout
    geo: Geometry
    cache: dict[tuple[int, int], tuple[Page, float]] = field(default_factory=dict)

    def ctx(self, step: Fit, **where: object) -> BookCtx:
        scale = step.body / self.layout.type.body
        return BookCtx(
            self.doc,
            self.layout,
            scale,
            step.tighten,
            overdraw=self.geo.overdraw,
            frame=(self.geo.frame_width, self.geo.frame_height),
            **where,
        )

    def blocks(self, sec: SectionSpec, ctx: BookCtx) -> list[Flowable]:
        return [f for ref in sec.blocks for f in build_block(ctx, ref.block, ref.options)]

    # -- one-page sections ------------------------------------------------------
    def _trial(self, sec: SectionSpec, step: Fit, where: dict) -> tuple[Column | None, float]:
        ctx = self.ctx(step, **where)
        flowables = self.blocks(sec, ctx)
        if not flowables:
            return None, 0.0
        column = Column(flowables, gap=self.layout.gutter * ctx.scale)
        _w, h = column.wrap(self.geo.frame_width, self.geo.frame_height)
        return column, h - self.geo.frame_height

    def one_page(self, sec: SectionSpec, where: dict, what: str) -> tuple[Page, float] | None:
        """The section's blocks fitted onto one page, at the largest type that fits."""
        steps = fit_steps(self.layout)
        column, over = self._trial(sec, steps[0], where)
        if column is None:
            return None
        best: tuple[Column, Fit, float] | None = None
        if over <= 0:
            best = (column, steps[0], over)
        else:
            low, high = 1, len(steps) - 1
            while low <= high:  # more text never fits at a larger size
                mid = (low + high) // 2
                trial, trial_over = self._trial(sec, steps[mid], where)
                if trial is not None and trial_over <= 0:
                    best, high = (trial, steps[mid], trial_over), mid - 1
                else:
                    low = mid + 1
        if best is None:
            _c, over = self._trial(sec, steps[-1], where)
            raise UserError(
                f"{self.doc.lang} / {self.layout.name}: {what} overflows its page by "
                f"{over / mm:.0f} mm at the {self.layout.type.body_min:g} pt minimum; "
                "shorten the text or let the section flow (fit: flow) in the layout"
            )
        column, step, over = best
        fills = _fills(column)
        for fill in fills:  # hand the space left over to the page-filling pieces
            fill.extra = -over / len(fills)
        return Page(sec, [column]), step.body

    # -- flowing sections -------------------------------------------------------
    def flow(self, sec: SectionSpec, pages: list[Page]) -> int | None:
        """Place a flowing section; returns the index of the page it starts on."""
        ctx = self.ctx(fit_steps(self.layout)[0])
        flowables = self.blocks(sec, ctx)
        if not flowables:
            return None
        queue: list[Flowable] = []
        for i, flowable in enumerate(flowables):
            if i:
                queue.append(Gap(self.layout.gutter))
            queue += pieces(flowable)
        if sec.start == "same-page" and pages and pages[-1].flow and pages[-1].items:
            queue.insert(0, Gap(self.layout.gutter * 1.6))
        else:
            pages.append(Page(sec, [], flow=True))
        width, height = self.geo.frame_width, self.geo.frame_height
        first: int | None = None
        while queue:
            item = queue.pop(0)
            page = pages[-1]
            room = height - page.used
            if isinstance(item, Gap) and not page.items:
                continue  # no space at the top of a page
            _w, h = item.wrap(width, height)
            if h <= room + 1e-6:
                page.items.append(item)
                page.used += h
            else:
                parts = [] if isinstance(item, Gap) else item.split(width, room)
                if len(parts) >= 2 and _good_break(parts, width, room):
                    page.items.append(parts[0])
                    page.used += parts[0].height
                    queue[0:0] = parts[1:]
                elif not page.items:
                    raise UserError(
                        f"{self.doc.lang} / {self.layout.name}: a part of section '{sec.id}' "
                        f"is {h / mm:.0f} mm tall, more than a page ({height / mm:.0f} mm)"
                    )
                else:
                    queue.insert(0, item)
                pages.append(Page(sec, [], flow=True))
                continue
            if first is None and not isinstance(item, Gap):
                first = len(pages) - 1
        while pages and not pages[-1].items:
            pages.pop()
        return first

    # -- the whole booklet ------------------------------------------------------
    def compose(self, contents: tuple[ContentsEntry, ...], pad: int) -> Composed:
        pages: list[Page] = []
        marks: list[Mark] = []
        body = self.layout.type.body
        for index, sec in enumerate(self.layout.sections):
            title = self.doc.ui(sec.title) if sec.title else ""
            start = len(pages)
            if sec.each == "technique":
                tech_marks = []
                for number, tech in enumerate(self.doc.techniques, start=1):
                    where = {"technique": tech, "number": number}
                    placed = self.cache.get((index, -number))
                    if placed is None:
                        placed = self.one_page(sec, where, f"the page for '{tech.id}'")
                        if placed is None:
                            continue
                        self.cache[(index, -number)] = placed
                    tech_marks.append(Mark(tech.name, 1, len(pages), f"t-{tech.id}"))
                    pages.append(placed[0])
                    body = min(body, placed[1])
                if title and tech_marks:
                    marks.append(Mark(title, 0, start, f"s-{sec.id}", sec.contents))
                marks += tech_marks
                continue
            if sec.fit == "flow":
                first = self.flow(sec, pages)
                if first is not None and title:
                    marks.append(Mark(title, 0, first, f"s-{sec.id}", sec.contents))
                continue
            count = sec.pages + (pad if sec.pad else 0)
            for k in range(count):
                uses_contents = any(ref.block == "contents" for ref in sec.blocks)
                key = (index, min(k, sec.pages))
                placed = self.cache.get(key)
                if placed is None or uses_contents:
                    placed = self.one_page(sec, {"contents": contents}, f"section '{sec.id}'")
                    if placed is None:
                        break
                    self.cache[key] = placed
                page, size = placed
                pages.append(Page(sec, list(page.items)))
                body = min(body, size)
            if title and len(pages) > start:
                marks.append(Mark(title, 0, start, f"s-{sec.id}", sec.contents))
        return Composed(pages, marks, body)


def contents_entries(marks: list[Mark], numbers: bool) -> tuple[ContentsEntry, ...]:
    return tuple(
        ContentsEntry(m.title, str(m.page + 1) if numbers else PLACEHOLDER, m.level)
        for m in marks
        if m.listed
    )


def compose_booklet(doc: Document, layout: Layout, bleed: float = 0.0) -> Composed:
    """Pages padded to a multiple of four, contents carrying the real page numbers."""
    composer = Composer(doc, layout, geometry(layout, bleed))
    first = composer.compose(contents_entries(_expected_marks(doc, layout), False), 0)
    pad = -len(first.pages) % 4
    if pad and not any(sec.pad for sec in layout.sections):
        raise UserError(f"layout '{layout.name}': no section has 'pad: true' for blank pages")
    padded = composer.compose(contents_entries(first.marks, False), pad)
    final = composer.compose(contents_entries(padded.marks, True), pad)
    if final.marks != padded.marks or len(final.pages) % 4:
        raise UserError(
            f"{doc.lang} / {layout.name}: the contents changed the page breaks; "
            "keep the contents section on one page"
        )
    return final


def _expected_marks(doc: Document, layout: Layout) -> list[Mark]:
    """The outline entries before pagination (titles only), for the first contents."""
    marks = []
    for sec in layout.sections:
        if sec.title:
            marks.append(Mark(doc.ui(sec.title), 0, 0, sec.id, sec.contents))
        if sec.each == "technique":
            marks += [Mark(t.name, 1, 0, t.id) for t in doc.techniques]
    return marks


# ----------------------------------------------------------------- drawing
def spine_on_left(number: int, rtl: bool) -> bool:
    """Right-hand (odd) pages of a left-bound booklet have the spine on their left."""
    return (number % 2 == 1) != rtl


def draw_folio(canvas: Canvas, doc: Document, layout: Layout, geo: Geometry, number: int) -> None:
    """The page number at the outer corner; a draft mark by the spine."""
    m, t, p = layout.margins, layout.type, layout.palette
    left_spine = spine_on_left(number, doc.direction == "rtl")
    y = geo.bleed + m.bottom * 0.55
    x = geo.bleed + (m.inner if left_spine else m.outer)
    style = TextStyle(size=t.small * 1.15, bold=True, color=p.accent, align="end")
    if not left_spine:
        style = TextStyle(size=t.small * 1.15, bold=True, color=p.accent, align="start")
    draw_text_line(canvas, x, y, str(number), style, width=geo.frame_width)
    if doc.is_draft:
        mark = TextStyle(size=t.small, color=p.muted, align="start" if left_spine else "end")
        draw_text_line(
            canvas,
            x,
            y,
            doc.ui("draft_mark"),
            mark,
            lang=doc.lang,
            direction="ltr",
            width=geo.frame_width * 0.8 if left_spine else geo.frame_width,
        )


def render_booklet(doc: Document, layout: Layout, bleed: bool = False) -> Rendered:
    """The booklet in reading order; with `bleed`, pages carry bleed and a TrimBox."""
    register_fonts()
    b = layout.imposition.bleed if (bleed and layout.imposition) else 0.0
    composed = compose_booklet(doc, layout, b)
    geo = geometry(layout, b)
    buffer = io.BytesIO()
    author = doc.course.instructor if doc.course else doc.site.name
    canvas = new_canvas(buffer, (geo.width + 2 * b, geo.height + 2 * b), doc, layout, author)
    if b:
        canvas.setTrimBox([b, b, b + geo.width, b + geo.height])
        canvas.setBleedBox([0, 0, geo.width + 2 * b, geo.height + 2 * b])
    canvas.addPageLabel(0, style=PDFPageLabel.ARABIC, start=1)
    canvas.showOutline()
    m = layout.margins
    rtl = doc.direction == "rtl"
    by_page: dict[int, list[Mark]] = {}
    for mark in composed.marks:
        by_page.setdefault(mark.page, []).append(mark)
    for index, page in enumerate(composed.pages):
        number = index + 1
        x = b + (m.inner if spine_on_left(number, rtl) else m.outer)
        top = b + geo.height - m.top
        column = Column(page.items, gap=page.gap)
        _w, h = column.wrap(geo.frame_width, geo.frame_height)
        column.drawOn(canvas, x, top - h)
        for mark in by_page.get(index, []):
            canvas.bookmarkPage(mark.key)
            canvas.addOutlineEntry(mark.title, mark.key, mark.level)
        if page.section.page_number:
            draw_folio(canvas, doc, layout, geo, number)
        canvas.showPage()
    canvas.save()
    return Rendered(buffer.getvalue(), len(composed.pages), composed.body)
