"""Pages from blocks: fit the text into a fixed layout, then draw it to PDF bytes.

A handout's pages are fixed: each page's blocks must fit on that page. Text is first
fitted by scaling the type from the layout's design size down towards its minimum;
content that still does not fit is reported, never clipped or moved to a new page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, A5, letter
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from printshop.content.document import Document
from printshop.content.i18n import format_date
from printshop.content.models import Layout
from printshop.errors import UserError
from printshop.layout.blocks import Ctx, build_block
from printshop.layout.boxes import Column
from printshop.text.typeset import TextStyle, draw_text_line, register_fonts

rl_config.useA85 = 0  # binary streams: smaller files, less work than ASCII85

PAPER = {
    "A4": A4,
    "A5": A5,
    "letter": letter,
    "half-letter": (5.5 * inch, 8.5 * inch),
}
FIT_STEP = 0.25  # pt of body size per fitting step
TIGHTER_LEADING = (0.96, 0.92)  # last resort at the minimum size
INNER_GAP = 5.0  # pt between the flowables of one block
FOOTER_GAP = 5 * mm


@dataclass(frozen=True)
class PageBox:
    """The writable area of one page (below the top margin, above the footer)."""

    x: float
    y: float
    width: float
    height: float


def page_box(layout: Layout, page_index: int) -> PageBox:
    width, height = PAPER[layout.paper]
    m = layout.margins
    left = m.inner if page_index % 2 == 0 else m.outer
    right = m.outer if page_index % 2 == 0 else m.inner
    return PageBox(
        left, m.bottom + FOOTER_GAP, width - left - right, height - m.top - m.bottom - FOOTER_GAP
    )


@dataclass(frozen=True)
class Fit:
    """One step of fitting: body size in pt and a leading multiplier."""

    body: float
    tighten: float = 1.0


def fit_steps(layout: Layout) -> list[Fit]:
    """From the design size down to the minimum, then tighter leading at the minimum."""
    design, minimum = layout.type.body, layout.type.body_min
    count = int(round((design - minimum) / FIT_STEP))
    steps = [Fit(design - i * FIT_STEP) for i in range(count + 1)]
    return steps + [Fit(minimum, t) for t in TIGHTER_LEADING]


def build_blocks(
    doc: Document, layout: Layout, step: Fit, second: Document | None
) -> list[list[list[Flowable]]]:
    """Per page of the layout, per block, the block's flowables at this fitting step."""
    ctx = Ctx(doc, layout, step.body / layout.type.body, step.tighten, second)
    return [
        [build_block(ctx, ref.block, ref.options) for ref in spec.blocks] for spec in layout.pages
    ]


def paginate(
    blocks: list[list[Flowable]], layout: Layout, first_page: int, limit: int, scale: float
) -> tuple[list[Column], float]:
    """Blocks on at most `limit` pages; returns the pages and the overflow.

    A block's flowables stay together unless the block has to break across pages (a
    bilingual handout page may take two sheet sides). The overflow (pt) is how far the
    content runs past the allowed pages (<= 0: it fits).
    """
    gutter, inner = layout.gutter * scale, INNER_GAP * scale
    pages: list[list[list[Flowable]]] = [[]]
    used = [0.0]
    for block in blocks:
        for position, flowable in enumerate(block):
            box = page_box(layout, first_page + len(pages) - 1)
            _w, h = flowable.wrap(box.width, box.height)
            gap = 0.0 if not pages[-1] else (inner if position else gutter)
            if pages[-1] and used[-1] + gap + h > box.height and len(pages) < limit:
                pages.append([])
                used.append(0.0)
                gap = 0.0
            if position == 0 or gap == 0.0:
                pages[-1].append([])
            pages[-1][-1].append(flowable)
            used[-1] += gap + h
    over = max(u - page_box(layout, first_page + i).height for i, u in enumerate(used))
    columns = [Column([Column(group, gap=inner) for group in page], gap=gutter) for page in pages]
    return columns, over


def overflows(
    doc: Document, layout: Layout, step: Fit, second: Document | None = None
) -> tuple[list[Column], list[float]]:
    """Pages at this step and, per page of the layout, how far (pt) its content overflows."""
    limit = 2 if second is not None else 1
    scale = step.body / layout.type.body
    pages: list[Column] = []
    excess = []
    for blocks in build_blocks(doc, layout, step, second):
        placed, over = paginate(blocks, layout, len(pages), limit, scale)
        pages += placed
        excess.append(over)
    return pages, excess


def fit(doc: Document, layout: Layout, second: Document | None = None) -> tuple[list[Column], Fit]:
    """The first step (largest type) at which every page fits; else a clear error."""
    steps = fit_steps(layout)
    pages, excess = overflows(doc, layout, steps[0], second)
    if max(excess) <= 0:
        return pages, steps[0]
    low, high, best = 1, len(steps) - 1, None
    while low <= high:  # binary search: more text never fits at a larger size
        mid = (low + high) // 2
        trial, trial_excess = overflows(doc, layout, steps[mid], second)
        if max(trial_excess) <= 0:
            best, high = (trial, steps[mid]), mid - 1
        else:
            low = mid + 1
    if best is None:
        _pages, excess = overflows(doc, layout, steps[-1], second)
        worst = max(range(len(excess)), key=lambda i: excess[i])
        names = ", ".join(ref.block for ref in layout.pages[worst].blocks)
        full = _block_out_of_room(doc, layout, steps[-1], second, worst)
        lang = f"{doc.lang}+{second.lang}" if second else doc.lang
        raise UserError(
            f"{lang} / {layout.name}: {full} overflows page {worst + 1} ({names}) by "
            f"{max(1, round(excess[worst] / mm))} mm at the {layout.type.body_min:g} pt minimum; "
            "shorten the text or move a block to another page in the layout"
        )
    return best


def _block_out_of_room(
    doc: Document, layout: Layout, step: Fit, second: Document | None, page: int
) -> str:
    """The block of a layout page where its content first runs past the frame."""
    refs = layout.pages[page].blocks
    scale = step.body / layout.type.body
    box = page_box(layout, page)
    used = 0.0
    for ref, flowables in zip(refs, build_blocks(doc, layout, step, second)[page], strict=True):
        for position, flowable in enumerate(flowables):
            _w, h = flowable.wrap(box.width, box.height)
            gap = 0.0 if used == 0 else (INNER_GAP if position else layout.gutter) * scale
            used += gap + h
        if used > box.height:
            return ref.block
    return refs[-1].block


def footer_values(doc: Document, page: int, total: int) -> dict[str, str]:
    site = doc.site
    revised = format_date(site.revision_date, doc.lang) if site.revision_date else ""
    return {
        "site_name": site.name,
        "leaflet_code": site.leaflet_code,
        "leaflet": f"{doc.ui('leaflet_code')} {site.leaflet_code}" if site.leaflet_code else "",
        "revised": f"{doc.ui('revised')} {revised}" if revised else "",
        "page_n_of_m": doc.ui("page_n_of_m", n=page, total=total),
        "title": doc.title,
        "draft": doc.ui("draft_mark") if doc.is_draft else "",
    }


def fill(template: str, values: dict[str, str]) -> str:
    """Fill {placeholders}; drop separators left dangling by empty values."""
    text = template
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    parts = [p.strip() for p in text.split("·")]
    return "  ·  ".join(p for p in parts if p)


def draw_footer(canvas: Canvas, doc: Document, layout: Layout, index: int, total: int) -> None:
    box = page_box(layout, index)
    values = footer_values(doc, index + 1, total)
    style = TextStyle(size=layout.type.small, color=layout.palette.muted)
    y = layout.margins.bottom - layout.type.small
    canvas.saveState()
    canvas.setStrokeColor(HexColor(layout.palette.rule))
    canvas.setLineWidth(0.5)
    canvas.line(box.x, y + layout.type.small * 1.6, box.x + box.width, y + layout.type.small * 1.6)
    canvas.restoreState()
    slots = {"start": layout.footer.start, "center": layout.footer.center, "end": layout.footer.end}
    if doc.direction == "rtl":
        slots["start"], slots["end"] = slots["end"], slots["start"]
    aligns = {"start": "start", "center": "center", "end": "end"}
    for slot, template in slots.items():
        text = fill(template, values)
        if text:
            draw_text_line(
                canvas,
                box.x,
                y,
                text,
                TextStyle(**{**style.__dict__, "align": aligns[slot]}),
                lang=doc.lang,
                direction="ltr" if slot != "center" else doc.direction,
                width=box.width,
            )
    if values["draft"]:
        draft_style = TextStyle(
            size=layout.type.small, bold=True, color=layout.palette.ink, align="center"
        )
        draw_text_line(
            canvas,
            box.x,
            y - layout.type.small * 1.5,
            values["draft"],
            draft_style,
            lang=doc.lang,
            direction=doc.direction,
            width=box.width,
        )


def new_canvas(
    buffer: io.BytesIO, pagesize: tuple[float, float], doc: Document, layout: Layout, author: str
) -> Canvas:
    """A canvas set up the same way for every document: deterministic, metadata filled."""
    canvas = Canvas(
        buffer,
        pagesize=pagesize,
        invariant=1,  # fixed IDs; dates from SOURCE_DATE_EPOCH when set
        pageCompression=1,
        lang=doc.lang,
        initialFontName="NotoSans",  # never reference an unembedded base font
    )
    canvas.setTitle(doc.title)
    canvas.setSubject(doc.subtitle)
    canvas.setAuthor(author or "makebook")
    canvas.setCreator("makebook")
    canvas.setKeywords([doc.topic_id, doc.lang, layout.name])
    return canvas


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    body_size: float  # pt, after fitting


def render(
    doc: Document, layout: Layout, second: Document | None = None, *, bleed: bool = False
) -> Rendered:
    """The finished PDF for one document in one layout (bilingual with `second`).

    Booklets flow over pages (printshop.booklet); `bleed` adds their print-shop bleed.
    """
    if layout.kind == "booklet":
        from printshop.layout.booklet import render_booklet

        return render_booklet(doc, layout, bleed=bleed)
    register_fonts()
    pages, step = fit(doc, layout, second)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, PAPER[layout.paper], doc, layout, doc.site.name)
    if len(pages) > 1:
        canvas.setViewerPreference("Duplex", "DuplexFlipLongEdge")
    canvas.setViewerPreference("PrintScaling", "None")
    for index, page in enumerate(pages):
        box = page_box(layout, index)
        _w, h = page.wrap(box.width, box.height)
        page.drawOn(canvas, box.x, box.y + box.height - h)
        draw_footer(canvas, doc, layout, index, len(pages))
        canvas.showPage()
    canvas.save()
    return Rendered(buffer.getvalue(), len(pages), step.body)
