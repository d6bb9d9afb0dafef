"""Prepare a TrueType font for assets/fonts/: strip its hinting, keep everything else.

Hinting (glyph programs, fpgm/prep/cvt/gasp, hdmx/LTSH/VDMX) only matters on screens at
small pixel sizes; in a print PDF it is dead weight that reportlab copies into every
embedded subset. Every other table (cmap, metrics, GSUB/GPOS/GDEF, name) is copied
byte for byte, and glyph outlines are unchanged, so HarfBuzz shapes exactly as with the
original. `--face N` takes one face of a TrueType collection (.ttc); `--no-glyph-names`
drops the `post` table's glyph names (format 3), which nothing here reads.

    python -m tools.fontprep SOURCE.ttf OUT.ttf
    python -m tools.fontprep wqy-microhei.ttc WenQuanYiMicroHei.ttf --face 0 --no-glyph-names

Only for fonts whose licence allows modified copies under the same name (Noto: OFL
without Reserved Font Names; WenQuanYi: Apache-2.0, with a note of the change in
assets/fonts/README.md). Never for fonts with Reserved Font Names (SIL's, Nanum).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import ttProgram

HINTING_TABLES = ("fpgm", "prep", "cvt ", "gasp", "hdmx", "LTSH", "VDMX")
_MAXP_HINTING = (
    "maxTwilightPoints",
    "maxStorage",
    "maxFunctionDefs",
    "maxInstructionDefs",
    "maxStackElements",
    "maxSizeOfInstructions",
)


def strip_hinting(font: TTFont) -> None:
    """Remove the hinting tables and every glyph's instructions, in place."""
    for tag in HINTING_TABLES:
        if tag in font:
            del font[tag]
    glyf = font["glyf"]
    for name in font.getGlyphOrder():
        glyph = glyf[name]
        if glyph.numberOfContours:
            program = ttProgram.Program()
            program.fromBytecode(b"")
            glyph.program = program
    maxp = font["maxp"]
    maxp.maxZones = 1
    for field in _MAXP_HINTING:
        setattr(maxp, field, 0)


def prepare(source: Path, out: Path, face: int = 0, glyph_names: bool = True) -> None:
    font = TTFont(source, fontNumber=face, recalcTimestamp=False)  # reproducible
    if "glyf" not in font:
        raise SystemExit(f"{source}: not TrueType outlines (reportlab cannot embed CFF)")
    strip_hinting(font)
    if not glyph_names:
        font["post"].formatType = 3.0
    font.save(out, reorderTables=False)
    print(f"{source.name} -> {out} ({source.stat().st_size:,} -> {out.stat().st_size:,} bytes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--face", type=int, default=0, help="face of a .ttc collection")
    parser.add_argument("--no-glyph-names", action="store_true", help="post table format 3")
    args = parser.parse_args()
    prepare(args.source, args.out, args.face, not args.no_glyph_names)


if __name__ == "__main__":
    main()
