"""Measured boxes -> canvas operators. Drawing reads boxes; it never measures them.

Each kind of box has one drawer, registered with `@drawer(BoxType)`; a box type without
its own drawer is found through its base classes. A drawer paints the box itself;
`draw` then paints the children the box reports through `placed()` unless the drawer
returns True (it drew them itself, e.g. under a mirroring transform).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from printshop.layout.box import Box

Drawer = Callable[[Any, Any, float, float], "bool | None"]
DRAWERS: dict[type, Drawer] = {}


def drawer(box_type: type) -> Callable[[Drawer], Drawer]:
    """Register the function that draws boxes of `box_type` (and of its subclasses)."""

    def register(func: Drawer) -> Drawer:
        if box_type in DRAWERS:
            raise RuntimeError(f"two drawers for {box_type.__name__}")
        DRAWERS[box_type] = func
        return func

    return register


def _drawer_for(box_type: type) -> Drawer | None:
    for klass in box_type.__mro__:
        found = DRAWERS.get(klass)
        if found is not None:
            return found
    return None


def draw(canvas: Any, box: Box, x: float, y: float) -> None:
    """Draw a measured box with its bottom-left corner at (x, y), then its children."""
    func = _drawer_for(type(box))
    done = func(canvas, box, x, y) if func is not None else None
    if not done:
        for child, dx, dy in box.placed():
            draw(canvas, child, x + dx, y + dy)
