"""Read a printed page back by OCR and score whether its words come out in order.

In: one page of a built document (its PDF bytes and the logical text of every text box
composed on it). The page is rendered at 250 dpi in grey, as a scanner would see it,
and read by Tesseract (the `tesseract` program and a language model from the Debian
packages `tesseract-ocr` and `tesseract-ocr-<model>`, or a script's model from
`tesseract-ocr-script-<script>`). Out: the **word-pair precision** of the reading.

Word-pair precision: both texts are cut into words (below); a *pair* is two words
that follow each other. Of the pairs Tesseract reads (within each block of text it
finds: a blank line in its output ends a block), the precision is the fraction that
also follow each other somewhere in the page's source text. Text drawn in the wrong
order (words or lines reversed, right-to-left runs flipped), broken shaping (OCR
cannot read the word) or a word cut by a line break all lower it; the order in
which Tesseract visits the page's columns does not.

Words: the text is put in NFKC form and case-folded; punctuation and symbols become
spaces; Arabic and Hebrew vowel marks, the tatweel and zero-width characters are
dropped (OCR models leave them out); then it is split at spaces. Chinese and Japanese
characters are one word each; runs of Thai, Lao, Khmer and Myanmar are cut into words
by ICU's word breaker.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from printshop.layout.box import Box
from printshop.layout.textbox import TextBox
from printshop.text.breaks import DICTIONARY_SCRIPTS
from printshop.text.shape import parse_markup

DPI = 250
THRESHOLD = 0.85  # what Typst's output reaches on the same kind of text
# Lower bars where Tesseract's model (Debian's tessdata "fast") misreads pages that are
# set correctly (looked at, and the same with other fonts): the precision measured on
# tests/scripts' specimen page, less a margin. They still catch text that is reversed,
# unshaped or cut mid-word, which reads near 0.
THRESHOLDS = {
    "lo": 0.35,  # 0.44 (0.23 with the loopless Noto Sans Lao)
    "my": 0.3,  # 0.40 (worse with Padauk and Noto Serif Myanmar)
}
# Languages written in a style of their own (fonts.yaml: language_scripts) whose style
# Tesseract cannot read: their page is read back set in the script's usual font, which
# has the same words in the same order. Urdu in Nastaliq reads at 0.1 with Debian's
# Urdu model (trained mostly on Naskh), in Naskh at 0.9.
READ_IN_PLAIN_STYLE = frozenset({"ur"})

# language (BCP 47 base) -> Tesseract model (Debian package tesseract-ocr-<model>,
# with "_" as "-"; a script's model: SCRIPT_PACKAGES). Somali has no model; Tagalog's
# is Filipino. Hindi is read with the Devanagari script model: Debian's "fast" hin
# model reads the Latin digits of the page's citations as Devanagari ("1998" as "998",
# "[1]" as "[7]"): the shipped handout's page 1 reads 0.83 with hin, 0.95 with Devanagari.
MODELS = {
    "am": "amh",
    "ar": "ara",
    "bn": "ben",
    "de": "deu",
    "en": "eng",
    "es": "spa",
    "fa": "fas",
    "fr": "fra",
    "gu": "guj",
    "he": "heb",
    "hi": "Devanagari",
    "ht": "hat",
    "it": "ita",
    "ja": "jpn",
    "km": "khm",
    "ko": "kor",
    "lo": "lao",
    "mr": "mar",
    "my": "mya",
    "ne": "nep",
    "pa": "pan",
    "pl": "pol",
    "ps": "pus",
    "pt": "por",
    "ro": "ron",
    "ru": "rus",
    "si": "sin",
    "sw": "swa",
    "ta": "tam",
    "th": "tha",
    "ti": "tir",
    "tl": "fil",
    "tr": "tur",
    "uk": "ukr",
    "ur": "urd",
    "vi": "vie",
    "zh": "chi_sim",
}
_CHINESE_MODELS = {"zh-hant": "chi_tra", "zh-tw": "chi_tra", "zh-hk": "chi_tra"}
SCRIPT_PACKAGES = {"Devanagari": "tesseract-ocr-script-deva"}  # script model -> package


def package_for(model: str) -> str:
    """The Debian package that installs a Tesseract model."""
    return SCRIPT_PACKAGES.get(model) or "tesseract-ocr-" + model.replace("_", "-")


def model_for(lang: str) -> str | None:
    """The Tesseract model that reads `lang`, or None when there is none."""
    code = lang.lower()
    return _CHINESE_MODELS.get(code) or MODELS.get(code.split("-")[0])


def threshold_for(lang: str) -> float:
    return THRESHOLDS.get(lang.split("-")[0].lower(), THRESHOLD)


@functools.cache
def installed_models() -> frozenset[str]:
    """The models the installed Tesseract has; empty when it is not installed."""
    if shutil.which("tesseract") is None:
        return frozenset()
    done = subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, text=True, check=False
    )
    return frozenset(line.strip() for line in done.stdout.splitlines()[1:] if line.strip())


def why_not_readable(lang: str) -> str | None:
    """Why a page in `lang` cannot be read back here (None: it can)."""
    model = model_for(lang)
    if model is None:
        return f"Tesseract has no model for '{lang}'"
    if shutil.which("tesseract") is None:
        return "Tesseract is not installed (Debian: apt-get install tesseract-ocr)"
    if model not in installed_models():
        return (
            f"Tesseract's '{model}' model is not installed (apt-get install {package_for(model)})"
        )
    return None


# ----------------------------------------------------------------- words
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u0640"), None)  # + tatweel
_SPACE = re.compile(r"\s+")


_CJK = re.compile("([\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff])")  # kana, ideographs


@functools.cache
def _script(ch: str) -> str:
    from fontTools.unicodedata import script

    return script(ch)


def _plain(text: str) -> str:
    """NFKC, case-folded; punctuation and symbols as spaces; marks OCR drops removed."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_ZERO_WIDTH)
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "PSZC":
            out.append(" ")
        elif cat == "Mn" and _script(ch) in ("Arab", "Hebr", "Zinh"):
            continue  # harakat, niqqud
        else:
            out.append(ch)
    return "".join(out)


def _split_dictionary_runs(word: str) -> list[str]:
    """A word with Thai, Lao, Khmer or Myanmar runs, cut where ICU finds words."""
    if not any(_script(ch) in DICTIONARY_SCRIPTS for ch in word):
        return [word]
    from icu4py.breakers import WordBreaker

    script = next(_script(ch) for ch in word if _script(ch) in DICTIONARY_SCRIPTS)
    return [piece for piece in WordBreaker(word, DICTIONARY_SCRIPTS[script]) if piece.strip()]


def words(text: str) -> list[str]:
    """`text` cut into comparable words (see the module docstring)."""
    out: list[str] = []
    for chunk in _SPACE.split(_plain(text)):
        if not chunk:
            continue
        for word in _split_dictionary_runs(chunk):
            out += [part for part in _CJK.split(word) if part]  # one word per ideograph
    return out


def pairs(tokens: list[str]) -> list[tuple[str, str]]:
    return list(zip(tokens, tokens[1:], strict=False))


@dataclass(frozen=True)
class Reading:
    """What OCR made of one page."""

    lang: str
    model: str
    text: str  # what Tesseract read
    matched: int  # word pairs also found in the source
    total: int  # word pairs read

    @property
    def precision(self) -> float:
        return self.matched / self.total if self.total else 0.0

    @property
    def threshold(self) -> float:
        return threshold_for(self.lang)

    @property
    def passed(self) -> bool:
        return self.total > 0 and self.precision >= self.threshold


def score(ocr_text: str, sources: Iterable[str]) -> tuple[int, int]:
    """(pairs of the OCR text found in the sources, pairs read), block by block."""
    known = {pair for source in sources for pair in pairs(words(source))}
    matched = total = 0
    for block in re.split(r"\n\s*\n", ocr_text):
        found = pairs(words(block))
        total += len(found)
        matched += sum(pair in known for pair in found)
    return matched, total


# ----------------------------------------------------------------- pages
def box_texts(box: Box) -> Iterator[str]:
    """The logical text of every text box inside `box` (markup removed)."""
    if isinstance(box, TextBox):
        yield parse_markup(box.text)[0]
        bullet = box.bullet
        if bullet:
            yield bullet
    for child, _x, _y in box.placed():
        yield from box_texts(child)


def page_texts(page) -> list[str]:
    """Every text drawn on a composed page: its content and its furniture (footer)."""
    boxes: list[Box] = [page.content] if page.content is not None else []
    boxes += [box for box, _x, _y in page.furniture]
    return [text for box in boxes for text in box_texts(box)]


def ocr_png(png: bytes, model: str, segmentation: str = "3") -> str:
    """Tesseract's reading of a page image (`segmentation`: its --psm, 3 = automatic)."""
    languages = model if model == "eng" else f"{model}+eng"  # pages carry Latin too
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core each: tests run in parallel
    done = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", languages, "--psm", segmentation],
        input=png,
        capture_output=True,
        env=env,
        check=True,
        timeout=300,
    )
    return done.stdout.decode("utf-8")


def render_png(pdf: bytes, index: int, dpi: int = DPI) -> bytes:
    """One page of a PDF as a grey PNG at `dpi`."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        image = document[index].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


Region = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points (y up)


def _has_text(box: Box) -> bool:
    return isinstance(box, TextBox) or any(_has_text(c) for c, _x, _y in box.placed())


def _columns(box: Box) -> list[Box]:
    """The children of a box that sets text side by side (columns, a card's parts)."""
    from printshop.layout.boxes import Row

    if not isinstance(box, Row):
        return []
    texts = [child for child, _x, _y in box.placed() if _has_text(child)]
    return texts if len(texts) > 1 else []


def _has_picture(box: Box) -> bool:
    from printshop.layout.boxes import PictureBox, QrBox

    return isinstance(box, (PictureBox, QrBox)) or any(
        _has_picture(c) for c, _x, _y in box.placed()
    )


def _side_by_side(box: Box) -> bool:
    return bool(_columns(box)) or any(_side_by_side(c) for c, _x, _y in box.placed())


def text_regions(box: Box, x: float, y: float) -> list[Region]:
    """The page's text as single-column regions without pictures, in reading order: a
    box that sets text side by side is cut into its columns, and icons, illustrations
    and QR codes are left out, so OCR never reads across a column gap or a picture."""
    if not _has_text(box):
        return []
    if not _side_by_side(box) and not _has_picture(box):
        return [(x, y, x + box.width, y + box.height)]
    found: list[Region] = []
    for child, dx, dy in box.placed():
        found += text_regions(child, x + dx, y + dy)
    return found


def page_regions(page, frame_x: float, frame_top: float) -> list[Region]:
    """Text regions of a composed page (content at its frame, then its furniture)."""
    found: list[Region] = []
    if page.content is not None:
        found += text_regions(page.content, frame_x, frame_top - page.content.height)
    for box, x, y in page.furniture:
        found += text_regions(box, x, y)
    return found


def stacked_png(pdf: bytes, index: int, regions: list[Region], dpi: int = DPI) -> bytes:
    """The page's text regions cut out of a render and stacked top to bottom."""
    import io

    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[index]
        height = page.get_height()
        image = page.render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        document.close()
    k, pad = dpi / 72, 4
    crops = [
        image.crop(
            (
                max(0, int(x0 * k) - pad),
                max(0, int((height - y1) * k) - pad),
                min(image.width, int(x1 * k) + pad),
                min(image.height, int((height - y0) * k) + pad),
            )
        )
        for x0, y0, x1, y1 in regions
        if x1 - x0 > 1 and y1 - y0 > 1
    ]
    gap = int(0.4 * dpi)  # a clear gap: each region is a block of its own
    sheet = Image.new(
        image.mode, (max(c.width for c in crops), sum(c.height + gap for c in crops)), 255
    )
    top = 0
    for crop in crops:
        sheet.paste(crop, (0, top))
        top += crop.height + gap
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG")
    return buffer.getvalue()


def read_back(
    pdf: bytes, index: int, sources: list[str], lang: str, regions: list[Region] | None = None
) -> Reading:
    """Render page `index` of `pdf`, read it by OCR and score it against `sources`.

    With `regions` (the page's text cut into single columns), they are read stacked
    one under another: Tesseract's layout analysis joins lines across close columns
    in some scripts (Hindi), which says nothing about our text. Tesseract's automatic
    page segmentation sometimes loses a whole block (Khmer, on some pages); when the
    reading falls short of the bar, the page is read again as a single column and the
    better reading counts. Call `why_not_readable(lang)` first.
    """
    model = model_for(lang)
    assert model is not None, lang
    png = stacked_png(pdf, index, regions) if regions else render_png(pdf, index)
    best = None
    for segmentation in ("3", "4"):
        text = ocr_png(png, model, segmentation)
        reading = Reading(lang, model, text, *score(text, sources))
        if best is None or reading.precision > best.precision:
            best = reading
        if best.passed:
            break
    assert best is not None
    return best


def read_job_page(project, job, index: int = 0) -> Reading:
    """Build `job` in memory and read its page `index` back (see `read_back`); a
    language in `READ_IN_PLAIN_STYLE` is set in its script's usual font for this."""
    from printshop.catalog.jobs import compose_job, fonts_for
    from printshop.pdf.render import render_pdf

    fonts = None
    if job.lang.split("-")[0].lower() in READ_IN_PLAIN_STYLE:
        fonts = fonts_for(project).in_plain_style([job.lang])
    from printshop.layout.pages import frame

    composed = compose_job(project, job, fonts)
    composition = composed.composition
    pdf = render_pdf(composition, composed.doc, composed.layout, composed.fonts, composed.bleed)
    page = composition.pages[index]
    fr = frame(composed.layout, index + 1, composed.doc.rtl)
    regions = page_regions(page, fr.x + composed.bleed, fr.y + fr.height + composed.bleed)
    return read_back(pdf, index, page_texts(page), job.lang, regions)
