"""The topic's references: a compact line for handouts, full citations for booklets."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from printshop.layout.box import Box, Mark
from printshop.layout.boxes import Column
from printshop.layout.ctx import Ctx, lead_in
from printshop.layout.registry import Options, block
from printshop.layout.textbox import TextBox


class ReferenceOptions(Options):
    form: Literal["compact", "names", "full"] = Field(
        "compact",
        description="author, year and identifier in a run of text; author and year only "
        "(large print); or full citations",
    )


@block("references", options=ReferenceOptions, labels=("references_heading", "evidence_note"))
def references_block(ctx: Ctx, options: ReferenceOptions) -> list[Box]:
    """Numbered as the items cite them; citations are Latin-script data, always left to right."""
    doc = ctx.doc
    if options.form in ("compact", "names"):
        cites = "   ".join(
            f"[{r.number}] {r.short_label if options.form == 'compact' else r.name}"
            for r in doc.references
        )
        note = ctx.text(
            lambda d: lead_in(d.lang, d.label("references_heading"), d.label("evidence_note")),
            "small",
        )
        line = ctx.text(cites, "small", direction="ltr", size=ctx.layout.type.small * 0.95)
        if isinstance(line, TextBox):
            line.keep_lines = 1  # a run of short citations may break after any line
        return [Column([note, line], gap=1.5 * ctx.scale)]
    style = ctx.style("body", size=9.5, leading=1.25)
    items = [
        ctx.box(
            doc,
            f"{r.citation} {r.identifier}".strip(),
            style,
            direction="ltr",
            bullet=f"[{r.number}]",
            bullet_width=9.5 * 2.2,
        )
        for r in doc.references
    ]
    column = Column(
        [
            ctx.heading(doc.label("references_heading")),
            ctx.text(doc.label("evidence_note"), "body"),
            Column(items, gap=2.5 * ctx.scale),
        ],
        gap=4 * ctx.scale,
        keep_first=True,
    )
    column.marks = (Mark(doc.label("references_heading"), 0, "references"),)
    return [column]
