"""Bundled fonts: registration with reportlab, script -> font, glyph coverage.

Every font is a TrueType file in ``assets/fonts`` and is embedded as a subset by
reportlab's ``TTFont``.  Font choice is by the Unicode script of each character;
"common" characters (spaces, digits, punctuation, combining marks) take the font of
the run around them when that font has the glyph.

Font names registered with reportlab:

=====================  ===========================================================
``NotoSans``            Latin, Greek, Cyrillic, Vietnamese (+ ``-Bold``, ``-Italic``,
                        ``-BoldItalic``; family ``NotoSans`` for ``<b>``/``<i>``)
``NotoNaskhArabic``     Arabic, Urdu (+ ``-Bold``)
``NotoSansDevanagari``  Hindi (+ ``-Bold``)
``NotoSansBengali``     Bengali (+ ``-Bold``)
``DroidSansFallback``   Simplified Chinese (regular only: bold is simulated by typeset)
=====================  ===========================================================
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR: Path = Path(__file__).resolve().parents[2] / "assets" / "fonts"

# family key -> {(bold, italic): (reportlab font name, file name)}
_FAMILIES: dict[str, dict[tuple[bool, bool], tuple[str, str]]] = {
    "latin": {
        (False, False): ("NotoSans", "NotoSans-Regular.ttf"),
        (True, False): ("NotoSans-Bold", "NotoSans-Bold.ttf"),
        (False, True): ("NotoSans-Italic", "NotoSans-Italic.ttf"),
        (True, True): ("NotoSans-BoldItalic", "NotoSans-BoldItalic.ttf"),
    },
    "arabic": {
        (False, False): ("NotoNaskhArabic", "NotoNaskhArabic-Regular.ttf"),
        (True, False): ("NotoNaskhArabic-Bold", "NotoNaskhArabic-Bold.ttf"),
    },
    "deva": {
        (False, False): ("NotoSansDevanagari", "NotoSansDevanagari-Regular.ttf"),
        (True, False): ("NotoSansDevanagari-Bold", "NotoSansDevanagari-Bold.ttf"),
    },
    "beng": {
        (False, False): ("NotoSansBengali", "NotoSansBengali-Regular.ttf"),
        (True, False): ("NotoSansBengali-Bold", "NotoSansBengali-Bold.ttf"),
    },
    "cjk": {
        (False, False): ("DroidSansFallback", "DroidSansFallbackFull.ttf"),
    },
}
# order in which fonts are tried for a character its script's font lacks
_FALLBACK_ORDER = ("latin", "arabic", "deva", "beng", "cjk")

# font name -> file name
_FILES: dict[str, str] = {}
for _fam in _FAMILIES.values():
    for _name, _file in _fam.values():
        _FILES[_name] = _file

# fonts that have no bold face: typeset simulates bold for them (fill + stroke)
NO_BOLD_FONTS = frozenset({"DroidSansFallback"})
# big fonts parsed on first use rather than by register_fonts()
_LAZY = frozenset({"DroidSansFallback"})

_LANG_FAMILY = {
    "ar": "arabic",
    "ur": "arabic",
    "fa": "arabic",
    "hi": "deva",
    "mr": "deva",
    "ne": "deva",
    "bn": "beng",
    "as": "beng",
    "zh": "cjk",
    "ja": "cjk",
}

# characters that are never drawn as glyphs (HarfBuzz hides default ignorables)
_IGNORABLE = frozenset(
    [0x0A, 0x0D, 0x09, 0x00AD, 0x034F, 0x061C, 0xFEFF, 0x180E]
    + list(range(0x200B, 0x2010))
    + list(range(0x202A, 0x202F))
    + list(range(0x2060, 0x2070))
    + list(range(0xFE00, 0xFE10))
)

_lock = threading.Lock()
_registered = False
_loaded: dict[str, TTFont] = {}
_cmaps: dict[str, frozenset[int]] = {}  # the fonts' own cmaps (typeset adds private codes)


def _load(name: str) -> TTFont:
    """The TTFont for a font name, registering it with reportlab on first use."""
    font = _loaded.get(name)
    if font is not None:
        return font
    with _lock:
        font = _loaded.get(name)
        if font is None:
            # (pdfmetrics.getFont would search Type 1 AFM files for an unknown name)
            font = pdfmetrics._fonts.get(name)
            if not isinstance(font, ShapingTTFont):
                font = ShapingTTFont(name, str(FONTS_DIR / _FILES[name]))
                pdfmetrics.registerFont(font)
            _cmaps[name] = frozenset(font.face.charToGlyph)
            _loaded[name] = font
    return font


def register_fonts() -> None:
    """Register the bundled TTFs with reportlab (subset embedding). Idempotent.

    The Chinese font (DroidSansFallback, 4 MB, ~0.15 s to parse) is registered on
    first use instead: ``font_for_char``, ``fonts_for_text`` and ``missing_glyphs``
    load it as soon as a character needs it (``get_font`` too).
    """
    global _registered
    if _registered:
        return
    for name in _FILES:
        if name not in _LAZY:
            _load(name)
    from reportlab.lib.fonts import addMapping

    for (bold, italic), (name, _file) in _FAMILIES["latin"].items():
        addMapping("NotoSans", int(bold), int(italic), name)
    for key in ("arabic", "deva", "beng"):
        fam = _FAMILIES[key]
        regular, bold = fam[(False, False)][0], fam[(True, False)][0]
        for italic in (0, 1):
            addMapping(regular, 0, italic, regular)
            addMapping(regular, 1, italic, bold)
    cjk = _FAMILIES["cjk"][(False, False)][0]
    for b in (0, 1):
        for i in (0, 1):
            addMapping(cjk, b, i, cjk)
    _registered = True


def get_font(name: str) -> TTFont:
    """The registered TTFont object for one of our font names."""
    return _loaded.get(name) or _load(name)


def font_names() -> list[str]:
    """All bundled font names."""
    return list(_FILES)


def cmap(font_name: str) -> frozenset[int]:
    """The code points a font has glyphs for (its own cmap)."""
    if font_name not in _cmaps:
        _load(font_name)
    return _cmaps[font_name]


def has_glyph(font_name: str, ch: str) -> bool:
    return ord(ch) in cmap(font_name)


def family_of_char(ch: str) -> str | None:
    """Font family key for a character's script, or None for common/inherited chars."""
    cp = ord(ch)
    if cp < 0x80:
        return "latin" if ch.isalpha() else None
    if (
        0x0600 <= cp <= 0x06FF
        or 0x0750 <= cp <= 0x077F
        or 0x0870 <= cp <= 0x08FF
        or 0xFB50 <= cp <= 0xFDFF
        or 0xFE70 <= cp <= 0xFEFE
    ):
        return "arabic"  # incl. Arabic punctuation, harakat, Arabic-Indic digits
    if cp in (0x0964, 0x0965):  # danda, double danda: shared by Indic scripts
        return None
    if 0x0900 <= cp <= 0x097F or 0xA8E0 <= cp <= 0xA8FF or 0x1CD0 <= cp <= 0x1CFF:
        return "deva"
    if 0x0980 <= cp <= 0x09FF:
        return "beng"
    if (
        0x2E80 <= cp <= 0x2FDF
        or 0x3000 <= cp <= 0x33FF
        or 0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFE30 <= cp <= 0xFE4F
        or 0xFF00 <= cp <= 0xFFEF
        or 0x20000 <= cp <= 0x3134F
    ):
        return "cjk"
    cat = unicodedata.category(ch)
    if cat[0] == "L":
        return "latin"
    return None


def _variant(family: str, bold: bool, italic: bool) -> str:
    fam = _FAMILIES[family]
    for key in ((bold, italic), (bold, False), (False, italic), (False, False)):
        if key in fam:
            return fam[key][0]
    raise AssertionError(family)  # pragma: no cover


def _fallback(ch: str, bold: bool, italic: bool, first: str | None = None) -> str | None:
    cp = ord(ch)
    order = _FALLBACK_ORDER if first is None else (first, *_FALLBACK_ORDER)
    for family in order:
        name = _variant(family, bold, italic)
        if cp in cmap(name):
            return name
    return None


@lru_cache(maxsize=65536)
def font_for_char(ch: str, bold: bool = False, italic: bool = False) -> str:
    """Reportlab font name that has a glyph for ``ch`` (its script's font first).

    When no bundled font has the glyph, the script's font is returned (it will
    draw .notdef); ``missing_glyphs`` reports such characters.
    """
    family = family_of_char(ch) or "latin"
    name = _fallback(ch, bold, italic, family)
    return name if name is not None else _variant(family, bold, italic)


def is_ignorable(ch: str) -> bool:
    """Characters that are never drawn (line breaks, joiners, bidi controls...)."""
    return ord(ch) in _IGNORABLE


def missing_glyphs(text: str) -> list[tuple[int, str]]:
    """(index, char) of the characters no bundled font can draw ("\\n" ignored)."""
    out = []
    for i, ch in enumerate(text):
        cp = ord(ch)
        if cp in _IGNORABLE:
            continue
        if _fallback(ch, False, False, family_of_char(ch)) is None:
            out.append((i, ch))
    return out


def fonts_for_text(
    text: str, bold: Sequence[bool] | bool = False, italic: bool = False, lang: str = "en"
) -> list[str]:
    """Font name for every character of ``text``, taking context into account.

    Characters of a script get that script's font; common characters (spaces,
    digits, punctuation, combining marks) take the font of the preceding run, else
    of the following run, when that font has the glyph; else the first bundled font
    that has it.  ``bold`` is one flag or one flag per character.
    """
    n = len(text)
    if isinstance(bold, bool):
        bold = [bold] * n
    fams: list[str | None] = [family_of_char(ch) for ch in text]
    out: list[str] = [""] * n
    default_family = _LANG_FAMILY.get(lang.split("-")[0].lower(), "latin")
    # strong characters first
    for i, ch in enumerate(text):
        if fams[i] is not None:
            out[i] = font_for_char(ch, bold[i], italic)
    # the family to the left of each common char (scan), then to the right
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
    for i, ch in enumerate(text):
        if fams[i] is not None:
            continue
        cp = ord(ch)
        chosen = None
        for fam in (prev[i], nxt[i], default_family):
            if fam is None:
                continue
            name = _variant(fam, bold[i], italic)
            if cp in cmap(name):
                chosen = name
                break
        if chosen is None:
            chosen = _fallback(ch, bold[i], italic) or _variant(default_family, bold[i], italic)
        out[i] = chosen
    return out


def _to_unicode_cmap(fontname: str, subset: list[int], texts: dict[int, str]) -> str:
    """ToUnicode CMap for one subset: code -> text (UTF-16BE, any length)."""

    def utf16(code: int) -> str:
        text = texts.get(code)
        if text is None:
            text = chr(code) if code < 0xD800 or 0xE000 <= code <= 0x10FFFF else "\ufffd"
        return text.encode("utf-16-be").hex().upper()

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
    ]
    lines += [f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


class ShapingTTFont(TTFont):
    """A TTFont whose ToUnicode maps typeset's private glyph codes to real text.

    ``tounicode`` is filled by typeset when it draws a glyph that has no cmap
    character (a ligature, a contextual form): code -> the characters it shows.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.tounicode: dict[int, str] = {}

    def addObjects(self, doc) -> None:  # noqa: N802 - reportlab API
        from reportlab.pdfbase import pdfdoc
        from reportlab.pdfbase.ttfonts import SUBSETN

        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = TTFont.State(self._asciiReadable)
        state.frozen = 1
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            base_font_name = (
                b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))
            ).decode("pdfdoc")
            pdf_font = pdfdoc.PDFTrueTypeFont()
            pdf_font.__Comment__ = f"Font {self.fontName} subset {n}"
            pdf_font.Name = internal_name
            pdf_font.BaseFont = base_font_name
            pdf_font.FirstChar = 0
            pdf_font.LastChar = len(subset) - 1
            pdf_font.Widths = pdfdoc.PDFArray(list(map(self.face.getCharWidth, subset)))
            cmap_stream = pdfdoc.PDFStream()
            cmap_stream.content = _to_unicode_cmap(base_font_name, subset, self.tounicode)
            if doc.compression:
                cmap_stream.filters = [pdfdoc.PDFZCompress]
            pdf_font.ToUnicode = doc.Reference(cmap_stream, "toUnicodeCMap:" + base_font_name)
            pdf_font.FontDescriptor = self.face.addSubsetObjects(doc, base_font_name, subset)
            doc.Reference(pdf_font, internal_name)
            doc.idToObject["BasicFonts"].dict[internal_name] = pdf_font
        del self.state[doc]
