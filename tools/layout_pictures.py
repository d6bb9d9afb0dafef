"""The small pictures of docs/layouts.md: each layout's pages side by side, as printed.

    python -m tools.layout_pictures [DIR]      (default: docs/)

Builds the English A4 (or A3) layouts with the example site into a temporary folder,
renders every printed page with pypdfium2 and writes one palette PNG per layout,
`layout-<name>.png`, a few tens of KB each.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from printshop.catalog.jobs import Job, build_one
from printshop.project import Project, builtin_root

ROOT = Path(__file__).resolve().parents[1]
# layout: (height of each page in pixels, pages side by side or one under the other)
PICTURES = {
    "handout-a4-large": (330, "across"),
    "trifold-a4": (260, "down"),
    "poster-a3": (520, "across"),
    "cards-a4": (330, "across"),
}
GAP = 8
COLOURS = 48


def picture(pdf: Path, height: int, direction: str, pages: int | None = None) -> Image.Image:
    """Every page (or the first `pages`) rendered `height` pixels tall, on a grey ground."""
    document = pdfium.PdfDocument(str(pdf))
    images = []
    for page in list(document)[:pages]:
        scale = height / page.get_height()
        images.append(page.render(scale=scale).to_pil())
    across = direction == "across"
    width = sum(i.width for i in images) + GAP * (len(images) + 1) if across else None
    width = width or max(i.width for i in images) + 2 * GAP
    total = height + 2 * GAP if across else sum(i.height for i in images) + GAP * (len(images) + 1)
    sheet = Image.new("RGB", (width, total), "#c8ccd0")
    at = GAP
    for image in images:
        sheet.paste(image, (at, GAP) if across else (GAP, at))
        at += (image.width if across else image.height) + GAP
    return sheet.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT)


def main(out: Path) -> None:
    project = Project(builtin_root(), ROOT)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for layout, (height, direction) in PICTURES.items():
            job = Job("infant-massage", "en", layout, Path(tmp), ROOT / "sites" / "example.yaml")
            result = build_one(project, job, force=True)
            if result.status != "built":
                raise SystemExit(f"{layout}: {'; '.join(result.messages)}")
            pages = 2 if layout.startswith("cards") else None  # one sheet: fronts and backs
            target = out / f"layout-{layout}.png"
            picture(job.path, height, direction, pages).save(target, optimize=True)
            print(f"{target} ({target.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
