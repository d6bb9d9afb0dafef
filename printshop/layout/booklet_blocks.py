"""Blocks that only booklets use: cover, contents, welcome, one technique per page, the
routine, the practice log, notes, references and the back cover.

They register in the same registry as the handout blocks (`@block`), so a booklet
layout lists them by name next to shared blocks such as `benefits` or `safety`.
Booklet blocks read the page they are on from a `BookCtx`: which technique, the
contents with page numbers, the bleed around the page.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from printshop.content.document import Technique
from printshop.layout.blocks import Ctx, block, keep_ltr
from printshop.layout.boxes import Column, Gap, Grid
from printshop.pdf.art import art_flowable
from printshop.pdf.images import logo_flowable
from printshop.pdf.qr import QrFlowable
from printshop.text.typeset import TextFlow, TextStyle, draw_text_line


@dataclass(frozen=True)
class ContentsEntry:
    title: str
    page: str  # as printed
    level: int = 0  # 0 section, 1 technique


@dataclass(frozen=True)
class BookCtx(Ctx):
    """A Ctx that also knows where in the booklet it is."""

    technique: Technique | None = None
    number: int = 0  # the technique's place in the routine, from 1
    contents: tuple[ContentsEntry, ...] = ()
    overdraw: float = 0.0  # how far page-edge bands may reach past the frame (clipped)
    frame: tuple[float, float] = (0.0, 0.0)  # width and height of the page's text frame


def book(ctx: Ctx) -> BookCtx:
    if not isinstance(ctx, BookCtx):
        raise TypeError("booklet blocks need a booklet layout (kind: booklet)")
    return ctx


def format_date(value: dt.date, lang: str) -> str:
    """A date as people write it in the language ('12 Jan 2027'); ISO if unknown."""
    from babel.core import UnknownLocaleError
    from babel.dates import format_date as babel_date

    try:
        return babel_date(value, format="medium", locale=lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return value.isoformat()


def own_text(ctx: Ctx, text: str, role: str = "body", **changes: Any) -> Flowable:
    """Text from the instructor's course file, in whatever language it was written.

    Left-to-right text on a right-to-left page keeps its own order (the full stop stays
    at its end) and lines up with the page's right edge.
    """
    if ctx.rtl and not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
        return ctx.text(text, role, direction="ltr", **{"align": "end", **changes})
    return ctx.text(text, role, **changes)


# ----------------------------------------------------------------- page-filling pieces
class Fill(Flowable):
    """Takes the space left on a one-page section (the composer sets `extra`).

    Subclasses draw in that space: ruled lines, a table. `min_height` is what it needs
    at least; fitting counts only that.
    """

    fills = True

    def __init__(self, min_height: float = 0.0) -> None:
        super().__init__()
        self.min_height = min_height
        self.extra = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.min_height + self.extra
        return self.width, self.height

    def draw(self) -> None:
        return None


class RuledLines(Fill):
    """Evenly spaced lines to write on, filling the space they are given."""

    def __init__(self, color: str, spacing: float, min_lines: int = 6) -> None:
        super().__init__(spacing * min_lines)
        self.color = color
        self.spacing = spacing

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(HexColor(self.color))
        canvas.setLineWidth(0.6)
        y = self.height - self.spacing
        while y >= -0.01:
            canvas.line(0, y, self.width, y)
            y -= self.spacing
        canvas.restoreState()


class LogTable(Fill):
    """A table to fill in by hand: labelled columns over as many ruled rows as fit."""

    def __init__(
        self,
        labels: list[TextFlow],
        shares: list[float],
        color: str,
        tint: str,
        row_height: float,
        min_rows: int,
        rtl: bool,
    ) -> None:
        super().__init__(0.0)
        self.labels = labels
        self.shares = [s / sum(shares) for s in shares]
        self.color = color
        self.tint = tint
        self.row_height = row_height
        self.min_rows = min_rows
        self.rtl = rtl
        self.pad = 3.0
        self.header = 0.0

    def _columns(self, width: float) -> list[tuple[float, float]]:
        """(x, width) of each column, first column on the reading-start side."""
        spans, x = [], 0.0
        for share in self.shares:
            spans.append((x, share * width))
            x += share * width
        if self.rtl:
            spans = [(width - x - w, w) for x, w in spans]
        return spans

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        cols = self._columns(avail_width)
        heights = [
            label.wrap(w - 2 * self.pad, avail_height)[1]
            for label, (_x, w) in zip(self.labels, cols, strict=True)
        ]
        self.header = max(heights) + 2 * self.pad
        self.min_height = self.header + self.min_rows * self.row_height
        return super().wrap(avail_width, avail_height)

    def draw(self) -> None:
        canvas = self.canv
        cols = self._columns(self.width)
        rows = int((self.height - self.header + 0.01) // self.row_height)
        bottom = self.height - self.header - rows * self.row_height
        canvas.saveState()
        canvas.setFillColor(HexColor(self.tint))
        canvas.rect(0, self.height - self.header, self.width, self.header, stroke=0, fill=1)
        canvas.setStrokeColor(HexColor(self.color))
        canvas.setLineWidth(0.6)
        for i in range(rows + 2):
            y = self.height - (self.header + (i - 1) * self.row_height if i else 0)
            canvas.line(0, y, self.width, y)
        for x, w in cols:
            canvas.line(x, bottom, x, self.height)
            canvas.line(x + w, bottom, x + w, self.height)
        canvas.restoreState()
        for label, (x, w) in zip(self.labels, cols, strict=True):
            _lw, lh = label.wrap(w - 2 * self.pad, self.header)
            label.drawOn(canvas, x + self.pad, self.height - self.pad - lh)


class Band(Flowable):
    """Art on a tinted band that runs off the page edges (into the bleed when there is one).

    The band reaches `overdraw` past the frame on the sides and on its open edge (top
    or bottom); the page clips it. `child` is centered on the band.
    """

    def __init__(
        self, child: Flowable, color: str, height: float, overdraw: float, edge: str = "top"
    ) -> None:
        super().__init__()
        self.child = child
        self.color = color
        self.band_height = height
        self.overdraw = overdraw
        self.edge = edge

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self._child = self.child.wrap(avail_width, self.band_height)
        self.height = self.band_height
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        o = self.overdraw
        canvas.saveState()
        canvas.setFillColor(HexColor(self.color))
        y0 = 0.0 if self.edge == "top" else -o
        canvas.rect(-o, y0, self.width + 2 * o, self.height + o, stroke=0, fill=1)
        canvas.restoreState()
        cw, ch = self._child
        self.child.drawOn(canvas, (self.width - cw) / 2, (self.height - ch) / 2)


class Badge(Flowable):
    """A technique's number in a filled circle."""

    def __init__(self, number: int, size: float, fill: str) -> None:
        super().__init__()
        self.number = number
        self.size = size
        self.fill = fill

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = self.height = self.size
        return self.size, self.size

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(HexColor(self.fill))
        r = self.size / 2
        canvas.circle(r, r, r, stroke=0, fill=1)
        canvas.restoreState()
        style = TextStyle(size=self.size * 0.52, bold=True, color="#ffffff", align="center")
        draw_text_line(canvas, 0, r - self.size * 0.18, str(self.number), style, width=self.size)


# ----------------------------------------------------------------- blocks
def _who(ctx: Ctx) -> list[str]:
    """Who hands the booklet out: instructor and organisation, else the site."""
    course, site = ctx.doc.course, ctx.doc.site
    lines = []
    if course:
        lines.append(f"**{course.instructor}**")
        if course.organisation:
            lines.append(course.organisation)
    if site.name and (not course or site.name != course.organisation):
        lines.append(site.name)
    return lines


@block("cover")
def cover_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    """Title over the cover illustration; instructor or organisation at the foot."""
    b, doc, p = book(ctx), ctx.doc, ctx.layout.palette
    art_h = float(options.get("art_height", 92)) * mm
    art = art_flowable(ctx.asset(options.get("art", "art/cover.svg")), art_h * 0.92, art_h * 0.92)
    parts: list[Flowable] = [
        Band(art, p.tint, art_h, b.overdraw, "top"),
        Gap(8 * mm * ctx.scale),
        ctx.text(doc.title, "title"),
        ctx.text(doc.subtitle, "subtitle"),
        Fill(6 * mm),
    ]
    foot: list[Flowable] = []
    if doc.course:
        foot.append(ctx.text(doc.ui("instructor_label"), "label", color=p.muted))
    foot += [ctx.text(line, "body") for line in _who(ctx)]
    if doc.site.logo:
        foot.insert(0, logo_flowable(doc.site.logo, 30 * mm, 10 * mm))
    if doc.is_draft:
        foot.append(ctx.text(doc.ui("draft_mark"), "label"))
    if foot:
        parts.append(Column(foot, gap=2 * ctx.scale))
    return [Column(parts, gap=3 * ctx.scale)]


@block("contents")
def contents_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    """Sections and techniques with the page each starts on."""
    b, p = book(ctx), ctx.layout.palette
    rows: list[Flowable] = [ctx.heading(ctx.doc.ui("contents_heading")), Gap(2 * mm * ctx.scale)]
    num_w = 12 * mm
    for entry in b.contents:
        if entry.level == 0:
            title = ctx.text(entry.title, "body", bold=True)
            page = ctx.text(entry.page, "body", bold=True, align="end", direction="ltr")
        else:
            title = ctx.item(entry.title, "·", "body")
            page = ctx.text(entry.page, "body", color=p.muted, align="end", direction="ltr")
        indent = 0.0 if entry.level == 0 else 5 * mm
        rows.append(
            ctx.row([(Gap(0), indent), (title, None), (page, num_w)], gap=0, valign="bottom")
        )
    return [Column(rows, gap=1.6 * ctx.scale)]


@block("welcome")
def welcome_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    """Welcome, how to use the booklet, the instructor's own note and contact details."""
    doc, p = ctx.doc, ctx.layout.palette
    parts: list[Flowable] = [
        ctx.heading(doc.ui("welcome_heading")),
        ctx.text(doc.ui("welcome_text"), "lead"),
    ]
    course = doc.course
    if course and course.welcome:
        parts.append(own_text(ctx, course.welcome, "body", italic=True))
        parts.append(own_text(ctx, f"— {course.instructor}", "body", italic=True, align="end"))
    if course:
        who = ", ".join(_who(ctx))
        reach = [course.phone, course.email, course.website.removeprefix("https://")]
        reach_line = "  ·  ".join(keep_ltr(v) for v in reach if v)
        contact = [
            ctx.text(f"**{doc.ui('instructor_label')}:** {who}", "body"),
            ctx.text(reach_line, "body") if reach_line else None,
        ]
        parts.append(Column(contact, gap=1.5 * ctx.scale, padding=5 * ctx.scale, fill=p.tint))
    return [Column(parts, gap=4 * ctx.scale)]


@block("class-plan")
def class_plan_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    """Class time, venue, dates and the week-by-week plan (only with a course file)."""
    doc = ctx.doc
    course = doc.course
    if course is None or not (course.time or course.venue or course.dates or course.weeks):
        return []
    parts: list[Flowable] = [ctx.heading(doc.ui("class_dates_label"))]
    for value in (course.time, course.venue):
        if value:
            parts.append(own_text(ctx, f"**{value}**", "body"))
    dates = [format_date(d, doc.lang) for d in course.dates]
    names = {t.id: t.name for t in doc.techniques}
    count = max(len(dates), len(course.weeks))
    for i in range(count):
        week = course.weeks[i] if i < len(course.weeks) else None
        label = doc.ui("week_label", n=i + 1)
        when = f" · {dates[i]}" if i < len(dates) else ""
        lines = [f"**{label}{when}**" + (f" — {week.title}" if week else "")]
        if week and week.technique_ids:
            lines.append(", ".join(names[t] for t in week.technique_ids))
        parts.append(ctx.text("\n".join(lines), "body"))
        if week and week.note:
            parts.append(own_text(ctx, week.note, "body"))
    return [Column(parts, gap=3 * ctx.scale)]


def _qr_panel(ctx: Ctx, tech: Technique) -> tuple[Flowable, float]:
    qr = QrFlowable(tech.video_url, ctx.layout.qr.size, ctx.layout.qr.error_correction)
    label = ctx.text(ctx.doc.ui("scan_to_watch"), "label", align="center")
    return Column([qr, label], gap=1.5, center=True), qr.size + 4 * mm


@block("technique-page")
def technique_page_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    """One stroke: number and name, a large picture, steps, repeat, tip, QR code."""
    b, p = book(ctx), ctx.layout.palette
    tech = b.technique
    if tech is None:
        raise TypeError("technique-page needs a section with `each: technique`")
    badge = Badge(b.number, 9 * mm * ctx.scale, p.accent)
    title = ctx.row(
        [(badge, 9 * mm * ctx.scale), (ctx.text(tech.name, "heading"), None)],
        valign="middle",
        gap=3 * mm,
    )
    art_w = ctx.layout.illustration_width * min(1.0, ctx.scale)
    art = art_flowable(tech.illustration, art_w, art_w * 0.75)
    steps = [ctx.item(step, f"{i}.") for i, step in enumerate(tech.steps, start=1)]
    tip = Column(
        [ctx.text(f"**{ctx.doc.ui('tip_label')}:** {tech.tip}", "body")],
        padding=4 * ctx.scale,
        fill=p.tint,
        radius=3,
    )
    url = ctx.text(
        tech.short_url, "small", direction="ltr", align="start" if not ctx.rtl else "end"
    )
    code, code_w = _qr_panel(ctx, tech)
    words = Column([tip, url], gap=3 * ctx.scale)
    bottom = ctx.row([(words, None), (code, code_w)], gap=5 * mm, valign="bottom")
    how = Column([*steps, ctx.text(f"**{tech.repeat}**", "body")], gap=2.5 * ctx.scale)
    # the picture and steps at the top, tip and QR code at the foot of every stroke page
    parts = [title, art, how, Fill(0), bottom]
    return [Column(parts, gap=5 * ctx.scale)]


@block("routine")
def routine_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    """Every selected stroke as a small numbered picture, in class order."""
    doc, p = ctx.doc, ctx.layout.palette
    heading = ctx.heading(doc.ui("routine_heading"))
    width, height = book(ctx).frame
    room = height - heading.wrap(width, height)[1] - 4 * ctx.scale
    gap = 3 * mm

    names = [
        ctx.text(f"**{i}.** {tech.name}", "label", align="center", size=9.5)
        for i, tech in enumerate(doc.techniques, start=1)
    ]

    def picture_height(columns: int) -> tuple[float, float]:
        """(picture height, cell width) with this many columns, limited by the page."""
        rows = -(-len(names) // columns)
        cell_w = (width - gap * (columns - 1)) / columns
        name_h = max(n.wrap(cell_w - 4, height)[1] for n in names)
        per_row = (room - gap * (rows - 1)) / rows - name_h - 6
        return min((cell_w - 4) * 0.75, per_row), cell_w

    # as many columns as give the largest pictures
    columns = max(range(2, 7), key=lambda c: picture_height(c)[0])
    pic_h, cell_w = picture_height(columns)
    cells = [
        Column(
            [art_flowable(tech.illustration, cell_w - 4, max(pic_h, 10 * mm)), name],
            gap=2,
            padding=2,
            border=p.rule,
            border_width=0.5,
        )
        for tech, name in zip(doc.techniques, names, strict=True)
    ]
    grid = Grid(cells, columns=columns, gap_x=gap, gap_y=gap, rtl=ctx.rtl)
    return [Column([heading, grid], gap=4 * ctx.scale)]


@block("practice-log")
def practice_log_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    """A table to fill in by hand: day, time, strokes, how the baby responded."""
    doc, p = ctx.doc, ctx.layout.palette
    keys = ("log_day", "log_time", "log_strokes", "log_response")
    labels = [ctx.text(doc.ui(k), "label", size=9.5) for k in keys]
    table = LogTable(
        labels,
        [0.9, 0.9, 1.5, 2.4],
        p.rule,
        p.tint,
        float(options.get("row_height", 10)) * mm,
        int(options.get("min_rows", 8)),
        ctx.rtl,
    )
    return [Column([ctx.heading(doc.ui("practice_log_heading")), table], gap=4 * ctx.scale)]


@block("notes")
def notes_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    """A notes page: a heading over ruled lines to the foot of the page."""
    lines = RuledLines(ctx.layout.palette.rule, float(options.get("spacing", 9)) * mm)
    return [Column([ctx.heading(ctx.doc.ui("notes_heading")), lines], gap=2 * ctx.scale)]


@block("references")
def references_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    """Full citations, one per line, numbered as the benefits cite them."""
    doc = ctx.doc
    size = float(options.get("size", 9.5))
    items: list[Flowable] = []
    for ref in doc.references:
        ident = f" doi:{ref.doi}" if ref.doi else (f" PMID {ref.pmid}" if ref.pmid else "")
        # citations are Latin-script data in every language: always left to right
        items.append(
            TextFlow(
                f"{ref.citation}{ident}",
                ctx.style("body", size=size, leading=1.25),
                lang="en",
                direction="ltr",
                bullet=f"[{ref.number}]",
                bullet_width=size * 2.2,
            )
        )
    parts = [
        ctx.heading(doc.ui("references_heading")),
        ctx.text(doc.ui("evidence_note"), "body"),
        Column(items, gap=2.5 * ctx.scale),
    ]
    return [Column(parts, gap=4 * ctx.scale)]


@block("back-cover")
def back_cover_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    """Who to contact, leaflet code and revision date, over a band at the foot."""
    b, doc, p = book(ctx), ctx.doc, ctx.layout.palette
    site, course = doc.site, doc.course
    lines: list[Flowable] = [ctx.text(doc.title, "heading")]
    if site.name or site.phone:
        lines.append(ctx.text(site.name, "body", bold=True) if site.name else Gap(0))
        if site.phone:
            lines.append(ctx.text(keep_ltr(site.phone), "body"))
    if course:
        who = [course.instructor, course.organisation, course.phone, course.email]
        who.append(course.website.removeprefix("https://"))
        lines.append(ctx.text(doc.ui("instructor_label"), "label", color=p.muted))
        lines += [ctx.text(keep_ltr(v), "body") for v in who if v]
    codes = []
    if site.leaflet_code:
        codes.append(f"{doc.ui('leaflet_code')} {keep_ltr(site.leaflet_code)}")
    if site.revision_date:
        codes.append(f"{doc.ui('revised')} {keep_ltr(site.revision_date.isoformat())}")
    if doc.is_draft:
        codes.append(doc.ui("draft_mark"))
    foot = ctx.text("  ·  ".join(codes), "small") if codes else Gap(0)
    art_h = float(options.get("art_height", 40)) * mm
    art = art_flowable(ctx.asset(options.get("art", "art/cover.svg")), art_h * 0.8, art_h * 0.8)
    parts = [
        Fill(0),
        Column(lines, gap=2 * ctx.scale),
        Gap(6 * mm),
        foot,
        Gap(6 * mm),
        Band(art, p.tint, art_h, b.overdraw, "bottom"),
    ]
    return [Column(parts, gap=2 * ctx.scale)]


__all__ = ["BookCtx", "ContentsEntry", "Fill"]
