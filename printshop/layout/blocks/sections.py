"""Blocks that print a topic's sections of one kind: icon lists, cue pairs, lists, boxes.

Each block prints every section of its kind, in topic order (or the one named by the
`section` option), with the section's own heading, icon and items. Words are read
through pickers, so a bilingual page prints each text again in the second language.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from printshop.content.document import Document, Section
from printshop.layout.box import Box, Mark
from printshop.layout.boxes import Column, FlowColumns, Row, WriteIn
from printshop.layout.ctx import Ctx, between_items, keep_ltr, lead_in, refs, ui
from printshop.layout.registry import SectionOptions, block
from printshop.text.breaks import no_spaces


def with_mark(box: Box, section: Section, options: SectionOptions, ctx: Ctx) -> Box:
    """The section's heading becomes an outline entry pointing at the box's page; a
    second section of the same block sits a section gap below the first."""
    box.origin = section.id
    if options.outline and section.heading:
        box.marks = (Mark(section.heading, 0, f"s-{section.id}"),)
    if section is not ctx.doc.of_kind(section.kind, options.section)[0]:
        box.gap_before = ctx.section_gap
    return box


def heading_of(section: Section, which: str = "all"):
    """A picker for a section's heading (the handout's own heading for a handout set)."""
    return lambda d: d.section(section.id).title(which)


class IconListOptions(SectionOptions):
    columns: int = Field(2, ge=1, le=4, description="balanced columns of items")
    form: Literal["short", "full"] = Field("short", description="short (handouts) or full texts")
    set: Literal["all", "handout"] = Field("all", description="every item, or the handout's")


def icon_line(doc: Document, section_id: str, index: int, form: str) -> str:
    """'**Title.** text [1, 2]' for an item with a title, else its text."""
    item = doc.section(section_id).items[index]
    markers = refs(item.ref_numbers)
    if no_spaces(doc.lang):
        markers = markers.lstrip()
    return lead_in(doc.lang, item.title, item.text(form)) + markers


@block("icon-list", options=IconListOptions)
def icon_list_block(ctx: Ctx, options: IconListOptions) -> list[Box]:
    """Items with their icons in balanced columns, under the section's heading."""
    out: list[Box] = []
    for section in ctx.doc.of_kind("icon-list", options.section):
        items = [
            ctx.icon_text(item.icon, lambda d, s=section.id, i=i: icon_line(d, s, i, options.form))
            for i, item in enumerate(section.items)
            if item.handout or options.set == "all"
        ]
        columns = FlowColumns(
            items, columns=options.columns, gap_x=12 * ctx.scale, gap_y=4.5 * ctx.scale, rtl=ctx.rtl
        )
        heading = ctx.heading(heading_of(section), section.icon)
        out.append(with_mark(ctx.section([heading, columns]), section, options, ctx))
    return out


class CueOptions(SectionOptions):
    form: Literal["columns", "strip"] = Field(
        "columns", description="two columns of bullets, or one line per group (handouts)"
    )
    groups: Literal["all", "last"] = Field(
        "all",
        description="every group, or the last only: the cues to stop, a reminder where "
        "room is short (a card's back)",
    )
    heading: bool = Field(True, description="the section's heading above the cues")


def group_line(doc: Document, section_id: str, group: int) -> str:
    """'**Ready:** looks at you · bright face · …' (one line per group)."""
    g = doc.section(section_id).groups[group]
    sep = "：" if no_spaces(doc.lang) else ": "
    joiner = "・" if no_spaces(doc.lang) else between_items(g.label)
    return f"**{g.label}{sep}**" + joiner.join(item.short for item in g.items)


@block("cue-pairs", options=CueOptions)
def cue_pairs_block(ctx: Ctx, options: CueOptions) -> list[Box]:
    """Two groups of cues side by side (or as a strip of one line per group)."""
    out: list[Box] = []
    for section in ctx.doc.of_kind("cue-pairs", options.section):
        sid = section.id
        groups = list(enumerate(section.groups))
        shown = groups[-1:] if options.groups == "last" else groups
        if options.form == "strip":
            lines = [
                ctx.icon_text(g.icon, lambda d, n=n, sid=sid: group_line(d, sid, n))
                for n, g in shown
            ]
            body: Box = Column(lines, gap=2.5 * ctx.scale)
        else:
            sides = []
            for n, group in shown:
                label = ctx.text(
                    lambda d, n=n, sid=sid: d.section(sid).groups[n].label, "subheading"
                )
                title = ctx.row(
                    [(ctx.icon(group.icon) if group.icon else None, None), (label, None)],
                    fixed_first=group.icon is not None,
                    valign="middle",
                )
                bullets = [
                    ctx.bullet(
                        lambda d, n=n, i=i, sid=sid: d.section(sid).groups[n].items[i].short, "•"
                    )
                    for i in range(len(group.items))
                ]
                sides.append((Column([title, *bullets], gap=2 * ctx.scale), None))
            body = ctx.row(sides, gap=14 * ctx.scale)
        heading = [ctx.heading(heading_of(section), section.icon)] if options.heading else []
        out.append(with_mark(ctx.section([*heading, body]), section, options, ctx))
    return out


class ListOptions(SectionOptions):
    columns: int = Field(1, ge=1, le=3, description="columns of bullets, filled row by row")
    padding: float = Field(2.8, ge=0, le=20, description="inside a box, mm")


def bullets(ctx: Ctx, section: Section, columns: int, whole: bool = False) -> Box:
    """The section's items as bullets: in one column (that breaks only between them when
    `whole`) or in balanced columns."""
    items = [
        ctx.bullet(lambda d, s=section.id, i=i: d.section(s).items[i].short, "•")
        for i in range(len(section.items))
    ]
    if columns == 1:
        return Column(items, gap=3 * ctx.scale, whole_children=whole)
    # balanced newspaper columns: a two-line item does not stretch its neighbour's row
    return FlowColumns(
        items, columns=columns, gap_x=12 * ctx.scale, gap_y=2 * ctx.scale, rtl=ctx.rtl
    )


@block("bullet-list", options=ListOptions)
def bullet_list_block(ctx: Ctx, options: ListOptions) -> list[Box]:
    """A heading over a plain list of bullets."""
    return [
        with_mark(
            ctx.section([ctx.heading(heading_of(s), s.icon), bullets(ctx, s, options.columns)]),
            s,
            options,
            ctx,
        )
        for s in ctx.doc.of_kind("bullet-list", options.section)
    ]


class WarningOptions(ListOptions):
    style: Literal["tint", "border"] = Field(
        "tint", description="a tinted box, or a bordered one (no text over a tint: large print)"
    )
    repeat_heading: bool = Field(
        False, description="when the box goes on over a page, its heading again at the top"
    )
    whole_points: bool = Field(
        False, description="when the box goes on over a page, it breaks between points only"
    )


@block("warning-box", options=WarningOptions)
def warning_box_block(ctx: Ctx, options: WarningOptions) -> list[Box]:
    """A tinted (or bordered) box: the heading with its icon over the bullets (safety)."""
    out: list[Box] = []
    p = ctx.layout.palette
    tinted = options.style == "tint"
    for section in ctx.doc.of_kind("warning-box", options.section):
        box = Column(
            [
                ctx.heading(heading_of(section), section.icon),
                bullets(ctx, section, options.columns, options.whole_points),
            ],
            gap=3 * ctx.scale,
            padding=ctx.mm(options.padding),
            fill=p.tint if tinted else None,
            border=None if tinted else p.accent,
            border_width=1.5,
            radius=4,
            keep_first=True,  # the heading stays with the first points
            breakable=True,  # flowing, a long list may go on over the page
            repeat_first=options.repeat_heading,
        )
        out.append(with_mark(box, section, options, ctx))
    return out


class HelpOptions(SectionOptions):
    columns: int = Field(2, ge=1, le=3, description="columns of warning signs")
    padding: float = Field(3.2, ge=0, le=20, description="inside the box, mm")


def write_in(ctx: Ctx, label_key: str) -> Box:
    """'Label: ........' to fill in by hand where a site gave no number."""
    label = ctx.text(lambda d: d.label(label_key) + ":", "body")
    line = WriteIn(ctx.layout.palette.ink, height=16 * ctx.scale)
    return Row([(label, None), (line, None)], gap=6 * ctx.scale, valign="bottom", rtl=ctx.rtl)


def ward_line(ctx: Ctx) -> Box:
    """'Questions after you go home? Call <ward>: <number>', or a line to write it on."""
    site = ctx.doc.site
    if not site.phone:
        return write_in(ctx, "write_number_here")
    phone = f"**{keep_ltr(site.phone)}**"
    return ctx.text(ui("help_ward", ward_name=keep_ltr(site.name), phone=phone))


@block(
    "help-box",
    options=HelpOptions,
    labels=("help_emergency", "emergency_number_here", "help_ward", "write_number_here"),
)
def help_box_block(ctx: Ctx, options: HelpOptions) -> list[Box]:
    """A bold box: when to get help now, the emergency number and the ward's number.

    Numbers come from the site file; without one, each is a line to write on (makebook
    never prints a built-in emergency number: it differs from country to country)."""
    doc, p = ctx.doc, ctx.layout.palette
    out: list[Box] = []
    for section in doc.of_kind("help-box", options.section):
        lines: list[Box | None] = [ctx.heading(heading_of(section), section.icon)]
        if section.intro:
            lines.append(ctx.text(lambda d, s=section.id: d.section(s).intro, "body", bold=True))
        lines.append(bullets(ctx, section, options.columns))
        if doc.site.emergency:
            number = f"**{keep_ltr(doc.site.emergency)}**"
            lines.append(ctx.text(ui("help_emergency", emergency=number)))
        else:
            lines.append(write_in(ctx, "emergency_number_here"))
        lines.append(ward_line(ctx))
        box = Column(
            lines,
            gap=3.5 * ctx.scale,
            padding=ctx.mm(options.padding),
            border=p.ink,
            border_width=2.2,
            radius=5,
        )
        out.append(with_mark(box, section, options, ctx))
    return out
