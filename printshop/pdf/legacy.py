"""Compatibility for the old engine; removed when layout moves to boxes.

`TextFlow` is the reportlab Flowable the old layout stacks in frames: it wraps a
`TextBox` and draws it through `printshop.pdf.glyphs`. `draw_text_line` draws one
unwrapped line (folios, footers). Both use the built-in fonts.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable

from printshop.content.fonttable import builtin_fonts
from printshop.layout.textbox import TextBox
from printshop.pdf.glyphs import draw_text_box, emit_line, ttfont
from printshop.text.paragraph import TextStyle


def register_fonts() -> None:
    """Register NotoSans with reportlab: the font a canvas and a drawing start with
    (every other face is registered when it is first drawn). Idempotent."""
    fonts = builtin_fonts()
    ttfont(fonts.table.face(fonts.table.default))


def draw_text_line(
    canvas,
    x: float,
    y: float,
    text: str,
    style: TextStyle,
    *,
    lang: str = "en",
    direction: str = "ltr",
    width: float | None = None,
) -> None:
    """Draw ``text`` as one line, baseline at y; (x, x+width) is the box to align in."""
    box = TextBox.line(builtin_fonts(), text, style, lang=lang, direction=direction)
    box.measure(box.natural_width() if width is None else width)
    placed = box.placed_lines()[0]
    emit_line(canvas, x + placed.x, y, placed.line, style.size, style.color)


class TextFlow(Flowable):
    """A paragraph of shaped text as a reportlab Flowable (see `TextBox`).

    After ``wrap``: ``lines_count`` and ``natural_width()``.
    """

    def __init__(self, text: str, style: TextStyle, **options: Any) -> None:
        """`options`: those of `TextBox` (lang, direction, bullet, bullet_width)."""
        super().__init__()
        self._hold(TextBox(builtin_fonts(), text, style, **options))

    @classmethod
    def _of(cls, box: TextBox) -> TextFlow:
        new = cls.__new__(cls)
        Flowable.__init__(new)
        new._hold(box)
        return new

    def _hold(self, box: TextBox) -> None:
        self.box = box
        self.lines_count = 0
        self.width = 0.0
        self.height = 0.0

    @property
    def style(self) -> TextStyle:
        return self.box.style

    @property
    def bullet(self) -> str | None:
        return self.box.bullet

    @property
    def line_height(self) -> float:
        return self.box.line_height

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab API
        return self.box.style.space_before

    def getSpaceAfter(self) -> float:  # noqa: N802 - reportlab API
        return self.box.style.space_after

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab API
        self.box.measure(availWidth)
        self.lines_count = self.box.lines_count
        self.width = availWidth
        self.height = self.box.height
        return self.width, self.height

    def natural_width(self) -> float:
        return self.box.natural_width()

    def line_texts(self) -> list[str]:
        return self.box.line_texts()

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab API
        parts = self.box.split(availWidth, availHeight)
        self.wrap(availWidth, availHeight)
        if parts == [self.box]:
            return [self]
        return [TextFlow._of(part) for part in parts]

    def draw(self) -> None:
        draw_text_box(self.canv, self.box, 0.0, 0.0)
