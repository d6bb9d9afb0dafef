"""The boxes blocks are built from: columns, rows, grids, pictures, codes, rules.

Every box follows the protocol of `box.Box`: measure for a width, report its children's
places, split where it may break. None of them draws; `printshop.pdf.draw` does. In a
right-to-left document rows, grids and tables place their first child on the right.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence

from printshop.content.document import Picture
from printshop.layout.box import Box
from printshop.layout.qrcode import qr_side
from printshop.layout.textbox import TextBox

Width = float | None  # None: share the width left over


def good_split(parts: list[Box], width: float, room: float) -> bool:
    """A break that fits and leaves no single line of a paragraph alone (unless the
    paragraph is a run of short items, `keep_lines` 1: the sources)."""
    if len(parts) < 2 or parts[0].measure(width, room) > room + 1e-6:
        return False
    head, tail = parts[0], parts[1]
    if isinstance(head, TextBox) and isinstance(tail, TextBox):
        tail.measure(width)
        keep = head.keep_lines
        return head.lines_count >= keep and tail.lines_count >= keep
    return True


class Column(Box):
    """Children top to bottom, with gaps, inside optional padding, fill and border.

    An undecorated column may split between (or inside) its children; `keep_first`
    keeps the first child (a heading) on the page of the second, and `repeat_first`
    prints it again at the top of the part that goes on; `whole_children` breaks only
    between children; `foot_first` keeps the last child (a card's foot) at the end of
    the first part, under what stays on the page. A decorated one splits only when
    `breakable`: each part keeps the padding, fill and border.
    """

    def __init__(
        self,
        children: Sequence[Box | None],
        *,
        gap: float = 0.0,
        padding: float = 0.0,
        fill: str | None = None,
        border: str | None = None,
        border_width: float = 1.0,
        radius: float = 0.0,
        center: bool = False,
        keep_first: bool = False,
        breakable: bool = False,
        repeat_first: bool = False,
        whole_children: bool = False,
        foot_first: bool = False,
    ) -> None:
        self.children = [c for c in children if c is not None]
        self.gap = gap
        self.padding = padding
        self.fill = fill
        self.border = border
        self.border_width = border_width
        self.radius = radius
        self.center = center
        self.keep_first = keep_first
        self.breakable = breakable
        self.repeat_first = repeat_first
        self.whole_children = whole_children
        self.foot_first = foot_first
        self._places: list[tuple[Box, float, float]] = []

    @property
    def decorated(self) -> bool:
        return bool(self.fill or self.border or self.padding or self.center)

    def measure(self, width: float, room: float = math.inf) -> float:
        inner = width - 2 * self.padding
        heights = [child.measure(inner, room) for child in self.children]
        self.width = width
        self.height = sum(heights) + self.gap * max(0, len(heights) - 1) + 2 * self.padding
        y = self.height - self.padding
        self._places = []
        for child, height in zip(self.children, heights, strict=True):
            y -= height
            x = self.padding + (max(0.0, inner - child.width) / 2 if self.center else 0.0)
            self._places.append((child, x, y))
            y -= self.gap
        return self.height

    def placed(self) -> Iterator[tuple[Box, float, float]]:
        return iter(self._places)

    def split(self, width: float, room: float) -> list[Box]:
        if (self.decorated and not self.breakable) or len(self.children) < 1:
            return []
        if self.foot_first and len(self.children) > 1:
            return self._split_above_foot(width, room)
        width, room = width - 2 * self.padding, room - 2 * self.padding
        used = 0.0
        for index, child in enumerate(self.children):
            gap = self.gap if index else 0.0
            height = child.measure(width, room)
            if used + gap + height <= room + 1e-6:
                used += gap + height
                continue
            head = self.children[:index]
            parts = [] if self.whole_children else child.split(width, room - used - gap)
            if (index or not self.keep_first) and good_split(parts, width, room - used - gap):
                head = [*head, parts[0]]
                rest = [parts[1], *self.children[index + 1 :]]
            else:
                rest = self.children[index:]
            if self.keep_first and len(head) == 1 and self.children[0] is head[0]:
                return []  # a heading alone at the foot of a page
            if not head or not rest:
                return []
            first = self._like(head, False)
            first.marks = self.marks
            if self.repeat_first:  # the heading again over what goes on
                return [first, self._like([self.children[0], *rest], True)]
            return [first, self._like(rest, False)]
        return [self]

    def _split_above_foot(self, width: float, room: float) -> list[Box]:
        """Break what is above the foot, in the room the foot leaves; the foot ends the
        first part."""
        *above, foot = self.children
        room -= foot.measure(width - 2 * self.padding, room) + self.gap
        body = self._like(above, self.keep_first)
        body.foot_first = False
        parts = body.split(width, room)
        if len(parts) < 2:
            return []
        head, rest = parts
        assert isinstance(head, Column) and isinstance(rest, Column)
        first, last = self._like([*head.children, foot], False), self._like(rest.children, False)
        first.marks, last.foot_first = self.marks, False  # the foot is behind it now
        return [first, last]

    def _like(self, children: list[Box], keep_first: bool) -> Column:
        """A part of this column: its children, with the same decoration."""
        return Column(
            children,
            gap=self.gap,
            padding=self.padding,
            fill=self.fill,
            border=self.border,
            border_width=self.border_width,
            radius=self.radius,
            center=self.center,
            keep_first=keep_first,
            breakable=self.breakable,
            repeat_first=self.repeat_first,
            whole_children=self.whole_children,
            foot_first=self.foot_first,
        )


class Row(Box):
    """Children side by side; fixed widths or shares of what is left; mirrored for RTL.

    With `flows` (a child's index) the row may break inside that child: the part that
    fits stays beside the other children, the rest goes on in the same place across the
    row, beside empty space where the others were (a card's steps, beside its picture
    and code, going on over a page).
    """

    def __init__(
        self,
        children: Sequence[tuple[Box | None, Width]],
        *,
        gap: float = 0.0,
        valign: str = "top",
        rtl: bool = False,
        flows: int | None = None,
    ) -> None:
        kept = [(n, c, w) for n, (c, w) in enumerate(children) if c is not None]
        self.children = [(c, w) for _n, c, w in kept]
        self.gap = gap
        self.valign = valign
        self.rtl = rtl
        self.flows = next((i for i, (n, *_) in enumerate(kept) if n == flows), None)
        self._places: list[tuple[Box, float, float]] = []

    def _widths(self, avail: float) -> list[float]:
        fixed = sum(w for _c, w in self.children if w is not None)
        flexible = sum(1 for _c, w in self.children if w is None)
        gaps = self.gap * max(0, len(self.children) - 1)
        share = max(0.0, avail - fixed - gaps) / max(1, flexible)
        return [share if w is None else w for _c, w in self.children]

    def measure(self, width: float, room: float = math.inf) -> float:
        widths = self._widths(width)
        heights = [c.measure(w, room) for (c, _w), w in zip(self.children, widths, strict=True)]
        self.width = width
        self.height = max(heights, default=0.0)
        self._places = []
        x = 0.0
        for (child, _w), w, h in zip(self.children, widths, heights, strict=True):
            left = width - x - w if self.rtl else x
            if self.valign == "middle":
                y = (self.height - h) / 2
            elif self.valign == "bottom":
                y = 0.0
            else:
                y = self.height - h
            self._places.append((child, left, y))
            x += w + self.gap
        return self.height

    def placed(self) -> Iterator[tuple[Box, float, float]]:
        return iter(self._places)

    def split(self, width: float, room: float) -> list[Box]:
        """Break inside the flowing child, if the others fit `room` beside its first part."""
        if self.flows is None:
            return []
        widths = self._widths(width)
        others = [
            child.measure(w, room)
            for n, ((child, _), w) in enumerate(zip(self.children, widths, strict=True))
            if n != self.flows
        ]
        flowing, share = self.children[self.flows][0], widths[self.flows]
        parts = flowing.split(share, room)
        if max(others, default=0.0) > room + 1e-6 or not good_split(parts, share, room):
            return []
        head, tail = [], []
        for n, (child, w) in enumerate(self.children):
            head.append((parts[0] if n == self.flows else child, w))
            tail.append((parts[1] if n == self.flows else Gap(0), w))  # room where it was
        return [self._like(head), self._like(tail)]

    def _like(self, children: list[tuple[Box, Width]]) -> Row:
        """A part of this row: these children, spaced and aligned like it."""
        return Row(children, gap=self.gap, valign=self.valign, rtl=self.rtl, flows=self.flows)


class Beside(Box):
    """A label and a text that must stay whole (an address): side by side, the text as
    wide as it is, when both fit on the line; else the label over the text."""

    def __init__(self, label: Box, text: TextBox, *, gap: float = 0.0, rtl: bool = False) -> None:
        self.label = label
        self.text = text
        self.gap = gap
        self.rtl = rtl
        self.body: Box = Column([])

    def measure(self, width: float, room: float = math.inf) -> float:
        need = self.text.natural_width()
        if need + self.gap + self.label.widest_word() <= width:
            self.body = Row([(self.label, None), (self.text, need)], gap=self.gap, rtl=self.rtl)
            if self.body.measure(width, room) <= self.text.measure(need, room) + 1e-6:
                self.width, self.height = width, self.body.height
                return self.height  # one line: the label did not wrap either
        self.body = Column([self.label, self.text])
        self.width, self.height = width, self.body.measure(width, room)
        return self.height

    def placed(self) -> Iterator[tuple[Box, float, float]]:
        yield self.body, 0.0, 0.0

    def widest_word(self) -> float:
        return max(self.label.widest_word(), self.text.widest_word())


class Gap(Box):
    """Fixed vertical space."""

    def __init__(self, height: float) -> None:
        self.height = height

    def measure(self, width: float, room: float = math.inf) -> float:
        self.width = width
        return self.height


class Rule(Box):
    """A horizontal line across the available width."""

    def __init__(self, color: str, thickness: float = 0.75, space: float = 4.0) -> None:
        self.color = color
        self.thickness = thickness
        self.space = space

    def measure(self, width: float, room: float = math.inf) -> float:
        self.width = width
        self.height = self.thickness + 2 * self.space
        return self.height


class WriteIn(Box):
    """A dotted line to write on by hand (no site number, notes)."""

    def __init__(self, color: str, height: float = 22.0, width: float | None = None) -> None:
        self.color = color
        self.line_height = height
        self.fixed_width = width

    def measure(self, width: float, room: float = math.inf) -> float:
        self.width = min(self.fixed_width or width, width)
        self.height = self.line_height
        return self.height


class Layered(Box):
    """Decorative art behind words: the art on the end side, the words on the start side."""

    def __init__(
        self,
        background: Box,
        foreground: Box,
        *,
        text_width: float = 0.6,
        rtl: bool = False,
        min_height: float = 0.0,
    ) -> None:
        self.background = background
        self.foreground = foreground
        self.text_width = text_width
        self.rtl = rtl  # mirrored: the art's motif sits opposite the words
        self.min_height = min_height

    def measure(self, width: float, room: float = math.inf) -> float:
        bg_h = self.background.measure(width, room)
        fg_h = self.foreground.measure(width * self.text_width, room)
        self.width = width
        self.height = max(self.min_height, fg_h, bg_h)
        return self.height

    @property
    def background_x(self) -> float:
        return 0.0 if self.rtl else self.width - self.background.width

    def placed(self) -> Iterator[tuple[Box, float, float]]:
        yield self.background, self.background_x, self.height - self.background.height
        fg_x = self.width - self.foreground.width if self.rtl else 0.0
        yield self.foreground, fg_x, (self.height - self.foreground.height) / 2


class FlowColumns(Box):
    """Items in newspaper columns: down the first column, then the next, heights balanced.

    Packs tighter than a grid when items differ in height (no row has to wait for its
    tallest neighbour). In an RTL document the first column is on the right.
    """

    def __init__(
        self,
        children: Sequence[Box],
        *,
        columns: int = 2,
        gap_x: float = 12.0,
        gap_y: float = 8.0,
        rtl: bool = False,
    ) -> None:
        self.children = list(children)
        self.columns = max(1, columns)
        self.gap_x = gap_x
        self.gap_y = gap_y
        self.rtl = rtl
        self.body: Box = Column([])

    def _partition(self, heights: list[float]) -> list[int]:
        """Start index of each column, minimising the tallest column (linear partition)."""
        n, k = len(heights), min(self.columns, max(1, len(heights)))
        prefix = [0.0]
        for h in heights:
            prefix.append(prefix[-1] + h + self.gap_y)

        def span(i: int, j: int) -> float:
            return prefix[j] - prefix[i] - self.gap_y if j > i else 0.0

        cost: dict[tuple[int, int], tuple[float, list[int]]] = {}
        for start in range(n + 1):
            cost[(1, start)] = (span(start, n), [start])
        for cols in range(2, k + 1):
            for start in range(n + 1):
                options = []
                for cut in range(start + 1, n + 1):
                    rest, starts = cost[(cols - 1, cut)]
                    options.append((max(span(start, cut), rest), [start, *starts]))
                cost[(cols, start)] = min(options, default=(span(start, n), [start]))
        return cost[(k, 0)][1]

    def _layout(self, width: float, room: float) -> Box:
        col_w = (width - self.gap_x * (self.columns - 1)) / self.columns
        heights = [child.measure(col_w, room) for child in self.children]
        starts = self._partition(heights) + [len(self.children)]
        groups = [self.children[a:b] for a, b in zip(starts, starts[1:], strict=False)]
        groups += [[]] * (self.columns - len(groups))
        return Row(
            [(Column(g, gap=self.gap_y), None) for g in groups], gap=self.gap_x, rtl=self.rtl
        )

    def measure(self, width: float, room: float = math.inf) -> float:
        self.body = self._layout(width, room)
        self.height = self.body.measure(width, room)
        self.width = width
        return self.height

    def placed(self) -> Iterator[tuple[Box, float, float]]:
        yield self.body, 0.0, 0.0

    def split(self, width: float, room: float) -> list[Box]:
        """One column flows like a column; several balanced columns stay together."""
        if self.columns == 1:
            return Column(self.children, gap=self.gap_y).split(width, room)
        return []


class Grid(FlowColumns):
    """Children in reading order across `columns` equal columns, row by row (aligned rows)."""

    def _layout(self, width: float, room: float) -> Box:
        n = self.columns
        rows = [self.children[i : i + n] for i in range(0, len(self.children), n)]
        return Column(
            [
                Row(
                    [(c, None) for c in row] + [(Gap(0), None)] * (n - len(row)),
                    gap=self.gap_x,
                    rtl=self.rtl,
                )
                for row in rows
            ],
            gap=self.gap_y,
        )

    def split(self, width: float, room: float) -> list[Box]:
        """A grid breaks between its rows."""
        body = self._layout(width, room)
        return body.split(width, room) if isinstance(body, Column) else []


class PictureBox(Box):
    """A picture scaled uniformly into a box and centred in the width it is given."""

    def __init__(self, picture: Picture, max_width: float, max_height: float) -> None:
        self.picture = picture
        scale = min(max_width / picture.width, max_height / picture.height)
        self.art_width = picture.width * scale
        self.art_height = picture.height * scale
        self.box_width = max_width

    def measure(self, width: float, room: float = math.inf) -> float:
        self.width = min(self.box_width, max(width, self.art_width))
        self.height = self.art_height
        return self.height

    @property
    def art_x(self) -> float:
        return (self.width - self.art_width) / 2


class QrBox(Box):
    """A square QR code, at least `size` wide, grown so modules stay printable."""

    def __init__(self, url: str, size: float, level: str = "M", code_min: float = 0.0) -> None:
        self.url = url
        self.level = level
        self.size = qr_side(url, size, level, code_min)

    def measure(self, width: float, room: float = math.inf) -> float:
        self.width = self.height = self.size
        return self.size


class Fill(Box):
    """Takes the space left on a one-page part (the composer sets `extra`).

    Subclasses draw in that space: ruled lines, a table. `min_height` is what it needs
    at least; fitting counts only that.
    """

    def __init__(self, min_height: float = 0.0) -> None:
        self.min_height = min_height
        self.extra = 0.0

    def measure(self, width: float, room: float = math.inf) -> float:
        self.width = width
        self.height = self.min_height + self.extra
        return self.height


class FlexPicture(Fill):
    """A picture that takes the room a one-page part leaves: at least `min_height` tall,
    at most the picture's own box (`max_width` x `max_height`), centred in that room."""

    def __init__(
        self, picture: Picture, max_width: float, max_height: float, min_height: float
    ) -> None:
        super().__init__(min(min_height, max_height))
        self.picture = picture
        self.max_width = max_width
        self.max_height = max_height
        self.art = PictureBox(picture, max_width, max_height)

    def measure(self, width: float, room: float = math.inf) -> float:
        super().measure(width, room)
        room_h = min(self.height, self.max_height)
        self.art = PictureBox(self.picture, min(width, self.max_width), room_h)
        self.art.measure(width)
        return self.height

    def placed(self) -> Iterator[tuple[Box, float, float]]:
        art = self.art
        yield art, (self.width - art.width) / 2, (self.height - art.art_height) / 2


class PictureGrid(Fill):
    """Pictures with their captions, in the grid that fills the room a one-page part
    leaves with the largest pictures; cells in reading order.

    Two forms: each caption under its picture (2 to 6 columns), or, when `side_captions`
    are given, beside it (1 to 3 columns, the picture on the reading-start side): long
    captions (a language whose names wrap over three lines) take less height beside their
    pictures than under them. Fitting counts the shortest grid with pictures
    `picture_min` tall (`min_height`).
    """

    UNDER = range(2, 7)  # columns, captions under the pictures
    BESIDE = range(1, 4)  # columns, captions beside them
    PAD = 2.0  # inside each cell's border
    SIDE_SHARE = 0.36  # beside: the picture's share of the cell's width

    def __init__(
        self,
        pictures: Sequence[Picture | None],
        captions: Sequence[Box],
        *,
        gap: float,
        border: str,
        picture_min: float,
        shape: float = 0.75,
        rtl: bool = False,
        side_captions: Sequence[Box] = (),
    ) -> None:
        super().__init__(0.0)
        self.shape = shape  # the tallest a picture may be, as a share of its cell's width
        self.pictures = list(pictures)
        self.captions = list(captions)
        self.side_captions = list(side_captions)
        self.gap = gap
        self.border = border
        self.picture_min = picture_min
        self.rtl = rtl
        self.grid: Box = Column([])
        self._captions: dict[tuple[bool, int, int], list[float]] = {}  # rows' caption heights

    def _forms(self) -> list[tuple[bool, int]]:
        """(beside, columns) of every grid this one may be."""
        beside = self.BESIDE if self.side_captions else range(0)
        return [(False, c) for c in self.UNDER] + [(True, c) for c in beside]

    def _cell_width(self, columns: int, width: float) -> float:
        return (width - self.gap * (columns - 1)) / columns

    def _side_width(self, form: tuple[bool, int], width: float, picture: float) -> float:
        """Beside: the width of the picture's slot, as wide as the picture is tall (by
        `shape`) and at most `SIDE_SHARE` of the cell; the caption has the rest."""
        inner = self._cell_width(form[1], width) - 2 * self.PAD
        return min(inner * self.SIDE_SHARE, picture / self.shape)

    def _caption_heights(self, form: tuple[bool, int], width: float, picture: float) -> list[float]:
        """Each caption's height (beside pictures this tall)."""
        beside, columns = form
        inner = self._cell_width(columns, width) - 2 * self.PAD
        if beside:
            inner -= self._side_width(form, width, picture) + self.gap
        key = (beside, columns, math.floor(inner))  # a little narrower: never too short
        if key not in self._captions:
            captions = self.side_captions if beside else self.captions
            self._captions[key] = [c.measure(key[2]) for c in captions]
        return self._captions[key]

    def _art_heights(self, form: tuple[bool, int], width: float, picture: float) -> list[float]:
        """How tall each picture is drawn: a wide one fills its slot's width first."""
        beside, columns = form
        if beside:
            slot = self._side_width(form, width, picture)
        else:
            slot = self._cell_width(columns, width) - 2 * self.PAD
        return [min(picture, slot * p.height / p.width) if p else 0.0 for p in self.pictures]

    def _largest(self, form: tuple[bool, int], width: float) -> float:
        """The tallest a picture may be in this form's cells."""
        inner = self._cell_width(form[1], width) - 2 * self.PAD
        return inner * (self.SIDE_SHARE if form[0] else 1.0) * self.shape

    def _height(self, form: tuple[bool, int], width: float, picture: float) -> float:
        """The grid's height with pictures at most this tall: each row as tall as its
        tallest cell (beside: picture or caption; under: picture, 2 pt, caption)."""
        beside, columns = form
        captions = self._caption_heights(form, width, picture)
        arts = self._art_heights(form, width, picture)
        cells = [
            max(art, caption) if beside else (art + 2 if art else 0.0) + caption
            for art, caption in zip(arts, captions, strict=True)
        ]
        rows = [max(cells[i : i + columns]) for i in range(0, len(cells), columns)]
        return sum(rows) + len(rows) * 2 * self.PAD + self.gap * (len(rows) - 1)

    def _picture_height(self, form: tuple[bool, int], width: float, room: float) -> float:
        """The largest picture height with this form in `room` (halving: the height grows
        with the pictures)."""
        low, high = 0.0, self._largest(form, width)
        if self._height(form, width, high) <= room:
            return high
        for _ in range(16):
            mid = (low + high) / 2
            low, high = (mid, high) if self._height(form, width, mid) <= room else (low, mid)
        return low

    def _body(self, form: tuple[bool, int], width: float, index: int, picture: float) -> Box:
        """What one cell holds: its picture and caption."""
        beside, columns = form
        pic = self.pictures[index]
        if not beside:
            art = PictureBox(pic, self._cell_width(columns, width) - 2 * self.PAD, picture)
            return Column([art if pic else None, self.captions[index]], gap=2)
        side = self._side_width(form, width, picture)
        art = PictureBox(pic, side, picture) if pic else Column([])
        caption = self.side_captions[index]
        return Row([(art, side), (caption, None)], gap=self.gap, valign="middle", rtl=self.rtl)

    def _cells(self, form: tuple[bool, int], width: float, picture: float) -> list[Box]:
        """The bordered cells, each as tall as the tallest of its row (an aligned grid);
        beside its picture, a caption stays in the middle of its cell."""
        beside, columns = form
        inner = self._cell_width(columns, width) - 2 * self.PAD
        bodies = [self._body(form, width, i, picture) for i in range(len(self.captions))]
        heights = [body.measure(inner) for body in bodies]
        cells: list[Box] = []
        for index, body in enumerate(bodies):
            row = index - index % columns
            extra = max(heights[row : row + columns]) - heights[index]
            above = extra / 2 if beside else 0.0
            inside = [Gap(above), body, Gap(extra - above)]
            cells.append(Column(inside, padding=self.PAD, border=self.border, border_width=0.5))
        return cells

    def measure(self, width: float, room: float = math.inf) -> float:
        forms = self._forms()
        wide_enough = [f for f in forms if self._largest(f, width) >= self.picture_min] or forms
        self.min_height = min(self._height(f, width, self.picture_min) for f in wide_enough)
        super().measure(width, room)
        form = max(forms, key=lambda f: self._picture_height(f, width, self.height))
        picture = max(self._picture_height(form, width, self.height), 10 * 72 / 25.4)
        cells = self._cells(form, width, picture)
        self.grid = Grid(cells, columns=form[1], gap_x=self.gap, gap_y=self.gap, rtl=self.rtl)
        self.grid.measure(width)
        return self.height

    def placed(self) -> Iterator[tuple[Box, float, float]]:
        yield self.grid, 0.0, self.height - self.grid.height


class Fitting(Fill):
    """The most useful of its candidates that fit the room a one-page part leaves.

    `candidates` are in display order; `priority` lists their indexes, most useful
    first. The first of them must fit (fitting counts only it); the others are taken in
    priority order while they fit, and shown in display order under what `head` makes
    of the chosen indexes (a heading that may depend on the choice), with `foot` under
    them.
    """

    def __init__(
        self,
        candidates: Sequence[Box],
        priority: Sequence[int],
        head: Callable[[list[int]], Box | None],
        gap: float = 0.0,
        foot: Box | None = None,
    ) -> None:
        super().__init__(0.0)
        self.candidates = list(candidates)
        self.priority = list(priority)
        self.head = head
        self.gap = gap
        self.foot = foot
        self.chosen: list[int] = []
        self.body: Box = Column([])

    def _column(self, chosen: list[int]) -> Column:
        cards = [self.candidates[i] for i in sorted(chosen)]
        return Column([self.head(sorted(chosen)), *cards, self.foot], gap=self.gap)

    def measure(self, width: float, room: float = math.inf) -> float:
        first = self.priority[:1]
        self.min_height = self._column(first).measure(width) if first else 0.0
        space = self.min_height + self.extra
        chosen = list(first)
        for index in self.priority[1:]:
            if self._column([*chosen, index]).measure(width) <= space + 1e-6:
                chosen.append(index)
        self.chosen = sorted(chosen)
        self.body = self._column(chosen)
        self.body.measure(width)
        self.width = width
        self.height = space
        return self.height

    def placed(self) -> Iterator[tuple[Box, float, float]]:
        yield self.body, 0.0, self.height - self.body.height


class RuledLines(Fill):
    """Evenly spaced lines to write on, filling the space they are given."""

    def __init__(self, color: str, spacing: float, min_lines: int = 6) -> None:
        super().__init__(spacing * min_lines)
        self.color = color
        self.spacing = spacing

    def line_ys(self) -> list[float]:
        count = int((self.height + 0.01) // self.spacing)
        return [self.height - self.spacing * (n + 1) for n in range(count)]


class LogTable(Fill):
    """A table to fill in by hand: labelled columns over as many ruled rows as fit."""

    def __init__(
        self,
        labels: list[Box],
        shares: list[float],
        color: str,
        tint: str,
        row_height: float,
        min_rows: int,
        rtl: bool,
    ) -> None:
        super().__init__(0.0)
        self.labels = labels
        self.shares = [s / sum(shares) for s in shares]
        self.color = color
        self.tint = tint
        self.row_height = row_height
        self.min_rows = min_rows
        self.rtl = rtl
        self.pad = 3.0
        self.header = 0.0

    def columns(self) -> list[tuple[float, float]]:
        """(x, width) of each column, the first on the reading-start side."""
        spans, x = [], 0.0
        for share in self.shares:
            spans.append((x, share * self.width))
            x += share * self.width
        return [(self.width - x - w, w) for x, w in spans] if self.rtl else spans

    def measure(self, width: float, room: float = math.inf) -> float:
        self.width = width
        heights = [
            lab.measure(w - 2 * self.pad)
            for lab, (_x, w) in zip(self.labels, self.columns(), strict=True)
        ]
        self.header = max(heights) + 2 * self.pad
        self.min_height = self.header + self.min_rows * self.row_height
        return super().measure(width, room)

    @property
    def rows(self) -> int:
        return int((self.height - self.header + 0.01) // self.row_height)

    def placed(self) -> Iterator[tuple[Box, float, float]]:
        for label, (x, _w) in zip(self.labels, self.columns(), strict=True):
            yield label, x + self.pad, self.height - self.pad - label.height


class Band(Box):
    """Art on a tinted band that runs off the page edges (into the bleed when there is one).

    The band reaches `overdraw` past the frame on the sides and on its open edge (top
    or bottom); the page clips it. `child` is centred on the band.
    """

    def __init__(self, child: Box, color: str, height: float, overdraw: float, edge: str) -> None:
        self.child = child
        self.color = color
        self.band_height = height
        self.overdraw = overdraw
        self.edge = edge

    def measure(self, width: float, room: float = math.inf) -> float:
        self.child.measure(width, self.band_height)
        self.width = width
        self.height = self.band_height
        return self.height

    def placed(self) -> Iterator[tuple[Box, float, float]]:
        c = self.child
        yield c, (self.width - c.width) / 2, (self.height - c.height) / 2


class Badge(Box):
    """A number in a filled circle (a step item's place in the routine)."""

    def __init__(self, label: TextBox, size: float, fill: str) -> None:
        self.label = label
        self.size = size
        self.fill = fill

    def measure(self, width: float, room: float = math.inf) -> float:
        self.label.measure(self.size)
        self.width = self.height = self.size
        return self.size

    def placed(self) -> Iterator[tuple[Box, float, float]]:
        yield self.label, 0.0, (self.size - self.label.height) / 2
