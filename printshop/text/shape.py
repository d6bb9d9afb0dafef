"""Markup and HarfBuzz shaping.

In: a string. `parse_markup` strips the one markup we have (``**bold**``) and gives a
weight per character; `shape` turns a run of one face, one direction and one language
into glyphs with advances and offsets in 1/1000 em (independent of the point size),
cached per text, font file, direction and language.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb

from printshop.text.fonts import FontFace, face_data


def parse_markup(text: str, bold: bool = False) -> tuple[str, list[bool]]:
    """Strip ``**`` pairs; return the plain text and a bold flag per character.

    An unpaired ``**`` is printed literally.  ``bold`` is the style's weight: text
    between ``**`` pairs is bold either way.
    """
    if "**" not in text:
        return text, [bold] * len(text)
    marks = []
    i = text.find("**")
    while i >= 0:
        marks.append(i)
        i = text.find("**", i + 2)
    if len(marks) % 2:
        marks.pop()
    out: list[str] = []
    flags: list[bool] = []
    pos = 0
    inside = False
    for m in marks:
        chunk = text[pos:m]
        out.append(chunk)
        flags.extend([bold or inside] * len(chunk))
        inside = not inside
        pos = m + 2
    chunk = text[pos:]
    out.append(chunk)
    flags.extend([bold or inside] * len(chunk))
    return "".join(out), flags


@dataclass(frozen=True)
class Shaped:
    """One shaped run: glyphs in visual order; each glyph's cluster (the index of the
    first character it belongs to); advances and offsets in 1/1000 em."""

    gids: tuple[int, ...]
    clusters: tuple[int, ...]
    advances: tuple[float, ...]
    x_offsets: tuple[float, ...]
    y_offsets: tuple[float, ...]


def shape(text: str, face: FontFace, rtl: bool, lang: str) -> Shaped:
    """Glyphs of `text` set in `face`; clusters are indices into `text`."""
    return _shape(text, face.path, rtl, lang)


@lru_cache(maxsize=50_000)
def _shape(text: str, path: Path, rtl: bool, lang: str) -> Shaped:
    data = face_data(path)
    k = 1000.0 / data.upem
    buf = hb.Buffer()
    buf.add_str(text)
    buf.direction = "rtl" if rtl else "ltr"
    buf.guess_segment_properties()
    if lang:
        with contextlib.suppress(Exception):  # an odd tag: shape without it
            buf.language = lang
    hb.shape(data.hb_font, buf)
    infos = buf.glyph_infos
    pos = buf.glyph_positions
    return Shaped(
        tuple(i.codepoint for i in infos),
        tuple(i.cluster for i in infos),
        tuple(p.x_advance * k for p in pos),
        tuple(p.x_offset * k for p in pos),
        tuple(p.y_offset * k for p in pos),
    )
