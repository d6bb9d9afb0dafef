"""Every kind of block, one module per family; importing this package registers them all.

To add a block: write a function `(ctx, options) -> list[Box]` in the module of its
family (or a new module listed below), decorate it with `@block(name, options=...,
labels=...)`, and give it an options model derived from `registry.Options`.
"""

from printshop.layout.blocks import booklet, course, page, references, sections, steps

__all__ = ["booklet", "course", "page", "references", "sections", "steps"]
