"""fonts.yaml -> FontTable: which font files exist and which serves which script.

The file is checked like every other input: unknown keys (with a suggestion), a family
named but not defined, a font file that is not there, all with file:line.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import Field

from printshop.content.load import find_asset, load_model
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
    line_height: float | None = Field(
        None,
        ge=1.0,
        le=3.0,
        description="the least distance between the baselines of a paragraph's lines, in em, "
        "for a style that looks cramped at the layout's leading (Nastaliq)",
    )


class FontTableFile(Strict):
    """fonts.yaml: font families and which family serves which script and language."""

    families: dict[str, FamilyFiles] = Field(min_length=1)
    scripts: dict[Script, str] = Field(description="ISO 15924 script code -> family")
    language_scripts: dict[Lang, dict[Script, str]] = Field(
        default_factory=dict,
        description="language -> {script: family}: a script written in the language's own style",
    )
    languages: dict[Lang, str] = Field(
        default_factory=dict, description="language -> family for shared characters"
    )
    default: str = Field(description="family for shared characters in other languages")
    fallback: list[str] = Field(
        min_length=1, description="every family once, in the order tried for a missing glyph"
    )


def load_font_table(path: Path, also: Path | None = None) -> FontTable:
    """Read and check a fonts.yaml; raises UserError (all problems) with file:line.

    Font files are looked up beside the file, then in `also` (a project's fonts.yaml
    may name the built-in fonts without copying them).
    """
    model, doc = load_model(path, FontTableFile, [path.parent])
    folders = [path.parent] + ([also] if also is not None and also != path.parent else [])
    out = Collector()
    known = list(model.families)

    def family_ref(name: str, loc: tuple[str | int, ...]) -> None:
        if name not in model.families:
            out.add(f"unknown font family '{name}'{suggest(name, known)}", doc, loc)

    for code, name in model.scripts.items():
        family_ref(name, ("scripts", code))
    for code, styles in model.language_scripts.items():
        for script, name in styles.items():
            family_ref(name, ("language_scripts", code, script))
    for code, name in model.languages.items():
        family_ref(name, ("languages", code))
    family_ref(model.default, ("default",))
    for i, name in enumerate(model.fallback):
        family_ref(name, ("fallback", i))
        if name in model.fallback[:i]:
            out.add(f"'{name}' is listed twice", doc, ("fallback", i))
    data = model.model_dump()
    for name in known:
        if name not in model.fallback:
            out.add(f"font family '{name}' is missing from fallback", doc, ("fallback",))
        files = data["families"][name]
        for style in STYLES:
            loc = ("families", name, style)
            if files.get(style) is not None:
                found = out.run(lambda f=files[style], loc=loc: find_asset(folders, f, doc, loc))
                files[style] = found
    out.raise_if_any()
    return FontTable.from_data(data, path.parent)


@cache
def fonts_from(path: Path, also: Path | None = None) -> Fonts:
    """The Fonts of one fonts.yaml (files beside it or in `also`), made once per process."""
    return Fonts(load_font_table(path, also))


def builtin_fonts(project: Project | None = None) -> Fonts:
    """The project's fonts: its own fonts.yaml if it has one, else makebook's
    (assets/fonts/fonts.yaml)."""
    project = project or Project.discover()
    return fonts_from(project.font_table_file, project.fonts_dir)
