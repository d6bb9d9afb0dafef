"""The web version's fonts: the bundled faces its PDF embeds, referenced by the page.

A phone may have no font for Amharic, Gujarati or Nastaliq Urdu; the PDF embeds
makebook's own. The web page names the same faces in @font-face rules that point at
one shared copy of each font file in the output folder (`out/fonts/`, written once
with its licences and recorded in the manifest like every output), after the system's
copy of the same font (`local()`). Opened on its own, the page falls back to the
system's fonts; in its folder, every script shows as in the PDF.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from printshop.web.html import escape

FONTS = "fonts"  # out/fonts/: the font files the web pages use, and their licences


@dataclass(frozen=True)
class WebFont:
    """One font file as a page uses it: its family, style and the page's link to it."""

    family: str
    bold: bool
    italic: bool
    href: str  # relative to the page
    name: str  # the font's own name, for local()
    tall: bool = False  # a style that needs more room between lines (fonts.yaml: line_height)


def web_fonts(faces, families: list[str], page: Path, out_dir: Path) -> list[WebFont]:
    """The faces a page uses (`faces`: FontFace objects), in the order of `families`
    (the language's own family first), linked from `page` to out/fonts/."""
    folder = out_dir / FONTS
    rank = {family: n for n, family in enumerate(dict.fromkeys(families))}  # first place counts
    chosen = sorted(faces, key=lambda face: (rank.get(face.family, len(rank)), face.key))
    return [
        WebFont(
            face.family,
            face.bold,
            face.italic,
            Path(os.path.relpath(folder / face.path.name, page.parent)).as_posix(),
            face.key,
            face.line_height > 0,
        )
        for face in chosen
    ]


def shared_fonts(out_dir: Path, files: dict[str, dict], page: Path) -> list[WebFont]:
    """Every font the manifest lists in out/fonts/ that is still there, Noto Sans first:
    the catalog page names each language in its own script, which a reader's machine
    may have no font for. A file's family and weight come from its name
    (`Family-Bold.ttf`), as the font table names them."""
    fonts = []
    for rel, entry in sorted(files.items()):
        path = out_dir / rel
        if entry.get("kind") != "font" or path.parent.name != FONTS or not path.is_file():
            continue
        family, _, style = path.stem.partition("-")
        href = Path(os.path.relpath(path, page.parent)).as_posix()
        fonts.append(WebFont(family, style == "Bold", False, href, path.stem))
    return sorted(fonts, key=lambda font: font.family != "NotoSans")


def font_css(fonts: list[WebFont]) -> str:
    """@font-face rules and the body's font-family list (then the system's fonts). When
    the first family (the language's) is a tall style, lines take the font's own line
    spacing (`normal`: its ascent and descent, which hold its tallest words): a browser
    does not grow a line for the ink that climbs above it, as the PDF's lines do."""
    rules = [
        f'@font-face{{font-family:"{escape(font.family)}";'
        f"font-weight:{700 if font.bold else 400};"
        f"font-style:{'italic' if font.italic else 'normal'};font-display:swap;"
        f'src:local("{escape(font.name)}"),url("{escape(font.href)}") format("truetype")}}'
        for font in fonts
    ]
    families = list(dict.fromkeys(f'"{escape(font.family)}"' for font in fonts))
    stack = ",".join([*families, "system-ui", "sans-serif"])
    tall = ";--tall:normal" if fonts and fonts[0].tall else ""
    return "".join(rules) + f":root{{--font:{stack}{tall}}}"
