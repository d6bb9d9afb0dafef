"""Layout files: paper, margins, type, palette and the parts that blocks fill.

A layout is data. It lists parts; a part lists blocks by their registered name, with
options that the block's own options model checks (bounds, choices, typos) when the
layout is loaded, so a misuse is reported as `file:line:col`, never at drawing time.

A part is one page fitted to its frame (`fit: page`), or blocks that flow over as many
pages as they need (`fit: flow`, at most `pages` of them); `each: item` makes one page
per step item. Type is fitted for the whole document at once (`fitting: document`:
handouts, posters, leaflets) or for each one-page part, or capped flowing part, by
itself (`fitting: part`: booklets, cards). On cards, a part's `side` says whether its
pages are card fronts, the backs of the fronts before them, or both sides in turn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationError, model_validator

from printshop.content.load import validate
from printshop.content.models import Id, Label, Length, Strict
from printshop.content.yamlsafe import YamlDoc, parse_yaml
from printshop.errors import Problem, ProblemList, UserError, plain_message, suggest

MM = 72 / 25.4
# Paper sizes in points, portrait (width, height): defined once, used by every stage.
PAPER: dict[str, tuple[float, float]] = {
    "A3": (297 * MM, 420 * MM),
    "A4": (210 * MM, 297 * MM),
    "A5": (148 * MM, 210 * MM),
    "A6": (105 * MM, 148 * MM),
    "letter": (612.0, 792.0),
    "half-letter": (396.0, 612.0),
    "tabloid": (792.0, 1224.0),
}
PaperName = Literal["A3", "A4", "A5", "A6", "letter", "half-letter", "tabloid"]
LayoutKind = Literal["handout", "booklet", "leaflet", "poster", "cards"]
Colour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]


def length(low_mm: float, high_mm: float, **extra: Any) -> Any:
    """A length field bounded in millimetres (stored in points)."""
    return Field(ge=low_mm * MM, le=high_mm * MM, **extra)


class Margins(Strict):
    top: Annotated[Length, length(0, 80)]
    bottom: Annotated[Length, length(0, 80)]
    inner: Annotated[Length, length(0, 80)]
    outer: Annotated[Length, length(0, 80)]


class TypeScale(Strict):
    """Design sizes in pt; fitting scales them all by body/design-body."""

    body: float = Field(12.0, ge=6, le=60)
    body_min: float = Field(10.5, ge=6, le=60)
    title: float = Field(26.0, ge=8, le=144)
    heading: float = Field(15.0, ge=8, le=96)
    subheading: float = Field(12.5, ge=6, le=60)
    small: float = Field(8.5, ge=6, le=40)
    leading: float = Field(1.3, ge=1.0, le=2.5)
    smallest: float = Field(6.5, ge=6, le=40)  # no text is set smaller, whatever its role
    leading_min: float = Field(1.0, ge=1.0, le=2.5)  # fitting never sets lines closer

    @model_validator(mode="after")
    def _minimum_below_design(self) -> TypeScale:
        if self.body_min > self.body:
            raise ValueError(f"body_min ({self.body_min:g}) is larger than body ({self.body:g})")
        if self.smallest > self.body_min:
            raise ValueError(
                f"smallest ({self.smallest:g}) is larger than body_min ({self.body_min:g})"
            )
        return self


class Palette(Strict):
    ink: Colour = "#1a1a1a"
    accent: Colour = "#1d5c8c"
    muted: Colour = "#4d4d4d"
    tint: Colour = "#eef3f7"
    rule: Colour = "#9fb3c4"


class BlockRef(Strict):
    """One block in a part: its registered name and its options (checked on load)."""

    block: str
    options: Any = {}


def _block_ref(value: Any) -> Any:
    """Allow the short forms `- title` and `- icon-list: {columns: 2}`."""
    if isinstance(value, str):
        return {"block": value}
    if isinstance(value, dict) and len(value) == 1 and "block" not in value:
        ((name, options),) = value.items()
        return {"block": name, "options": options if options is not None else {}}
    return value


Blocks = list[Annotated[BlockRef, BeforeValidator(_block_ref)]]


class Part(Strict):
    """A run of blocks: one fitted page, pages that flow, or one page per step item."""

    id: Id | None = None
    title: Label | None = None  # ui label naming it in the contents and the PDF outline
    blocks: Blocks = Field(min_length=1, max_length=24)
    start: Literal["new-page", "same-page", "after-overflow"] = "new-page"  # same-page: flow
    # on after the last; after-overflow: on the page the part before ran over onto, if it
    # did (a safety box going on over the back panel), else on a new page
    fit: Literal["page", "flow"] = "page"  # page: fitted onto one page, else an error
    each: Literal["item"] | None = None  # one page per chosen step item
    repeat: int = Field(1, ge=1, le=20)  # the part on this many pages (notes)
    pad: bool = False  # pages added to fill a multiple of 4 are added here
    contents: bool = True  # listed in the contents
    folio: bool = True  # page number and footer on its pages
    pages: int | None = Field(None, ge=1, le=20)  # fit: flow: on at most this many pages
    # (with `fitting: part`, its type is fitted to them)
    side: Literal["front", "behind", "both"] = "front"  # cards: its pages are card fronts,
    # the backs of the part before's fronts, or both sides of cards in turn

    @model_validator(mode="after")
    def _pages_flow(self) -> Part:
        if self.pages is not None and self.fit != "flow":
            raise ValueError("'pages' is for a part with `fit: flow`")
        if self.side == "behind" and self.fit == "flow":
            raise ValueError("a part of backs is one page per front: leave out `fit: flow`")
        return self


class Footer(Strict):
    """Text at the foot of each page; {placeholders} are filled per page."""

    start: str = Field("", max_length=200)
    center: str = Field("", max_length=200)
    end: str = Field("", max_length=200)
    below: str = Field("", max_length=200)  # a second line (the draft mark)
    sides: Literal["reading", "spine"] = "reading"  # start/end: reading order, or spine->edge
    rule: bool = True  # a thin line above the footer
    style: Literal["small", "folio"] = "small"  # folio: the end slot (page number) large and bold
    baseline: Annotated[Length, length(2, 40)] | None = None  # from the page's foot; default:
    # just inside the bottom margin


class QrSpec(Strict):
    size: Annotated[Length, length(20, 80)] = 62.36  # 22 mm, with the 4-module quiet zone
    error_correction: Literal["M", "Q", "H"] = "M"
    code_min: Annotated[Length, length(10, 80)] | None = None  # the code itself (without
    # its quiet zone) at least this: the code grows to it


class Imposition(Strict):
    """Two booklet pages side by side on each side of a sheet, for saddle stitching."""

    sheet: PaperName
    bleed: Annotated[Length, length(0, 10)] = 8.504  # 3 mm, only with crop marks
    marks_margin: Annotated[Length, length(5, 25)] = 28.35  # room for crop marks

    @property
    def flip(self) -> Literal["short"]:
        """Two pages side by side on a sheet: it turns over its short edge."""
        return "short"


class Sheet(Strict):
    """Pages printed several to each side of a sheet: the panels of a folded leaflet
    (`roll-fold`), or cards to cut apart with their backs behind them (`front-back`).

    The layout's `paper` is the sheet; a page is one cell of it. `flip` is the edge the
    printer turns the sheet over (it tells the printer, and where each back lands).
    """

    order: Literal["roll-fold", "front-back"]
    across: int = Field(1, ge=1, le=4)  # cells side by side
    down: int = Field(1, ge=1, le=4)  # cells one under the other
    flip: Literal["long", "short"] = "long"
    fold_in: Annotated[Length, length(0, 6)] = 0.0  # roll-fold: how much narrower the panel
    # that folds in is, so it sits flat
    margin: Annotated[Length, length(0, 30)] = 0.0  # front-back: sheet edge to the cells
    marks: bool = True  # fold marks (roll-fold) or cut marks (front-back), outside the text

    @model_validator(mode="after")
    def _shape(self) -> Sheet:
        if self.order == "roll-fold" and (self.across, self.down) != (3, 1):
            raise ValueError("a roll-fold leaflet has 3 panels across and 1 down")
        return self


class Layout(Strict):
    extends: Id | None = None  # another layout this one changes (its keys win)
    name: Id
    description: str = Field(max_length=200)
    kind: LayoutKind
    paper: PaperName
    landscape: bool = False
    margins: Margins
    type: TypeScale = TypeScale()
    palette: Palette = Palette()
    qr: QrSpec = QrSpec()
    illustration_width: Annotated[Length, length(10, 300)] = 96.0
    icon_size: Annotated[Length, length(3, 40)] = 22.0
    gutter: Annotated[Length, length(0, 30)] = 14.0  # between blocks
    section_gap: Annotated[Length, length(0, 40)] | None = None  # between two sections of
    # one block (default: the gutter)
    fitting: Literal["document", "part"] = "document"
    max_pages: int | None = Field(None, ge=1, le=64)  # flowing parts: at most this many pages
    # flowing parts: the pages a document is meant to take (large print: two duplex
    # sheets). More is built, up to max_pages, with a warning; a language that writes its
    # script in a style of its own is set in the plain style when that takes fewer pages.
    page_goal: int | None = Field(None, ge=1, le=64)
    parts: list[Part] = Field(min_length=1, max_length=40)
    imposition: Imposition | None = None
    sheet: Sheet | None = None  # several pages to a sheet side (leaflet panels, cards)
    footer: Footer | None = None
    bilingual: bool = False  # a second language may be printed under the first

    @property
    def flip(self) -> Literal["long", "short"]:
        """The edge a two-sided print turns over: the sheet's own, else the long edge."""
        return self.sheet.flip if self.sheet is not None else "long"

    @property
    def sheet_size(self) -> tuple[float, float]:
        """The paper printed on, turned as the layout says."""
        width, height = PAPER[self.paper]
        return (height, width) if self.landscape else (width, height)

    @property
    def page_size(self) -> tuple[float, float]:
        """One page: the sheet, or one cell of it (the narrowest panel of a leaflet)."""
        width, height = self.sheet_size
        s = self.sheet
        if s is None:
            return width, height
        if s.order == "roll-fold":
            return (width + s.fold_in) / s.across - s.fold_in, height
        return (width - 2 * s.margin) / s.across, (height - 2 * s.margin) / s.down

    @model_validator(mode="after")
    def _consistent(self) -> Layout:
        width, height = self.page_size
        m = self.margins
        if width - m.inner - m.outer < 40 * MM or height - m.top - m.bottom < 40 * MM:
            raise ValueError(
                f"margins leave less than 40 x 40 mm of {self.paper} for the text; "
                "make them smaller"
            )
        if self.kind == "booklet" and self.imposition is None:
            raise ValueError("a booklet layout needs 'imposition'")
        if self.kind != "booklet" and self.imposition is not None:
            raise ValueError("'imposition' is for booklet layouts")
        if self.sheet is not None and self.kind not in ("leaflet", "cards"):
            raise ValueError("'sheet' is for leaflet and cards layouts")
        cards = self.sheet is not None and self.sheet.order == "front-back"
        if not cards and any(part.side != "front" for part in self.parts):
            raise ValueError("a part's 'side' is for cards (`sheet: {order: front-back}`)")
        return self


def _options_loc(doc: YamlDoc, part: int, index: int, name: str) -> tuple[Any, ...]:
    """Where a block's options sit in the file: under its name, or under 'options'."""
    try:
        raw = doc.data["parts"][part]["blocks"][index]
    except (KeyError, IndexError, TypeError):
        raw = None
    key = name if isinstance(raw, dict) and name in raw else "options"
    return ("parts", part, "blocks", index, key)


def _option_problems(
    exc: ValidationError, doc: YamlDoc, loc: tuple[Any, ...], name: str, allowed: list[str]
) -> list[Problem]:
    problems = []
    for err in exc.errors():
        where = (*loc, *err["loc"])
        line, col = doc.where(where)
        option = ".".join(map(str, err["loc"])) or "options"
        message = plain_message(err)
        if err["type"] == "extra_forbidden":
            hint = suggest(str(err["loc"][-1]), allowed) or (
                f"; options: {', '.join(allowed)}" if allowed else "; it takes no options"
            )
            message = f"unknown option{hint}"
        problems.append(Problem(f"{name}: {option}: {message}", doc.path, line, col))
    return problems


def check_blocks(layout: Layout, doc: YamlDoc, registry: dict[str, Any]) -> Layout:
    """Every block is registered, serves this kind of layout, and has valid options.

    Returns the layout with each block's options replaced by its checked options model.
    """
    problems: list[Problem] = []
    parts = []
    for p, part in enumerate(layout.parts):
        refs = []
        for b, ref in enumerate(part.blocks):
            spec = registry.get(ref.block)
            line, col = doc.where(("parts", p, "blocks", b))
            if spec is None:
                problems.append(
                    Problem(
                        f"unknown block '{ref.block}'{suggest(ref.block, registry)}; "
                        f"blocks: {', '.join(sorted(registry))}",
                        doc.path,
                        line,
                        col,
                    )
                )
                continue
            if spec.kinds and layout.kind not in spec.kinds:
                problems.append(
                    Problem(
                        f"block '{ref.block}' is for {' or '.join(sorted(spec.kinds))} layouts, "
                        f"not a {layout.kind}",
                        doc.path,
                        line,
                        col,
                    )
                )
            if spec.needs_each and part.each != "item":
                problems.append(
                    Problem(
                        f"block '{ref.block}' draws one item: put it in a part with `each: item`",
                        doc.path,
                        line,
                        col,
                    )
                )
            raw = ref.options if isinstance(ref.options, dict) else {"": ref.options}
            try:
                options = spec.options.model_validate(raw)
            except ValidationError as exc:
                where = _options_loc(doc, p, b, ref.block)
                allowed = list(spec.options.model_fields)
                problems += _option_problems(exc, doc, where, ref.block, allowed)
                continue
            refs.append(ref.model_copy(update={"options": options}))
        parts.append(part.model_copy(update={"blocks": refs}))
    if problems:
        raise ProblemList(problems)
    return layout.model_copy(update={"parts": parts})


def merged(parent: Any, child: Any) -> Any:
    """`child` over `parent`: mappings merge key by key, anything else is replaced."""
    if isinstance(parent, dict) and isinstance(child, dict):
        out = dict(parent)
        for key, value in child.items():
            out[key] = merged(parent.get(key), value) if key in parent else value
        return out
    return child


MAX_EXTENDS = 5


def layout_data(
    path: Path,
    find: Callable[[str], Path] | None,
    depth: int = 0,
    within: Sequence[Path] = (),
    files: list[Path] | None = None,
) -> YamlDoc:
    """The layout file's data with what it `extends:` filled in (problems at its lines).

    `within`: folders the files must stay inside; `files` collects every file read."""
    doc = parse_yaml(path, within=within)
    if files is not None:
        files.append(path)
    if not isinstance(doc.data, dict):
        raise UserError("expected keys and values at the top level", path, 1, 1)
    parent = doc.data.get("extends")
    if parent is None:
        return doc
    line, col = doc.where(("extends",))
    if not isinstance(parent, str) or find is None:
        raise UserError("extends: give the name of another layout", path, line, col)
    if depth >= MAX_EXTENDS or parent == path.stem:
        raise UserError(
            f"extends: '{parent}' leads back to this layout or is too deep", path, line, col
        )
    base = layout_data(find(parent), find, depth + 1, within, files)
    data = merged(base.data, {k: v for k, v in doc.data.items() if k != "extends"})
    return YamlDoc(path, data, _fallback_marks(doc, data), doc.key_marks)


def _fallback_marks(doc: YamlDoc, data: dict) -> dict:
    """Positions for inherited keys point at the `extends:` line of the child."""
    marks = dict(doc.marks)
    for key in data:
        marks.setdefault((key,), doc.where(("extends",)))
    return marks


def load_layout(
    path: Path,
    registry: dict[str, Any],
    find: Callable[[str], Path] | None = None,
    within: Sequence[Path] = (),
    files: list[Path] | None = None,
) -> Layout:
    """A layout file (and what it extends), validated with its blocks' options; every
    problem at file:line:col. `files` collects the files it was read from."""
    doc = layout_data(path, find, 0, within, files)
    layout = validate(doc, Layout)
    if layout.name != path.stem:
        line, col = doc.where(("name",))
        raise ProblemList(
            [
                Problem(
                    f"name '{layout.name}' does not match the file name '{path.stem}.yaml'",
                    path,
                    line,
                    col,
                )
            ]
        )
    return check_blocks(layout, doc, registry)
