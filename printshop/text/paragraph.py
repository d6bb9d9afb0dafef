"""A paragraph: itemised, shaped and measured once; wrapped into lines for any width.

In: text (``**bold**`` markup, "\\n" = forced line break), a `TextStyle`, a language,
a direction and the document's `Fonts`. How it is set:

1. Markup is parsed (`shape.parse_markup`); each hard line is itemised into runs of
   one face, one bidi level and one weight: faces by script (`Fonts.fonts_for_text`),
   levels by the Unicode bidi algorithm (`bidi.levels`).
2. Each run is shaped once with HarfBuzz (`shape.shape`, in 1/1000 em, so independent
   of the point size). Glyph advances are credited to the first character of their
   cluster, which gives the width of any logical range and the places a line may be
   cut (never inside a cluster).
3. `lines(width)` breaks greedily in logical order (`breaks.wrap`).
4. A line's glyph runs come from the shaped runs, reordered for display by rule L2
   (`bidi.visual_order`). Out: `Line`s whose `runs` are `GlyphRun`s in display order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

from printshop.text import bidi, breaks
from printshop.text.fonts import FontFace, Fonts, face_data
from printshop.text.shape import Shaped, parse_markup, shape


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


@dataclass(frozen=True)
class GlyphRun:
    """Glyphs of one face and direction, in display order; sizes in 1/1000 em."""

    face: FontFace
    gids: tuple[int, ...]
    advances: tuple[float, ...]
    x_offsets: tuple[float, ...]
    y_offsets: tuple[float, ...]
    # per glyph: the text a glyph without a cmap character (a ligature, a conjunct, a
    # contextual form) stands for, on the first such glyph of its cluster; else ""
    unmapped_texts: tuple[str, ...]
    rtl: bool
    fake_bold: bool  # draw bold by stroking the outline (the face has no bold)


# ----------------------------------------------------------------- one hard line
@dataclass(frozen=True)
class _Run:
    start: int
    end: int
    face: FontFace
    level: int
    fake_bold: bool
    shaped: Shaped  # clusters relative to the segment
    texts: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Segment:
    """One hard line, itemised, shaped and measured (size independent)."""

    text: str
    runs: tuple[_Run, ...]
    cum: tuple[float, ...]  # prefix sums of per-character advance, 1/1000 em
    starts: tuple[bool, ...]  # cluster starts (True where a line may be cut)
    breaks: tuple[int, ...]  # positions where a line may start (ascending)


@lru_cache(maxsize=8192)
def _segment(
    fonts: Fonts, text: str, bold: tuple[bool, ...], italic: bool, lang: str, rtl: bool
) -> Segment:
    n = len(text)
    faces = fonts.fonts_for_text(text, list(bold), italic, lang)
    levels = bidi.levels(text, rtl)
    runs: list[_Run] = []
    adv = [0.0] * n
    starts = [False] * (n + 1)
    starts[n] = True
    i = 0
    while i < n:
        face, lv = faces[i], levels[i]
        fake = bold[i] and face.fake_bold
        j = i + 1
        while (
            j < n and faces[j] is face and levels[j] == lv and (bold[j] and face.fake_bold) == fake
        ):
            j += 1
        sh = shape(text[i:j], face, bool(lv % 2), lang)
        cl = tuple(c + i for c in sh.clusters)
        sh = Shaped(sh.gids, cl, sh.advances, sh.x_offsets, sh.y_offsets)
        for c, a in zip(cl, sh.advances, strict=True):
            adv[c] += a
            starts[c] = True
        texts = _glyph_texts(text, j, sh, face_data(face.path).glyph_chars)
        runs.append(_Run(i, j, face, lv, fake, sh, texts))
        i = j
    cum = [0.0] * (n + 1)
    s = 0.0
    for k in range(n):
        s += adv[k]
        cum[k + 1] = s
    return Segment(text, tuple(runs), tuple(cum), tuple(starts), breaks.opportunities(text, starts))


def _glyph_texts(text: str, end: int, sh: Shaped, cmapped: dict[int, int]) -> tuple[str, ...]:
    """For glyphs without a cmap character: the text of their cluster they show."""
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


# ----------------------------------------------------------------- lines
Ink = tuple[float, float, float, float]  # left, right, top, bottom; 1/1000 em, y up


class Line:
    """One line: its logical text, its width and its glyph runs in display order."""

    __slots__ = ("_ink", "_runs", "_segment", "advance", "end", "part", "start", "text", "width")

    def __init__(self, segment: Segment, start: int, end: int, part: int, size: float) -> None:
        self._segment = segment
        self._runs: tuple[GlyphRun, ...] | None = None
        self._ink: tuple[Ink, ...] | None = None
        self.start = start  # logical range in the hard line
        self.end = end
        self.part = part  # which of the paragraph's parts the line belongs to
        self.text = segment.text[start:end]
        self.advance = segment.cum[end] - segment.cum[start]  # 1/1000 em
        self.width = self.advance * size / 1000  # pt

    def __repr__(self) -> str:
        return f"Line({self.text!r}, width={self.width:.2f})"

    @property
    def runs(self) -> tuple[GlyphRun, ...]:
        """The line's glyphs in display order (worked out on first use)."""
        if self._runs is None:
            self._runs = _line_runs(self._segment, self.start, self.end)
        return self._runs

    @property
    def ink(self) -> tuple[Ink, ...]:
        """The ink box of every glyph that draws something, from the line's start on
        its baseline (cursive offsets included: Nastaliq words climb)."""
        if self._ink is None:
            boxes: list[Ink] = []
            pen = 0.0
            for run in self.runs:
                data = face_data(run.face.path)
                for gid, adv, xo, yo in zip(
                    run.gids, run.advances, run.x_offsets, run.y_offsets, strict=True
                ):
                    box = data.ink(gid)
                    if box is not None:
                        x = pen + xo
                        boxes.append((x + box[0], x + box[1], box[2] + yo, box[3] + yo))
                    pen += adv
            self._ink = tuple(boxes)
        return self._ink


def _line_runs(seg: Segment, a: int, e: int) -> tuple[GlyphRun, ...]:
    runs: list[GlyphRun] = []
    levels: list[int] = []
    for run in seg.runs:
        if run.end <= a or run.start >= e:
            continue
        sh = run.shaped
        rtl = bool(run.level % 2)
        if run.start >= a and run.end <= e:
            glyph_run = GlyphRun(
                run.face,
                sh.gids,
                sh.advances,
                sh.x_offsets,
                sh.y_offsets,
                run.texts,
                rtl,
                run.fake_bold,
            )
        else:
            idx = [k for k, c in enumerate(sh.clusters) if a <= c < e]
            if not idx:
                continue
            glyph_run = GlyphRun(
                run.face,
                tuple(sh.gids[k] for k in idx),
                tuple(sh.advances[k] for k in idx),
                tuple(sh.x_offsets[k] for k in idx),
                tuple(sh.y_offsets[k] for k in idx),
                tuple(run.texts[k] for k in idx),
                rtl,
                run.fake_bold,
            )
        runs.append(glyph_run)
        levels.append(run.level)
    return tuple(runs[k] for k in bidi.visual_order(levels))


# ----------------------------------------------------------------- the paragraph
Part = tuple[Segment, int, int]  # a hard line, and the range of it a paragraph holds


class Paragraph:
    """Text set in one style; `lines(width)` wraps it.

    A paragraph split between lines (`split_at`) gives two paragraphs that share the
    shaped hard lines and hold a range of them each.
    """

    def __init__(
        self,
        fonts: Fonts,
        text: str,
        style: TextStyle,
        *,
        lang: str = "en",
        direction: str = "ltr",
    ) -> None:
        self.fonts = fonts
        self.text = text
        self.style = style
        self.lang = lang
        self.direction = direction
        plain, flags = parse_markup(text.replace("\r\n", "\n").replace("\r", "\n"), style.bold)
        rtl = direction == "rtl"
        parts: list[Part] = []
        pos = 0
        for hard in plain.split("\n"):
            bold = tuple(flags[pos : pos + len(hard)])
            pos += len(hard) + 1
            seg = _segment(fonts, hard.replace("\t", " "), bold, style.italic, lang, rtl)
            parts.append((seg, 0, len(seg.text)))
        self.parts: tuple[Part, ...] = tuple(parts)
        self._lines: dict[float, list[Line]] = {}

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    def _derived(self, style: TextStyle, parts: list[Part]) -> Paragraph:
        new = Paragraph.__new__(Paragraph)
        new.__dict__.update(self.__dict__)
        new.style = style
        new.parts = tuple(parts)
        new._lines = {}
        return new

    def lines(self, width: float) -> list[Line]:
        """The paragraph wrapped into lines at most `width` pt wide (a cluster wider
        than that stands alone on its line)."""
        found = self._lines.get(width)
        if found is None:
            size = self.style.size
            avail = width * 1000 / size
            found = []
            for pi, (seg, start, stop) in enumerate(self.parts):
                for a, e in breaks.wrap(
                    seg.text, seg.cum, seg.starts, seg.breaks, start, stop, avail
                ):
                    found.append(Line(seg, a, e, pi, size))
            if len(self._lines) >= 8:
                self._lines.clear()
            self._lines[width] = found
        return found

    def hard_lines(self) -> list[Line]:
        """Each hard line unwrapped, trailing spaces included."""
        size = self.style.size
        return [Line(seg, s, t, pi, size) for pi, (seg, s, t) in enumerate(self.parts)]

    def natural_width(self) -> float:
        """Width of the widest hard line, trailing spaces left out, pt."""
        w = max(
            (seg.cum[breaks.trim(seg.text, s, t)] - seg.cum[s] for seg, s, t in self.parts),
            default=0.0,
        )
        return w * (self.style.size / 1000)

    def widest_word(self) -> float:
        """Width of the widest piece between two break opportunities, pt: the narrowest
        the paragraph can be set without cutting a word."""
        widest = 0.0
        for seg, start, stop in self.parts:
            points = [start, *(b for b in seg.breaks if start < b < stop), stop]
            for a, e in pairwise(points):
                widest = max(widest, seg.cum[breaks.trim(seg.text, a, e)] - seg.cum[a])
        return widest * (self.style.size / 1000)

    def split_at(self, line: Line) -> tuple[Paragraph, Paragraph]:
        """(the lines before `line`, the rest from `line` on), for a line of `lines()`.

        The head keeps the style's space before, the tail its space after.
        """
        pi, cut = line.part, line.start
        head = list(self.parts[:pi])
        tail = list(self.parts[pi + 1 :])
        seg, start, stop = self.parts[pi]
        if cut > start:
            head.append((seg, start, cut))
        tail.insert(0, (seg, cut, stop))
        return (
            self._derived(replace(self.style, space_after=0.0), head),
            self._derived(replace(self.style, space_before=0.0), tail),
        )
