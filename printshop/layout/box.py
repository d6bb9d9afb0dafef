"""The box protocol: what the composer measures and places, and the pdf stage draws.

A box knows its size for a given width and, for containers, where its children sit.
It never draws: `printshop.pdf.draw` reads boxes after they are measured and turns them
into PDF operators. Coordinates are in points, PDF style: the origin is a box's
bottom-left corner and y grows upward.

    box.measure(width)        -> height; sets box.width and box.height
    box.split(width, room)    -> [head, tail] when the box can break so that head fits
                                 in `room`; [] when it cannot break there
    box.placed()              -> (child, x, y) for each child, after measure
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Mark:
    """An outline (and contents) entry that points at the page where a box lands."""

    title: str
    level: int  # 0 a part or section, 1 an item inside it
    key: str
    listed: bool = True  # also a line in the contents


class Box:
    """Something that takes space on a page."""

    width: float = 0.0
    height: float = 0.0
    marks: tuple[Mark, ...] = ()  # outline entries for the page this box starts on
    gap_before: float | None = None  # space above it in a page or flow (default: the block's)
    origin: str = ""  # the topic section it prints, for error messages

    def measure(self, width: float, room: float = math.inf) -> float:
        """Lay the box out in `width` (and `room` of height, for boxes that fill it)."""
        self.width = width
        return self.height

    def split(self, width: float, room: float) -> list[Box]:
        """[head, tail] with head at most `room` tall, or [] if the box cannot break."""
        return []

    def placed(self) -> Iterator[tuple[Box, float, float]]:
        """Children and their offsets from this box's bottom-left corner."""
        return iter(())

    def widest_word(self) -> float:
        """The narrowest width that sets the box's text without cutting a word, pt
        (a container: its widest child's; the text boxes answer for themselves)."""
        return max((child.widest_word() for child in getattr(self, "children", ())), default=0.0)
