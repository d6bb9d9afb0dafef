"""TextBox: a paragraph of shaped text as a box (see `layout.box`).

It wraps to a width (`measure`), splits between lines (`split`) and tells the pdf stage
where each line goes (`placed_lines`): the x of the line's start from the box's left
edge and its baseline from the box's bottom, with the `Line` and its glyph runs.
Alignment is start (left in left-to-right text, right in right-to-left), center or end.
A bullet hangs in a `bullet_width` column at the start side of the first line.

Line height is the style's (size x leading) unless the glyphs need more: a line's ink
may rise or sink `INK_SLACK` beyond its line box (as accents on capitals do), and the
ink of two lines keeps `INK_CLEARANCE` apart where they stand above each other. Tall
scripts (Nastaliq, whose joined words climb; stacked Khmer and Myanmar) so get the
room they need from their shaped glyphs, and Latin text keeps the layout's leading.
A font may also ask for a least distance between baselines (fonts.yaml: `line_height`):
Nastaliq lines whose words happen not to climb would otherwise sit cramped at a Latin
leading, closer than the paragraph's other lines.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from printshop.layout.box import Box
from printshop.text.fonts import Fonts
from printshop.text.paragraph import Line, Paragraph, TextStyle

_LINE_BREAK = re.compile("\r\n|[\r\n]")
INK_SLACK = 0.15  # em: how far ink may reach past its line box before the box grows
INK_CLEARANCE = 0.06  # em: the least room between the ink of two lines
_COLUMN = 0.1  # em: ink of two lines is compared in columns this wide


class PlacedLine(NamedTuple):
    x: float  # where the line starts, from the box's left edge, pt
    y: float  # its baseline, from the box's bottom edge (y up), pt
    line: Line


@dataclass(frozen=True)
class LineSpacing:
    """Where a paragraph's lines sit, pt: the first baseline below the box's top, the
    distance between baselines, and below each line, the room the box keeps under it
    if that line is the last (the box's bottom)."""

    ascent: float
    pitch: float
    descents: tuple[float, ...]

    def height(self, count: int) -> float:
        """Height of a box holding the first `count` lines."""
        return self.ascent + (count - 1) * self.pitch + self.descents[count - 1] if count else 0.0


def _ink_profile(line: Line, x: float, size: float, lowest: bool) -> dict[int, float]:
    """Per column: the lowest (or highest) ink of the line starting at `x`, pt."""
    k = size / 1000
    column = _COLUMN * size
    out: dict[int, float] = {}
    for left, right, top, bottom in line.ink:
        y = (bottom if lowest else top) * k
        for c in range(
            math.floor((x + left * k) / column), math.floor((x + right * k) / column) + 1
        ):
            cur = out.get(c)
            if cur is None or (y < cur if lowest else y > cur):
                out[c] = y
    return out


def least_pitch(lines: Sequence[Line]) -> float:
    """The least distance between baselines the fonts of `lines` ask for, em (0: none);
    a single line has no distance to keep."""
    if len(lines) < 2:
        return 0.0
    return max((run.face.line_height for line in lines for run in line.runs), default=0.0)


def line_spacing(lines: Sequence[Line], xs: Sequence[float], style: TextStyle) -> LineSpacing:
    """The style's line height, grown where the lines' ink needs more (see the module
    docstring); `xs` is where each line starts, pt."""
    size = style.size
    line_height = size * style.leading
    above = (line_height - size) / 2 + 0.8 * size  # half-leading, 0.8 em ascent
    below = line_height - above
    k = size / 1000
    slack = INK_SLACK * size
    clearance = INK_CLEARANCE * size
    tops = [max((box[2] for box in line.ink), default=0.0) * k for line in lines]
    bottoms = [min((box[3] for box in line.ink), default=0.0) * k for line in lines]
    pitch = max(line_height, least_pitch(lines) * size)
    for i in range(len(lines) - 1):
        if tops[i + 1] - bottoms[i] + clearance <= pitch:
            continue  # the two lines' ink cannot meet
        low = _ink_profile(lines[i], xs[i], size, lowest=True)
        high = _ink_profile(lines[i + 1], xs[i + 1], size, lowest=False)
        meet = max((high[c] - low[c] for c in high.keys() & low.keys()), default=-math.inf)
        pitch = max(pitch, meet + clearance)
    return LineSpacing(
        ascent=max(above, tops[0] - slack) if lines else above,
        pitch=pitch,
        descents=tuple(max(below, -bottom - slack) for bottom in bottoms),
    )


def line_x(x: float, width: float, room: float | None, align: str, rtl: bool) -> float:
    """Where a line `width` wide starts when aligned in (x, x + room)."""
    if room is None:
        return x
    if align == "center":
        return x + (room - width) / 2
    right = (align == "start") == rtl
    return x + room - width if right else x


class TextBox(Box):
    """Text in one style: "\\n" is a forced line break, ``**bold**`` the only markup.

    After `measure`: `width`, `height`, `lines`, `lines_count`, `spacing`.
    Space before and after (the style's) is left to whatever stacks boxes.
    """

    def __init__(
        self,
        fonts: Fonts,
        text: str,
        style: TextStyle,
        *,
        lang: str = "en",
        direction: str = "ltr",
        bullet: str | None = None,
        bullet_width: float = 0.0,
    ) -> None:
        paragraph = Paragraph(fonts, text, style, lang=lang, direction=direction)
        self._setup(paragraph, bullet, float(bullet_width), single=False)

    @classmethod
    def line(
        cls, fonts: Fonts, text: str, style: TextStyle, *, lang: str = "en", direction: str = "ltr"
    ) -> TextBox:
        """One line that never wraps (folios, footers): a line break counts as a space
        and the line keeps its full width, however narrow the box."""
        box = cls.__new__(cls)
        text = _LINE_BREAK.sub(" ", text)
        paragraph = Paragraph(fonts, text, style, lang=lang, direction=direction)
        box._setup(paragraph, None, 0.0, single=True)
        return box

    def _setup(
        self, paragraph: Paragraph, bullet: str | None, bullet_width: float, *, single: bool
    ) -> None:
        self.paragraph = paragraph
        self.bullet = bullet
        self.bullet_width = bullet_width
        self.single = single
        self.keep_lines = 2  # a page break leaves at least this many lines on each side
        self.lines: list[Line] = []
        self.lines_count = 0
        self.width = 0.0
        self.height = 0.0
        self.spacing = LineSpacing(0.0, 0.0, ())
        self._measured = False

    def _part(self, paragraph: Paragraph, bullet: str | None) -> TextBox:
        box = TextBox.__new__(TextBox)
        box._setup(paragraph, bullet, self.bullet_width, single=False)
        box.keep_lines = self.keep_lines
        return box

    # -- what it holds ---------------------------------------------------------
    @property
    def fonts(self) -> Fonts:
        return self.paragraph.fonts

    @property
    def text(self) -> str:
        return self.paragraph.text

    @property
    def style(self) -> TextStyle:
        return self.paragraph.style

    @property
    def lang(self) -> str:
        return self.paragraph.lang

    @property
    def direction(self) -> str:
        return self.paragraph.direction

    # -- the box protocol ------------------------------------------------------
    def measure(self, width: float, room: float = math.inf) -> float:
        """Wrap to `width` (pt); returns and sets the height."""
        if self.single:
            self.lines = self.paragraph.hard_lines()[:1]
        else:
            self.lines = self.paragraph.lines(max(width - self.bullet_width, 0.0))
        self._measured = True
        self.lines_count = len(self.lines)
        self.width = width
        self.spacing = line_spacing(self.lines, self._line_xs(), self.style)
        self.height = self.spacing.height(self.lines_count)
        return self.height

    def split(self, width: float, room: float) -> list[Box]:
        """[head, tail] cut between lines so that head fits in `room`; [] when not even
        one line fits; [self] when the whole box does. The bullet stays with the head."""
        self.measure(width, room)
        fit = len(self.lines)
        while fit and self.spacing.height(fit) > room + 1e-6:
            fit -= 1
        if fit >= len(self.lines):
            return [self]
        if fit <= 0 or self.single:
            return []
        head, tail = self.paragraph.split_at(self.lines[fit])
        return [self._part(head, self.bullet), self._part(tail, None)]

    # -- measurements ----------------------------------------------------------
    def natural_width(self) -> float:
        """Width of the widest line (bullet column included), pt.

        After `measure` the widest wrapped line; before, the widest unwrapped line.
        """
        if self._measured:
            w = max((line.advance for line in self.lines), default=0.0)
            return w * (self.style.size / 1000) + self.bullet_width
        if self.single:
            return self.paragraph.hard_lines()[0].width
        return self.paragraph.natural_width() + self.bullet_width

    def widest_word(self) -> float:
        """The narrowest width that sets this text without cutting a word, pt."""
        return self.paragraph.widest_word() + self.bullet_width

    def line_texts(self) -> list[str]:
        """Logical text of each line (after `measure`)."""
        return [line.text for line in self.lines]

    # -- for the drawer --------------------------------------------------------
    def _baseline(self, index: int) -> float:
        return self.height - self.spacing.ascent - index * self.spacing.pitch

    def _line_xs(self) -> list[float]:
        """Where each line starts, from the box's left edge (after wrapping)."""
        rtl = self.paragraph.rtl
        room = max(self.width - self.bullet_width, 0.0)
        x0 = 0.0 if rtl else self.bullet_width
        return [line_x(x0, line.width, room, self.style.align, rtl) for line in self.lines]

    def placed_lines(self) -> list[PlacedLine]:
        """Each line with where it starts and its baseline (after `measure`)."""
        return [
            PlacedLine(x, self._baseline(i), line)
            for i, (x, line) in enumerate(zip(self._line_xs(), self.lines, strict=True))
        ]

    def placed_bullet(self) -> PlacedLine | None:
        """The bullet, on the first line's baseline in its column (after `measure`)."""
        if not self.bullet or not self.lines:
            return None
        par = self.paragraph
        style = replace(self.style, align="start")
        text = _LINE_BREAK.sub(" ", self.bullet)
        bullet = Paragraph(
            par.fonts, text, style, lang=par.lang, direction=par.direction
        ).hard_lines()[0]
        rtl = par.rtl
        bx = self.width - self.bullet_width if rtl else 0.0
        x = line_x(bx, bullet.width, self.bullet_width or None, "start", rtl)
        return PlacedLine(x, self._baseline(0), bullet)
