"""Files made beside each document: page-1 thumbnails for the catalog page, and what the
manifest records for the catalog (the language, how to print the file).

A thumbnail is written with the PDF it shows, in the same locked manifest update, so it
is replaced only where makebook made it and is new whenever the PDF is.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

from printshop.catalog.manifest import relative
from printshop.content.layouts import Layout
from printshop.content.models import LanguageMeta

THUMBNAILS = "thumbnails"  # beside the PDFs: out/<topic>/<lang>/thumbnails/<stem>.png
PDF_KINDS = ("handout", "booklet", "imposed")

Output = tuple[Path, bytes, dict[str, Any]]


def thumbnail_path(pdf: Path) -> Path:
    return pdf.parent / THUMBNAILS / f"{pdf.stem}.png"


def thumbnail_outputs(out_dir: Path, outputs: list[Output]) -> list[Output]:
    """A page-1 thumbnail for each PDF among `outputs`, recorded as showing that PDF."""
    from printshop.catalog.preview import thumbnail

    made = []
    for path, data, meaning in outputs:
        if meaning.get("kind") in PDF_KINDS:
            png = thumbnail(data)
            size = list(struct.unpack(">II", png[16:24]))  # the PNG header's width, height
            record = {**meaning, "kind": "thumbnail", "of": relative(out_dir, path), "pixels": size}
            made.append((thumbnail_path(path), png, record))
    return made


def print_facts(layout: Layout, kind: str, sides: int) -> dict[str, Any]:
    """How a file prints, from its layout's data: the paper, how many sheet sides, the
    edge a two-sided print turns over (None: one side, or a reading copy), and what to
    do after printing. The catalog page turns these into plain words."""
    facts: dict[str, Any] = {
        "layout_kind": layout.kind,
        "description": layout.description,
        "paper": layout.paper,
        "landscape": layout.landscape,
        "sides": sides,
        "flip": layout.flip if sides > 1 else None,
        "finish": None,
    }
    if layout.imposition is not None:
        if kind == "imposed":
            imposition = layout.imposition
            facts.update(paper=imposition.sheet, landscape=True, flip=imposition.flip)
            facts["finish"] = "fold-staple"
        else:
            facts["flip"] = None  # the reading copy: pages in order, for screens and print shops
    elif layout.sheet is not None:
        facts["finish"] = "fold" if layout.sheet.order == "roll-fold" else "cut"
    return facts


def language_facts(meta: LanguageMeta) -> dict[str, Any]:
    """The language as the catalog shows it: names, direction, review status."""
    return {
        "name": meta.name,
        "native_name": meta.native_name,
        "direction": meta.direction,
        "status": meta.status,
        "reviewer": meta.reviewer,
        "reviewer_role": meta.reviewer_role,
        "review_date": meta.review_date.isoformat() if meta.review_date else None,
    }


def font_outputs(out_dir: Path, faces: tuple[Path, ...]) -> list[Output]:
    """The font files a web page links to (out/fonts/), with the licences beside them in
    the fonts folder; each written once: a copy the manifest lists with the same bytes
    is left alone."""
    from printshop.catalog.manifest import read_manifest
    from printshop.files import digest
    from printshop.web.fonts import FONTS

    files = read_manifest(out_dir)
    sources = [*faces, *sorted({p for face in faces for p in face.parent.glob("*.txt")})]
    made = []
    for source in sources:
        path = out_dir / FONTS / source.name
        entry = files.get(relative(out_dir, path)) or {}
        if path.is_file() and entry.get("sha256") == digest(source) == digest(path):
            continue
        kind = "font" if source in faces else "licence"
        made.append((path, source.read_bytes(), {"kind": kind, "source": source.name}))
    return made
