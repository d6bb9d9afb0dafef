"""Blocks for step items (techniques): cards, a page per item, and the routine at a glance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from printshop.content.document import Item, Section
from printshop.layout.box import Box, Mark
from printshop.layout.boxes import (
    Badge,
    Beside,
    Column,
    Fill,
    Fitting,
    FlexPicture,
    PictureGrid,
    Row,
)
from printshop.layout.ctx import Ctx, between_items, ui
from printshop.layout.registry import NoOptions, Options, SectionOptions, block

MM = 72 / 25.4


def scan_panel(ctx: Ctx, url: str, room: float) -> tuple[Box, float]:
    """A QR code with 'Scan to watch' under it, and the width it takes: the code's, or
    the label's longest word where that is wider (large type, long words), so no word
    of the label is cut."""
    qr = ctx.qr(url)
    label = ctx.text(ui("scan_to_watch"), "label", align="center")
    return Column([qr, label], gap=1.5, center=True), max(qr.size, label.widest_word()) + room


def qr_panel(
    ctx: Ctx, item: Item, room: float = 2 * MM, label: bool = True
) -> tuple[Box, float] | None:
    """The item's QR code with 'Scan to watch' under it (or the code alone, its label
    printed elsewhere), and the width it takes."""
    if not item.video_url:
        return None
    if label:
        return scan_panel(ctx, item.scan_url, room)
    qr = ctx.qr(item.scan_url)
    return Column([qr], center=True), qr.size + room


def labelled_address(ctx: Ctx, item: Item) -> Box:
    """'Scan to watch  monkeysee.com/…' on the end side: the label beside the video's
    address, or over it when they do not fit one line (the address is never broken
    where it fits a line by itself)."""
    label = ctx.text(ui("scan_to_watch"), "label", align="end")
    address = ctx.box(ctx.doc, item.short_url, ctx.style("small", align="end"), direction="ltr")
    return Beside(label, address, gap=3 * ctx.scale, rtl=ctx.rtl)


def step_picker(section_id: str, index: int, field: str, n: int | None = None):
    """A picker for one text of a step item (bilingual pages print it twice)."""

    def pick(doc):
        item = doc.section(section_id).items[index]
        value = getattr(item, field)
        return value[n] if n is not None else value

    return pick


@dataclass
class CardParts:
    """The boxes a step card is made of, before they are arranged."""

    head: Box  # name and how often
    steps: list[Box]
    picture: tuple[Box, float] | None  # and its width
    url: Box | None


def card_parts(ctx: Ctx, section_id: str, index: int, foot_label: bool = False) -> CardParts:
    item = ctx.doc.section(section_id).items[index]
    name = step_picker(section_id, index, "title")
    repeat = step_picker(section_id, index, "repeat")
    head = (
        (lambda d: f"**{name(d)}**{between_items(name(d), '  ')}{repeat(d)}")
        if item.repeat
        else (lambda d: f"**{name(d)}**")
    )
    steps = [
        ctx.bullet(step_picker(section_id, index, "steps", n), f"{n + 1}.")
        for n in range(len(item.steps))
    ]
    picture = None
    if item.illustration is not None:
        art_w = ctx.layout.illustration_width * min(1.0, ctx.scale)
        picture = ctx.picture(item.illustration, art_w, art_w * 0.75), art_w
    url = None
    if item.video_url and foot_label:
        url = labelled_address(ctx, item)
    elif item.video_url:
        url = ctx.text(item.short_url, "small", align="end", direction="ltr")
    return CardParts(ctx.text(head), steps, picture, url)


def card_frame(
    ctx: Ctx, children: list[Box | None], padding: float, breakable: bool = False
) -> Column:
    """A card's border around its parts, `padding` mm inside it; a `breakable` card
    goes on over a page in a frame of its own, its foot (if any) ending the first part."""
    rule = ctx.layout.palette.rule
    inside = ctx.mm(padding)
    return Column(
        children,
        gap=2 * ctx.scale,
        padding=inside,
        border=rule,
        border_width=0.8,
        radius=4,
        breakable=breakable,
        foot_first=breakable,
    )


def step_card(
    ctx: Ctx,
    section_id: str,
    index: int,
    padding: float,
    url_across: bool = False,
    split: bool = False,
    foot_label: bool = False,
) -> Box:
    """Picture | name and repeat, numbered steps, short URL | QR code (the URL across the
    foot of the card with `url_across`; with `foot_label`, 'Scan to watch' beside the
    URL, not under the code). A `split` card may break between its steps: picture,
    name, first step, code and address stay together, the other steps go on under the
    first ones' place in a frame of their own."""
    item = ctx.doc.section(section_id).items[index]
    parts = card_parts(ctx, section_id, index, foot_label)
    words = [parts.head, *parts.steps, None if url_across else parts.url]
    children: list[tuple[Box | None, float | None]] = []
    if parts.picture is not None:
        children.append(parts.picture)
    flows = len(children)
    steps = Column(words, gap=2 * ctx.scale, keep_first=split, whole_children=split)
    children.append((steps, None))
    panel = qr_panel(ctx, item, label=not foot_label)
    if panel is not None:
        children.append(panel)
    body = Row(children, gap=8 * ctx.scale, rtl=ctx.rtl, flows=flows if split else None)
    return card_frame(ctx, [body, parts.url if url_across else None], padding, split)


def stacked_card(ctx: Ctx, section_id: str, index: int, padding: float) -> Box:
    """For narrow columns: name and repeat across the top, picture | steps, then the QR
    code beside 'Scan to watch' and the short URL."""
    item = ctx.doc.section(section_id).items[index]
    parts = card_parts(ctx, section_id, index)
    middle = ctx.row(
        [parts.picture or (None, None), (Column(parts.steps, gap=2 * ctx.scale), None)],
        gap=5 * ctx.scale,
    )
    return card_frame(ctx, [parts.head, middle, video_row(ctx, item)], padding)


def video_row(ctx: Ctx, item: Item) -> Box | None:
    """The item's QR code, and beside it 'Scan to watch' over the video's address."""
    if not item.video_url:
        return None
    qr = ctx.qr(item.scan_url)
    label = ctx.text(ui("scan_to_watch"), "label")
    words = Column([label, short_address(ctx, item)], gap=1.5 * ctx.scale)
    return ctx.row([(qr, qr.size), (words, None)], gap=3 * ctx.scale, valign="middle")


def short_address(ctx: Ctx, item: Item) -> Box:
    """The video's address as printed, left to right, on the page's start side."""
    side = "end" if ctx.rtl else "start"
    return ctx.text(item.short_url, "small", direction="ltr", align=side)


class StepCardOptions(SectionOptions):
    set: Literal["handout", "all"] = Field("handout", description="the handout's items, or all")
    choose: Literal["set", "fitting"] = Field(
        "set",
        description="the set's items, or as many as fit the room left on a one-page part "
        "(the handout's items first, then the others, shown in routine order)",
    )
    form: Literal["row", "stacked"] = Field(
        "row", description="picture, steps and code in a row, or stacked (narrow columns)"
    )
    more_note: bool = Field(False, description="a line saying there is more to learn")
    padding: float = Field(1.8, ge=0, le=20, description="inside each card, mm")
    gap: float = Field(1.8, ge=0, le=20, description="between cards, mm")
    url: Literal["with-steps", "across"] = Field(
        "with-steps", description="the video's address under the steps, or across the card's foot"
    )
    scan_label: Literal["under-code", "with-url"] = Field(
        "under-code",
        description="'Scan to watch' under the QR code, or before the video's address (row "
        "form; large type: a long label stacked under a narrow code makes the card tall)",
    )
    split: bool = Field(
        False,
        description="a card may go on over a page between its steps (row form): its "
        "picture, name, first step, code and address stay together, the other steps go "
        "on at the top of the next page in a frame of their own",
    )

    def labels(self) -> tuple[str, ...]:
        return ("more_note",) if self.more_note else ()


def _card(ctx: Ctx, options: StepCardOptions, section: Section, index: int) -> Box:
    if options.form == "stacked":
        card = stacked_card(ctx, section.id, index, options.padding)
    else:
        across = options.url == "across"
        with_url = options.scan_label == "with-url"
        card = step_card(ctx, section.id, index, options.padding, across, options.split, with_url)
    card.origin = section.id
    return card


def _fitting_cards(ctx: Ctx, options: StepCardOptions, section: Section) -> Box:
    """The most useful cards that fit the page: the handout's first, then the others."""
    cards = [_card(ctx, options, section, i) for i in range(len(section.items))]
    priority = sorted(range(len(cards)), key=lambda i: not section.items[i].handout)
    handout = [i for i, item in enumerate(section.items) if item.handout]

    def head(chosen: list[int]) -> Box:
        which = "handout" if chosen == handout else "all"
        return ctx.heading(lambda d: d.section(section.id).title(which), section.icon)

    note = ctx.text(ui("more_note"), "small") if options.more_note else None
    box = Fitting(cards, priority, head, gap=ctx.mm(options.gap), foot=note)
    if options.outline and section.heading:
        box.marks = (Mark(section.title("all"), 0, f"s-{section.id}"),)
    return box


@block(
    "step-cards", options=StepCardOptions, labels=("scan_to_watch",), optional_labels=("more_note",)
)
def step_cards_block(ctx: Ctx, options: StepCardOptions) -> list[Box]:
    """A card per step item: picture, steps and a QR code to a demonstration video."""
    out: list[Box] = []
    for section in ctx.doc.of_kind("step-cards", options.section):
        if options.choose == "fitting":
            out.append(_fitting_cards(ctx, options, section))  # the note inside, if any
            continue
        chosen = [i for i, it in enumerate(section.items) if it.handout or options.set == "all"]
        if not chosen:
            continue
        cards = [_card(ctx, options, section, i) for i in chosen]
        for card in cards[1:]:
            card.gap_before = ctx.mm(options.gap)
        heading = ctx.heading(lambda d, s=section.id: d.section(s).title(options.set), section.icon)
        first = Column([heading, cards[0]], gap=5 * ctx.scale, keep_first=True)  # heading
        # and first card stay together
        if options.outline and section.heading:
            first.marks = (Mark(section.title(options.set), 0, f"s-{section.id}"),)
        out += [first, *cards[1:]]
        if options.more_note:
            out.append(ctx.text(ui("more_note"), "small"))
    return out


StepPart = Literal["title", "picture", "steps", "tip", "video"]


class StepPageOptions(Options):
    show: list[StepPart] = Field(
        ["title", "picture", "steps", "tip", "video"],
        min_length=1,
        description="which parts the page shows (in this order, whatever the list's): "
        "number and name, picture, steps and how often, the tip in a tinted box, the "
        "video's QR code and address; a card's front and back may each show some",
    )
    picture_min: float | None = Field(
        None,
        ge=10,
        le=200,
        description="the picture takes the room the text leaves, at least this tall (mm); "
        "default: the layout's illustration width, scaled with the type",
    )
    qr: Literal["beside", "under"] = Field(
        "beside",
        description="the QR code beside the tip and the address, or under the tip with "
        "'Scan to watch' and the address beside it",
    )


def step_title(ctx: Ctx, item: Item) -> Box:
    """The item's number in a round badge, then its name as a heading."""
    badge_size = 9 * MM * ctx.scale
    number = ctx.text(
        str(ctx.number),
        "title",
        size=badge_size * 0.52 / ctx.scale,
        color="#ffffff",
        align="center",
    )
    return ctx.row(
        [
            (Badge(number, badge_size, ctx.layout.palette.accent), badge_size),
            (ctx.text(item.title, "heading"), None),
        ],
        valign="middle",
        gap=3 * MM,
    )


def step_picture(ctx: Ctx, item: Item, picture_min: float | None) -> Box | None:
    """The picture: a fixed size scaled with the type, or taking the room left."""
    if item.illustration is None:
        return None
    art_w = ctx.layout.illustration_width
    if picture_min is not None:
        return FlexPicture(item.illustration, art_w, art_w * 0.75, picture_min * MM)
    art_w *= min(1.0, ctx.scale)
    return ctx.picture(item.illustration, art_w, art_w * 0.75)


def step_words(ctx: Ctx, item: Item) -> Box:
    """The numbered steps and, in bold, how often."""
    steps = [ctx.bullet(step, f"{i}.") for i, step in enumerate(item.steps, start=1)]
    repeat = ctx.text(f"**{item.repeat}**") if item.repeat else None
    return Column([*steps, repeat], gap=2.5 * ctx.scale)


def step_foot(ctx: Ctx, item: Item, show: list[StepPart], qr: str) -> Box | None:
    """The tip in a tinted box and the video's address, with its QR code beside them
    (`qr: under`: the code under the tip, the address beside it)."""
    tip = None
    if item.tip and "tip" in show:
        words = ctx.text(f"**{ctx.doc.label('tip_label')}:** {item.tip}")
        tip = Column([words], padding=4 * ctx.scale, fill=ctx.layout.palette.tint, radius=3)
    if not (item.video_url and "video" in show):
        return tip
    if qr == "under":
        return Column([tip, video_row(ctx, item)], gap=4 * ctx.scale)
    words = Column([tip, short_address(ctx, item)], gap=3 * ctx.scale)
    panel = qr_panel(ctx, item, 4 * MM)
    return ctx.row([(words, None), panel], gap=5 * MM, valign="bottom")


@block("step-page", options=StepPageOptions, labels=("scan_to_watch", "tip_label"), needs_each=True)
def step_page_block(ctx: Ctx, options: StepPageOptions) -> list[Box]:
    """One step item: number and name, a large picture, steps, repeat, tip, QR code."""
    item = ctx.item
    if item is None:
        return []
    makers = {
        "title": lambda: step_title(ctx, item),
        "picture": lambda: step_picture(ctx, item, options.picture_min),
        "steps": lambda: step_words(ctx, item),
    }
    parts: list[Box | None] = [make() for part, make in makers.items() if part in options.show]
    flexible = (
        options.picture_min is not None
        and "picture" in options.show
        and item.illustration is not None
    )
    if "steps" in options.show and not flexible:
        parts.append(Fill(0))  # the tip and the code at the page's foot
    parts.append(step_foot(ctx, item, options.show, options.qr))
    column = Column(parts, gap=5 * ctx.scale)
    column.marks = (Mark(item.title, 1, f"t-{item.id}"),)
    return [column]


@block("item-label", options=NoOptions, needs_each=True)
def item_label_block(ctx: Ctx, options: NoOptions) -> list[Box]:
    """The page's step item, number and name, in small type: on the back of a card, it
    matches the back to its front."""
    if ctx.item is None:
        return []
    title = ctx.item.title
    return [ctx.text(f"**{ctx.number}**{between_items(title, '  ')}{title}", "small")]


class RoutineOptions(Options):
    set: Literal["handout", "all"] = Field("all", description="the handout's items, or all")
    name_size: float = Field(
        9.5, ge=6, le=40, description="number and name of each item, pt at the design size"
    )
    line: Literal["none", "repeat"] = Field(
        "none", description="a line under each name: nothing, or how often (the repeat)"
    )
    picture_min: float = Field(
        10, ge=5, le=150, description="pictures at least this tall (mm), else the type shrinks"
    )
    picture_floor: float | None = Field(
        None,
        ge=5,
        le=150,
        description="the last resort before the layout fails, once the type is at its "
        "minimum: pictures may shrink to this (mm), their captions beside them when that "
        "takes less room",
    )
    picture_shape: float = Field(
        0.75, ge=0.4, le=1.5, description="the tallest a picture may be, as a share of its width"
    )
    video: bool = Field(
        False,
        description="a QR code to the whole routine's video beside the heading, when the "
        "step-cards section has a video",
    )

    def labels(self) -> tuple[str, ...]:
        return ("scan_to_watch",) if self.video else ()


def _caption(
    ctx: Ctx, options: RoutineOptions, number: int, item: Item, align: str = "center"
) -> Box:
    """'**1.** Leg milking', and under it how often (a poster's one line); centred under
    a picture, or from the reading start beside one."""
    name = ctx.text(f"**{number}.** {item.title}", "label", align=align, size=options.name_size)
    if options.line == "none":
        return name
    line = item.repeat or (item.steps[0] if item.steps else "")
    size = options.name_size * 0.8
    muted = ctx.layout.palette.muted
    return Column([name, ctx.text(line, "body", align=align, size=size, color=muted)], gap=1)


def _routine_heading(ctx: Ctx, options: RoutineOptions) -> Box:
    """The heading, with the routine's QR code on its end side when there is a video."""
    heading = ctx.heading(ctx.doc.label("routine_heading"))
    sections = ctx.doc.of_kind("step-cards")
    url = sections[0].video_url if options.video and sections else None
    if not url:
        return heading
    return ctx.row([(heading, None), scan_panel(ctx, url, 4 * MM)], valign="bottom")


def _last_resort(ctx: Ctx, options: RoutineOptions) -> bool:
    """Whether the pictures may go below `picture_min`: only once the type is at its
    minimum and its leading is being tightened (long languages)."""
    return ctx.tighten < 1 and options.picture_floor is not None


def _least_picture(ctx: Ctx, options: RoutineOptions) -> float:
    """The smallest the pictures may be, mm at the design size."""
    if _last_resort(ctx, options):
        return min(options.picture_floor or options.picture_min, options.picture_min)
    return options.picture_min


@block("routine", options=RoutineOptions, labels=("routine_heading",))
def routine_block(ctx: Ctx, options: RoutineOptions) -> list[Box]:
    """Every chosen step item as a numbered picture, in order, filling the room left."""
    items = ctx.doc.step_items(options.set)
    heading = _routine_heading(ctx, options)
    if not items:
        return [heading]
    grid = PictureGrid(
        [item.illustration for item in items],
        [_caption(ctx, options, n, item) for n, item in enumerate(items, start=1)],
        side_captions=[
            _caption(ctx, options, n, item, "start") for n, item in enumerate(items, start=1)
        ]
        if _last_resort(ctx, options)
        else (),
        gap=3 * MM,
        border=ctx.layout.palette.rule,
        picture_min=_least_picture(ctx, options) * MM * ctx.scale,
        shape=options.picture_shape,
        rtl=ctx.rtl,
    )
    return [Column([heading, grid], gap=4 * ctx.scale)]
