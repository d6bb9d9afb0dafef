"""Shaped, bidi-ordered, wrapped text as reportlab flowables.

How a paragraph is set:

1. ``**bold**`` markup is parsed (the only markup; everything else is literal).
2. Each hard line (``\\n``) is itemised into runs of one font, one bidi level and
   one weight: fonts by script (``fonts.fonts_for_text``), levels by python-bidi's
   implementation of the Unicode bidi algorithm (paragraph direction given).
3. Each run is shaped once with HarfBuzz (cached per text/font/direction/language,
   in font units, so the cache is independent of the point size).  Glyph advances
   are credited to the first character of their cluster, which gives the width of
   any logical range and the places a line may break (never inside a cluster).
4. Lines are broken greedily in LOGICAL order: at spaces, after hyphens, between
   CJK characters (no line starts with closing or ends with opening punctuation),
   and inside an over-long word by clusters.  No line is wider than the width.
5. Each line takes the glyphs of its clusters from the shaped runs; the runs are
   reordered for display by rule L2 of the bidi algorithm (highest level first).
6. The glyph run is drawn by us: glyph ids map to reportlab subset codes (the
   glyph's cmap character, else a deterministic private-use code), positions go in
   ``TJ`` adjustments and ``Ts`` rises, and the whole line is wrapped in
   ``/Span <</ActualText ...>> BDC ... EMC`` so copy-paste gives back the logical
   text.  Bold for fonts without a bold face (Chinese) is simulated with
   fill+stroke text.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, replace
from functools import lru_cache

import uharfbuzz as hb
from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from printshop.text import fonts

__all__ = [
    "TextStyle",
    "TextFlow",
    "text_width",
    "draw_text_line",
    "shape_glyphs",
    "parse_markup",
]


@dataclass(frozen=True)
class TextStyle:
    size: float = 12.0  # pt
    leading: float = 1.3  # line height as a multiple of size
    bold: bool = False
    italic: bool = False
    color: str = "#1a1a1a"  # hex
    align: str = "start"  # start | center | end  (start = left in LTR, right in RTL)
    space_before: float = 0.0  # pt
    space_after: float = 0.0  # pt


# ---------------------------------------------------------------------------
# markup


def parse_markup(text: str, bold: bool = False) -> tuple[str, list[bool]]:
    """Strip ``**`` pairs; return the plain text and a bold flag per character.

    An unpaired ``**`` is printed literally.  ``bold`` is the style's weight: text
    between ``**`` pairs is bold either way.
    """
    if "**" not in text:
        return text, [bold] * len(text)
    marks = []
    i = text.find("**")
    while i >= 0:
        marks.append(i)
        i = text.find("**", i + 2)
    if len(marks) % 2:
        marks.pop()
    out: list[str] = []
    flags: list[bool] = []
    pos = 0
    inside = False
    for m in marks:
        chunk = text[pos:m]
        out.append(chunk)
        flags.extend([bold or inside] * len(chunk))
        inside = not inside
        pos = m + 2
    chunk = text[pos:]
    out.append(chunk)
    flags.extend([bold or inside] * len(chunk))
    return "".join(out), flags


# ---------------------------------------------------------------------------
# HarfBuzz shaping and glyph -> PDF code mapping

_hb_lock = threading.Lock()
_hb_fonts: dict[str, hb.Font] = {}


def _hb_font(name: str) -> tuple[hb.Font, float]:
    """HarfBuzz font (scale = units per em) and the factor to 1/1000 em."""
    font = _hb_fonts.get(name)
    if font is None:
        with _hb_lock:
            font = _hb_fonts.get(name)
            if font is None:
                ttf = fonts.get_font(name)
                face = hb.Face(hb.Blob(ttf.face._ttf_data))
                font = hb.Font(face)
                _hb_fonts[name] = font
    return font, 1000.0 / font.face.upem


@dataclass(frozen=True)
class _Shaped:
    """One shaped run: glyphs in visual order; clusters relative to the run text;
    advances and offsets in 1/1000 em."""

    gids: tuple[int, ...]
    clusters: tuple[int, ...]
    advs: tuple[float, ...]
    xoffs: tuple[float, ...]
    yoffs: tuple[float, ...]


@lru_cache(maxsize=50_000)
def _shape(text: str, font_name: str, rtl: bool, lang: str) -> _Shaped:
    font, k = _hb_font(font_name)
    buf = hb.Buffer()
    buf.add_str(text)
    buf.direction = "rtl" if rtl else "ltr"
    buf.guess_segment_properties()
    if lang:
        with contextlib.suppress(Exception):  # an odd tag: shape without it
            buf.language = lang
    hb.shape(font, buf)
    infos = buf.glyph_infos
    pos = buf.glyph_positions
    return _Shaped(
        tuple(i.codepoint for i in infos),
        tuple(i.cluster for i in infos),
        tuple(p.x_advance * k for p in pos),
        tuple(p.x_offset * k for p in pos),
        tuple(p.y_offset * k for p in pos),
    )


class _CodeMap:
    """Maps a font's glyph ids to character codes reportlab can subset.

    A glyph reachable through the cmap uses its (smallest) character; any other
    glyph (ligatures, conjuncts, contextual forms) gets a private-use code chosen
    by its rank among the font's unmapped glyphs, so codes never depend on what
    was drawn before (deterministic output across runs and documents).
    """

    def __init__(self, name: str) -> None:
        self.ttf = fonts.get_font(name)
        face = self.ttf.face
        g2c: dict[int, int] = {0: 0}
        for code, gid in face.charToGlyph.items():
            if code < 32 or code == 0xA0 or (0xE000 <= code <= 0xF8FF) or code >= 0xF0000:
                continue
            old = g2c.get(gid)
            if old is None or code < old:
                g2c[gid] = code
        self.g2c = g2c
        self.cmapped = dict(g2c)  # glyph -> its own cmap character (no private codes)
        self._private: dict[int, int] | None = None
        scale = face._pdfScale
        self.widths = [scale(aw) for aw, _lsb in face.hmetrics]
        self.lock = threading.Lock()

    def _private_map(self) -> dict[int, int]:
        if self._private is None:
            face = self.ttf.face
            own = fonts.cmap(self.ttf.fontName)
            unmapped = [g for g in range(face.numGlyphs) if g not in self.g2c]
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
                    face = self.ttf.face
                    face.charToGlyph[c] = gid
                    face.glyphToChar.setdefault(gid, []).append(c)
                    face.charWidths[c] = self.widths[gid]
                self.g2c[gid] = c
        return c


_codemaps: dict[str, _CodeMap] = {}


def _codemap(name: str) -> _CodeMap:
    cm = _codemaps.get(name)
    if cm is None:
        with _hb_lock:
            cm = _codemaps.get(name)
            if cm is None:
                cm = _codemaps[name] = _CodeMap(name)
    return cm


# ---------------------------------------------------------------------------
# bidi levels

_RTL_RANGES = (
    (0x0590, 0x08FF),
    (0xFB1D, 0xFDFF),
    (0xFE70, 0xFEFF),
    (0x10800, 0x10FFF),
    (0x1E800, 0x1EFFF),
)
_BIDI_CONTROLS = frozenset((0x200F, 0x202B, 0x202E, 0x2067, 0x061C))


def _has_rtl(text: str) -> bool:
    for ch in text:
        cp = ord(ch)
        if cp >= 0x0590:
            if cp in _BIDI_CONTROLS:
                return True
            for lo, hi in _RTL_RANGES:
                if lo <= cp <= hi:
                    return True
    return False


@lru_cache(maxsize=4096)
def _bidi_levels(text: str, rtl: bool) -> tuple[int, ...]:
    """Resolved embedding level of every character (python-bidi, rules P..I)."""
    base = 1 if rtl else 0
    if not text or (not rtl and not _has_rtl(text)):
        return (base,) * len(text)
    from bidi import algorithm as ba

    storage = ba.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    ba.get_embedding_levels(text, storage)
    for i, ch in enumerate(storage["chars"]):
        ch["idx"] = i
    chars = list(storage["chars"])
    ba.explicit_embed_and_overrides(storage)
    ba.resolve_weak_types(storage, False)
    ba.resolve_neutral_types(storage, False)
    ba.resolve_implicit_levels(storage, False)
    levels = [-1] * len(chars)
    for ch in storage["chars"]:
        levels[ch["idx"]] = ch["level"]
    # characters removed by X9 (embedding controls) take their neighbour's level
    prev = base
    for i, lv in enumerate(levels):
        if lv < 0:
            levels[i] = prev
        else:
            prev = lv
    if len(levels) != len(text):  # astral chars on narrow builds (never on py3)
        return (base,) * len(text)
    return tuple(levels)


def _visual_order(levels: list[int]) -> list[int]:
    """Rule L2: indices of items (runs) in display order, given their levels."""
    order = list(range(len(levels)))
    if not levels:
        return order
    hi = max(levels)
    lo_odd = min((lv for lv in levels if lv % 2), default=None)
    if lo_odd is None:
        return order
    lv_items = list(levels)
    for level in range(hi, lo_odd - 1, -1):
        i = 0
        n = len(order)
        while i < n:
            if lv_items[i] >= level:
                j = i
                while j < n and lv_items[j] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                lv_items[i:j] = lv_items[i:j][::-1]
                i = j
            else:
                i += 1
    return order


# ---------------------------------------------------------------------------
# line breaking classes

_SPACES = frozenset(
    " \t\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000"
)
_ZWSP = "\u200b"
_HYPHENS = frozenset("-\u2010\u2012\u2013\u2014\u00ad")
# never at the start of a line
_NO_START = frozenset(
    "，。、；：！？）」』】》〉〕］｝〗〙｠〞・ー…‥々〻ゝゞヽヾ〃"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "．，：；！？％"
    ",.;:!?)]}%\u2019\u201d\u00bb\u203a\u0964\u0965\u061f\u060c\u061b\u06d4"
)
# never at the end of a line
_NO_END = frozenset("（「『【《〈〔［｛〖〘｟〝([{\u2018\u201c\u00ab\u2039\u00bf\u00a1")


def _is_cjk_break(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x2E80 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFE30 <= cp <= 0xFE4F
        or 0xFF00 <= cp <= 0xFFEF
        or 0x20000 <= cp <= 0x3134F
    )


# ---------------------------------------------------------------------------
# segments: one hard line, itemised, shaped, measured (size independent)


@dataclass(frozen=True)
class _Run:
    start: int
    end: int
    font: str
    level: int
    fake_bold: bool
    shaped: _Shaped
    texts: tuple[str, ...]  # per glyph: text a private-code glyph stands for, else ""


@dataclass(frozen=True)
class _Seg:
    text: str
    rtl: bool  # paragraph direction
    runs: tuple[_Run, ...]
    cum: tuple[float, ...]  # prefix sums of per-char advance, 1/1000 em
    starts: tuple[bool, ...]  # cluster starts (True where a line may be cut)
    breaks: tuple[int, ...]  # positions where a line may start (ascending)


@lru_cache(maxsize=8192)
def _segment(text: str, bold: tuple[bool, ...], italic: bool, lang: str, rtl: bool) -> _Seg:
    n = len(text)
    fnames = fonts.fonts_for_text(text, list(bold), italic, lang)
    levels = _bidi_levels(text, rtl)
    runs: list[_Run] = []
    adv = [0.0] * n
    starts = [False] * (n + 1)
    starts[n] = True
    i = 0
    while i < n:
        f, lv = fnames[i], levels[i]
        fb = bold[i] and f in fonts.NO_BOLD_FONTS
        j = i + 1
        while (
            j < n
            and fnames[j] == f
            and levels[j] == lv
            and (bold[j] and f in fonts.NO_BOLD_FONTS) == fb
        ):
            j += 1
        sh = _shape(text[i:j], f, bool(lv % 2), lang)
        cl = tuple(c + i for c in sh.clusters)
        sh = _Shaped(sh.gids, cl, sh.advs, sh.xoffs, sh.yoffs)
        for c, a in zip(cl, sh.advs, strict=True):
            adv[c] += a
            starts[c] = True
        runs.append(_Run(i, j, f, lv, fb, sh, _glyph_texts(text, j, sh, _codemap(f))))
        i = j
    cum = [0.0] * (n + 1)
    s = 0.0
    for k in range(n):
        s += adv[k]
        cum[k + 1] = s
    # break opportunities: positions p (0 < p < n) where a new line may start
    breaks: list[int] = []
    for p in range(1, n):
        if not starts[p]:
            continue
        c, prev = text[p], text[p - 1]
        if c in _SPACES or c in _NO_START:
            continue
        if prev in _SPACES or prev == _ZWSP:
            breaks.append(p)
        elif prev in _NO_END:
            continue
        elif prev in _HYPHENS:
            if p >= 2 and text[p - 2].isalnum() and c.isalnum():
                breaks.append(p)
        elif _is_cjk_break(c) or _is_cjk_break(prev):
            breaks.append(p)
    return _Seg(text, rtl, tuple(runs), tuple(cum), tuple(starts), tuple(breaks))


def _glyph_texts(text: str, end: int, sh: _Shaped, cm: _CodeMap) -> tuple[str, ...]:
    """For glyphs without a cmap character: the text of their cluster they show."""
    cmapped = cm.cmapped
    if all(g in cmapped for g in sh.gids):
        return ("",) * len(sh.gids)
    bounds = sorted(set(sh.clusters)) + [end]
    ends = dict(zip(bounds[:-1], bounds[1:], strict=True))
    groups: dict[int, list[int]] = {}
    for k, c in enumerate(sh.clusters):
        groups.setdefault(c, []).append(k)
    out = [""] * len(sh.gids)
    for c, ks in groups.items():
        private = [k for k in ks if sh.gids[k] not in cmapped]
        if not private:
            continue
        t = text[c : ends[c]]
        for k in ks:
            code = cmapped.get(sh.gids[k])
            if code is not None:
                t = t.replace(chr(code), "", 1)
        out[private[0]] = t
    return tuple(out)


def _trim(text: str, a: int, e: int) -> int:
    while e > a and text[e - 1] in _SPACES:
        e -= 1
    return e


def _break_lines(seg: _Seg, start: int, stop: int, avail: float) -> list[tuple[int, int]]:
    """Greedy lines [(a, e)] of seg[start:stop]; ``avail`` in 1/1000 em."""
    text, cum, starts = seg.text, seg.cum, seg.starts
    n = stop
    lines: list[tuple[int, int]] = []
    breaks = [b for b in seg.breaks if start < b < n] + [n]
    bi = 0
    s = start
    eps = 1e-6
    if s >= n:
        return [(s, s)]
    while s < n:
        while bi < len(breaks) and breaks[bi] <= s:
            bi += 1
        best = None
        k = bi
        while k < len(breaks):
            p = breaks[k]
            e = _trim(text, s, p)
            if cum[e] - cum[s] <= avail + eps:
                best = p
                k += 1
            else:
                break
        if best is None:
            # the word at s is wider than the line: cut it between clusters
            limit = breaks[bi] if bi < len(breaks) else n
            c = s + 1
            while c < limit and not starts[c]:
                c += 1
            best = c  # at least one cluster
            d = c + 1
            while d < limit:
                if starts[d]:
                    if cum[d] - cum[s] > avail + eps:
                        break
                    if text[d] not in _NO_START and text[d - 1] not in _NO_END:
                        best = d
                d += 1
            if best >= limit:
                best = limit
        e = _trim(text, s, best)
        lines.append((s, e))
        s = best
        while s < n and text[s] in _SPACES:
            s += 1
    return lines


def _segments(text: str, style: TextStyle, lang: str, direction: str) -> list[_Seg]:
    plain, flags = parse_markup(text.replace("\r\n", "\n").replace("\r", "\n"), style.bold)
    rtl = direction == "rtl"
    out = []
    pos = 0
    for part in plain.split("\n"):
        b = tuple(flags[pos : pos + len(part)])
        pos += len(part) + 1
        out.append(_segment(part.replace("\t", " "), b, style.italic, lang, rtl))
    return out


# ---------------------------------------------------------------------------
# glyph runs of a line, in display order


@dataclass(frozen=True)
class _Piece:
    font: str
    fake_bold: bool
    gids: tuple[int, ...]
    advs: tuple[float, ...]
    xoffs: tuple[float, ...]
    yoffs: tuple[float, ...]
    texts: tuple[str, ...]
    rtl: bool


def _line_pieces(seg: _Seg, a: int, e: int) -> list[_Piece]:
    pieces: list[_Piece] = []
    levels: list[int] = []
    for run in seg.runs:
        if run.end <= a or run.start >= e:
            continue
        sh = run.shaped
        if run.start >= a and run.end <= e:
            p = _Piece(
                run.font,
                run.fake_bold,
                sh.gids,
                sh.advs,
                sh.xoffs,
                sh.yoffs,
                run.texts,
                bool(run.level % 2),
            )
        else:
            idx = [k for k, c in enumerate(sh.clusters) if a <= c < e]
            if not idx:
                continue
            p = _Piece(
                run.font,
                run.fake_bold,
                tuple(sh.gids[k] for k in idx),
                tuple(sh.advs[k] for k in idx),
                tuple(sh.xoffs[k] for k in idx),
                tuple(sh.yoffs[k] for k in idx),
                tuple(run.texts[k] for k in idx),
                bool(run.level % 2),
            )
        pieces.append(p)
        levels.append(run.level)
    return [pieces[k] for k in _visual_order(levels)]


# ---------------------------------------------------------------------------
# PDF emission


def _num(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _actual_text(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _rgb(color: str) -> str:
    c = HexColor(color)
    return f"{_num(c.red)} {_num(c.green)} {_num(c.blue)}"


def _emit_line(
    canv, x: float, y: float, pieces: list[_Piece], size: float, color: str, actual: str
) -> None:
    """Draw one line's glyph runs with the baseline starting at (x, y).

    ``actual`` (the logical text of the line) becomes the line's ActualText when
    the line is all left-to-right.  Lines with right-to-left runs carry no
    ActualText: readers rebuild their logical order from the glyphs' ToUnicode
    (pdfium, for one, re-applies its own bidi to ActualText and garbles it).
    """
    if not pieces:
        return
    doc = canv._doc
    rgb = _rgb(color)
    use_actual = not any(p.rtl for p in pieces)
    out = [
        f"/Span <</ActualText {_actual_text(actual)}>> BDC" if use_actual else "",
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

    for piece in pieces:
        ttf = fonts.get_font(piece.font)
        cm = _codemap(piece.font)
        codes = [cm.code(g) for g in piece.gids]
        tounicode = ttf.tounicode
        for code, t in zip(codes, piece.texts, strict=True):
            if t and code not in tounicode:
                tounicode[code] = t
        widths = cm.widths
        if piece.fake_bold != cur_fake:
            flush()
            if piece.fake_bold:
                out.append(f"{rgb} RG {_num(size * 0.03)} w 2 Tr")
            else:
                out.append("0 Tr")
            cur_fake = piece.fake_bold
        k = 0
        for subset, bts in ttf.splitString("".join(map(chr, codes)), doc):
            key = (piece.font, subset)
            if key != cur_font:
                flush()
                out.append(f"{ttf.getSubsetInternalName(subset, doc)} {size_s} Tf")
                cur_font = key
            for b in bts:
                gid = piece.gids[k]
                yo = piece.yoffs[k]
                if yo != cur_rise:
                    flush()
                    out.append(f"{_num(yo * size / 1000)} Ts")
                    cur_rise = yo
                d = round(pen + piece.xoffs[k] - pdf_pen, 2)
                if d:
                    if hexrun:
                        tj.append("<" + "".join(hexrun) + ">")
                        hexrun.clear()
                    tj.append(_num(-d))
                    pdf_pen += d
                hexrun.append(f"{b:02X}")
                pdf_pen += widths[gid] if gid < len(widths) else widths[-1]
                pen += piece.advs[k]
                k += 1
    flush()
    out.append("ET Q EMC" if use_actual else "ET Q")
    canv._code.append("\n".join(out))


# ---------------------------------------------------------------------------
# public helpers


def text_width(text: str, style: TextStyle, *, lang: str = "en") -> float:
    """Natural single-line width in pt (the widest line if text has "\\n")."""
    fonts.register_fonts()
    segs = _segments(text, style, lang, "ltr")
    return max((s.cum[-1] for s in segs), default=0.0) * style.size / 1000


def _line_x(x: float, lw: float, width: float | None, align: str, rtl: bool) -> float:
    if width is None:
        return x
    if align == "center":
        return x + (width - lw) / 2
    right = (align == "start") == rtl
    return x + width - lw if right else x


def draw_text_line(
    canvas,
    x: float,
    y: float,
    text: str,
    style: TextStyle,
    *,
    lang: str = "en",
    direction: str = "ltr",
    width: float | None = None,
) -> None:
    """Draw ``text`` as one line, baseline at y; (x, x+width) is the box to align in."""
    fonts.register_fonts()
    rtl = direction == "rtl"
    segs = _segments(text.replace("\n", " "), style, lang, direction)
    seg = segs[0] if segs else None
    if seg is None or not seg.text:
        return
    n = len(seg.text)
    lw = seg.cum[n] * style.size / 1000
    x0 = _line_x(x, lw, width, style.align, rtl)
    _emit_line(canvas, x0, y, _line_pieces(seg, 0, n), style.size, style.color, seg.text)


def shape_glyphs(
    text: str, style: TextStyle, *, lang: str = "en", direction: str = "ltr"
) -> list[tuple[str, int, float, float]]:
    """(font_name, glyph_id, x, y) in pt, in the order drawn (visual order), one line."""
    fonts.register_fonts()
    segs = _segments(text.replace("\n", " "), style, lang, direction)
    seg = segs[0]
    out = []
    pen = 0.0
    k = style.size / 1000
    for p in _line_pieces(seg, 0, len(seg.text)):
        for g, a, xo, yo in zip(p.gids, p.advs, p.xoffs, p.yoffs, strict=True):
            out.append((p.font, g, (pen + xo) * k, yo * k))
            pen += a
    return out


# ---------------------------------------------------------------------------
# the flowable


class TextFlow(Flowable):
    """A paragraph of shaped text; wraps, splits between lines, draws glyph runs.

    ``text``: "\\n" = forced line break; ``**bold**`` is the only markup.
    ``bullet``: a label hung in a ``bullet_width`` column at the line start (left
    for ltr, right for rtl); text lines are indented by ``bullet_width``.
    After ``wrap``: ``lines_count`` and ``natural_width()``.
    """

    def __init__(
        self,
        text: str,
        style: TextStyle,
        *,
        lang: str = "en",
        direction: str = "ltr",
        bullet: str | None = None,
        bullet_width: float = 0.0,
    ) -> None:
        super().__init__()
        fonts.register_fonts()
        self.text = text
        self.style = style
        self.lang = lang
        self.direction = direction
        self.bullet = bullet
        self.bullet_width = float(bullet_width)
        # (segment, start, stop): the part of each hard line this flowable holds
        self._parts: list[tuple[_Seg, int, int]] = [
            (s, 0, len(s.text)) for s in _segments(text, style, lang, direction)
        ]
        self._lines: list[tuple[_Seg, int, int, int]] = []
        self._wrapped_for: float | None = None
        self.lines_count = 0
        self.width = 0.0
        self.height = 0.0

    # -- reportlab protocol -------------------------------------------------
    def getSpaceBefore(self) -> float:
        return self.style.space_before

    def getSpaceAfter(self) -> float:
        return self.style.space_after

    @property
    def line_height(self) -> float:
        return self.style.size * self.style.leading

    def _layout(self, avail_width: float) -> list[tuple[_Seg, int, int, int]]:
        text_w = max(avail_width - self.bullet_width, 0.0)
        avail = text_w * 1000 / self.style.size
        lines = []
        for pi, (seg, start, stop) in enumerate(self._parts):
            for a, e in _break_lines(seg, start, stop, avail):
                lines.append((seg, a, e, pi))
        return lines

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab API
        if self._wrapped_for != availWidth:
            self._lines = self._layout(availWidth)
            self._wrapped_for = availWidth
        self.lines_count = len(self._lines)
        self.width = availWidth
        self.height = self.lines_count * self.line_height
        return self.width, self.height

    def natural_width(self) -> float:
        """Width of the widest line (bullet column included), pt.

        After ``wrap`` the widest wrapped line; before, the widest unwrapped line.
        """
        k = self.style.size / 1000
        if self._wrapped_for is not None:
            w = max((seg.cum[e] - seg.cum[a] for seg, a, e, _pi in self._lines), default=0.0)
        else:
            w = max(
                (seg.cum[_trim(seg.text, s, t)] - seg.cum[s] for seg, s, t in self._parts),
                default=0.0,
            )
        return w * k + self.bullet_width

    def line_texts(self) -> list[str]:
        """Logical text of each wrapped line (after ``wrap``)."""
        return [seg.text[a:e] for seg, a, e, _pi in self._lines]

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab API
        self.wrap(availWidth, availHeight)
        fit = int((availHeight + 1e-6) // self.line_height)
        if fit >= len(self._lines):
            return [self]
        if fit <= 0:
            return []
        _seg, cut_at, _e, cut_pi = self._lines[fit]
        head_parts = list(self._parts[:cut_pi])
        tail_parts = list(self._parts[cut_pi + 1 :])
        seg, start, stop = self._parts[cut_pi]
        if cut_at > start:
            head_parts.append((seg, start, cut_at))
        tail_parts.insert(0, (seg, cut_at, stop))
        head = self._clone(replace(self.style, space_after=0.0), self.bullet, head_parts)
        tail = self._clone(replace(self.style, space_before=0.0), None, tail_parts)
        return [head, tail]

    def _clone(
        self, style: TextStyle, bullet: str | None, parts: list[tuple[_Seg, int, int]]
    ) -> TextFlow:
        new = TextFlow.__new__(TextFlow)
        Flowable.__init__(new)
        new.text = self.text
        new.style = style
        new.lang = self.lang
        new.direction = self.direction
        new.bullet = bullet
        new.bullet_width = self.bullet_width
        new._parts = parts
        new._lines = []
        new._wrapped_for = None
        new.lines_count = 0
        new.width = 0.0
        new.height = 0.0
        return new

    def draw(self) -> None:
        canv = self.canv
        st = self.style
        rtl = self.direction == "rtl"
        lh = self.line_height
        k = st.size / 1000
        text_w = max(self.width - self.bullet_width, 0.0)
        x0 = 0.0 if rtl else self.bullet_width
        # baseline: half-leading above, 0.8 em ascent
        base_off = (lh - st.size) / 2 + 0.8 * st.size
        for i, (seg, a, e, _pi) in enumerate(self._lines):
            y = self.height - i * lh - base_off
            lw = (seg.cum[e] - seg.cum[a]) * k
            x = _line_x(x0, lw, text_w, st.align, rtl)
            _emit_line(canv, x, y, _line_pieces(seg, a, e), st.size, st.color, seg.text[a:e])
            if i == 0 and self.bullet:
                bx = self.width - self.bullet_width if rtl else 0.0
                bstyle = replace(st, align="start")
                draw_text_line(
                    canv,
                    bx,
                    y,
                    self.bullet,
                    bstyle,
                    lang=self.lang,
                    direction=self.direction,
                    width=self.bullet_width or None,
                )
