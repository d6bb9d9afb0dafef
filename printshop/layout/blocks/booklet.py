"""Blocks for multi-page documents: cover, contents, notes, practice log, back cover."""

from __future__ import annotations

from pydantic import Field

from printshop.content.models import Id
from printshop.layout.blocks.page import logo_line
from printshop.layout.box import Box
from printshop.layout.boxes import Band, Column, Gap, LogTable, RuledLines
from printshop.layout.boxes import Fill as FillBox
from printshop.layout.ctx import Ctx, keep_ltr
from printshop.layout.registry import NoOptions, Options, block

MM = 72 / 25.4
PAGED = ("booklet", "leaflet", "handout")


class CoverOptions(Options):
    art: Id = Field("cover", description="which of the topic's art to show")
    art_height: float = Field(92, ge=20, le=250, description="height of the art band, mm")


def _who(ctx: Ctx) -> list[str]:
    from printshop.layout.blocks.course import who

    return who(ctx)


@block("cover", options=CoverOptions, kinds=PAGED, labels=("instructor_label", "draft_mark"))
def cover_block(ctx: Ctx, options: CoverOptions) -> list[Box]:
    """Title over the cover art; instructor or organisation at the foot."""
    doc, p = ctx.doc, ctx.layout.palette
    art_h = options.art_height * MM
    parts: list[Box | None] = []
    art = doc.art.get(options.art)
    if art is not None:
        picture = ctx.picture(art, art_h * 0.92, art_h * 0.92)
        parts += [Band(picture, p.tint, art_h, ctx.overdraw, "top"), Gap(8 * MM * ctx.scale)]
    parts += [ctx.text(doc.title, "title"), ctx.text(doc.subtitle, "subtitle"), FillBox(6 * MM)]
    foot: list[Box] = []
    if doc.site.logo:
        foot.append(logo_line(ctx))
    if doc.course:
        foot.append(ctx.text(doc.label("instructor_label"), "label", color=p.muted))
    foot += [ctx.text(line, "body") for line in _who(ctx)]
    if doc.is_draft:
        foot.append(ctx.text(doc.label("draft_mark"), "label"))
    if foot:
        parts.append(Column(foot, gap=2 * ctx.scale))
    return [Column(parts, gap=3 * ctx.scale)]


@block("contents", options=NoOptions, kinds=PAGED, labels=("contents_heading",))
def contents_block(ctx: Ctx, options: NoOptions) -> list[Box]:
    """Parts, sections and items with the page each starts on."""
    p = ctx.layout.palette
    rows: list[Box] = [ctx.heading(ctx.doc.label("contents_heading")), Gap(2 * MM * ctx.scale)]
    for entry in ctx.contents:
        if entry.level == 0:
            title = ctx.text(entry.title, "body", bold=True)
            page = ctx.text(entry.page, "body", bold=True, align="end", direction="ltr")
        else:
            title = ctx.bullet(entry.title, "·", "body")
            page = ctx.text(entry.page, "body", color=p.muted, align="end", direction="ltr")
        indent = 0.0 if entry.level == 0 else 5 * MM
        rows.append(
            ctx.row([(Gap(0), indent), (title, None), (page, 12 * MM)], gap=0, valign="bottom")
        )
    return [Column(rows, gap=1.6 * ctx.scale)]


class NotesOptions(Options):
    spacing: float = Field(9, ge=5, le=30, description="distance between ruled lines, mm")


@block("notes", options=NotesOptions, labels=("notes_heading",))
def notes_block(ctx: Ctx, options: NotesOptions) -> list[Box]:
    """A heading over ruled lines to the foot of the page."""
    lines = RuledLines(ctx.layout.palette.rule, options.spacing * MM)
    return [Column([ctx.heading(ctx.doc.label("notes_heading")), lines], gap=2 * ctx.scale)]


class LogOptions(Options):
    row_height: float = Field(10, ge=5, le=30, description="height of a row to write in, mm")
    min_rows: int = Field(8, ge=1, le=40, description="rows the page must have room for")


@block(
    "practice-log",
    options=LogOptions,
    labels=("practice_log_heading", "log_day", "log_time", "log_what", "log_response"),
)
def practice_log_block(ctx: Ctx, options: LogOptions) -> list[Box]:
    """A table to fill in by hand: day, time, what you did, how the baby responded."""
    doc, p = ctx.doc, ctx.layout.palette
    keys = ("log_day", "log_time", "log_what", "log_response")
    labels: list[Box] = [ctx.text(doc.label(k), "label", size=9.5) for k in keys]
    table = LogTable(
        labels,
        [0.9, 0.9, 1.5, 2.4],
        p.rule,
        p.tint,
        options.row_height * MM,
        options.min_rows,
        ctx.rtl,
    )
    return [Column([ctx.heading(doc.label("practice_log_heading")), table], gap=4 * ctx.scale)]


class BackCoverOptions(Options):
    art: Id = Field("cover", description="which of the topic's art to show")
    art_height: float = Field(40, ge=10, le=120, description="height of the art band, mm")


@block(
    "back-cover",
    options=BackCoverOptions,
    kinds=PAGED,
    labels=("instructor_label", "leaflet_code", "revised", "draft_mark"),
)
def back_cover_block(ctx: Ctx, options: BackCoverOptions) -> list[Box]:
    """Who to contact, leaflet code and revision date, over a band at the foot."""
    doc, p = ctx.doc, ctx.layout.palette
    site, course = doc.site, doc.course
    lines: list[Box] = [ctx.text(doc.title, "heading")]
    if site.name:
        lines.append(ctx.text(site.name, "body", bold=True))
    if site.phone:
        lines.append(ctx.text(keep_ltr(site.phone), "body"))
    if course:
        people = [course.instructor, course.organisation, course.phone, course.email]
        people.append(course.website.removeprefix("https://"))
        lines.append(ctx.text(doc.label("instructor_label"), "label", color=p.muted))
        lines += [ctx.text(keep_ltr(v), "body") for v in people if v]
    codes = []
    if site.leaflet_code:
        codes.append(f"{doc.label('leaflet_code')} {keep_ltr(site.leaflet_code)}")
    if site.revision_date:
        codes.append(f"{doc.label('revised')} {keep_ltr(site.revision_date.isoformat())}")
    if doc.is_draft:
        codes.append(doc.label("draft_mark"))
    parts: list[Box | None] = [
        FillBox(0),
        Column(lines, gap=2 * ctx.scale),
        Gap(6 * MM),
        ctx.text("  ·  ".join(codes), "small") if codes else None,
        Gap(6 * MM),
    ]
    art = doc.art.get(options.art)
    if art is not None:
        art_h = options.art_height * MM
        picture = ctx.picture(art, art_h * 0.8, art_h * 0.8)
        parts.append(Band(picture, p.tint, art_h, ctx.overdraw, "bottom"))
    return [Column(parts, gap=2 * ctx.scale)]
