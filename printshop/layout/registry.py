"""The block registry: every kind of block a layout may name, registered up front.

A block is a function `(Ctx, options) -> list[Box]` registered with `@block(name, ...)`
together with its typed options model (bounds, choices; unknown options are errors),
the layout kinds it serves, and the ui labels it prints. `registry()` imports every
block module once, so what is registered never depends on import order; layout
loading, `makebook check`, `list` and the JSON Schemas all read it from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from printshop.content.models import Id

PAGE_LABELS = ("page_n_of_m", "revised", "leaflet_code", "draft_mark")


class Options(BaseModel):
    """A block's options: typed, bounded, described; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)

    def labels(self) -> tuple[str, ...]:
        """Labels these options add to what the block prints (none by default)."""
        return ()


class NoOptions(Options):
    """This block takes no options."""


class SectionOptions(Options):
    """Options of a block that prints the topic's sections of one kind."""

    section: Id | None = Field(
        None, description="only the section with this id (default: every one of the kind)"
    )
    outline: bool = Field(True, description="an outline and contents entry for each section")


Build = Callable[[Any, Any], list]


@dataclass(frozen=True)
class BlockSpec:
    name: str
    build: Build
    options: type[Options]
    kinds: frozenset[str]  # layout kinds it serves; empty: every kind
    labels: tuple[str, ...]  # ui labels it always prints
    optional_labels: tuple[str, ...]  # ui labels some options make it print
    needs_each: bool  # draws one step item: only in a part with `each: item`
    doc: str


REGISTRY: dict[str, BlockSpec] = {}


def block(
    name: str,
    *,
    options: type[Options] = NoOptions,
    kinds: tuple[str, ...] = (),
    labels: tuple[str, ...] = (),
    optional_labels: tuple[str, ...] = (),
    needs_each: bool = False,
) -> Callable[[Build], Build]:
    """Register a block function under `name` (a second registration is a bug)."""

    def register(func: Build) -> Build:
        if name in REGISTRY:
            raise RuntimeError(f"block '{name}' is registered twice")
        doc = (func.__doc__ or "").strip().splitlines()
        REGISTRY[name] = BlockSpec(
            name,
            func,
            options,
            frozenset(kinds),
            labels,
            optional_labels,
            needs_each,
            doc[0] if doc else "",
        )
        return func

    return register


def registry() -> dict[str, BlockSpec]:
    """Every registered block (importing the block modules on first use)."""
    import printshop.layout.blocks  # noqa: F401 - registers every block

    return REGISTRY


def all_labels() -> frozenset[str]:
    """Every ui label that some block or the page furniture may print."""
    found = set(PAGE_LABELS)
    for spec in registry().values():
        found.update(spec.labels, spec.optional_labels)
    return frozenset(found)


def layout_labels(layout: Any) -> list[str]:
    """The labels a layout prints: its blocks', its parts' titles, and the page labels."""
    specs = registry()
    found = list(PAGE_LABELS)
    for part in layout.parts:
        if part.title:
            found.append(part.title)
        for ref in part.blocks:
            found += [*specs[ref.block].labels, *ref.options.labels()]
    return list(dict.fromkeys(found))
