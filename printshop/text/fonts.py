"""Fonts as data: which face draws which character, and what each font file holds.

In: a `FontTable` (families of faces, script -> family, language -> family, fallback
order), built from plain data by `FontTable.from_data` (the YAML file is read and
checked by `printshop.content.fonttable`). Out: `Fonts`, the object a document uses
to choose a face for every character (`fonts_for_text`) and to find characters no
font can draw (`missing`).

A character's script comes from `fontTools.unicodedata` (ISO 15924 codes). Letters
of a script in the table take that script's family, or the family the language writes
that script in (`language_scripts`: Urdu's Arabic letters in Nastaliq). Characters shared by scripts
(Common and Inherited: spaces, digits, punctuation, combining marks) belong to a
family when all the table's scripts among their Script_Extensions agree on it (the
Arabic comma, the ideographic full stop); else they take the font of the run around
them when it has the glyph.

Font files are read once per process, on first use (`face_data`): the bytes, the
HarfBuzz face and font, units per em and the cmap.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import uharfbuzz as hb
from fontTools import unicodedata as ucd

from printshop.files import read_capped

MAX_FONT_BYTES = 40_000_000  # the largest CJK fonts are about 20 MB
STYLES = ("regular", "bold", "italic", "bold_italic")
_STYLE_OF = {
    (False, False): "regular",
    (True, False): "bold",
    (False, True): "italic",
    (True, True): "bold_italic",
}
_KEY_SUFFIX = {"regular": "", "bold": "-Bold", "italic": "-Italic", "bold_italic": "-BoldItalic"}
_SHARED_SCRIPTS = frozenset({"Zyyy", "Zinh"})  # Common, Inherited

# characters that are never drawn as glyphs (HarfBuzz hides default ignorables)
_IGNORABLE = frozenset(
    [0x0A, 0x0D, 0x09, 0x00AD, 0x034F, 0x061C, 0xFEFF, 0x180E]
    + list(range(0x200B, 0x2010))
    + list(range(0x202A, 0x202F))
    + list(range(0x2060, 0x2070))
    + list(range(0xFE00, 0xFE10))
)


def is_ignorable(ch: str) -> bool:
    """Characters that are never drawn (line breaks, joiners, bidi controls...)."""
    return ord(ch) in _IGNORABLE


@dataclass(frozen=True)
class FontFace:
    """One font file in its family's role."""

    key: str  # unique name, e.g. "NotoSans-Bold" (also the font's name in the PDF)
    path: Path
    family: str
    bold: bool = False
    italic: bool = False
    fake_bold: bool = False  # bold text in this face is simulated (no bold face exists)
    line_height: float = 0.0  # em: the least distance between a paragraph's baselines


# ----------------------------------------------------------------- font file data
class FaceData:
    """What one font file holds, read once per process (see `face_data`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = read_capped(path, MAX_FONT_BYTES, "font file")
        self.hb_face = hb.Face(hb.Blob(self.data))
        self.hb_font = hb.Font(self.hb_face)
        self.upem: int = self.hb_face.upem
        self._cmap: frozenset[int] | None = None
        self._glyph_chars: dict[int, int] | None = None
        self._ink: dict[int, tuple[float, float, float, float] | None] = {}

    @property
    def cmap(self) -> frozenset[int]:
        """The code points the font has glyphs for.

        U+00A0 counts when the font has a space: HarfBuzz and PDF readers draw a
        no-break space with the space glyph.
        """
        if self._cmap is None:
            codes = set(self.hb_face.unicodes)
            if 0x20 in codes:
                codes.add(0xA0)
            self._cmap = frozenset(codes)
        return self._cmap

    def ink(self, gid: int) -> tuple[float, float, float, float] | None:
        """A glyph's ink box (left, right, top, bottom) in 1/1000 em from its origin;
        None for a glyph that draws nothing (a space)."""
        found = self._ink.get(gid, False)
        if found is False:
            ext = self.hb_font.get_glyph_extents(gid)
            k = 1000.0 / self.upem
            found = None
            if ext is not None and ext.width and ext.height:
                left, top = ext.x_bearing * k, ext.y_bearing * k
                found = (left, left + ext.width * k, top, top + ext.height * k)
            self._ink[gid] = found
        return found

    @property
    def glyph_chars(self) -> dict[int, int]:
        """Glyph id -> the smallest ordinary character mapped to it by the cmap.

        Controls, U+00A0 and private-use characters do not count; glyph 0 maps to 0.
        A glyph missing here is drawn through a private code by the PDF stage.
        """
        if self._glyph_chars is None:
            font = self.hb_font
            g2c: dict[int, int] = {0: 0}
            for code in sorted(self.hb_face.unicodes):
                if code < 32 or code == 0xA0 or (0xE000 <= code <= 0xF8FF) or code >= 0xF0000:
                    continue
                gid = font.get_nominal_glyph(code)
                if gid is not None and gid not in g2c:
                    g2c[gid] = code
            self._glyph_chars = g2c
        return self._glyph_chars


_face_lock = threading.Lock()
_face_data: dict[Path, FaceData] = {}


def face_data(path: Path) -> FaceData:
    """A font file's data; read on first use and shared by the whole process."""
    data = _face_data.get(path)
    if data is None:
        with _face_lock:
            data = _face_data.get(path)
            if data is None:
                data = _face_data[path] = FaceData(path)
    return data


# ----------------------------------------------------------------- the table
@dataclass(frozen=True, eq=False)
class FontTable:
    """Families of faces and which family serves which script and language."""

    families: Mapping[str, Mapping[str, FontFace]]  # family -> style -> face
    scripts: Mapping[str, str]  # ISO 15924 code -> family
    languages: Mapping[str, str]  # language code -> family for shared characters
    default: str  # family for shared characters in other languages
    fallback: tuple[str, ...]  # order in which families are tried for a missing glyph
    # language code -> {script: family}, where a language writes a script its own way
    language_scripts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: Mapping[str, Any], fonts_dir: Path) -> FontTable:
        """Build from plain data shaped like fonts.yaml; file names are in `fonts_dir`."""
        families: dict[str, dict[str, FontFace]] = {}
        for family, spec in data["families"].items():
            fake = bool(spec.get("fake_bold", False))
            least = float(spec.get("line_height") or 0.0)
            families[family] = {
                style: FontFace(
                    key=family + _KEY_SUFFIX[style],
                    path=Path(fonts_dir) / spec[style],
                    family=family,
                    bold=style in ("bold", "bold_italic"),
                    italic=style in ("italic", "bold_italic"),
                    fake_bold=fake,
                    line_height=least,
                )
                for style in STYLES
                if spec.get(style)
            }
        styles = data.get("language_scripts") or {}
        names = {
            *data["scripts"].values(),
            *data["languages"].values(),
            *(name for own in styles.values() for name in own.values()),
            data["default"],
        }
        unknown = (names | set(data["fallback"])) - set(families)
        if unknown:
            raise ValueError(f"unknown font families: {', '.join(sorted(unknown))}")
        return cls(
            families=families,
            scripts=dict(data["scripts"]),
            languages=dict(data["languages"]),
            default=data["default"],
            fallback=tuple(data["fallback"]),
            language_scripts={code: dict(own) for code, own in styles.items()},
        )

    def face(self, family: str, bold: bool = False, italic: bool = False) -> FontFace:
        """The family's face for a weight and slant; the nearest one it has."""
        styles = self.families[family]
        for wanted in ((bold, italic), (bold, False), (False, italic), (False, False)):
            found = styles.get(_STYLE_OF[wanted])
            if found is not None:
                return found
        raise KeyError(f"font family {family} has no regular face")

    def faces(self) -> list[FontFace]:
        return [face for styles in self.families.values() for face in styles.values()]

    def language_family(self, lang: str) -> str:
        """The family for shared characters in `lang` ("zh-Hans" -> zh's)."""
        return self.languages.get(_base(lang), self.default)

    def script_families(self, lang: str) -> Mapping[str, str]:
        """Script -> family for the letters of `lang`: `scripts`, with the scripts the
        language writes in a style of its own replaced."""
        own = self.language_scripts.get(_base(lang))
        return {**self.scripts, **own} if own else self.scripts

    def own_styles(self, langs: Iterable[str]) -> dict[str, str]:
        """Own-style family -> the plain family of its script, for the scripts `langs`
        write in a style of their own (Urdu's Nastaliq -> Naskh); empty when none do."""
        return {
            family: self.scripts.get(script, self.default)
            for lang in langs
            for script, family in self.language_scripts.get(_base(lang), {}).items()
            if family != self.scripts.get(script, self.default)
        }

    def in_plain_style(self, langs: Iterable[str]) -> FontTable:
        """This table with `langs` set in their scripts' plain style: the style of their
        own dropped, and their shared characters in the plain family. Where a page
        cannot hold a tall own style (Nastaliq needs about twice Naskh's line height),
        or where OCR cannot read it, the same words are set in the plain one."""
        plain = self.own_styles(langs)
        bases = {_base(lang) for lang in langs}
        languages = {
            code: plain.get(family, family) if code in bases else family
            for code, family in self.languages.items()
        }
        own = {code: styles for code, styles in self.language_scripts.items() if code not in bases}
        return replace(self, language_scripts=own, languages=languages)


def _base(lang: str) -> str:
    """The language subtag of a BCP 47 code ("zh-Hans" -> "zh")."""
    return lang.split("-")[0].lower()


# ----------------------------------------------------------------- runtime
class Fonts:
    """A document's fonts: a face for every character, glyph coverage.

    Cheap to create; per-character answers are cached on the object, the font files'
    data for the whole process.
    """

    def __init__(self, table: FontTable) -> None:
        self.table = table
        # per language with scripts of its own ("" for every other): char -> family
        self._families: dict[str, dict[str, str | None]] = {}
        self._char_faces: dict[tuple[str, bool, bool, str], FontFace] = {}
        self._faces: dict[tuple[str, bool, bool], FontFace] = {}
        self._cmaps: dict[str, frozenset[int]] = {}
        self._drawable: dict[str, bool] = {}
        self._all_drawable: set[str] = set()  # the True keys of _drawable, for a C-speed test
        self._by_key = {face.key: face for face in table.faces()}

    def in_plain_style(self, langs: Iterable[str]) -> Fonts:
        """These fonts with `langs` in their scripts' plain style (`FontTable.in_plain_style`);
        these very fonts when none of them writes a script in a style of its own."""
        return Fonts(self.table.in_plain_style(langs)) if self.table.own_styles(langs) else self

    def by_key(self, key: str) -> FontFace:
        """The face named `key` ("NotoSans-Bold")."""
        return self._by_key[key]

    def cmap(self, face: FontFace) -> frozenset[int]:
        """The code points `face` has glyphs for (its file is read on first use)."""
        found = self._cmaps.get(face.key)
        if found is None:
            found = self._cmaps[face.key] = face_data(face.path).cmap
        return found

    def _face(self, family: str, bold: bool, italic: bool) -> FontFace:
        key = (family, bold, italic)
        found = self._faces.get(key)
        if found is None:
            found = self._faces[key] = self.table.face(family, bold, italic)
        return found

    def _own_scripts(self, lang: str) -> str:
        """`lang`'s key in the caches: itself when it writes a script its own way."""
        return _base(lang) if _base(lang) in self.table.language_scripts else ""

    def family_of(self, ch: str, lang: str = "") -> str | None:
        """The family for `ch`'s script in `lang`, or None for characters shared by
        scripts."""
        key = self._own_scripts(lang)
        families = self._families.get(key)
        if families is None:
            families = self._families[key] = {}
        found = families.get(ch, False)
        if found is False:
            scripts = self.table.script_families(key)
            script = ucd.script(ch)
            found = scripts.get(script)
            if found is None and script in _SHARED_SCRIPTS:
                owners = {scripts[s] for s in ucd.script_extension(ch) if s in scripts}
                found = owners.pop() if len(owners) == 1 else None
            families[ch] = found
        return found

    def _fallback(
        self, cp: int, bold: bool, italic: bool, first: str | None = None
    ) -> FontFace | None:
        order = self.table.fallback if first is None else (first, *self.table.fallback)
        for family in order:
            face = self._face(family, bold, italic)
            if cp in self.cmap(face):
                return face
        return None

    def font_for_char(
        self, ch: str, bold: bool = False, italic: bool = False, lang: str = ""
    ) -> FontFace:
        """The face that draws `ch` on its own in `lang`: its script's font first, then
        fallbacks.

        When no font has the glyph, the script's face is returned (it draws .notdef);
        `missing` reports such characters.
        """
        key = (ch, bold, italic, self._own_scripts(lang))
        face = self._char_faces.get(key)
        if face is None:
            family = self.family_of(ch, lang) or self.table.default
            face = self._fallback(ord(ch), bold, italic, family) or self._face(family, bold, italic)
            self._char_faces[key] = face
        return face

    def fonts_for_text(
        self,
        text: str,
        bold: Sequence[bool] | bool = False,
        italic: bool = False,
        lang: str = "en",
    ) -> list[FontFace]:
        """The face for every character of `text`, taking context into account.

        Characters of a script get that script's font; shared characters take the font
        of the preceding run, else of the following run, else of the language, when
        that font has the glyph; else the first font in fallback order that has it.
        `bold` is one flag or one flag per character.
        """
        n = len(text)
        if isinstance(bold, bool):
            bold = [bold] * n
        fams = [self.family_of(ch, lang) for ch in text]
        # the family to the left of each shared character, then to the right
        prev: list[str | None] = [None] * n
        last = None
        for i in range(n):
            prev[i] = last
            if fams[i] is not None:
                last = fams[i]
            elif text[i] == "\n":
                last = None
        nxt: list[str | None] = [None] * n
        last = None
        for i in range(n - 1, -1, -1):
            nxt[i] = last
            if fams[i] is not None:
                last = fams[i]
            elif text[i] == "\n":
                last = None
        default_family = self.table.language_family(lang)
        out: list[FontFace] = []
        for i, ch in enumerate(text):
            if fams[i] is not None:
                out.append(self.font_for_char(ch, bold[i], italic, lang))
                continue
            cp = ord(ch)
            chosen = None
            for fam in (prev[i], nxt[i], default_family):
                if fam is not None:
                    face = self._face(fam, bold[i], italic)
                    if cp in self.cmap(face):
                        chosen = face
                        break
            if chosen is None:
                chosen = self._fallback(cp, bold[i], italic) or self._face(
                    default_family, bold[i], italic
                )
            out.append(chosen)
        return out

    def missing(self, text: str) -> list[tuple[int, str]]:
        """(index, char) of the characters no font can draw (ignorables skipped)."""
        if self._all_drawable.issuperset(text):  # most texts: every character seen before
            return []
        out = []
        drawable = self._drawable
        for i, ch in enumerate(text):
            found = drawable.get(ch)
            if found is None:
                cp = ord(ch)
                found = drawable[ch] = (
                    cp in _IGNORABLE
                    or self._fallback(cp, False, False, self.family_of(ch)) is not None
                )
            if found:
                self._all_drawable.add(ch)
            else:
                out.append((i, ch))
        return out
