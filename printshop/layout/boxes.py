"""Three layout primitives — a column, a row and a grid — as reportlab flowables.

Blocks build their content from these so every layout shares one set of rules for
spacing, boxes and right-to-left mirroring: in an RTL document rows and grids place
their first child on the right.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

Width = float | None  # None: share the width left over


def _measure(child: Flowable, width: float, height: float) -> tuple[float, float]:
    _w, h = child.wrap(width, height)
    return width, h


class Column(Flowable):
    """Children top to bottom, with gaps, inside optional padding, fill and border."""

    def __init__(
        self,
        children: Sequence[Flowable],
        *,
        gap: float = 0.0,
        padding: float = 0.0,
        fill: str | None = None,
        border: str | None = None,
        border_width: float = 1.0,
        radius: float = 0.0,
        keep_width: float | None = None,
        center: bool = False,
    ) -> None:
        super().__init__()
        self.children = [c for c in children if c is not None]
        self.gap = gap
        self.padding = padding
        self.fill = fill
        self.border = border
        self.border_width = border_width
        self.radius = radius
        self.keep_width = keep_width
        self.center = center
        self._sizes: list[tuple[float, float]] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        width = min(self.keep_width or avail_width, avail_width)
        inner = width - 2 * self.padding
        self._sizes = [c.wrap(inner, avail_height) for c in self.children]
        gaps = self.gap * max(0, len(self.children) - 1)
        self.width = width
        self.height = sum(h for _w, h in self._sizes) + gaps + 2 * self.padding
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        if self.fill or self.border:
            canvas.saveState()
            if self.fill:
                canvas.setFillColor(HexColor(self.fill))
            if self.border:
                canvas.setStrokeColor(HexColor(self.border))
                canvas.setLineWidth(self.border_width)
            inset = self.border_width / 2 if self.border else 0
            canvas.roundRect(
                inset,
                inset,
                self.width - 2 * inset,
                self.height - 2 * inset,
                self.radius,
                stroke=1 if self.border else 0,
                fill=1 if self.fill else 0,
            )
            canvas.restoreState()
        y = self.height - self.padding
        inner = self.width - 2 * self.padding
        for child, (width, height) in zip(self.children, self._sizes, strict=True):
            y -= height
            x = self.padding + (max(0.0, inner - width) / 2 if self.center else 0.0)
            child.drawOn(canvas, x, y)
            y -= self.gap


class Row(Flowable):
    """Children side by side; fixed widths or shares of what is left; mirrored for RTL."""

    def __init__(
        self,
        children: Sequence[tuple[Flowable, Width]],
        *,
        gap: float = 0.0,
        valign: str = "top",
        rtl: bool = False,
    ) -> None:
        super().__init__()
        self.children = [(c, w) for c, w in children if c is not None]
        self.gap = gap
        self.valign = valign
        self.rtl = rtl
        self._boxes: list[tuple[float, float]] = []

    def _widths(self, avail_width: float) -> list[float]:
        fixed = sum(w for _c, w in self.children if w is not None)
        flexible = [c for c, w in self.children if w is None]
        gaps = self.gap * max(0, len(self.children) - 1)
        share = max(0.0, avail_width - fixed - gaps) / max(1, len(flexible))
        return [share if w is None else w for _c, w in self.children]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        widths = self._widths(avail_width)
        self._boxes = [
            _measure(child, width, avail_height)
            for (child, _w), width in zip(self.children, widths, strict=True)
        ]
        self.width = avail_width
        self.height = max((h for _w, h in self._boxes), default=0.0)
        return self.width, self.height

    def draw(self) -> None:
        x = 0.0
        for (child, _w), (width, height) in zip(self.children, self._boxes, strict=True):
            left = self.width - x - width if self.rtl else x
            if self.valign == "middle":
                y = (self.height - height) / 2
            elif self.valign == "bottom":
                y = 0.0
            else:
                y = self.height - height
            child.drawOn(self.canv, left, y)
            x += width + self.gap


class _Empty(Flowable):
    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, 0.0

    def draw(self) -> None:
        return None


class Gap(Flowable):
    """Fixed vertical space."""

    def __init__(self, height: float) -> None:
        super().__init__()
        self.height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, self.height

    def draw(self) -> None:
        return None


class Rule(Flowable):
    """A horizontal line across the available width."""

    def __init__(self, color: str, thickness: float = 0.75, space: float = 4.0) -> None:
        super().__init__()
        self.color = color
        self.thickness = thickness
        self.space = space

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.thickness + 2 * self.space

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(HexColor(self.color))
        canvas.setLineWidth(self.thickness)
        y = self.space + self.thickness / 2
        canvas.line(0, y, self.width, y)
        canvas.restoreState()


class WriteInLine(Flowable):
    """A dotted line to write on by hand (no site number, notes pages)."""

    def __init__(self, color: str, height: float = 22.0, width: float | None = None) -> None:
        super().__init__()
        self.color = color
        self.line_height = height
        self.fixed_width = width

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = min(self.fixed_width or avail_width, avail_width)
        self.height = self.line_height
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(HexColor(self.color))
        canvas.setLineWidth(0.8)
        canvas.setDash(1, 2.5)
        canvas.line(0, 2, self.width, 2)
        canvas.restoreState()


class Layered(Flowable):
    """Decorative art behind words: the art on the end side, the words on the start side."""

    def __init__(
        self,
        background: Flowable,
        foreground: Flowable,
        *,
        text_width: float = 0.6,
        rtl: bool = False,
        min_height: float = 0.0,
    ) -> None:
        super().__init__()
        self.background = background
        self.foreground = foreground
        self.text_width = text_width
        self.rtl = rtl
        self.min_height = min_height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._bg = self.background.wrap(avail_width, avail_height)
        self._fg = self.foreground.wrap(avail_width * self.text_width, avail_height)
        self.width = avail_width
        self.height = max(self.min_height, self._fg[1], self._bg[1])
        return self.width, self.height

    def draw(self) -> None:
        bg_w, bg_h = self._bg
        fg_w, fg_h = self._fg
        if self.rtl:  # decorative art: mirrored so its motif sits opposite the words
            self.canv.saveState()
            self.canv.translate(bg_w, 0)
            self.canv.scale(-1, 1)
        self.background.drawOn(self.canv, 0 if self.rtl else self.width - bg_w, self.height - bg_h)
        if self.rtl:
            self.canv.restoreState()
        fg_x = self.width - fg_w if self.rtl else 0.0
        self.foreground.drawOn(self.canv, fg_x, (self.height - fg_h) / 2)


class FlowColumns(Flowable):
    """Items in newspaper columns: down the first column, then the next, heights balanced.

    Packs tighter than a grid when items differ in height (no row has to wait for its
    tallest neighbour). In an RTL document the first column is on the right.
    """

    def __init__(
        self,
        children: Sequence[Flowable],
        *,
        columns: int = 2,
        gap_x: float = 12.0,
        gap_y: float = 8.0,
        rtl: bool = False,
    ) -> None:
        super().__init__()
        self.children = list(children)
        self.columns = max(1, columns)
        self.gap_x = gap_x
        self.gap_y = gap_y
        self.rtl = rtl
        self.body: Flowable | None = None

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

    def _layout(self, avail_width: float, avail_height: float) -> Flowable:
        width = (avail_width - self.gap_x * (self.columns - 1)) / self.columns
        heights = [child.wrap(width, avail_height)[1] for child in self.children]
        starts = self._partition(heights) + [len(self.children)]
        groups = [self.children[a:b] for a, b in zip(starts, starts[1:], strict=False)]
        groups += [[]] * (self.columns - len(groups))
        return Row(
            [(Column(g, gap=self.gap_y), None) for g in groups], gap=self.gap_x, rtl=self.rtl
        )

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.body = self._layout(avail_width, avail_height)
        self.width, self.height = self.body.wrap(avail_width, avail_height)
        return self.width, self.height

    def draw(self) -> None:
        assert self.body is not None
        self.body.drawOn(self.canv, 0, 0)


class Grid(FlowColumns):
    """Children in reading order across `columns` equal columns, row by row (aligned rows)."""

    def _layout(self, avail_width: float, avail_height: float) -> Flowable:
        n = self.columns
        rows = [self.children[i : i + n] for i in range(0, len(self.children), n)]
        return Column(
            [
                Row(
                    [(c, None) for c in row] + [(_Empty(), None)] * (n - len(row)),
                    gap=self.gap_x,
                    rtl=self.rtl,
                )
                for row in rows
            ],
            gap=self.gap_y,
        )
