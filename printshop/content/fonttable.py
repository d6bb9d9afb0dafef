"""fonts.yaml -> FontTable: which font files exist and which serves which script.

The file is checked like every other input: unknown keys (with a suggestion), a family
named but not defined, a font file that is not there, all with file:line.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import Field

from printshop.content.load import load_model, safe_asset
from printshop.content.models import Strict
from printshop.errors import Collector, suggest
from printshop.project import Project
from printshop.text.fonts import STYLES, Fonts, FontTable

# TrueType (glyf outlines): reportlab cannot embed CFF (.otf) fonts
FileName = Annotated[str, Field(min_length=1, max_length=200, pattern=r"\.ttf$")]
Script = Annotated[str, Field(pattern=r"^[A-Z][a-z]{3}$")]  # ISO 15924, e.g. Latn
Lang = Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]  # ISO 639, e.g. ar


class FamilyFiles(Strict):
    """A family's font files (in the folder of fonts.yaml)."""

    regular: FileName
    bold: FileName | None = None
    italic: FileName | None = None
    bold_italic: FileName | None = None
    fake_bold: bool = Field(
        False, description="no bold face: bold text is drawn with a simulated stroke"
    )


class FontTableFile(Strict):
    """fonts.yaml: font families and which family serves which script and language."""

    families: dict[str, FamilyFiles] = Field(min_length=1)
    scripts: dict[Script, str] = Field(description="ISO 15924 script code -> family")
    languages: dict[Lang, str] = Field(
        default_factory=dict, description="language -> family for shared characters"
    )
    default: str = Field(description="family for shared characters in other languages")
    fallback: list[str] = Field(
        min_length=1, description="every family once, in the order tried for a missing glyph"
    )


def load_font_table(path: Path) -> FontTable:
    """Read and check a fonts.yaml; raises UserError (all problems) with file:line."""
    model, doc = load_model(path, FontTableFile, [path.parent])
    out = Collector()
    known = list(model.families)

    def family_ref(name: str, loc: tuple[str | int, ...]) -> None:
        if name not in model.families:
            out.add(f"unknown font family '{name}'{suggest(name, known)}", doc, loc)

    for code, name in model.scripts.items():
        family_ref(name, ("scripts", code))
    for code, name in model.languages.items():
        family_ref(name, ("languages", code))
    family_ref(model.default, ("default",))
    for i, name in enumerate(model.fallback):
        family_ref(name, ("fallback", i))
        if name in model.fallback[:i]:
            out.add(f"'{name}' is listed twice", doc, ("fallback", i))
    for name in known:
        if name not in model.fallback:
            out.add(f"font family '{name}' is missing from fallback", doc, ("fallback",))
        files = model.families[name]
        for style in STYLES:
            file = getattr(files, style)
            loc = ("families", name, style)
            if file is not None:
                out.run(lambda f=file, loc=loc: safe_asset(path.parent, f, doc, loc))
    out.raise_if_any()
    return FontTable.from_data(model.model_dump(), path.parent)


@cache
def fonts_from(path: Path) -> Fonts:
    """The Fonts of one fonts.yaml, made once per process."""
    return Fonts(load_font_table(path))


@cache
def builtin_fonts(project: Project | None = None) -> Fonts:
    """The fonts shipped with makebook (assets/fonts/fonts.yaml)."""
    return fonts_from((project or Project.discover()).font_table_file)
