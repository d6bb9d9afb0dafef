"""Direction: embedding levels (Unicode bidi algorithm) and visual order (rule L2).

In: one hard line of text and the paragraph direction. `levels` gives every
character's resolved embedding level (even = left to right, odd = right to left);
`visual_order` reorders runs of known levels for display.

Levels come from python-bidi's public API: `bidi.get_display(text, base_dir=...,
debug=True)` returns, instead of the reordered text, the debug form of the Rust
`unicode_bidi::BidiInfo`, whose `levels` hold one level per UTF-8 byte; they are read
back per character. python-bidi is only asked about text that has right-to-left
characters or sits in a right-to-left paragraph; plain left-to-right text is level 0.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Characters whose default bidi class is R or AL (Hebrew, Arabic, Syriac, Thaana, NKo,
# ... and their presentation forms; assigned or not), and the controls that start
# right-to-left text (RLM, RLE, RLO, RLI, ALM).
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff"
    "\u200f\u202b\u202e\u2067\u061c]"
)
# `levels: [ Level( 1, ), ... ],` in the debug form: a field at one indent, so text
# inside the (escaped, single-line) `text: "..."` field can never match it.
_LEVELS_FIELD = re.compile(r"^    levels: \[\n(.*?)^    \],?$", re.M | re.S)
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def has_rtl(text: str) -> bool:
    """Whether any character of `text` is right to left (or starts such a run)."""
    return _RTL.search(text) is not None


@lru_cache(maxsize=4096)
def levels(text: str, rtl: bool) -> tuple[int, ...]:
    """Resolved embedding level of every character (rules P..I; before L1)."""
    base = 1 if rtl else 0
    if not text or (not rtl and not has_rtl(text)):
        return (base,) * len(text)
    from bidi import get_display  # the Rust extension: loaded only for such text

    info = get_display(text, base_dir="R" if rtl else "L", debug=True)
    return _char_levels(text, _byte_levels(info))


def _byte_levels(info: str) -> list[int]:
    found = _LEVELS_FIELD.search(info)
    if found is None:
        raise RuntimeError(
            "python-bidi's get_display(debug=True) no longer lists 'levels'; "
            "pin python-bidi to a version whose debug output has them"
        )
    return [int(level) for level in _LEVEL.findall(found.group(1))]


def _char_levels(text: str, byte_levels: list[int]) -> tuple[int, ...]:
    """One level per character from one level per UTF-8 byte."""
    if len(byte_levels) != len(text.encode("utf-8")):
        raise RuntimeError(f"python-bidi gave {len(byte_levels)} levels for {text!r}")
    out = []
    pos = 0
    for ch in text:
        out.append(byte_levels[pos])
        cp = ord(ch)
        pos += 1 if cp < 0x80 else 2 if cp < 0x800 else 3 if cp < 0x10000 else 4
    return tuple(out)


def visual_order(levels: list[int]) -> list[int]:
    """Rule L2: indices of items (runs) in display order, given their levels."""
    order = list(range(len(levels)))
    if not levels:
        return order
    hi = max(levels)
    lo_odd = min((lv for lv in levels if lv % 2), default=None)
    if lo_odd is None:
        return order
    lv_items = list(levels)
    for level in range(hi, lo_odd - 1, -1):
        i = 0
        n = len(order)
        while i < n:
            if lv_items[i] >= level:
                j = i
                while j < n and lv_items[j] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                lv_items[i:j] = lv_items[i:j][::-1]
                i = j
            else:
                i += 1
    return order


_EMBED = {"ltr": "\u202a", "rtl": "\u202b"}  # LRE, RLE
_POP = "\u202c"  # PDF: ends the embedding


def embed(text: str, direction: str) -> str:
    """`text` kept in its own direction inside a paragraph of the other one: an English
    sentence that falls back inside Arabic keeps its full stop at its end (each hard
    line is embedded by itself, as the algorithm runs line by line)."""
    start = _EMBED[direction]
    return "\n".join(f"{start}{line}{_POP}" if line else line for line in text.split("\n"))
