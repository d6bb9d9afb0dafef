"""How hard the words are to read: a reading grade per topic and language.

Parents read a discharge handout tired, often with poor eyesight or low literacy; the
aim is a 6th-grade reading level. textstat gives the formulas; a language without a
maintained formula is reported as such rather than scored with another language's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from printshop.content.document import Document

GRADE_LIMIT = 6.0
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_MARKUP = re.compile(r"\*\*|\[[\d,\s\u00a0]+\]")


@dataclass(frozen=True)
class Formula:
    name: str
    score: Callable[[str], float]
    grade: bool  # a school grade (lower is easier), else a reading-ease score (higher is easier)


def formula(lang: str) -> Formula | None:
    """The formula textstat has for a language, or None."""
    import textstat  # only `check --readability` needs it

    base = lang.split("-")[0].lower()
    engine = textstat.textstat.__class__()
    engine.set_lang(base)
    table = {
        "en": Formula("Flesch–Kincaid grade", engine.flesch_kincaid_grade, True),
        "es": Formula("Crawford grade", engine.crawford, True),
        "ar": Formula("OSMAN ease (0–100)", engine.osman, False),
        "de": Formula(
            "Wiener Sachtextformel grade", lambda s: engine.wiener_sachtextformel(s, 1), True
        ),
        "it": Formula("Gulpease index (0–100)", engine.gulpease_index, False),
    }
    return table.get(base)


def handout_texts(doc: Document) -> list[str]:
    """The words a short handout prints: titles, short texts, the handout's step items."""
    texts = [doc.title, doc.subtitle, doc.intro]
    for section in doc.sections:
        texts += [section.heading_handout or section.heading, section.intro]
        for group in section.groups:
            texts += [group.label, *(i.short for i in group.items)]
        for item in section.chosen("handout"):
            texts += [item.title, item.short, *item.steps, item.repeat]
    return [plain(t) for t in texts if t]


def full_texts(doc: Document) -> list[str]:
    """The longer texts a booklet prints for items (benefits explained in full)."""
    return [plain(i.full) for s in doc.sections for i in s.items if i.full and i.full != i.short]


def plain(text: str) -> str:
    """Without **bold** markers and reference numbers; ends as a sentence."""
    text = _MARKUP.sub("", text).strip()
    return text if text[-1:] in ".!?:" else text + "."


@dataclass(frozen=True)
class Reading:
    what: str
    words: int
    score: float
    hardest: list[tuple[float, str]]  # (score, sentence), hardest first


def measure(texts: list[str], rule: Formula, what: str) -> Reading:
    joined = " ".join(texts)
    sentences = [s for t in texts for s in _SENTENCE.split(t) if len(s.split()) >= 4]
    scored = sorted(((rule.score(s), s) for s in sentences), reverse=rule.grade)
    return Reading(what, len(joined.split()), rule.score(joined), scored[:3])


def readings(doc: Document) -> tuple[Formula | None, list[Reading]]:
    """The handout's and the full texts' readings, in the document's language."""
    rule = formula(doc.lang)
    if rule is None:
        return None, []
    found = [measure(handout_texts(doc), rule, "handout")]
    if full_texts(doc):
        found.append(measure(full_texts(doc), rule, "full texts"))
    return rule, found
