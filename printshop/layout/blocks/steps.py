"""Blocks for step items (techniques): cards, a page per item, and the routine at a glance."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from printshop.content.document import Item
from printshop.layout.box import Box, Mark
from printshop.layout.boxes import Badge, Column, Fill, Grid, QrBox
from printshop.layout.ctx import Ctx, ui
from printshop.layout.registry import NoOptions, Options, SectionOptions, block

MM = 72 / 25.4


def qr_panel(ctx: Ctx, item: Item, room: float = 2 * MM) -> tuple[Box, float] | None:
    """The item's QR code with 'Scan to watch' under it, and the width it takes."""
    if not item.video_url:
        return None
    qr = QrBox(item.video_url, ctx.layout.qr.size, ctx.layout.qr.error_correction)
    label = ctx.text(ui("scan_to_watch"), "label", align="center")
    return Column([qr, label], gap=1.5, center=True), qr.size + room


def step_picker(section_id: str, index: int, field: str, n: int | None = None):
    """A picker for one text of a step item (bilingual pages print it twice)."""

    def pick(doc):
        item = doc.section(section_id).items[index]
        value = getattr(item, field)
        return value[n] if n is not None else value

    return pick


def step_card(ctx: Ctx, section_id: str, index: int, url_across: bool = False) -> Box:
    """Picture | name and repeat, numbered steps, short URL | QR code (the URL across the
    foot of the card with `url_across`)."""
    item = ctx.doc.section(section_id).items[index]
    name = step_picker(section_id, index, "title")
    repeat = step_picker(section_id, index, "repeat")
    head = (
        (lambda d: f"**{name(d)}**  ·  {repeat(d)}")
        if item.repeat
        else (lambda d: f"**{name(d)}**")
    )
    url = None
    if item.video_url:
        url = ctx.text(item.short_url, "small", align="end", direction="ltr")
    words: list[Box | None] = [
        ctx.text(head),
        *(
            ctx.bullet(step_picker(section_id, index, "steps", n), f"{n + 1}.")
            for n in range(len(item.steps))
        ),
        None if url_across else url,
    ]
    children: list[tuple[Box | None, float | None]] = []
    if item.illustration is not None:
        art_w = ctx.layout.illustration_width * min(1.0, ctx.scale)
        children.append((ctx.picture(item.illustration, art_w, art_w * 0.75), art_w))
    children.append((Column(words, gap=2 * ctx.scale), None))
    panel = qr_panel(ctx, item)
    if panel is not None:
        children.append(panel)
    body = ctx.row(children, gap=8 * ctx.scale)
    p = ctx.layout.palette
    return Column(
        [body, url if url_across else None],
        gap=2 * ctx.scale,
        padding=5 * ctx.scale,
        border=p.rule,
        border_width=0.8,
        radius=4,
    )


class StepCardOptions(SectionOptions):
    set: Literal["handout", "all"] = Field("handout", description="the handout's items, or all")
    more_note: bool = Field(False, description="a line saying there is more to learn")
    url: Literal["with-steps", "across"] = Field(
        "with-steps", description="the video's address under the steps, or across the card's foot"
    )

    def labels(self) -> tuple[str, ...]:
        return ("more_note",) if self.more_note else ()


@block(
    "step-cards", options=StepCardOptions, labels=("scan_to_watch",), optional_labels=("more_note",)
)
def step_cards_block(ctx: Ctx, options: StepCardOptions) -> list[Box]:
    """A card per step item: picture, steps and a QR code to a demonstration video."""
    out: list[Box] = []
    for section in ctx.doc.of_kind("step-cards", options.section):
        chosen = [i for i, item in enumerate(section.items) if item.handout or options.set == "all"]
        if not chosen:
            continue
        cards = [step_card(ctx, section.id, i, options.url == "across") for i in chosen]
        for card in cards:
            card.origin = section.id
        heading = ctx.heading(lambda d, s=section.id: d.section(s).title(options.set), section.icon)
        first = Column([heading, cards[0]], gap=5 * ctx.scale, keep_first=True)  # heading
        # and first card stay together
        if options.outline and section.heading:
            first.marks = (Mark(section.title(options.set), 0, f"s-{section.id}"),)
        out += [first, *cards[1:]]
        if options.more_note:
            out.append(ctx.text(ui("more_note"), "small"))
    return out


@block("step-page", options=NoOptions, labels=("scan_to_watch", "tip_label"), needs_each=True)
def step_page_block(ctx: Ctx, options: NoOptions) -> list[Box]:
    """One step item: number and name, a large picture, steps, repeat, tip, QR code."""
    item, p = ctx.item, ctx.layout.palette
    if item is None:
        return []
    badge_size = 9 * MM * ctx.scale
    number = ctx.text(
        str(ctx.number),
        "title",
        size=badge_size * 0.52 / ctx.scale,
        color="#ffffff",
        align="center",
    )
    title = ctx.row(
        [
            (Badge(number, badge_size, p.accent), badge_size),
            (ctx.text(item.title, "heading"), None),
        ],
        valign="middle",
        gap=3 * MM,
    )
    parts: list[Box | None] = [title]
    if item.illustration is not None:
        art_w = ctx.layout.illustration_width * min(1.0, ctx.scale)
        parts.append(ctx.picture(item.illustration, art_w, art_w * 0.75))
    steps = [ctx.bullet(step, f"{i}.") for i, step in enumerate(item.steps, start=1)]
    parts.append(
        Column(
            [*steps, ctx.text(f"**{item.repeat}**") if item.repeat else None], gap=2.5 * ctx.scale
        )
    )
    parts.append(Fill(0))
    tip = (
        Column(
            [ctx.text(f"**{ctx.doc.label('tip_label')}:** {item.tip}")],
            padding=4 * ctx.scale,
            fill=p.tint,
            radius=3,
        )
        if item.tip
        else None
    )
    url = (
        ctx.text(item.short_url, "small", direction="ltr", align="end" if ctx.rtl else "start")
        if item.video_url
        else None
    )
    words = Column([tip, url], gap=3 * ctx.scale)
    panel = qr_panel(ctx, item, 4 * MM)
    bottom = ctx.row([(words, None), panel], gap=5 * MM, valign="bottom") if panel else words
    parts.append(bottom)
    column = Column(parts, gap=5 * ctx.scale)
    column.marks = (Mark(item.title, 1, f"t-{item.id}"),)
    return [column]


class RoutineOptions(Options):
    set: Literal["handout", "all"] = Field("all", description="the handout's items, or all")


@block("routine", options=RoutineOptions, labels=("routine_heading",))
def routine_block(ctx: Ctx, options: RoutineOptions) -> list[Box]:
    """Every chosen step item as a small numbered picture, in order, filling the page."""
    p = ctx.layout.palette
    items = ctx.doc.step_items(options.set)
    heading = ctx.heading(ctx.doc.label("routine_heading"))
    width, height = ctx.frame
    room = height - heading.measure(width) - 4 * ctx.scale
    gap = 3 * MM
    names = [
        ctx.text(f"**{i}.** {item.title}", "label", align="center", size=9.5)
        for i, item in enumerate(items, start=1)
    ]
    if not names:
        return [heading]

    def picture_height(columns: int) -> tuple[float, float]:
        """(picture height, cell width) with this many columns, limited by the page."""
        rows = -(-len(names) // columns)
        cell_w = (width - gap * (columns - 1)) / columns
        name_h = max(n.measure(cell_w - 4) for n in names)
        per_row = (room - gap * (rows - 1)) / rows - name_h - 6
        return min((cell_w - 4) * 0.75, per_row), cell_w

    columns = max(range(2, 7), key=lambda c: picture_height(c)[0])
    pic_h, cell_w = picture_height(columns)
    cells = [
        Column(
            [
                ctx.picture(item.illustration, cell_w - 4, max(pic_h, 10 * MM))
                if item.illustration
                else None,
                name,
            ],
            gap=2,
            padding=2,
            border=p.rule,
            border_width=0.5,
        )
        for item, name in zip(items, names, strict=True)
    ]
    grid = Grid(cells, columns=columns, gap_x=gap, gap_y=gap, rtl=ctx.rtl)
    return [Column([heading, grid], gap=4 * ctx.scale)]
