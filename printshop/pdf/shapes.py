"""Drawers for the boxes that paint something themselves: fills, borders, lines, bands.

Each drawer paints its box at (x, y), its bottom-left corner; `draw` then paints the
children the box reports, unless the drawer returns True (it drew them itself).
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor

from printshop.layout.boxes import Badge, Band, Column, Layered, LogTable, Rule, RuledLines, WriteIn
from printshop.pdf.draw import draw, drawer


@drawer(Column)
def draw_column(canvas, box: Column, x: float, y: float) -> None:
    """The column's fill and border (rounded), under its children."""
    if not (box.fill or box.border):
        return
    canvas.saveState()
    if box.fill:
        canvas.setFillColor(HexColor(box.fill))
    if box.border:
        canvas.setStrokeColor(HexColor(box.border))
        canvas.setLineWidth(box.border_width)
    inset = box.border_width / 2 if box.border else 0
    canvas.roundRect(
        x + inset,
        y + inset,
        box.width - 2 * inset,
        box.height - 2 * inset,
        box.radius,
        stroke=1 if box.border else 0,
        fill=1 if box.fill else 0,
    )
    canvas.restoreState()


def _line(canvas, color: str, width: float, x0: float, y0: float, x1: float, y1: float) -> None:
    canvas.saveState()
    canvas.setStrokeColor(HexColor(color))
    canvas.setLineWidth(width)
    canvas.line(x0, y0, x1, y1)
    canvas.restoreState()


@drawer(Rule)
def draw_rule(canvas, box: Rule, x: float, y: float) -> None:
    mid = y + box.space + box.thickness / 2
    _line(canvas, box.color, box.thickness, x, mid, x + box.width, mid)


@drawer(WriteIn)
def draw_write_in(canvas, box: WriteIn, x: float, y: float) -> None:
    """A dotted line to write on."""
    canvas.saveState()
    canvas.setDash(1, 2.5)
    _line(canvas, box.color, 0.8, x, y + 2, x + box.width, y + 2)
    canvas.restoreState()


@drawer(Layered)
def draw_layered(canvas, box: Layered, x: float, y: float) -> bool:
    """Art behind words; in a right-to-left document the art is mirrored."""
    bg = box.background
    bg_y = y + box.height - bg.height
    if box.rtl:  # decorative art: mirrored so its motif sits opposite the words
        canvas.saveState()
        canvas.translate(2 * (x + box.background_x) + bg.width, 0)
        canvas.scale(-1, 1)
        draw(canvas, bg, x + box.background_x, bg_y)
        canvas.restoreState()
    else:
        draw(canvas, bg, x + box.background_x, bg_y)
    fg = box.foreground
    fg_x = box.width - fg.width if box.rtl else 0.0
    draw(canvas, fg, x + fg_x, y + (box.height - fg.height) / 2)
    return True


@drawer(RuledLines)
def draw_ruled_lines(canvas, box: RuledLines, x: float, y: float) -> None:
    for line_y in box.line_ys():
        _line(canvas, box.color, 0.6, x, y + line_y, x + box.width, y + line_y)


@drawer(LogTable)
def draw_log_table(canvas, box: LogTable, x: float, y: float) -> None:
    """The tinted header, ruled rows and column lines (the labels are its children)."""
    rows = box.rows
    bottom = box.height - box.header - rows * box.row_height
    canvas.saveState()
    canvas.setFillColor(HexColor(box.tint))
    canvas.rect(x, y + box.height - box.header, box.width, box.header, stroke=0, fill=1)
    canvas.setStrokeColor(HexColor(box.color))
    canvas.setLineWidth(0.6)
    for i in range(rows + 2):
        line_y = box.height - (box.header + (i - 1) * box.row_height if i else 0)
        canvas.line(x, y + line_y, x + box.width, y + line_y)
    for col_x, col_w in box.columns():
        canvas.line(x + col_x, y + bottom, x + col_x, y + box.height)
        canvas.line(x + col_x + col_w, y + bottom, x + col_x + col_w, y + box.height)
    canvas.restoreState()


@drawer(Band)
def draw_band(canvas, box: Band, x: float, y: float) -> None:
    """A tint that runs past the frame (the page clips it) on the sides and open edge."""
    o = box.overdraw
    canvas.saveState()
    canvas.setFillColor(HexColor(box.color))
    y0 = 0.0 if box.edge == "top" else -o
    canvas.rect(x - o, y + y0, box.width + 2 * o, box.height + o, stroke=0, fill=1)
    canvas.restoreState()


@drawer(Badge)
def draw_badge(canvas, box: Badge, x: float, y: float) -> None:
    canvas.saveState()
    canvas.setFillColor(HexColor(box.fill))
    r = box.size / 2
    canvas.circle(x + r, y + r, r, stroke=0, fill=1)
    canvas.restoreState()
