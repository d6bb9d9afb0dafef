"""Shaped lines -> PDF text operators; fonts embedded as subsets.

In: `Line`s of the text layer (glyph runs in display order, 1/1000 em) and a canvas.
Every `FontFace` becomes a `ShapingTTFont` registered with reportlab under the face's
key and embedded as a subset. Glyph ids map to one-byte subset codes through the
glyph's cmap character, or, for glyphs no character maps to (ligatures, conjuncts,
contextual forms), through a private-use code chosen by the glyph's rank among the
font's unmapped glyphs, so codes never depend on what was drawn before. The font's
ToUnicode maps those private codes back to the text they show. Positions go in ``TJ``
adjustments and ``Ts`` rises; a left-to-right line is wrapped in an ActualText span
so copy-paste gives back its logical text; bold for faces without a bold face
(Chinese) is drawn as fill + stroke (``2 Tr``).
"""

from __future__ import annotations

import threading

from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

from printshop.layout.textbox import TextBox
from printshop.pdf.draw import drawer
from printshop.text.fonts import FontFace
from printshop.text.paragraph import Line

_lock = threading.Lock()


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
    """A TTFont whose ToUnicode maps our private glyph codes to real text.

    ``tounicode`` is filled when a glyph that has no cmap character (a ligature, a
    contextual form) is drawn: code -> the characters it shows.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.tounicode: dict[int, str] = {}
        self.own_cmap = frozenset(self.face.charToGlyph)  # before private codes are added

    def addObjects(self, doc) -> None:  # noqa: N802 - reportlab API
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = TTFont.State(self._asciiReadable)
        state.frozen = 1
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            # The subset tag comes from the font's number in the document (F3 -> 3),
            # not the subset's alone: reportlab names a subset's objects by its
            # BaseFont, so two files with the same PostScript name (a font and a
            # dehinted copy) would otherwise share one embedded font.
            serial = int(state.internalName[len(state.namePrefix) :])
            base_font_name = (
                b"".join((SUBSETN(serial * 1000 + n), b"+", self.face.name, self.face.subfontNameX))
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


_ttfonts: dict[tuple[str, str], ShapingTTFont] = {}


def ttfont(face: FontFace) -> ShapingTTFont:
    """The face's reportlab font, registered on first use under the face's key (or,
    when another file already holds that name in this process, the key and a number:
    two projects' font tables may both name a family "NotoSans")."""
    wanted = (face.key, str(face.path))
    font = _ttfonts.get(wanted)
    if font is None:
        with _lock:
            font = _ttfonts.get(wanted)
            if font is None:
                name = face.key
                taken = sum(key == face.key for key, _path in _ttfonts)
                if taken:
                    name = f"{face.key}~{taken + 1}"
                # (pdfmetrics.getFont would search Type 1 AFM files for an unknown name)
                font = pdfmetrics._fonts.get(name)
                if not isinstance(font, ShapingTTFont) or font.face.filename != str(face.path):
                    font = ShapingTTFont(name, str(face.path))
                    pdfmetrics.registerFont(font)
                _ttfonts[wanted] = font
    return font


class _CodeMap:
    """Maps a font's glyph ids to character codes reportlab can subset.

    A glyph reachable through the cmap uses its (smallest) character; any other glyph
    gets a private-use code chosen by its rank among the font's unmapped glyphs.
    """

    def __init__(self, face: FontFace) -> None:
        self.ttf = ttfont(face)
        rl_face = self.ttf.face
        g2c: dict[int, int] = {0: 0}
        for code, gid in rl_face.charToGlyph.items():
            if code < 32 or code == 0xA0 or (0xE000 <= code <= 0xF8FF) or code >= 0xF0000:
                continue
            old = g2c.get(gid)
            if old is None or code < old:
                g2c[gid] = code
        self.g2c = g2c
        self._private: dict[int, int] | None = None
        scale = rl_face._pdfScale
        self.widths = [scale(aw) for aw, _lsb in rl_face.hmetrics]
        self.lock = threading.Lock()

    def _private_map(self) -> dict[int, int]:
        if self._private is None:
            rl_face = self.ttf.face
            own = self.ttf.own_cmap
            unmapped = [g for g in range(rl_face.numGlyphs) if g not in self.g2c]
            free = (
                c
                for r in ((0xE000, 0xF900), (0xF0000, 0xFFFFE), (0x100000, 0x10FFFE))
                for c in range(*r)
                if c not in own
            )
            self._private = dict(zip(unmapped, free))  # noqa: B905 - free is longer
        return self._private

    def code(self, gid: int) -> int:
        c = self.g2c.get(gid)
        if c is not None:
            return c
        with self.lock:
            c = self.g2c.get(gid)
            if c is None:
                c = self._private_map().get(gid, 0)
                if c:
                    rl_face = self.ttf.face
                    rl_face.charToGlyph[c] = gid
                    rl_face.glyphToChar.setdefault(gid, []).append(c)
                    rl_face.charWidths[c] = self.widths[gid]
                self.g2c[gid] = c
        return c


_codemaps: dict[tuple[str, str], _CodeMap] = {}


def _codemap(face: FontFace) -> _CodeMap:
    wanted = (face.key, str(face.path))
    cm = _codemaps.get(wanted)
    if cm is None:
        ttfont(face)  # outside _lock: it takes the lock itself
        with _lock:
            cm = _codemaps.get(wanted)
            if cm is None:
                cm = _codemaps[wanted] = _CodeMap(face)
    return cm


def _num(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _actual_text(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _rgb(color: str) -> str:
    c = HexColor(color)
    return f"{_num(c.red)} {_num(c.green)} {_num(c.blue)}"


def emit_line(canvas, x: float, y: float, line: Line, size: float, color: str) -> None:
    """Draw one line's glyph runs with the baseline starting at (x, y).

    The line's logical text becomes its ActualText when the line is all left to
    right. Lines with right-to-left runs carry no ActualText: readers rebuild their
    logical order from the glyphs' ToUnicode (pdfium, for one, re-applies its own
    bidi to ActualText and garbles it).
    """
    runs = line.runs
    if not runs:
        return
    doc = canvas._doc
    rgb = _rgb(color)
    use_actual = not any(run.rtl for run in runs)
    out = [
        f"/Span <</ActualText {_actual_text(line.text)}>> BDC" if use_actual else "",
        f"q {rgb} rg BT 1 0 0 1 {_num(x)} {_num(y)} Tm",
    ]
    tj: list[str] = []
    hexrun: list[str] = []
    pen = 0.0  # where HarfBuzz puts the next origin, 1/1000 em
    pdf_pen = 0.0  # where the PDF text position is
    cur_font = None
    cur_rise = 0.0
    cur_fake = False
    size_s = _num(size)

    def flush() -> None:
        if hexrun:
            tj.append("<" + "".join(hexrun) + ">")
            hexrun.clear()
        if tj:
            if len(tj) == 1 and tj[0][0] == "<":
                out.append(tj[0] + " Tj")
            else:
                out.append("[" + " ".join(tj) + "] TJ")
            tj.clear()

    for run in runs:
        ttf = ttfont(run.face)
        cm = _codemap(run.face)
        codes = [cm.code(g) for g in run.gids]
        tounicode = ttf.tounicode
        for code, t in zip(codes, run.unmapped_texts, strict=True):
            if t and code not in tounicode:
                tounicode[code] = t
        widths = cm.widths
        if run.fake_bold != cur_fake:
            flush()
            if run.fake_bold:
                out.append(f"{rgb} RG {_num(size * 0.03)} w 2 Tr")
            else:
                out.append("0 Tr")
            cur_fake = run.fake_bold
        k = 0
        for subset, bts in ttf.splitString("".join(map(chr, codes)), doc):
            key = (run.face.key, subset)
            if key != cur_font:
                flush()
                out.append(f"{ttf.getSubsetInternalName(subset, doc)} {size_s} Tf")
                cur_font = key
            for b in bts:
                gid = run.gids[k]
                yo = run.y_offsets[k]
                if yo != cur_rise:
                    flush()
                    out.append(f"{_num(yo * size / 1000)} Ts")
                    cur_rise = yo
                d = round(pen + run.x_offsets[k] - pdf_pen, 2)
                if d:
                    if hexrun:
                        tj.append("<" + "".join(hexrun) + ">")
                        hexrun.clear()
                    tj.append(_num(-d))
                    pdf_pen += d
                hexrun.append(f"{b:02X}")
                pdf_pen += widths[gid] if gid < len(widths) else widths[-1]
                pen += run.advances[k]
                k += 1
    flush()
    out.append("ET Q EMC" if use_actual else "ET Q")
    canvas._code.append("\n".join(out))


@drawer(TextBox)
def draw_text_box(canvas, box: TextBox, x: float, y: float) -> bool:
    """Each line (and the bullet, after the first line) at its place in the box."""
    st = box.style
    bullet = box.placed_bullet()
    for i, placed in enumerate(box.placed_lines()):
        emit_line(canvas, x + placed.x, y + placed.y, placed.line, st.size, st.color)
        if i == 0 and bullet is not None:
            emit_line(canvas, x + bullet.x, y + bullet.y, bullet.line, st.size, st.color)
    return True
