"""The block registry: one function per kind of block, Document part -> flowables.

A layout file lists blocks by name; adding a layout never needs Python, adding a new
kind of block means adding one function here with @block("name").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from printshop.content.document import Document
from printshop.content.models import Layout
from printshop.errors import UserError
from printshop.layout.boxes import Column, FlowColumns, Grid, Layered, Row, WriteInLine
from printshop.pdf.art import art_flowable
from printshop.pdf.images import logo_flowable
from printshop.pdf.qr import QrFlowable
from printshop.text.typeset import TextFlow, TextStyle

BlockFunc = Callable[["Ctx", dict[str, Any]], list[Flowable]]
# Text a block prints: a plain string, or a picker that reads it from a Document, so a
# bilingual handout can print the same text from the second language under it.
Say = str | Callable[[Document], str]
REGISTRY: dict[str, BlockFunc] = {}


def block(name: str) -> Callable[[BlockFunc], BlockFunc]:
    def register(func: BlockFunc) -> BlockFunc:
        REGISTRY[name] = func
        return func

    return register


@dataclass(frozen=True)
class Ctx:
    """What every block needs: the document, the layout and the current fit scale."""

    doc: Document
    layout: Layout
    scale: float = 1.0
    tighten: float = 1.0  # leading multiplier, < 1 only when fitting at the minimum size
    second: Document | None = None  # bilingual: the second language, printed under the first

    @property
    def rtl(self) -> bool:
        return self.doc.direction == "rtl"

    @property
    def body_size(self) -> float:
        return self.layout.type.body * self.scale

    def asset(self, relative: str) -> Path:
        return self.doc.assets / relative

    def style(self, role: str, **changes: Any) -> TextStyle:
        t, p = self.layout.type, self.layout.palette
        roles: dict[str, dict[str, Any]] = {
            "title": dict(size=t.title, bold=True, color=p.accent, leading=1.15),
            "subtitle": dict(size=t.heading, color=p.muted, leading=1.2),
            "heading": dict(size=t.heading, bold=True, color=p.accent, leading=1.2),
            "subheading": dict(size=t.subheading, bold=True, color=p.ink, leading=1.2),
            "body": dict(size=t.body, color=p.ink, leading=t.leading),
            "lead": dict(size=t.body * 1.08, color=p.ink, leading=t.leading),
            "small": dict(size=t.small, color=p.muted, leading=1.25),
            "label": dict(size=t.small, bold=True, color=p.ink, leading=1.2),
        }
        spec = roles[role] | changes
        spec["size"] = max(6.5, spec["size"] * self.scale)
        spec["leading"] = spec["leading"] * self.tighten
        return TextStyle(**spec)

    def _flow(self, doc: Document, text: str, style: TextStyle, **extra: Any) -> TextFlow:
        extra.setdefault("direction", doc.direction)
        return TextFlow(text, style, lang=doc.lang, **extra)

    def _paired(self, say: Say, first: Flowable, style: TextStyle, **extra: Any) -> Flowable:
        """The first language's text, and under it the second language's (bilingual)."""
        if self.second is None or not callable(say):
            return first
        muted = replace(style, size=style.size * 0.92, color=self.layout.palette.muted)
        if self.second.direction != self.doc.direction and style.align == "start":
            muted = replace(muted, align="end")  # line up with the first language's side
        extra.pop("direction", None)
        second = self._flow(self.second, say(self.second), muted, **extra)
        return Column([first, second], gap=0.5 * self.scale)

    def text(
        self, say: Say, role: str = "body", *, direction: str | None = None, **changes: Any
    ) -> Flowable:
        """A paragraph in a role's style; `direction` overrides the document's (data in Latin)."""
        style = self.style(role, **changes)
        extra = {"direction": direction} if direction else {}
        text = say(self.doc) if callable(say) else say
        return self._paired(say, self._flow(self.doc, text, style, **extra), style)

    def item(self, say: Say, label: str, role: str = "body") -> Flowable:
        """A list item with its label (number or bullet) hung at the line start."""
        style = self.style(role)
        hang = {"bullet_width": style.size * (1.6 if label[:1].isdigit() else 1.1)}
        text = say(self.doc) if callable(say) else say
        first = self._flow(self.doc, text, style, bullet=label, **hang)
        return self._paired(say, first, style, bullet=" ", **hang)

    def icon(self, path: Path, size: float | None = None) -> Flowable:
        side = (size or self.layout.icon_size) * self.scale
        return art_flowable(path, side, side)

    def heading(self, text: Say, icon: Path | None = None) -> Flowable:
        title = self.text(text, "heading")
        if icon is None:
            return title
        return self.row(
            [(self.icon(icon, self.layout.icon_size * 0.9), None), (title, None)],
            fixed_first=True,
            valign="middle",
        )

    def row(
        self,
        children: list[tuple[Flowable, float | None]],
        *,
        fixed_first: bool = False,
        valign: str = "top",
        gap: float | None = None,
    ) -> Row:
        if fixed_first:
            first, _ = children[0]
            side = self.layout.icon_size * self.scale
            children = [(first, side), *children[1:]]
        return Row(
            children, gap=gap if gap is not None else 6 * self.scale, valign=valign, rtl=self.rtl
        )

    def icon_text(self, icon: Path, text: Say, role: str = "body") -> Row:
        return self.row([(self.icon(icon), None), (self.text(text, role), None)], fixed_first=True)

    def section(self, children: list[Flowable], **box: Any) -> Column:
        return Column(children, gap=4 * self.scale, **box)


def keep_ltr(value: str) -> str:
    """Keep a phone number (or other left-to-right data) in order inside RTL text.

    Without this, "020 7946 0000" inside Arabic text is shown as "0000 7946 020".
    The engine's bidi resolver knows embeddings (LRE ... PDF), not isolates.
    """
    if not value or any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in value):
        return value
    return f"\u202a{value}\u202c"


def refs(numbers: tuple[int, ...]) -> str:
    """Reference markers, e.g. ' [1, 2]', kept in reading order inside RTL text too."""
    if not numbers:
        return ""
    return " " + keep_ltr("[" + ",\u00a0".join(map(str, numbers)) + "]")


def ui(key: str, **values: object) -> Callable[[Document], str]:
    """A picker for a UI label, filled in each document's own language."""
    return lambda doc: doc.ui(key, **values)


CJK_LANGS = ("zh", "ja", "ko")


def lead_in(lang: str, title: str, text: str) -> str:
    """'**Title.** text', or '**标题：**text' in languages written without spaces."""
    if lang.split("-")[0] in CJK_LANGS:
        return f"**{title}：**{text}"
    return f"**{title}.** {text}"


def benefit_line(doc: Document, index: int, form: str) -> str:
    benefit = doc.benefits[index]
    markers = refs(benefit.ref_numbers)
    if doc.lang.split("-")[0] in CJK_LANGS:
        markers = markers.lstrip()
    return lead_in(doc.lang, benefit.title, getattr(benefit, form)) + markers


# ----------------------------------------------------------------- handout blocks
@block("header")
def header_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    """Site line (logo and name), title and subtitle over the header art band."""
    doc = ctx.doc
    lines: list[Flowable] = []
    site_line: Flowable | None = None
    if doc.site.name:
        site_line = ctx.text(doc.site.name, "label", color=ctx.layout.palette.muted)
    if doc.site.logo:
        logo = logo_flowable(doc.site.logo, 24 * mm, 8 * mm)
        site_line = ctx.row([(logo, 24 * mm), (site_line or Column([]), None)], valign="middle")
    if site_line is not None:
        lines.append(site_line)
    lines += [ctx.text(lambda d: d.title, "title"), ctx.text(lambda d: d.subtitle, "subtitle")]
    words = Column(lines, gap=3 * ctx.scale, padding=5 * ctx.scale)
    band = options.get("art", "art/header.svg")
    height = options.get("height", 32) * mm * min(1.0, ctx.scale + 0.1)
    art = art_flowable(ctx.asset(band), 10_000, height)
    width = float(options.get("text_width", 0.62))
    return [Layered(art, words, text_width=width, rtl=ctx.rtl, min_height=height)]


@block("intro")
def intro_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    return [ctx.text(lambda d: d.intro, "lead")]


@block("benefits")
def benefits_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    form = options.get("form", "short")
    items = [
        ctx.icon_text(b.icon, lambda d, i=i: benefit_line(d, i, form))
        for i, b in enumerate(ctx.doc.benefits)
    ]
    return [icon_columns(ctx, "benefits_heading", items, options)]


@block("preparation")
def preparation_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    items = [
        ctx.icon_text(p.icon, lambda d, i=i: d.preparation[i].text)
        for i, p in enumerate(ctx.doc.preparation)
    ]
    return [icon_columns(ctx, "preparation_heading", items, options)]


def icon_columns(ctx: Ctx, heading: str, items: list[Flowable], options: dict[str, Any]) -> Column:
    """A heading over icon-and-text items in balanced columns (layout option `columns`)."""
    columns = FlowColumns(
        items,
        columns=int(options.get("columns", 2)),
        gap_x=12 * ctx.scale,
        gap_y=4.5 * ctx.scale,
        rtl=ctx.rtl,
    )
    return ctx.section([ctx.heading(ui(heading)), columns])


@block("cues")
def cues_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    doc = ctx.doc

    def side(icon: str, label: str, cues: list[str]) -> Column:
        title = ctx.row(
            [(ctx.icon(ctx.asset(f"icons/{icon}")), None), (ctx.text(label, "subheading"), None)],
            fixed_first=True,
            valign="middle",
        )
        return Column([title, *(ctx.item(c, "•") for c in cues)], gap=2 * ctx.scale)

    pair = ctx.row(
        [
            (side("cue-yes.svg", doc.ui("cues_engage"), doc.cues_engage), None),
            (side("cue-no.svg", doc.ui("cues_disengage"), doc.cues_disengage), None),
        ],
        gap=14 * ctx.scale,
    )
    return [ctx.section([ctx.heading(doc.ui("cues_heading")), pair])]


@block("safety")
def safety_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    p = ctx.layout.palette
    items = [ctx.item(lambda d, i=i: d.safety[i], "•") for i in range(len(ctx.doc.safety))]
    box = Column(
        [ctx.heading(ui("safety_heading"), ctx.asset("icons/safety.svg")), *items],
        gap=3 * ctx.scale,
        padding=8 * ctx.scale,
        fill=p.tint,
        radius=4,
    )
    return [box]


@block("sources")
def sources_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    """Full citations (booklets) or author, year and identifier (handouts)."""
    doc = ctx.doc
    compact = options.get("form", "compact") == "compact"
    cites = [f"[{r.number}] {r.short_label if compact else r.citation}" for r in doc.references]
    note = ctx.text(
        lambda d: lead_in(d.lang, d.ui("references_heading"), d.ui("evidence_note")), "small"
    )
    lines = [note]
    # citations are Latin-script data in every language
    size = ctx.layout.type.small * 0.95
    lines.append(ctx.text("   ".join(cites), "small", direction="ltr", size=size))
    return [Column(lines, gap=1.5 * ctx.scale)]


def technique_card(ctx: Ctx, index: int, art_width: float) -> Flowable:
    """Picture | name, numbered steps, repeat hint, short URL | QR code."""
    p = ctx.layout.palette
    tech = ctx.doc.techniques[index]
    qr = QrFlowable(tech.video_url, ctx.layout.qr.size, ctx.layout.qr.error_correction)
    code = Column(
        [qr, ctx.text(ui("scan_to_watch"), "label", align="center")], gap=1.5, center=True
    )
    words = Column(
        [
            ctx.text(lambda d: f"**{d.techniques[index].name}**  ·  {d.techniques[index].repeat}"),
            *(
                ctx.item(lambda d, n=n: d.techniques[index].steps[n], f"{n + 1}.")
                for n in range(len(tech.steps))
            ),
            ctx.text(tech.short_url, "small", align="end"),
        ],
        gap=2 * ctx.scale,
    )
    art_w = art_width * min(1.0, ctx.scale)
    picture = art_flowable(tech.illustration, art_w, art_w * 0.75)
    body = ctx.row([(picture, art_w), (words, None), (code, qr.size + 2 * mm)], gap=8 * ctx.scale)
    return Column([body], padding=5 * ctx.scale, border=p.rule, border_width=0.8, radius=4)


@block("techniques")
def techniques_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    doc = ctx.doc
    everything = options.get("set") == "all"
    chosen = [i for i, t in enumerate(doc.techniques) if t.handout or everything]
    heading = "all_techniques_heading" if everything else "techniques_heading"
    cards = [technique_card(ctx, i, ctx.layout.illustration_width) for i in chosen]
    if options.get("more_note", False):
        cards.append(ctx.text(ui("more_strokes_note"), "small"))
    # heading kept with the first card; a bilingual handout may break between cards
    return [Column([ctx.heading(ui(heading)), cards[0]], gap=5 * ctx.scale), *cards[1:]]


@block("help")
def help_block(ctx: Ctx, options: dict[str, Any]) -> list[Flowable]:
    doc, p = ctx.doc, ctx.layout.palette
    signs = Grid(
        [ctx.item(lambda d, i=i: d.help_signs[i], "•") for i in range(len(doc.help_signs))],
        columns=2,
        gap_x=12 * ctx.scale,
        gap_y=2 * ctx.scale,
        rtl=ctx.rtl,
    )
    emergency = doc.site.emergency or "999 / 911 / 112"
    lines: list[Flowable] = [
        ctx.heading(ui("help_heading"), ctx.asset("icons/help.svg")),
        ctx.text(ui("help_intro"), "body", bold=True),
        signs,
        ctx.text(ui("help_emergency", emergency=f"**{keep_ltr(emergency)}**"), "body"),
    ]
    if doc.site.phone:
        ward = doc.site.name or ""
        phone = f"**{keep_ltr(doc.site.phone)}**"
        lines.append(ctx.text(ui("help_ward", ward_name=keep_ltr(ward), phone=phone)))
    else:
        label = ctx.text(lambda d: d.ui("write_number_here") + ":", "body")
        lines.append(
            ctx.row(
                [(label, None), (WriteInLine(p.ink, height=16 * ctx.scale), None)], valign="bottom"
            )
        )
    box = Column(
        lines, gap=3.5 * ctx.scale, padding=9 * ctx.scale, border=p.ink, border_width=2.2, radius=5
    )
    return [box]


def build_block(ctx: Ctx, name: str, options: dict[str, Any]) -> list[Flowable]:
    if name not in REGISTRY:
        raise UserError(f"layout '{ctx.layout.name}': unknown block '{name}'")
    return REGISTRY[name](ctx, options)
