"""The one composer: blocks -> measured boxes -> pages, for every kind of layout.

A layout is a list of parts. A `fit: page` part is one page: its blocks must fit the
frame. A `fit: flow` part runs over as many pages as it needs (or at most `pages`),
breaking between boxes and inside those that can split (lists, columns, paragraphs:
never leaving a heading or a single line alone). `each: item` makes one page per step
item.

Type is fitted from the layout's design size down to its minimum in 0.25 pt steps,
then with slightly tighter leading; the largest size at which everything fits wins:
for the whole document at once (`fitting: document`), or for each one-page part, and
each flowing part on at most `pages` pages, by itself (`fitting: part`). Content that
still does not fit is an error naming the page, the block and the overflow in mm:
nothing is clipped or silently dropped.

Contents pages need page numbers that exist only after composing: the composer runs
once with placeholder numbers (as wide as real ones), pads a booklet to a multiple
of four, and runs again with the real numbers, checking that nothing moved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from printshop.content.document import Document
from printshop.content.layouts import Layout, Part
from printshop.errors import UserError
from printshop.layout.box import Box, Mark
from printshop.layout.boxes import Column, Fill, Gap, good_split
from printshop.layout.ctx import ContentsEntry, Ctx
from printshop.layout.pages import Furniture, Placed, frame
from printshop.layout.registry import registry
from printshop.layout.sheets import sheet_sides
from printshop.text.fonts import Fonts

MM = 72 / 25.4
FIT_STEP = 0.25  # pt of body size per fitting step
TIGHTER_LEADING = (0.96, 0.92)  # last resort at the minimum size
INNER_GAP = 5.0  # pt between the boxes of one block (blocks are `gutter` apart)
PLACEHOLDER = "88"  # page numbers in the first pass: as wide as real ones
EPS = 1e-6
T = TypeVar("T")


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


@dataclass
class Page:
    part: Part
    boxes: list[Box] = field(default_factory=list)  # top to bottom, gaps included
    used: float = 0.0
    flow: bool = False
    marks: list[Mark] = field(default_factory=list)
    content: Column | None = None  # the boxes as one measured column, when finished
    furniture: list[Placed] = field(default_factory=list)

    def add(self, box: Box, gap: float, height: float) -> None:
        if gap and self.boxes:
            self.boxes.append(Gap(gap))
            self.used += gap
        self.boxes.append(box)
        self.used += height
        self.marks += box.marks


@dataclass
class Composition:
    """The pages of one document, ready to draw: content, furniture and outline marks."""

    pages: list[Page]
    marks: list[tuple[Mark, int]]  # outline entry, page index
    body: float  # the smallest body size used, pt
    frame_size: tuple[float, float]


@dataclass
class Overflow:
    """Content that did not fit where the layout put it."""

    page: int  # 1-based page of the layout where it ran over
    block: str
    blocks: list[str]
    over: float  # pt

    def why(self, layout: Layout) -> str:
        return (
            f"{self.block} overflows page {self.page} ({', '.join(self.blocks)}) by "
            f"{max(1, round(self.over / MM))} mm at the {layout.type.body_min:g} pt minimum"
        )

    def error(self, lang: str, layout: Layout) -> DoesNotFit:
        return DoesNotFit(
            f"{lang} / {layout.name}: {self.why(layout)}; shorten the text or move a block "
            "to another page in the layout",
            self.why(layout),
        )


class DoesNotFit(UserError):
    """The content does not fit the layout at its smallest type. The job may set a
    language written in a tall style of its own in its script's plain style instead."""

    def __init__(self, message: str, why: str) -> None:
        super().__init__(message)
        self.why = why  # what ran over where, without advice


def largest_fit(steps: list[Fit], attempt: Callable[[Fit], T | None]) -> tuple[Fit, T] | None:
    """The first step (largest type) at which `attempt` gives a result, and that result;
    found by halving, since more text never fits at a larger size."""
    result = attempt(steps[0])
    if result is not None:
        return steps[0], result
    best, low, high = None, 1, len(steps) - 1
    while low <= high:
        mid = (low + high) // 2
        result = attempt(steps[mid])
        if result is not None:
            best, high = (steps[mid], result), mid - 1
        else:
            low = mid + 1
    return best


def walk(box: Box) -> Iterator[Box]:
    """A measured box and every box inside it."""
    yield box
    for child, _x, _y in box.placed():
        yield from walk(child)


class Composer:
    def __init__(
        self, doc: Document, layout: Layout, fonts: Fonts, second: Document | None, bleed: float
    ) -> None:
        self.doc = doc
        self.layout = layout
        self.fonts = fonts
        self.second = second
        self.specs = registry()
        fr = frame(layout, 1, doc.rtl)
        self.width, self.height = fr.width, fr.height
        m = layout.margins
        self.overdraw = max(m.inner, m.outer, m.top, m.bottom) + bleed + 1
        self.cache: dict[tuple, tuple[Page, float]] = {}
        self.overflows: list[Overflow] = []
        self.pad = 0
        self.contents: tuple[ContentsEntry, ...] = ()
        self.trying = False  # fitting a capped flow: a box too tall is an overflow

    def ctx(self, step: Fit, **where: object) -> Ctx:
        return Ctx(
            self.doc,
            self.layout,
            self.fonts,
            step.body / self.layout.type.body,
            step.tighten,
            self.second,
            frame=(self.width, self.height),
            overdraw=self.overdraw,
            contents=self.contents,
            **where,
        )

    def units(self, part: Part, ctx: Ctx) -> list[tuple[Box, float, str]]:
        """(box, gap before it, block name) for every box of the part's blocks."""
        out: list[tuple[Box, float, str]] = []
        for ref in part.blocks:
            boxes = self.specs[ref.block].build(ctx, ref.options)
            for n, box in enumerate(boxes):
                gap = (INNER_GAP if n else self.layout.gutter) * ctx.scale
                if box.gap_before is not None:
                    gap = box.gap_before
                name = f"{ref.block} '{box.origin}'" if box.origin else ref.block
                out.append((box, gap if out else 0.0, name))
        return out

    # ------------------------------------------------------------- one page
    def _page_at(self, part: Part, step: Fit, where: dict) -> tuple[Page, float, list]:
        """The part on one page at this step; returns the page, overflow (pt), units."""
        units = self.units(part, self.ctx(step, **where))
        page = Page(part)
        for box, gap, _name in units:
            page.add(box, gap, 0.0)
        content = Column(page.boxes)
        over = content.measure(self.width, self.height) - self.height
        page.content = content
        return page, over, units

    def _fill(self, page: Page, over: float) -> None:
        """Hand the space left on the page to its page-filling boxes."""
        assert page.content is not None
        fills = [b for b in walk(page.content) if isinstance(b, Fill)]
        for box in fills:
            box.extra = max(0.0, -over) / len(fills)
        if fills:
            page.content.measure(self.width, self.height)

    def _overflow(self, part_page: int, units: list, over: float) -> Overflow:
        used, culprit = 0.0, units[-1][2] if units else "?"
        for box, gap, name in units:
            used += gap + box.height
            if used > self.height + EPS:
                culprit = name
                break
        names = list(dict.fromkeys(name.split(" ")[0] for _b, _g, name in units))
        return Overflow(part_page, culprit, names, over)

    def page_part(
        self, part: Part, step: Fit, where: dict, page_no: int, fit_own: bool
    ) -> Page | None:
        """A `fit: page` part on one page, fitted by itself (`fit_own`) or at `step`."""
        if not fit_own:
            page, over, units = self._page_at(part, step, where)
            if over > EPS:
                self.overflows.append(self._overflow(page_no, units, over))
            self._fill(page, over)
            return page
        steps = fit_steps(self.layout)
        first = self._page_at(part, steps[0], where)
        if not first[2]:
            return None

        def attempt(step: Fit) -> tuple[Page, float] | None:
            page, over, _units = first if step is steps[0] else self._page_at(part, step, where)
            return (page, over) if over <= EPS else None

        found = largest_fit(steps, attempt)
        if found is None:
            _p, over, units = self._page_at(part, steps[-1], where)
            raise self._overflow(page_no, units, over).error(self.doc.lang, self.layout)
        step, (page, over) = found
        self._fill(page, over)
        self.body = min(self.body, step.body)
        return page

    # ------------------------------------------------------------- flowing parts
    def flow(self, part: Part, step: Fit, pages: list[Page], limit: int | None) -> int | None:
        """Place a flowing part after `pages`; returns the index of its first page."""
        units = self.units(part, self.ctx(step))
        if not units:
            return None
        queue = [(box, gap) for box, gap, _name in units]
        if self._goes_on(part, pages):
            queue[0] = (queue[0][0], self.layout.gutter * 1.6 * step.body / self.layout.type.body)
        else:
            pages.append(Page(part, flow=True))
        start, first = len(pages) - 1, None
        while queue:
            box, gap = queue.pop(0)
            page = pages[-1]
            gap = gap if page.boxes else 0.0
            room = self.height - page.used - gap
            height = box.measure(self.width, self.height)
            if height <= room + EPS:
                page.add(box, gap, height)
                first = len(pages) - 1 if first is None else first
                continue
            parts = box.split(self.width, room)
            if good_split(parts, self.width, room):
                page.add(parts[0], gap, parts[0].height)
                first = len(pages) - 1 if first is None else first
                queue.insert(0, (parts[1], 0.0))
            elif not page.boxes:
                self._too_tall(part, height, len(pages) - start)
                page.add(box, 0.0, height)  # reported above; keep going to measure the rest
            else:
                queue.insert(0, (box, 0.0))
            if limit is not None and len(pages) - start >= limit:
                rest = sum(b.measure(self.width, self.height) + g for b, g in queue)
                self.overflows.append(
                    Overflow(start + 1, part.id or "flow", [r.block for r in part.blocks], rest)
                )
                break
            pages.append(Page(part, flow=True))
        return first

    @staticmethod
    def _goes_on(part: Part, pages: list[Page]) -> bool:
        """Whether a flowing part starts on the last page, after what is there."""
        if not pages or not pages[-1].flow or not pages[-1].boxes:
            return False
        if part.start == "after-overflow":  # the part before ran over onto that page
            return len(pages) > 1 and pages[-2].part is pages[-1].part
        return part.start == "same-page"

    def fitted_flow(self, part: Part, pages: list[Page]) -> int | None:
        """A flowing part on at most `part.pages` pages of its own, at the largest type
        that fits them (`fitting: part`); returns the index of its first page."""
        assert part.pages is not None
        outer, self.trying = self.overflows, True

        def attempt(step: Fit) -> tuple[list[Page], int | None] | None:
            self.overflows, trial = [], []
            first = self.flow(part, step, trial, part.pages)
            return None if self.overflows else (trial, first)

        try:
            steps = fit_steps(self.layout)
            found = largest_fit(steps, attempt)
            if found is None:
                attempt(steps[-1])
                worst = max(self.overflows, key=lambda o: o.over)
                worst.page += len(pages)
                raise worst.error(self.doc.lang, self.layout)
        finally:
            self.overflows, self.trying = outer, False
        step, (trial, first) = found
        self.body = min(self.body, step.body)
        pages += trial
        return None if first is None else len(pages) - len(trial) + first

    def _too_tall(self, part: Part, height: float, page_of_part: int) -> None:
        """A box taller than a whole page that cannot split: an overflow to report when the
        document (or a capped part) is fitted as one (a smaller size may cure it), else an
        error now."""
        if self.layout.fitting == "document" or self.trying:
            self.overflows.append(
                Overflow(
                    page_of_part,
                    part.id or "flow",
                    [r.block for r in part.blocks],
                    height - self.height,
                )
            )
            return
        why = (
            f"a part of '{part.id or 'a flowing part'}' is {height / MM:.0f} mm tall, more "
            f"than a page ({self.height / MM:.0f} mm)"
        )
        raise DoesNotFit(f"{self.doc.lang} / {self.layout.name}: {why}", why)

    # ------------------------------------------------------------- the whole document
    def run(self, step: Fit) -> Composition:
        """Every part in order at this step (one-page parts may fit themselves)."""
        self.overflows = []
        self.body = step.body
        fit_own = self.layout.fitting == "part"
        pages: list[Page] = []
        marks: list[tuple[Mark, int]] = []
        seen: set[Mark] = set()
        for index, part in enumerate(self.layout.parts):
            start = len(pages)
            if part.each == "item":
                for number, item in enumerate(self.doc.step_items(), start=1):
                    where = {"item": item, "number": number}
                    placed = self._cached(
                        (index, number), part, step, where, len(pages) + 1, fit_own
                    )
                    if placed is not None:
                        pages.append(placed)
            elif part.fit == "flow" and part.pages is not None and fit_own:
                first = self.fitted_flow(part, pages)
                start = first if first is not None else len(pages)
            elif part.fit == "flow" or (self.second is not None and not fit_own):
                limit = 2 if part.fit == "page" else part.pages
                first = self.flow(part, step, pages, limit)
                start = first if first is not None else len(pages)
            else:
                for k in range(part.repeat + (self.pad if part.pad else 0)):
                    key = (index, min(k, part.repeat))
                    placed = self._cached(key, part, step, {}, len(pages) + 1, fit_own)
                    if placed is None:
                        break
                    pages.append(placed)
            title = self.part_title(part)
            if title and len(pages) > start:
                marks.append((Mark(title, 0, f"p-{part.id or index}", part.contents), start))
            for i in range(start, len(pages)):  # a page shared by same-page parts: once
                marks += [
                    (m, i) for m in pages[i].marks if (m.level or not title) and m not in seen
                ]
                seen.update(m for m in pages[i].marks)
        if self.layout.max_pages and len(pages) > self.layout.max_pages:
            over = sum(p.used for p in pages[self.layout.max_pages :])
            self.overflows.append(Overflow(self.layout.max_pages, "the content", ["all"], over))
        return Composition(
            pages, sorted(marks, key=lambda m: m[1]), self.body, (self.width, self.height)
        )

    def part_title(self, part: Part) -> str:
        """A part's outline title: its label, or for a page per item, the items' heading."""
        if part.title:
            return self.doc.label(part.title)
        steps = self.doc.of_kind("step-cards")
        return steps[0].heading if part.each == "item" and part.side != "behind" and steps else ""

    def _cached(self, key, part, step, where, page_no, fit_own) -> Page | None:
        """One-page parts do not change between passes unless they list the contents."""
        uses_contents = any(ref.block == "contents" for ref in part.blocks)
        full_key = (key, step)
        if uses_contents or full_key not in self.cache:
            before, overflows = self.body, len(self.overflows)
            self.body = step.body
            page = self.page_part(part, step, where, page_no, fit_own)
            self.cache[full_key] = (page, self.body, self.overflows[overflows:])
            self.body = min(before, self.body)
            return page
        page, body, overflows = self.cache[full_key]
        self.body = min(self.body, body)
        self.overflows += overflows
        if page is None:
            return None
        return Page(part, list(page.boxes), page.used, False, list(page.marks), page.content)


def _finish(composition: Composition, furniture: Furniture, composer: Composer) -> Composition:
    total = len(composition.pages)
    for number, page in enumerate(composition.pages, start=1):
        if page.content is None:
            page.content = Column(page.boxes)
            page.content.measure(composer.width, composer.height)
        page.furniture = furniture.footer(number, total) if page.part.folio else []
    return composition


def contents_entries(marks: list[tuple[Mark, int]], numbers: bool) -> tuple[ContentsEntry, ...]:
    return tuple(
        ContentsEntry(m.title, str(page + 1) if numbers else PLACEHOLDER, m.level)
        for m, page in marks
        if m.listed
    )


def compose(
    doc: Document,
    layout: Layout,
    fonts: Fonts,
    second: Document | None = None,
    bleed: float = 0.0,
) -> Composition:
    """The document's pages: fitted, paginated, padded and numbered."""
    composer = Composer(doc, layout, fonts, second, bleed)
    if layout.fitting == "document":
        result = _fit_document(composer)
    else:
        result = composer.run(fit_steps(layout)[0])
    if layout.imposition is not None:
        composer.pad = -len(result.pages) % 4
        if composer.pad and not any(p.pad for p in layout.parts):
            raise UserError(f"layout '{layout.name}': no part has 'pad: true' for blank pages")
    if any(ref.block == "contents" for part in layout.parts for ref in part.blocks):
        step = Fit(result.body) if layout.fitting == "document" else fit_steps(layout)[0]
        composer.contents = contents_entries(result.marks, False)
        padded = composer.run(step)
        composer.contents = contents_entries(padded.marks, True)
        result = composer.run(step)
        if [(m, p) for m, p in result.marks] != [(m, p) for m, p in padded.marks]:
            raise UserError(
                f"{doc.lang} / {layout.name}: the contents changed the page breaks; "
                "keep the contents part on one page"
            )
    elif composer.pad:
        result = composer.run(fit_steps(layout)[0])
    if layout.imposition is not None and len(result.pages) % 4:
        raise UserError(
            f"{doc.lang} / {layout.name}: {len(result.pages)} pages is not a multiple of 4"
        )
    if layout.sheet is not None:  # fails if the sheet's cells cannot take the pages
        sheet_sides(layout, [page.part for page in result.pages], doc.rtl)
    return _finish(result, Furniture(doc, layout, fonts), composer)


def _fit_document(composer: Composer) -> Composition:
    """The first step (largest type) at which every part fits; else a clear error."""
    steps = fit_steps(composer.layout)

    def attempt(step: Fit) -> Composition | None:
        result = composer.run(step)
        return None if composer.overflows else result

    found = largest_fit(steps, attempt)
    if found is None:
        composer.run(steps[-1])
        worst = max(composer.overflows, key=lambda o: o.over)
        lang = (
            f"{composer.doc.lang}+{composer.second.lang}" if composer.second else composer.doc.lang
        )
        raise worst.error(lang, composer.layout)
    return found[1]
