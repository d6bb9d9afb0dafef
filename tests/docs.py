"""Reading a resolved Document the way tests need: texts of the sections of one kind."""

from __future__ import annotations

from printshop.content.document import Document, Item


def items(doc: Document, kind: str, which: str = "all") -> list[Item]:
    """The items of every section of a kind (the handout's only, with which='handout')."""
    return [item for section in doc.of_kind(kind) for item in section.chosen(which)]


def texts(doc: Document, kind: str, which: str = "all") -> list[str]:
    """The short texts of those items."""
    return [item.short for item in items(doc, kind, which)]
