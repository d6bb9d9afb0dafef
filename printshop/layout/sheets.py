"""Pages several to a sheet side: where each page of a document lands on the paper.

A layout with a `sheet` composes small pages (the panels of a folded leaflet, or cards)
and prints them several to each side of its paper. This module says, for every sheet
side, which page sits in which cell, and where the fold or cut marks go. It is plain
geometry (points, origin bottom-left); `pdf.render` draws what it says.

Turning a printed sheet over its `flip` edge puts the back of a point on the other
side, mirrored across the axis parallel to that edge: a portrait sheet flipped on its
long edge (or a landscape one on its short edge) mirrors left and right; otherwise top
and bottom. Backs are placed through that mirror, so each lands behind its front.

- `roll-fold` (a letter fold): 6 pages in reading order, 1 the front cover, 2 the panel
  seen first on opening the cover (the outside of the panel that folds in), 3-5 the
  inside, left to right, 6 the back. Outside, left to right: 2, 6, 1; inside: 3, 4, 5,
  each behind its partner (3 behind the cover, 4 behind the back, 5 behind panel 2).
  The panel that folds in is `fold_in` narrower. Right-to-left documents mirror it all:
  the cover on the left, the inside read from the right.
- `front-back`: cards, each a front and (or not) a back. A part's `side` says what its
  pages are: card fronts; the backs of the fronts the part before made, in the same
  order; or both sides of cards in turn (front, back, front...: a text that goes on
  over the back of its card). Fronts fill each sheet's cells in reading order, card
  after card (from the top-right cell in a right-to-left document); each back lands
  behind its front.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from printshop.content.layouts import Layout, Part, Sheet
from printshop.errors import UserError

MM = 72 / 25.4
MARK_GAP = 2 * MM  # marks stop this far short of the cell they point at
MARK_LENGTH = 5 * MM
ROLL_FOLD_PAGES = 6
# roll-fold: cells of the outside, reading left to right, as 0-based pages; and the
# page printed behind each of them
OUTSIDE = (1, 5, 0)
BEHIND = {0: 2, 5: 3, 1: 4}


@dataclass(frozen=True)
class Cell:
    """A page's place on one sheet side: its page (0-based; None: left blank)."""

    page: int | None
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Mark:
    """A short line on the sheet: a fold mark (dashed) or a cut mark."""

    x0: float
    y0: float
    x1: float
    y1: float
    dashed: bool


def mirrors_left_right(layout: Layout) -> bool:
    """Turning the sheet over its flip edge mirrors left and right (else top and bottom)."""
    assert layout.sheet is not None
    width, height = layout.sheet_size
    portrait = height >= width
    return (layout.sheet.flip == "long") == portrait


def behind(layout: Layout, cell: Cell) -> tuple[float, float]:
    """Where the back of `cell` is on the other side of the sheet (its x, y)."""
    width, height = layout.sheet_size
    if mirrors_left_right(layout):
        return width - cell.x - cell.width, cell.y
    return cell.x, height - cell.y - cell.height


def _panel_widths(layout: Layout) -> list[float]:
    """Widths of the outside panels, left to right: the one that folds in is narrower."""
    sheet = layout.sheet
    assert sheet is not None
    width, _h = layout.sheet_size
    wide = (width + sheet.fold_in) / sheet.across
    return [wide - sheet.fold_in, wide, wide]


def roll_fold(layout: Layout, count: int, rtl: bool) -> list[list[Cell]]:
    if count != ROLL_FOLD_PAGES:
        raise UserError(
            f"layout '{layout.name}': a roll-fold leaflet has {ROLL_FOLD_PAGES} panels, "
            f"but its parts make {count} pages"
        )
    _w, height = layout.sheet_size
    widths = _panel_widths(layout)
    pages = list(OUTSIDE)
    if rtl:
        widths, pages = widths[::-1], pages[::-1]
    outside, x = [], 0.0
    for page, width in zip(pages, widths, strict=True):
        outside.append(Cell(page, x, 0.0, width, height))
        x += width
    inside = []
    for cell in outside:
        bx, by = behind(layout, cell)
        inside.append(Cell(BEHIND[cell.page], bx, by, cell.width, cell.height))
    return [outside, sorted(inside, key=lambda c: c.x)]


def _grid(layout: Layout, rtl: bool) -> list[tuple[float, float]]:
    """Bottom-left corners of the cells in reading order: rows from the top, each row
    from the reading start."""
    sheet = layout.sheet
    assert sheet is not None
    page_w, page_h = layout.page_size
    _w, height = layout.sheet_size
    corners = []
    for row in range(sheet.down):
        columns = range(sheet.across - 1, -1, -1) if rtl else range(sheet.across)
        for col in columns:
            top = height - sheet.margin - row * page_h
            corners.append((sheet.margin + col * page_w, top - page_h))
    return corners


def pair_cards(layout: Layout, parts: Sequence[Part]) -> list[tuple[int, int | None]]:
    """(front page, back page or None) of every card, in order, from the part each page
    belongs to (0-based pages)."""
    cards: list[tuple[int, int | None]] = []
    fronts: list[int] = []  # the cards the last run of fronts opened, waiting for backs
    runs = groupby(range(len(parts)), key=lambda i: id(parts[i]))
    for _key, run in runs:
        pages = list(run)
        side = parts[pages[0]].side
        if side == "front":
            fronts = list(range(len(cards), len(cards) + len(pages)))
            cards += [(page, None) for page in pages]
        elif side == "both":
            fronts = []
            cards += [(page, page + 1 if page + 1 in pages else None) for page in pages[::2]]
        elif len(pages) != len(fronts):
            name = parts[pages[0]].id or "of backs"
            raise UserError(
                f"layout '{layout.name}': part '{name}' makes {len(pages)} card backs for "
                f"{len(fronts)} fronts; a part of backs follows the part of their fronts"
            )
        else:
            for card, page in zip(fronts, pages, strict=True):
                cards[card] = (cards[card][0], page)
            fronts = []
    return cards


def front_back(layout: Layout, parts: Sequence[Part], rtl: bool) -> list[list[Cell]]:
    page_w, page_h = layout.page_size
    corners = _grid(layout, rtl)
    cards = pair_cards(layout, parts)
    sides = []
    for first in range(0, len(cards), len(corners)):
        sheet = cards[first : first + len(corners)]
        sheet += [(None, None)] * (len(corners) - len(sheet))
        front = [
            Cell(card[0], x, y, page_w, page_h) for card, (x, y) in zip(sheet, corners, strict=True)
        ]
        back = []
        for card, cell in zip(sheet, front, strict=True):
            bx, by = behind(layout, cell)
            back.append(Cell(card[1], bx, by, page_w, page_h))
        sides += [front, back]
    return sides


def sheet_sides(layout: Layout, parts: Sequence[Part], rtl: bool) -> list[list[Cell]]:
    """The cells of every sheet side, in print order, for a document whose pages belong
    to `parts` (the part of each page, in order)."""
    assert layout.sheet is not None
    if layout.sheet.order == "roll-fold":
        return roll_fold(layout, len(parts), rtl)
    return front_back(layout, parts, rtl)


def _fold_marks(layout: Layout, side: list[Cell], sheet: Sheet) -> list[Mark]:
    """A dashed tick at the top and bottom of each fold, in the margin above the text."""
    _w, height = layout.sheet_size
    room = min(layout.margins.top, layout.margins.bottom)
    length = min(MARK_LENGTH, room - MARK_GAP - 2 * MM)
    marks = []
    for cell in sorted(side, key=lambda c: c.x)[1:]:
        for edge, sign in ((height, -1), (0.0, 1)):
            start = edge + sign * 2 * MM
            marks.append(Mark(cell.x, start, cell.x, start + sign * length, True))
    return marks


def _cut_marks(layout: Layout, sheet: Sheet) -> list[Mark]:
    """Lines in the sheet margin that continue each cut between the cards."""
    width, height = layout.sheet_size
    page_w, page_h = layout.page_size
    m = sheet.margin
    length = max(0.0, m - MARK_GAP - 1 * MM)
    marks = []
    for col in range(sheet.across + 1):
        x = m + col * page_w
        marks.append(Mark(x, height - m + MARK_GAP, x, height - m + MARK_GAP + length, False))
        marks.append(Mark(x, m - MARK_GAP, x, m - MARK_GAP - length, False))
    for row in range(sheet.down + 1):
        y = m + row * page_h
        marks.append(Mark(m - MARK_GAP, y, m - MARK_GAP - length, y, False))
        marks.append(Mark(width - m + MARK_GAP, y, width - m + MARK_GAP + length, y, False))
    return marks


def sheet_marks(layout: Layout, side: list[Cell]) -> list[Mark]:
    """Fold or cut marks for one sheet side (none when the layout turns them off)."""
    sheet = layout.sheet
    if sheet is None or not sheet.marks:
        return []
    if sheet.order == "roll-fold":
        return _fold_marks(layout, side, sheet)
    return _cut_marks(layout, sheet) if sheet.margin > MARK_GAP + 2 * MM else []


def printed_pages(layout: Layout, parts: Sequence[Part], rtl: bool = False) -> int:
    """How many PDF pages a document prints as, whose pages belong to `parts`."""
    if layout.sheet is None:
        return len(parts)
    return len(sheet_sides(layout, parts, rtl))
