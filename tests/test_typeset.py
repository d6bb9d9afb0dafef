"""Typesetting: shaping, bidi, line breaking, glyph coverage, text extraction."""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import pytest
import uharfbuzz
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame

from printshop.text import fonts
from printshop.text.typeset import TextFlow, TextStyle, draw_text_line, shape_glyphs, text_width

SAMPLES = {
    "en": "Infant massage helps your baby sleep better. Stroke gently from thigh to ankle.",
    "pl": "Zażółć gęślą jaźń",
    "vi": "Mát-xa cho bé giúp bé ngủ ngon hơn và tăng cường gắn kết giữa cha mẹ và con.",
    "ar": "الطفل يحب التدليك كل يوم لمدة 10 دقائق قبل النوم",
    "hi": "शिशु की मालिश से नींद बेहतर होती है और किताब पढ़ना भी अच्छा है।",
    "bn": "বিকেল বেলা শিশুর ম্যাসাজ ঘুম ভালো করে।",
    "zh": "婴儿按摩有助于宝宝睡得更好，每天10分钟。妈妈和宝宝都会感到放松。",
}
DIRECTION = {"ar": "rtl"}
ZH_LONG = "婴儿按摩有助于宝宝睡得更好，每天按摩十分钟，效果很好。" * 6


def render(flowables, width: float = 300, height: float = 800) -> bytes:
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=(width + 40, height + 40), invariant=1)
    Frame(20, 20, width, height, leftPadding=0, rightPadding=0).addFromList(list(flowables), canv)
    canv.showPage()
    canv.save()
    return buf.getvalue()


def extract(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return doc[0].get_textpage().get_text_range()
    finally:
        doc.close()


def norm(text: str, lang: str) -> str:
    if lang == "zh":  # line breaks fall between characters: no space there
        return re.sub(r"\s+", "", text)
    return " ".join(text.split())


@pytest.mark.parametrize("lang", list(SAMPLES))
@pytest.mark.parametrize("width", [500, 160])
def test_extracted_text_is_the_input(lang: str, width: float) -> None:
    text = SAMPLES[lang]
    flow = TextFlow(text, TextStyle(size=11), lang=lang, direction=DIRECTION.get(lang, "ltr"))
    out = extract(render([flow], width=width))
    assert norm(out, lang) == norm(text, lang)


def test_bold_markup_and_literal_text() -> None:
    text = "Use **warm oil** only. <b>&amp; <font> stay literal; a lone ** too."
    flow = TextFlow(text, TextStyle(), lang="en")
    out = extract(render([flow], width=500))
    assert norm(out, "en") == "Use warm oil only. <b>&amp; <font> stay literal; a lone ** too."
    glyphs = shape_glyphs("a **warm** b", TextStyle())
    used = [f for f, *_ in glyphs]
    assert used.count("NotoSans-Bold") == 4  # "warm"
    assert used.count("NotoSans") == 4  # "a ", " b"


def test_bold_chinese_is_simulated() -> None:
    flow = TextFlow("**宝宝**", TextStyle(), lang="zh")
    pdf = render([flow])
    assert norm(extract(pdf), "zh") == "宝宝"
    from pypdf import PdfReader

    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data()
    assert b"2 Tr" in content  # fill + stroke


def _glyph_of(font: str, ch: str) -> int:
    return fonts.get_font(font).face.charToGlyph[ord(ch)]


def _glyph_names(font: str, gids: list[int]) -> list[str]:
    face = uharfbuzz.Face(uharfbuzz.Blob(fonts.get_font(font).face._ttf_data))
    hbfont = uharfbuzz.Font(face)
    return [hbfont.glyph_to_string(g) for g in gids]


@pytest.mark.parametrize(
    ("word", "lang", "font", "sign", "consonant"),
    [
        ("शिशु", "hi", "NotoSansDevanagari", "ivowelsign", "sha"),
        ("किताब", "hi", "NotoSansDevanagari", "ivowelsign", "ka"),
        ("শিশু", "bn", "NotoSansBengali", "ivowelsign", "sha"),
        ("বিকেল", "bn", "NotoSansBengali", "ivowelsign", "ba"),
        ("কে", "bn", "NotoSansBengali", "evowelsign", "ka"),
    ],
)
def test_pre_base_vowel_sign_is_drawn_first(word, lang, font, sign, consonant) -> None:
    """The sign follows its consonant in the text but is drawn first, to its left."""
    glyphs = shape_glyphs(word, TextStyle(), lang=lang)
    assert {f for f, *_ in glyphs} == {font}
    names = _glyph_names(font, [g for _f, g, _x, _y in glyphs])
    xs = [x for _f, _g, x, _y in glyphs]
    assert names[0].startswith(sign), names
    assert names[1].startswith(consonant), names
    assert xs[0] < xs[1]


def _word_gids(word: str, direction: str = "rtl") -> list[int]:
    return [g for _f, g, _x, _y in shape_glyphs(word, TextStyle(), lang="ar", direction=direction)]


def test_arabic_line_is_right_to_left() -> None:
    line = "الطفل يحب التدليك"
    glyphs = shape_glyphs(line, TextStyle(), lang="ar", direction="rtl")
    gids = [g for _f, g, _x, _y in glyphs]
    xs = [x for _f, _g, x, _y in glyphs]
    first, last = _word_gids("الطفل"), _word_gids("التدليك")
    # drawn left to right: the last logical word first, the first logical word at the right
    assert gids[: len(last)] == last
    assert gids[-len(first) :] == first
    assert xs == sorted(xs)
    assert len(set(gids)) > 5  # letters joined into contextual forms, not isolated
    assert _word_gids("ل") != _word_gids("الطفل")[-1:]


def test_arabic_with_url_and_number_keeps_their_order() -> None:
    text = "زوروا www.example.org لمدة 10 دقائق"
    glyphs = shape_glyphs(text, TextStyle(), lang="ar", direction="rtl")
    space = _glyph_of("NotoSans", " ")
    latin = [(f, g) for f, g, _x, _y in glyphs if f == "NotoSans" and g != space]
    expect = [(f, g) for f, g, _x, _y in shape_glyphs("www.example.org", TextStyle())]
    assert latin == expect  # the URL reads left to right, as one run
    digits = [g for f, g, _x, _y in glyphs if f.startswith("NotoNaskh")]
    one, zero = _glyph_of("NotoNaskhArabic", "1"), _glyph_of("NotoNaskhArabic", "0")
    assert digits.index(one) < digits.index(zero)  # "10", not "01"
    # the first word is at the right end, the last at the left end
    gids = [g for _f, g, _x, _y in glyphs]
    assert gids[-len(_word_gids("زوروا")) :] == _word_gids("زوروا")
    assert gids[: len(_word_gids("دقائق"))] == _word_gids("دقائق")


def test_arabic_lines_wrap_in_logical_order_and_align_right() -> None:
    words = SAMPLES["ar"].split()
    flow = TextFlow(SAMPLES["ar"], TextStyle(), lang="ar", direction="rtl")
    flow.wrap(120, 1000)
    lines = flow.line_texts()
    assert len(lines) > 1
    assert " ".join(lines).split() == words  # first line holds the first words
    pdf = render([flow], width=120)
    doc = pdfium.PdfDocument(pdf)
    page = doc[0]
    tp = page.get_textpage()
    boxes = [tp.get_charbox(i) for i in range(tp.count_chars())]
    rights = sorted({round(b[2]) for b in boxes if b[2] > b[0]})
    assert rights[-1] <= 20 + 120 + 1  # right edge of the frame
    doc.close()


def test_rtl_bullet_hangs_on_the_right() -> None:
    flow = TextFlow("الطفل", TextStyle(), lang="ar", direction="rtl", bullet="•", bullet_width=20)
    w, _h = flow.wrap(200, 100)
    assert flow.natural_width() <= 200
    pdf = render([flow], width=200)
    doc = pdfium.PdfDocument(pdf)
    tp = doc[0].get_textpage()
    text = tp.get_text_range()
    i = text.index("•")
    bullet_left = tp.get_charbox(i)[0]
    assert bullet_left > 20 + 200 - 20 - 1
    doc.close()


@pytest.mark.parametrize("width", range(40, 260, 7))
def test_chinese_lines_never_start_with_closing_punctuation(width: int) -> None:
    flow = TextFlow(ZH_LONG, TextStyle(size=10), lang="zh")
    flow.wrap(width, 10_000)
    lines = flow.line_texts()
    assert "".join(lines) == ZH_LONG
    for line in lines[1:]:
        assert line[0] not in "，。、；：！？）」』】》"
    for line in lines:
        assert line[-1] not in "（「『【《"


@pytest.mark.parametrize("lang", list(SAMPLES))
@pytest.mark.parametrize("width", [25, 48, 90, 200])
def test_no_line_is_wider_than_the_frame(lang: str, width: float) -> None:
    style = TextStyle(size=10)
    text = SAMPLES[lang] + " Supercalifragilisticexpialidocious-www.example.org/very/long/path"
    flow = TextFlow(text, style, lang=lang, direction=DIRECTION.get(lang, "ltr"))
    flow.wrap(width, 10_000)
    assert flow.natural_width() <= width + 1e-6
    for line in flow.line_texts():
        assert text_width(line, style, lang=lang) <= width + 1e-6


def test_long_word_is_broken_by_characters() -> None:
    flow = TextFlow("Supercalifragilisticexpialidocious", TextStyle(size=10), lang="en")
    flow.wrap(40, 1000)
    assert flow.lines_count > 2
    assert "".join(flow.line_texts()) == "Supercalifragilisticexpialidocious"


def test_spaces_and_hyphens_are_break_points() -> None:
    flow = TextFlow("Mát-xa cho bé", TextStyle(size=10), lang="vi")
    flow.wrap(text_width("Mát-xa cho", TextStyle(size=10)) + 0.5, 1000)
    assert flow.line_texts() == ["Mát-xa cho", "bé"]
    flow.wrap(text_width("Mát-x", TextStyle(size=10)), 1000)
    assert flow.line_texts()[0] == "Mát-"


def test_forced_line_breaks_and_split() -> None:
    style = TextStyle(size=10, leading=1.2)
    text = "one\ntwo\n\nfour five six seven eight nine ten eleven twelve"
    flow = TextFlow(text, style)
    flow.wrap(45, 1000)
    lines = flow.line_texts()
    assert lines[:4] == ["one", "two", "", "four five"]
    lh = 12.0
    head, tail = flow.split(45, lh * 5 + 1)
    assert head.wrap(45, 1000)[1] == pytest.approx(5 * lh)
    tail.wrap(45, 1000)
    assert head.line_texts() + tail.line_texts() == lines
    assert tail.bullet is None and tail.getSpaceBefore() == 0
    # parts re-wrap at another width without losing text
    assert " ".join(head.line_texts() + tail.line_texts()) == " ".join(lines)
    tail.wrap(200, 1000)
    assert tail.line_texts() == [" ".join(lines[5:])]
    assert flow.split(45, 5) == []


def test_alignment() -> None:
    style = TextStyle(size=10, align="end")
    flow = TextFlow("abc", style)
    flow.wrap(100, 100)
    assert flow.natural_width() == pytest.approx(text_width("abc", style))
    pdf = render([flow], width=100)
    doc = pdfium.PdfDocument(pdf)
    tp = doc[0].get_textpage()
    assert tp.get_charbox(2)[2] == pytest.approx(120, abs=1.5)
    doc.close()


def test_draw_text_line_centres_and_extracts() -> None:
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=(300, 100), invariant=1)
    style = TextStyle(size=9, align="center")
    draw_text_line(canv, 0, 50, "Page 1 of 2", style, width=300)
    draw_text_line(canv, 0, 20, "الصفحة 1 من 2", style, lang="ar", direction="rtl", width=300)
    canv.showPage()
    canv.save()
    out = extract(buf.getvalue())
    assert "Page 1 of 2" in out
    assert "الصفحة 1 من 2" in out


def test_missing_glyphs() -> None:
    assert missing("smile \U0001f600 now") == [(6, "\U0001f600")]
    assert missing("ⵣ") == [(0, "ⵣ")]  # Tifinagh
    for text in SAMPLES.values():
        assert missing(text) == []
    assert missing("a\nb\u200c\u200d") == []


def missing(text: str) -> list[tuple[int, str]]:
    return fonts.missing_glyphs(text)


def test_font_for_char() -> None:
    assert fonts.font_for_char("a") == "NotoSans"
    assert fonts.font_for_char("a", bold=True, italic=True) == "NotoSans-BoldItalic"
    assert fonts.font_for_char("ب", bold=True) == "NotoNaskhArabic-Bold"
    assert fonts.font_for_char("क") == "NotoSansDevanagari"
    assert fonts.font_for_char("ক") == "NotoSansBengali"
    assert fonts.font_for_char("宝", bold=True) == "DroidSansFallback"
    assert fonts.font_for_char("ж") == "NotoSans"
    # digits in Chinese text: Droid has none, so they fall back to NotoSans
    names = fonts.fonts_for_text("每天10分钟", lang="zh")
    assert names == ["DroidSansFallback"] * 2 + ["NotoSans"] * 2 + ["DroidSansFallback"] * 2
    # a space inside Arabic stays in the Arabic font
    assert fonts.fonts_for_text("ب ت")[1] == "NotoNaskhArabic"


def test_output_is_deterministic() -> None:
    def build() -> bytes:
        return render([TextFlow(t, TextStyle(), lang=k) for k, t in SAMPLES.items()])

    first = build()
    render([TextFlow("لا إله مُحَمَّد ffi fl", TextStyle(), lang="ar")])  # other glyphs in between
    assert build() == first
