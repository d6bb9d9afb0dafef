"""Compatibility for the old engine; removed when layout moves to boxes.

The old layout stacks reportlab flowables (`TextFlow`) and draws folios with
`draw_text_line`; it imports them from here while it moves to
`printshop.layout.textbox.TextBox`. The text layer itself is `fonts`, `shape`, `bidi`,
`breaks` and `paragraph`; drawing is `printshop.pdf.glyphs`; the flowable lives in
`printshop.pdf.legacy`, with reportlab.
"""

from __future__ import annotations

from printshop.pdf.legacy import TextFlow, draw_text_line, register_fonts
from printshop.text.paragraph import TextStyle

__all__ = ["TextFlow", "TextStyle", "draw_text_line", "register_fonts"]
