"""Blocks for the document's own texts: the header band, the introduction, and who hands
the document out (the contact block); and `space`, the room a page leaves."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from printshop.content.i18n import format_date
from printshop.content.models import Id
from printshop.layout.blocks.sections import ward_line
from printshop.layout.box import Box
from printshop.layout.boxes import Column, Fill, Layered, Row
from printshop.layout.ctx import Ctx, keep_ltr
from printshop.layout.registry import NoOptions, Options, block

MM = 72 / 25.4


class HeaderOptions(Options):
    height: float = Field(32, ge=10, le=120, description="height of the art band, mm")
    text_width: float = Field(0.62, ge=0.3, le=1.0, description="share of the width for words")
    art: Id = Field("header", description="which of the topic's art to show with the words")
    art_place: Literal["behind", "beside", "none"] = Field(
        "behind",
        description="the art behind the words, beside them (no text over a picture), or none",
    )


@block("header", options=HeaderOptions)
def header_block(ctx: Ctx, options: HeaderOptions) -> list[Box]:
    """Site line (logo and name), title and subtitle over the topic's header art."""
    doc, palette = ctx.doc, ctx.layout.palette
    lines: list[Box] = []
    site_line: Box | None = None
    if doc.site.name:
        site_line = ctx.text(doc.site.name, "label", color=palette.muted)
    if doc.site.logo:
        logo = ctx.picture(doc.site.logo, 24 * MM, 8 * MM)
        site_line = Row(
            [(logo, 24 * MM), (site_line or Column([]), None)],
            gap=6 * ctx.scale,
            valign="middle",
            rtl=ctx.rtl,
        )
    if site_line is not None:
        lines.append(site_line)
    lines += [ctx.text(lambda d: d.title, "title"), ctx.text(lambda d: d.subtitle, "subtitle")]
    art = doc.art.get(options.art) if options.art_place != "none" else None
    if art is None:
        return [Column(lines, gap=3 * ctx.scale, padding=5 * ctx.scale)]
    height = options.height * MM * min(1.0, ctx.scale + 0.1)
    if options.art_place == "beside":
        width = ctx.frame[0] * (1 - options.text_width)
        picture = ctx.picture(art, width, height)
        return [ctx.row([(Column(lines, gap=3 * ctx.scale), None), (picture, width)])]
    words = Column(lines, gap=3 * ctx.scale, padding=5 * ctx.scale)
    band = ctx.picture(art, 10_000, height)
    return [Layered(band, words, text_width=options.text_width, rtl=ctx.rtl, min_height=height)]


@block("intro", options=NoOptions)
def intro_block(ctx: Ctx, options: NoOptions) -> list[Box]:
    """The topic's introduction, a little larger than body text."""
    return [ctx.text(lambda d: d.intro, "lead")]


def logo_line(ctx: Ctx) -> Box:
    """The site's logo on the reading-start side of the line."""
    assert ctx.doc.site.logo is not None
    logo = ctx.picture(ctx.doc.site.logo, 30 * MM, 10 * MM)
    return ctx.row([(logo, 30 * MM), (Column([]), None)])


class ContactOptions(Options):
    logo: bool = Field(True, description="the site's logo, when it has one")
    phone: bool = Field(True, description="the ward's number, or a line to write it on")
    codes: bool = Field(True, description="leaflet code and revision date")


@block(
    "contact",
    options=ContactOptions,
    labels=("help_ward", "write_number_here", "leaflet_code", "revised"),
)
def contact_block(ctx: Ctx, options: ContactOptions) -> list[Box]:
    """Who hands this out: logo, ward name and number, leaflet code and revision date."""
    doc = ctx.doc
    site = doc.site
    lines: list[Box] = []
    if options.logo and site.logo:
        lines.append(logo_line(ctx))
    if site.name and not (options.phone and site.phone):  # else the number line names it
        lines.append(ctx.text(f"**{site.name}**"))
    if options.phone:
        lines.append(ward_line(ctx))
    codes = []
    if options.codes and site.leaflet_code:
        codes.append(f"{doc.label('leaflet_code')} {keep_ltr(site.leaflet_code)}")
    if options.codes and site.revision_date:
        codes.append(f"{doc.label('revised')} {format_date(site.revision_date, doc.lang)}")
    if codes:
        lines.append(ctx.text("  ·  ".join(codes), "small"))
    return [Column(lines, gap=2.5 * ctx.scale)] if lines else []


@block("space", options=NoOptions)
def space_block(ctx: Ctx, options: NoOptions) -> list[Box]:
    """The room left on a one-page part: the blocks after it go to the page's foot."""
    return [Fill(0)]
