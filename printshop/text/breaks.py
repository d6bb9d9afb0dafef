"""Where a line may break, and greedy wrapping.

In: one hard line's text, the places between clusters (a line is never cut inside a
cluster) and the width of every character. `opportunities` lists the positions where
a new line may start: after spaces, after a hyphen between letters, between CJK
characters except where kinsoku forbids it (no line starts with closing punctuation
or small kana, none ends with opening punctuation). Scripts written without spaces
between words (Thai, Lao, Khmer, Myanmar) need a dictionary: a breaker registered for
a script (`register_word_breaker`) is given the whole line when it holds a run of that
script, and the breaks it finds inside such runs are added. `wrap` then fills lines
greedily in logical order and cuts a word wider than the line between clusters.

The breaker registered for Thai, Lao, Khmer and Myanmar is ICU's line breaker (the
Unicode line breaking rules with ICU's word dictionaries, from the `icu4py` wheel).
ICU is imported the first time such a run is seen, so other text never loads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

SPACES = frozenset(
    " \t\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000"
)
ZWSP = "\u200b"
UNSPACED_LANGS = ("zh", "ja")  # written without spaces between words (Korean has spaces)
HYPHENS = frozenset("-\u2010\u2012\u2013\u2014\u00ad")
# never at the start of a line
NO_START = frozenset(
    "，。、；：！？）」』】》〉〕］｝〗〙｠〞・ー…‥々〻ゝゞヽヾ〃"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "．，：；！？％"
    ",.;:!?)]}%\u2019\u201d\u00bb\u203a\u0964\u0965\u061f\u060c\u061b\u06d4"
)
# never at the end of a line
NO_END = frozenset("（「『【《〈〔［｛〖〘｟〝([{\u2018\u201c\u00ab\u2039\u00bf\u00a1")

# ISO 15924 script -> function giving the places a line may break in a text (offsets,
# 0 < offset < len(text)); those inside runs of that script are used. It is given the
# whole line, as a dictionary's choice of words can depend on what is around a run.
WordBreaker = Callable[[str], Iterable[int]]
WORD_BREAKERS: dict[str, WordBreaker] = {}


def register_word_breaker(script: str, breaker: WordBreaker) -> None:
    """Let `breaker` find where lines may break in runs of `script` (e.g. "Thai")."""
    WORD_BREAKERS[script] = breaker


def icu_breaker(locale: str) -> WordBreaker:
    """Line break opportunities in a text, from ICU's line breaker for `locale`
    (dictionary based for scripts written without spaces between words)."""

    def breaker(text: str) -> list[int]:
        from icu4py.breakers import LineBreaker  # here: only such text pays for ICU

        # The breaker yields the pieces between opportunities; its `segments()` counts
        # UTF-16 units, which differ from string indices past the BMP, so add up lengths.
        ends: list[int] = []
        pos = 0
        for piece in LineBreaker(text, locale):
            pos += len(piece)
            ends.append(pos)
        return ends[:-1]

    return breaker


# scripts written without spaces between words, and the ICU locale that breaks them
DICTIONARY_SCRIPTS = {"Thai": "th", "Laoo": "lo", "Khmr": "km", "Mymr": "my"}
for _script, _locale in DICTIONARY_SCRIPTS.items():
    register_word_breaker(_script, icu_breaker(_locale))


@lru_cache(maxsize=8)
def _runs_of(scripts: frozenset[str]) -> re.Pattern[str]:
    """A pattern matching runs of characters of `scripts` (from fontTools' Unicode
    script ranges), so text without them is passed over in one scan."""
    from fontTools.unicodedata import Scripts

    bounds = [*Scripts.RANGES, 0x110000]
    parts = [
        f"\\U{start:08x}-\\U{bounds[i + 1] - 1:08x}"
        for i, start in enumerate(Scripts.RANGES)
        if Scripts.VALUES[i] in scripts
    ]
    return re.compile(f"[{''.join(parts)}]+" if parts else "(?!)")


def is_cjk(ch: str) -> bool:
    """Ideographs, kana, CJK symbols and full-width forms: a line may break around them."""
    cp = ord(ch)
    return (
        0x2E80 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFE30 <= cp <= 0xFE4F
        or 0xFF00 <= cp <= 0xFFEF
        or 0x20000 <= cp <= 0x3134F
    )


def opportunities(text: str, starts: Sequence[bool]) -> tuple[int, ...]:
    """Positions p (0 < p < len(text)) where a new line may start, ascending.

    `starts[p]` is True where a cluster starts (a line may be cut there at all).
    """
    n = len(text)
    breaks: list[int] = []
    for p in range(1, n):
        if not starts[p]:
            continue
        c, prev = text[p], text[p - 1]
        if c in SPACES or c in NO_START:
            continue
        if prev in SPACES or prev == ZWSP:
            breaks.append(p)
        elif prev in NO_END:
            continue
        elif prev in HYPHENS:  # inside a word, never in a number range ("4–6 times")
            before = text[p - 2] if p >= 2 else ""
            if before.isalnum() and c.isalnum() and not (before.isdigit() and c.isdigit()):
                breaks.append(p)
        elif is_cjk(c) or is_cjk(prev):
            breaks.append(p)
    if WORD_BREAKERS and not text.isascii():
        breaks = _dictionary_breaks(text, starts, breaks)
    return tuple(breaks)


def _dictionary_breaks(text: str, starts: Sequence[bool], breaks: list[int]) -> list[int]:
    """`breaks` plus the places registered breakers find inside their scripts' runs."""
    from fontTools.unicodedata import script

    found = set(breaks)
    inside: dict[WordBreaker, list[tuple[int, int]]] = {}  # breaker -> its runs
    for match in _runs_of(frozenset(WORD_BREAKERS)).finditer(text):
        i, end = match.span()
        while i < end:  # a run of one breaker's scripts
            breaker = WORD_BREAKERS[script(text[i])]
            j = i + 1
            while j < end and WORD_BREAKERS[script(text[j])] is breaker:
                j += 1
            inside.setdefault(breaker, []).append((i, j))
            i = j
    for breaker, runs in inside.items():
        for p in breaker(text):
            if (
                any(i < p < j for i, j in runs)
                and 0 < p < len(text)
                and starts[p]
                and text[p] not in NO_START
            ):
                found.add(p)
    return sorted(found)


def trim(text: str, start: int, end: int) -> int:
    """`end` moved back over trailing spaces (never before `start`)."""
    while end > start and text[end - 1] in SPACES:
        end -= 1
    return end


def wrap(
    text: str,
    cum: Sequence[float],
    starts: Sequence[bool],
    breaks: Sequence[int],
    start: int,
    stop: int,
    avail: float,
) -> list[tuple[int, int]]:
    """Greedy lines [(a, e)] of text[start:stop], trailing spaces trimmed.

    `cum[i]` is the width of text[:i]; `avail` is the line width in the same unit.
    No line is wider than `avail` unless it holds a single cluster.
    """
    n = stop
    lines: list[tuple[int, int]] = []
    points = [b for b in breaks if start < b < n] + [n]
    bi = 0
    s = start
    eps = 1e-6
    if s >= n:
        return [(s, s)]
    while s < n:
        while bi < len(points) and points[bi] <= s:
            bi += 1
        best = None
        k = bi
        while k < len(points):
            p = points[k]
            e = trim(text, s, p)
            if cum[e] - cum[s] <= avail + eps:
                best = p
                k += 1
            else:
                break
        if best is None:
            # the word at s is wider than the line: cut it between clusters
            limit = points[bi] if bi < len(points) else n
            c = s + 1
            while c < limit and not starts[c]:
                c += 1
            best = c  # at least one cluster
            d = c + 1
            while d < limit:
                if starts[d]:
                    if cum[d] - cum[s] > avail + eps:
                        break
                    if text[d] not in NO_START and text[d - 1] not in NO_END:
                        best = d
                d += 1
            if best >= limit:
                best = limit
        e = trim(text, s, best)
        lines.append((s, e))
        s = best
        while s < n and text[s] in SPACES:
            s += 1
    return lines


def no_spaces(lang: str) -> bool:
    """Languages written without spaces between words: '标题：' rather than 'Title. '."""
    return lang.split("-")[0] in UNSPACED_LANGS
