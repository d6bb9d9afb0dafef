"""What every block is given: the document, the layout, the type step, the page it is on.

`Ctx` also makes the common boxes in the layout's styles (text in a role, list items,
icons, headings, rows), so every block spaces, sizes and mirrors them the same way.
Text a block prints is a plain string or a *picker* (`Say`): a function that reads it
from a Document, so a bilingual page prints the same text from the second language
under the first.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from printshop.content.document import Document, Item, Picture
from printshop.content.layouts import Layout
from printshop.layout.box import Box
from printshop.layout.boxes import Column, PictureBox, QrBox, Row
from printshop.layout.textbox import TextBox
from printshop.text.breaks import no_spaces
from printshop.text.fonts import Fonts
from printshop.text.paragraph import TextStyle

Say = str | Callable[[Document], str]
MM = 72 / 25.4


@dataclass(frozen=True)
class ContentsEntry:
    title: str
    page: str  # as printed
    level: int = 0  # 0 a part or section, 1 an item


@dataclass(frozen=True)
class Ctx:
    doc: Document
    layout: Layout
    fonts: Fonts
    scale: float = 1.0
    tighten: float = 1.0  # leading multiplier, < 1 only when fitting at the minimum size
    second: Document | None = None  # bilingual: the second language, printed under the first
    item: Item | None = None  # `each: item` parts: the item this page shows
    number: int = 0  # that item's place in the routine, from 1
    contents: tuple[ContentsEntry, ...] = ()
    frame: tuple[float, float] = (0.0, 0.0)  # width and height of the page's text frame
    overdraw: float = 0.0  # how far page-edge bands may reach past the frame (clipped)

    @property
    def rtl(self) -> bool:
        return self.doc.direction == "rtl"

    @property
    def body_size(self) -> float:
        return self.layout.type.body * self.scale

    @property
    def section_gap(self) -> float:
        """Space between two sections that one block prints."""
        return (self.layout.section_gap or self.layout.gutter) * self.scale

    def mm(self, value: float) -> float:
        """A length in mm, scaled with the type (spacing that shrinks as text is fitted)."""
        return value * MM * self.scale

    # ------------------------------------------------------------- text
    def style(self, role: str, **changes: Any) -> TextStyle:
        t, p = self.layout.type, self.layout.palette
        roles: dict[str, dict[str, Any]] = {
            "title": dict(size=t.title, bold=True, color=p.accent, leading=1.15),
            "subtitle": dict(size=t.heading, color=p.muted, leading=1.2),
            "heading": dict(size=t.heading, bold=True, color=p.accent, leading=1.2),
            "subheading": dict(size=t.subheading, bold=True, color=p.ink, leading=1.2),
            "body": dict(size=t.body, color=p.ink, leading=t.leading),
            "lead": dict(size=t.body * 1.08, color=p.ink, leading=t.leading),
            "small": dict(size=t.small, color=p.muted, leading=1.25),
            "label": dict(size=t.small, bold=True, color=p.ink, leading=1.2),
        }
        spec = roles[role] | changes
        spec["size"] = max(t.smallest, spec["size"] * self.scale)
        spec["leading"] = spec["leading"] * self.tighten
        if spec["size"] <= self.body_size + 0.01:  # running text: never closer than allowed
            spec["leading"] = max(t.leading_min, spec["leading"])
        return TextStyle(**spec)

    def box(self, doc: Document, text: str, style: TextStyle, **extra: Any) -> TextBox:
        extra.setdefault("direction", doc.direction)
        return TextBox(self.fonts, text, style, lang=doc.lang, **extra)

    def _paired(self, say: Say, first: Box, style: TextStyle, **extra: Any) -> Box:
        """The first language's text, and under it the second language's (bilingual)."""
        if self.second is None or not callable(say):
            return first
        muted = replace(style, size=style.size * 0.92, color=self.layout.palette.muted)
        if self.second.direction != self.doc.direction and style.align == "start":
            muted = replace(muted, align="end")  # line up with the first language's side
        extra.pop("direction", None)
        second = self.box(self.second, say(self.second), muted, **extra)
        return Column([first, second], gap=0.5 * self.scale)

    def text(
        self, say: Say, role: str = "body", *, direction: str | None = None, **changes: Any
    ) -> Box:
        """A paragraph in a role's style; `direction` overrides the document's (data in Latin)."""
        style = self.style(role, **changes)
        extra = {"direction": direction} if direction else {}
        text = say(self.doc) if callable(say) else say
        return self._paired(say, self.box(self.doc, text, style, **extra), style)

    def bullet(self, say: Say, label: str, role: str = "body", **changes: Any) -> Box:
        """A list item with its label (number or bullet) hung at the line start."""
        style = self.style(role, **changes)
        hang = {"bullet_width": style.size * (1.6 if label[:1].isdigit() else 1.1)}
        text = say(self.doc) if callable(say) else say
        first = self.box(self.doc, text, style, bullet=label, **hang)
        return self._paired(say, first, style, bullet=" ", **hang)

    # ------------------------------------------------------------- pictures and rows
    def picture(self, picture: Picture, width: float, height: float) -> PictureBox:
        return PictureBox(picture, width, height)

    def icon(self, picture: Picture, size: float | None = None) -> PictureBox:
        side = (size or self.layout.icon_size) * self.scale
        return PictureBox(picture, side, side)

    def qr(self, url: str) -> QrBox:
        """A QR code in the layout's size and error correction."""
        spec = self.layout.qr
        return QrBox(url, spec.size, spec.error_correction, spec.code_min or 0.0)

    def heading(self, say: Say, icon: Picture | None = None) -> Box:
        title = self.text(say, "heading")
        if icon is None:
            return title
        return self.row(
            [(self.icon(icon, self.layout.icon_size * 0.9), None), (title, None)],
            fixed_first=True,
            valign="middle",
        )

    def row(
        self,
        children: list[tuple[Box | None, float | None]],
        *,
        fixed_first: bool = False,
        valign: str = "top",
        gap: float | None = None,
    ) -> Row:
        if fixed_first:
            first, _ = children[0]
            children = [(first, self.layout.icon_size * self.scale), *children[1:]]
        return Row(
            children, gap=gap if gap is not None else 6 * self.scale, valign=valign, rtl=self.rtl
        )

    def icon_text(self, icon: Picture | None, say: Say, role: str = "body") -> Box:
        if icon is None:
            return self.text(say, role)
        return self.row([(self.icon(icon), None), (self.text(say, role), None)], fixed_first=True)

    def section(self, children: list[Box | None], **box: Any) -> Column:
        return Column(children, gap=4 * self.scale, keep_first=True, **box)


def ui(key: str, **values: object) -> Callable[[Document], str]:
    """A picker for a ui label, filled in each document's own language."""
    return lambda doc: doc.label(key, **values)


def keep_ltr(value: str) -> str:
    """Keep a phone number (or other left-to-right data) in order inside RTL text.

    Without this, "020 7946 0000" inside Arabic text is shown as "0000 7946 020".
    """
    if not value or any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in value):
        return value
    return f"\u202a{value}\u202c"


def refs(numbers: tuple[int, ...]) -> str:
    """Reference markers, e.g. ' [1, 2]', kept in reading order inside RTL text too."""
    if not numbers:
        return ""
    return " " + keep_ltr("[" + ",\u00a0".join(map(str, numbers)) + "]")


def between_items(text: str, space: str = " ") -> str:
    """What sets items on one line apart in `text`'s script: a middle dot with `space`
    each side, or in Arabic script the Arabic comma. There the digit zero (٠, ۰) is a
    dot that a middle dot cannot be told from: 'پا · ۴' reads 'پا ۰ ۴' (OCR reads it so)."""
    from fontTools.unicodedata import script

    first = next((script(ch) for ch in text if ch.isalpha()), "")
    return f"\u060c{space}" if first == "Arab" else f"{space}\u00b7{space}"


def lead_in(lang: str, title: str, text: str) -> str:
    """'**Title.** text', or '**标题：**text' in languages written without spaces."""
    if not title:
        return text
    if no_spaces(lang):
        return f"**{title}：**{text}"
    return f"**{title}.** {text}"
