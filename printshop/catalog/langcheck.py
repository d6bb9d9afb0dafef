"""`makebook lang check L`: is a language ready to print? One report for a translator.

In: a project, a topic and a language code. It checks, in order:

1. fonts: every character of every string has a glyph in a bundled font (the same
   check a build makes), and which font families set the language;
2. script and direction: the scripts of the language's letters, and whether the
   file's `direction` matches them (rtl for Arabic, Hebrew...; ltr for the others);
3. strings: how many are translated, which still print in the source language, which
   are stale (the source changed since they were translated);
4. read-back: one page of the language's handout is rendered at 250 dpi and read by
   Tesseract; the words must come back in order (`readback`), where Tesseract and the
   language's model are installed (else it says what to install).

Out: report lines (`LangCheck.lines`) and the problems that fail the check: a missing
glyph (with file:line:col) or a page that reads back below its bar. A direction that
does not match the script is a warning.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from fontTools.unicodedata import script, script_horizontal_direction, script_name

from printshop.catalog import readback
from printshop.catalog.jobs import Job, fonts_for
from printshop.content.i18n import flatten
from printshop.content.langfile import check_glyphs, known_language, status
from printshop.content.load import load_checked_bundle
from printshop.errors import Collector, Problem
from printshop.project import Project

SHOWN = 5  # keys listed before "and N more"


@dataclass
class LangCheck:
    """The outcome of checking one language: report lines, warnings and problems."""

    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")  # {n}, {ward_name}: filled in, not translated


def letter_scripts(texts: list[str]) -> Counter[str]:
    """How many letters of each script (ISO 15924) the texts hold (placeholders left out)."""
    counts: Counter[str] = Counter()
    for text in texts:
        for ch in _PLACEHOLDER.sub("", text):
            if ch.isalpha():
                counts[script(ch)] += 1
    return counts


def _listed(keys: list[str]) -> str:
    shown = ", ".join(keys[:SHOWN])
    return shown + (f" and {len(keys) - SHOWN} more" if len(keys) > SHOWN else "")


def default_layout(project: Project) -> str:
    """The layout a translator's page is read from: handout-a4, else the first one."""
    names = project.layout_names()
    return "handout-a4" if "handout-a4" in names else names[0]


def check_language(
    project: Project, topic: str, code: str, layout: str | None = None, ocr: bool = True
) -> LangCheck:
    bundle = load_checked_bundle(project, topic)
    lang, doc = known_language(bundle, code)
    meta = lang.language
    fonts = fonts_for(project)
    out = LangCheck()
    out.lines.append(f"{code}: {meta.name} ({meta.native_name}), {meta.status}, topic {topic}")
    own = [text for text, _loc in flatten(lang).values() if isinstance(text, str)]

    # 1. fonts
    glyphs = Collector()
    check_glyphs(bundle, glyphs, fonts, [code])
    families = sorted(
        {face.family for text in own for face in fonts.fonts_for_text(text, lang=code)}
    )
    if glyphs.problems:
        out.problems += glyphs.problems
        count = len(glyphs.problems)
        strings = "1 string has" if count == 1 else f"{count} strings have"
        out.lines.append(f"  fonts      {strings} characters no font has")
    else:
        out.lines.append(f"  fonts      ok: every character has a glyph ({', '.join(families)})")

    # 2. script and direction
    counts = letter_scripts(own)
    total = sum(counts.values()) or 1
    main = counts.most_common(1)[0][0] if counts else "Zyyy"
    shares = ", ".join(
        f"{script_name(s)} {100 * n / total:.0f}%"
        for s, n in counts.most_common(3)
        if n / total >= 0.005
    )
    expected = "rtl" if script_horizontal_direction(main, "LTR") == "RTL" else "ltr"
    if meta.direction == expected:
        out.lines.append(f"  script     {shares or 'no letters'}; direction {meta.direction}: ok")
    else:
        line, col = doc.where(("language", "direction"))
        message = (
            f"direction is {meta.direction}, but {script_name(main)} script is written "
            f"{expected}; set `direction: {expected}`"
        )
        out.warnings.append(str(Problem(message, doc.path, line, col)))
        out.lines.append(f"  script     {shares}; direction {meta.direction}: should be {expected}")

    # 3. strings
    (row,) = status(project, topic, [code])
    done = f"{row.translated} of {row.total} translated"
    if row.missing:
        done += f"; {len(row.missing)} print in {bundle.source}: {_listed(row.missing)}"
    if row.stale:
        done += f"; {len(row.stale)} stale: {_listed(row.stale)}"
    out.lines.append(f"  strings    {done}")

    # 4. read-back
    if not ocr:
        out.lines.append("  read-back  skipped (--no-ocr)")
    elif glyphs.problems:
        out.lines.append("  read-back  skipped: fix the missing glyphs first")
    else:
        _read_back(project, topic, code, layout or default_layout(project), out)
    return out


def _read_back(project: Project, topic: str, code: str, layout: str, out: LangCheck) -> None:
    why = readback.why_not_readable(code)
    if why is not None:
        out.lines.append(f"  read-back  skipped: {why}")
        return
    job = Job(topic, code, layout, Path("."))
    reading = readback.read_job_page(project, job, 0)
    how = f"page 1 of {layout} at {readback.DPI} dpi, Tesseract '{reading.model}'"
    if code.split("-")[0].lower() in readback.READ_IN_PLAIN_STYLE:
        how += ", set in the script's plain style (Tesseract cannot read this one)"
    figure = (
        f"word-pair precision {reading.precision:.2f} "
        f"({reading.matched} of {reading.total} pairs; bar {reading.threshold:.2f})"
    )
    if reading.passed:
        out.lines.append(f"  read-back  ok: {figure}; {how}")
        return
    out.lines.append(f"  read-back  FAILED: {figure}; {how}")
    out.problems.append(
        Problem(
            f"{code}: the words of page 1 of {layout} do not read back in order "
            f"(word-pair precision {reading.precision:.2f}, below {reading.threshold:.2f}); "
            "look at the page (`makebook preview`) for missing, reordered or broken text"
        )
    )
