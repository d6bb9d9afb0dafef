"""The text layer and its PDF emitter: fonts, shaping, bidi, line breaking, placement,
glyph output and text extraction."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen.canvas import Canvas

import printshop.pdf.glyphs  # noqa: F401 - registers the TextBox drawer
from printshop.content.fonttable import builtin_fonts
from printshop.layout.textbox import TextBox
from printshop.pdf.draw import draw
from printshop.text import bidi, breaks
from printshop.text.fonts import Fonts, FontTable, face_data
from printshop.text.paragraph import Paragraph, TextStyle

ROOT = Path(__file__).resolve().parent.parent
FONTS = builtin_fonts()
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


def box(text: str, style: TextStyle | None = None, **options) -> TextBox:
    return TextBox(FONTS, text, style or TextStyle(), **options)


def render(boxes: list[TextBox], width: float = 300, height: float = 800) -> bytes:
    """The boxes stacked from the top of a (width x height) frame at (20, 20)."""
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=(width + 40, height + 40), invariant=1)
    top = 20 + height
    for b in boxes:
        b.measure(width)
        draw(canv, b, 20, top - b.height)
        top -= b.height + b.style.space_after
    canv.showPage()
    canv.save()
    return buf.getvalue()


def extract(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return doc[0].get_textpage().get_text_range()
    finally:
        doc.close()


def ink(pdf: bytes) -> list[tuple[str, float, float, float, float]]:
    """(char, left, bottom, right, top) of every visible character on page 1."""
    doc = pdfium.PdfDocument(pdf)
    try:
        tp = doc[0].get_textpage()
        chars = [(tp.get_text_range(i, 1), *tp.get_charbox(i)) for i in range(tp.count_chars())]
        return [c for c in chars if c[0].strip()]
    finally:
        doc.close()


def norm(text: str, lang: str) -> str:
    if lang == "zh":  # line breaks fall between characters: no space there
        return re.sub(r"\s+", "", text)
    return " ".join(text.split())


def glyphs(
    text: str, style: TextStyle | None = None, *, lang: str = "en", direction: str = "ltr"
) -> list[tuple[str, int, float, float]]:
    """(face key, glyph id, x, y) in pt of one unwrapped line, in display order."""
    style = style or TextStyle()
    line = Paragraph(FONTS, text, style, lang=lang, direction=direction).hard_lines()[0]
    out = []
    pen = 0.0
    k = style.size / 1000
    for run in line.runs:
        for g, a, xo, yo in zip(run.gids, run.advances, run.x_offsets, run.y_offsets, strict=True):
            out.append((run.face.key, g, (pen + xo) * k, yo * k))
            pen += a
    return out


def width_of(text: str, style: TextStyle, lang: str = "en") -> float:
    return Paragraph(FONTS, text, style, lang=lang).hard_lines()[0].width


# ----------------------------------------------------------------- the layer is pure
def test_text_layer_does_not_import_reportlab_or_pydantic() -> None:
    code = (
        "import sys\n"
        "import printshop.text.fonts, printshop.text.shape, printshop.text.bidi\n"
        "import printshop.text.breaks, printshop.text.paragraph, printshop.layout.textbox\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('reportlab', 'pydantic'))\n"
        "print(bad)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
    importing = re.compile(r"^\s*(from|import)\s+reportlab\b", re.M)
    for path in (ROOT / "printshop" / "text").glob("*.py"):
        assert not importing.search(path.read_text(encoding="utf-8")), path


def test_fonts_work_from_plain_data() -> None:
    data = {
        "families": {"Sans": {"regular": "NotoSans-Regular.ttf", "bold": "NotoSans-Bold.ttf"}},
        "scripts": {"Latn": "Sans"},
        "languages": {},
        "default": "Sans",
        "fallback": ["Sans"],
    }
    fonts = Fonts(FontTable.from_data(data, ROOT / "assets" / "fonts"))
    assert [f.key for f in fonts.fonts_for_text("a b", [False, False, True])] == [
        "Sans",
        "Sans",
        "Sans-Bold",
    ]
    assert fonts.missing("aب") == [(1, "ب")]


# ----------------------------------------------------------------- fonts
def test_font_for_char() -> None:
    def key(ch: str, bold: bool = False, italic: bool = False) -> str:
        return FONTS.font_for_char(ch, bold, italic).key

    assert key("a") == "NotoSans"
    assert key("a", bold=True, italic=True) == "NotoSans-BoldItalic"
    assert key("ب", bold=True) == "NotoNaskhArabic-Bold"
    assert key("ب", bold=True, italic=True) == "NotoNaskhArabic-Bold"  # no italic face
    assert key("क") == "NotoSansDevanagari"
    assert key("ক") == "NotoSansBengali"
    assert key("宝", bold=True) == "WenQuanYiMicroHei"
    assert FONTS.font_for_char("宝", bold=True).fake_bold
    assert key("한") == "WenQuanYiMicroHei"
    assert key("ж") == "NotoSans"
    # digits in Chinese text: the CJK font has its own, matching its ideographs
    names = [f.key for f in FONTS.fonts_for_text("每天10分钟", lang="zh")]
    assert names == ["WenQuanYiMicroHei"] * 6
    # a space inside Arabic stays in the Arabic font
    assert FONTS.fonts_for_text("ب ت")[1].key == "NotoNaskhArabic"


@pytest.mark.parametrize(
    ("text", "lang", "font", "stop"),
    [
        ("ทารก 10 นาที.", "th", "NotoSansThai", "NotoSans"),
        ("ሕፃኑን 10 ደቂቃ.", "am", "NotoSansEthiopic", "NotoSans"),
        ("תינוק 10 דקות.", "he", "NotoSansHebrew", "NotoSans"),
        ("ကလေး 10 မိနစ်.", "my", "NotoSansMyanmar", "NotoSans"),
        ("ເດັກ 10 ນາທີ.", "lo", "NotoLoopedLao", "NotoLoopedLao"),  # has a full stop
    ],
)
def test_digits_and_stops_in_scripts_without_them_come_from_noto_sans(
    text, lang, font, stop
) -> None:
    """Most script fonts have no Latin digits (many no full stop either): those fall
    back to NotoSans, while the spaces and letters stay in the script's font."""
    faces = [f.key for f in FONTS.fonts_for_text(text, lang=lang)]
    word = text.index(" ")
    assert faces[:word] == [font] * word
    assert faces[text.index("10")] == faces[text.index("0")] == "NotoSans"
    assert faces[-1] == stop
    assert FONTS.missing(text) == []


def test_digits_in_indic_and_nastaliq_text_stay_in_their_font() -> None:
    """Fonts that do have digits keep them, so they match the letters around them."""
    for text, lang, font in [
        ("குழந்தை 10 நிமிடம்", "ta", "NotoSansTamil"),
        ("બાળક 10 મિનિટ", "gu", "NotoSansGujarati"),
        ("ਬੱਚਾ 10 ਮਿੰਟ", "pa", "NotoSansGurmukhi"),
        ("بچہ 10 منٹ", "ur", "NotoNastaliqUrdu"),
    ]:
        faces = [f.key for f in FONTS.fonts_for_text(text, lang=lang)]
        assert set(faces) == {font}, (lang, faces)


def test_urdu_letters_are_nastaliq_and_farsi_letters_naskh() -> None:
    """The same Arabic letters take the font their language is written in (by data:
    fonts.yaml's language_scripts), shared punctuation with them."""
    text = "بچے، کی"
    assert {f.key for f in FONTS.fonts_for_text(text, lang="ur")} == {"NotoNastaliqUrdu"}
    assert {f.key for f in FONTS.fonts_for_text(text, lang="fa")} == {"NotoNaskhArabic"}
    assert {f.key for f in FONTS.fonts_for_text(text, lang="ar")} == {"NotoNaskhArabic"}
    assert FONTS.family_of("،", "ur") == "NotoNastaliqUrdu"
    assert FONTS.family_of("،", "ar") == "NotoNaskhArabic"
    # in the script's plain style (where a page cannot hold Nastaliq): Naskh throughout,
    # the shared characters with no text around them too; other languages as they were
    plain = FONTS.in_plain_style(["ur"])
    assert {f.key for f in plain.fonts_for_text(text, lang="ur")} == {"NotoNaskhArabic"}
    assert plain.table.language_family("ur") == "NotoNaskhArabic"
    assert FONTS.in_plain_style(["fa", "en"]) is FONTS  # no style of their own
    # Latin words in Urdu text keep the Latin font
    assert [f.key for f in FONTS.fonts_for_text("NHS کی", lang="ur")][:3] == ["NotoSans"] * 3


def test_script_detection_uses_unicode_scripts() -> None:
    assert FONTS.family_of("a") == "NotoSans"
    assert FONTS.family_of("Ω") == "NotoSans"
    assert FONTS.family_of("か") == "WenQuanYiMicroHei"
    assert FONTS.family_of("1") is None
    assert FONTS.family_of(" ") is None
    # shared characters that only one font's scripts use belong to that font
    assert FONTS.family_of("،") == "NotoNaskhArabic"  # Arabic comma
    assert FONTS.family_of("\u064e") == "NotoNaskhArabic"  # fatha
    assert FONTS.family_of("、") == "WenQuanYiMicroHei"
    # the danda is Devanagari's and Bengali's: it takes the font of its text
    assert FONTS.family_of("।") is None
    assert [f.key for f in FONTS.fonts_for_text("কে।")][2] == "NotoSansBengali"
    assert [f.key for f in FONTS.fonts_for_text("के।")][2] == "NotoSansDevanagari"


def test_missing_glyphs() -> None:
    assert FONTS.missing("smile \U0001f600 now") == [(6, "\U0001f600")]
    assert FONTS.missing("ⵣ") == [(0, "ⵣ")]  # Tifinagh
    for text in SAMPLES.values():
        assert FONTS.missing(text) == []
    assert FONTS.missing("a\nb\u200c\u200d\u00a0宝\u00a0") == []


def test_cmaps_agree_with_the_embedded_fonts() -> None:
    """The text layer reads cmaps with HarfBuzz, the PDF stage subsets with reportlab:
    both must see the same character -> glyph mapping."""
    from printshop.pdf.glyphs import ttfont

    for face in FONTS.table.faces():
        data = face_data(face.path)
        rl = ttfont(face)
        own = {c: g for c, g in rl.face.charToGlyph.items() if c in rl.own_cmap}
        assert set(own) - {0xFFFF} == set(data.cmap), face.key
        for gid, code in data.glyph_chars.items():
            assert gid == 0 or own[code] == gid, face.key


# ----------------------------------------------------------------- shaping and order
def test_bold_markup_and_literal_text() -> None:
    text = "Use **warm oil** only. <b>&amp; <font> stay literal; a lone ** too."
    out = extract(render([box(text)], width=500))
    assert norm(out, "en") == "Use warm oil only. <b>&amp; <font> stay literal; a lone ** too."
    used = [f for f, *_ in glyphs("a **warm** b")]
    assert used.count("NotoSans-Bold") == 4  # "warm"
    assert used.count("NotoSans") == 4  # "a ", " b"


def test_bold_chinese_is_simulated() -> None:
    b = box("**宝宝**", lang="zh")
    b.measure(300)
    assert [run.fake_bold for run in b.lines[0].runs] == [True]
    pdf = render([b])
    assert norm(extract(pdf), "zh") == "宝宝"
    from pypdf import PdfReader

    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data()
    assert b"2 Tr" in content  # fill + stroke


def _glyph_names(font: str, gids: list[int]) -> list[str]:
    hbfont = face_data(FONTS.by_key(font).path).hb_font
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
    shaped = glyphs(word, lang=lang)
    assert {f for f, *_ in shaped} == {font}
    names = _glyph_names(font, [g for _f, g, _x, _y in shaped])
    xs = [x for _f, _g, x, _y in shaped]
    assert names[0].startswith(sign), names
    assert names[1].startswith(consonant), names
    assert xs[0] < xs[1]


def _word_gids(word: str, direction: str = "rtl") -> list[int]:
    return [g for _f, g, _x, _y in glyphs(word, lang="ar", direction=direction)]


def _glyph_of(font: str, ch: str) -> int:
    return face_data(FONTS.by_key(font).path).hb_font.get_nominal_glyph(ord(ch))


def test_arabic_line_is_right_to_left() -> None:
    shaped = glyphs("الطفل يحب التدليك", lang="ar", direction="rtl")
    gids = [g for _f, g, _x, _y in shaped]
    xs = [x for _f, _g, x, _y in shaped]
    first, last = _word_gids("الطفل"), _word_gids("التدليك")
    # drawn left to right: the last logical word first, the first logical word at the right
    assert gids[: len(last)] == last
    assert gids[-len(first) :] == first
    assert xs == sorted(xs)
    assert len(set(gids)) > 5  # letters joined into contextual forms, not isolated
    assert _word_gids("ل") != _word_gids("الطفل")[-1:]


def test_arabic_with_url_and_number_keeps_their_order() -> None:
    shaped = glyphs("زوروا www.example.org لمدة 10 دقائق", lang="ar", direction="rtl")
    space = _glyph_of("NotoSans", " ")
    latin = [(f, g) for f, g, _x, _y in shaped if f == "NotoSans" and g != space]
    assert latin == [(f, g) for f, g, _x, _y in glyphs("www.example.org")]  # one LTR run
    digits = [g for f, g, _x, _y in shaped if f.startswith("NotoNaskh")]
    one, zero = _glyph_of("NotoNaskhArabic", "1"), _glyph_of("NotoNaskhArabic", "0")
    assert digits.index(one) < digits.index(zero)  # "10", not "01"
    # the first word is at the right end, the last at the left end
    gids = [g for _f, g, _x, _y in shaped]
    assert gids[-len(_word_gids("زوروا")) :] == _word_gids("زوروا")
    assert gids[: len(_word_gids("دقائق"))] == _word_gids("دقائق")


def test_bidi_levels_come_from_python_bidi() -> None:
    assert bidi.levels("abc الطفل 10", False) == (0,) * 4 + (1,) * 5 + (1, 2, 2)
    assert bidi.levels("زوروا www.x.org", True) == (1,) * 6 + (2,) * 9
    # astral characters (4 UTF-8 bytes) and text that looks like the debug output
    tricky = 'a 𝒳 levels: [\n    ], "ب" Level(7,)'
    levels = bidi.levels(tricky, True)
    assert len(levels) == len(tricky)
    assert levels[tricky.index("ب")] == 1 and levels[0] == 2


def test_left_to_right_text_never_calls_python_bidi(monkeypatch) -> None:
    import bidi as python_bidi

    def refuse(*args, **kwargs):
        raise AssertionError("python-bidi called for left-to-right text")

    monkeypatch.setattr(python_bidi, "get_display", refuse)
    assert bidi.levels("only Latin text, 42 (ok)", False) == (0,) * 24
    with pytest.raises(AssertionError):
        bidi.levels("only Latin text, 42 (in RTL)", True)


def test_new_emoji_next_to_arabic_does_not_crash() -> None:
    """U+1FAE8 (Unicode 15) is not in Python 3.11's Unicode data; the old bidi code
    failed on it (exit 2). It is drawn as .notdef, and `missing` reports it."""
    text = "الطفل 🫨 يحب"
    assert len(bidi.levels(text, True)) == len(text)
    b = box(text, lang="ar", direction="rtl")
    b.measure(200)
    assert b.line_texts() == [text]
    assert FONTS.missing(text) == [(6, "🫨")]
    assert "الطفل" in extract(render([b]))


def test_rtl_wrap_is_logical_and_aligned_right() -> None:
    words = SAMPLES["ar"].split()
    b = box(SAMPLES["ar"], lang="ar", direction="rtl")
    b.measure(120)
    lines = b.line_texts()
    assert len(lines) > 1
    assert " ".join(lines).split() == words  # first line holds the first words
    for placed in b.placed_lines():
        assert placed.x + placed.line.width == pytest.approx(120)
    right = max(r for _c, _l, _b, r, _t in ink(render([b], width=120)))
    assert right <= 20 + 120 + 1  # right edge of the frame


# ----------------------------------------------------------------- line breaking
@pytest.mark.parametrize("width", range(40, 260, 7))
def test_chinese_lines_never_start_with_closing_punctuation(width: int) -> None:
    b = box(ZH_LONG, TextStyle(size=10), lang="zh")
    b.measure(width)
    lines = b.line_texts()
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
    b = box(text, style, lang=lang, direction=DIRECTION.get(lang, "ltr"))
    b.measure(width)
    assert b.natural_width() <= width + 1e-6
    for line in b.lines:
        assert line.width <= width + 1e-6
        assert width_of(line.text, style, lang) <= width + 1e-6


def test_long_word_is_broken_by_characters() -> None:
    b = box("Supercalifragilisticexpialidocious", TextStyle(size=10))
    b.measure(40)
    assert b.lines_count > 2
    assert "".join(b.line_texts()) == "Supercalifragilisticexpialidocious"


def test_spaces_and_hyphens_are_break_points() -> None:
    style = TextStyle(size=10)
    b = box("Mát-xa cho bé", style, lang="vi")
    b.measure(width_of("Mát-xa cho", style) + 0.5)
    assert b.line_texts() == ["Mát-xa cho", "bé"]
    b.measure(width_of("Mát-x", style))
    assert b.line_texts()[0] == "Mát-"


def test_a_number_range_is_not_broken_at_its_dash() -> None:
    """'4–6 times' keeps '4–6' on one line (a word with a hyphen may break after it)."""
    style = TextStyle(size=10)
    b = box("each leg 4\u20136 times", style)
    b.measure(width_of("each leg 4\u2013", style) + 0.5)
    assert b.line_texts() == ["each leg", "4\u20136 times"]
    assert breaks.opportunities("4\u20136 x-y", [True] * 7) == (4, 6)


def test_a_dictionary_breaker_can_be_plugged_in(monkeypatch) -> None:
    thai = "สวัสดีครับ"  # "hello" (polite), two words, no space between them
    starts = [True] * (len(thai) + 1)
    monkeypatch.setattr(breaks, "WORD_BREAKERS", {})
    assert breaks.opportunities(thai, starts) == ()
    monkeypatch.setitem(breaks.WORD_BREAKERS, "Thai", lambda line: [2, 9])  # 2: not Thai
    assert breaks.opportunities("Hi " + thai, [True] * 14) == (3, 9)


def test_paragraph_is_measured_once_for_every_size() -> None:
    small = Paragraph(FONTS, SAMPLES["en"], TextStyle(size=10))
    large = Paragraph(FONTS, SAMPLES["en"], TextStyle(size=20))
    assert small.parts[0][0] is large.parts[0][0]  # the shaped hard line is shared
    assert [x.text for x in small.lines(100)] == [x.text for x in large.lines(200)]
    assert large.natural_width() == pytest.approx(2 * small.natural_width())


# ----------------------------------------------------------------- the box
def test_forced_line_breaks_and_split() -> None:
    style = TextStyle(size=10, leading=1.2, space_before=3, space_after=4)
    text = "one\ntwo\n\nfour five six seven eight nine ten eleven twelve"
    b = box(text, style, bullet="•", bullet_width=8)
    b.measure(45 + 8)
    lines = b.line_texts()
    assert lines[:4] == ["one", "two", "", "four five"]
    lh = 12.0
    head, tail = b.split(45 + 8, lh * 5 + 1)
    assert head.measure(45 + 8) == pytest.approx(5 * lh)
    tail.measure(45 + 8)
    assert head.line_texts() + tail.line_texts() == lines
    assert head.bullet == "•" and tail.bullet is None
    assert (head.style.space_before, head.style.space_after) == (3, 0)
    assert (tail.style.space_before, tail.style.space_after) == (0, 4)
    # parts re-wrap at another width without losing text
    tail.measure(200)
    assert tail.line_texts() == [" ".join(lines[5:])]
    assert b.split(45 + 8, 5) == []
    assert b.split(45 + 8, 1000) == [b]


def test_alignment_and_baselines() -> None:
    style = TextStyle(size=10, align="end")
    b = box("abc\nabcdef", style)
    b.measure(100)
    assert b.natural_width() == pytest.approx(width_of("abcdef", style))
    first, second = b.placed_lines()
    assert first.x + first.line.width == pytest.approx(100)
    assert second.x + second.line.width == pytest.approx(100)
    lh = 13.0  # half-leading above, 0.8 em ascent
    assert first.y == pytest.approx(2 * lh - (1.5 + 8))
    assert second.y == pytest.approx(first.y - lh)
    assert ink(render([b], width=100))[2][3] == pytest.approx(120, abs=1.5)  # "c"
    centred = box("abc", TextStyle(size=10, align="center"))
    centred.measure(100)
    (only,) = centred.placed_lines()
    assert only.x == pytest.approx((100 - only.line.width) / 2)


def test_rtl_bullet_hangs_on_the_right() -> None:
    b = box("الطفل", lang="ar", direction="rtl", bullet="•", bullet_width=20)
    b.measure(200)
    assert b.natural_width() <= 200
    bullet = b.placed_bullet()
    assert bullet is not None
    assert bullet.x + bullet.line.width == pytest.approx(200)
    assert bullet.y == b.placed_lines()[0].y
    (text_line,) = b.placed_lines()
    assert text_line.x + text_line.line.width == pytest.approx(180)  # left of the bullet
    chars = ink(render([b], width=200))
    bullet_left = next(left for c, left, *_ in chars if c == "•")
    assert bullet_left > 20 + 200 - 20 - 1


def inked_columns(pdf: bytes, scale: float = 8) -> tuple[float, float]:
    """Left and right edge of everything drawn on page 1, pt (from a rendering)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[0].render(scale=scale, grayscale=True).to_pil()
    finally:
        doc.close()
    left, _top, right, _bottom = image.point(lambda v: 255 if v < 128 else 0).getbbox()
    return left / scale, right / scale


@pytest.mark.parametrize(
    ("text", "lang", "direction"),
    [
        ("Page 1 of 2", "en", "ltr"),
        ("الصفحة 1 من 2", "ar", "rtl"),
        ("第 1 页，共 2 页", "zh", "ltr"),
    ],
)
def test_single_line_centres_and_extracts(text: str, lang: str, direction: str) -> None:
    style = TextStyle(size=9, align="center")
    line = TextBox.line(FONTS, text, style, lang=lang, direction=direction)
    line.measure(30)  # narrower than the text: a single line never wraps
    assert line.line_texts() == [text]
    line.measure(300)
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=(300, 100), invariant=1)
    draw(canv, line, 0, 40)
    canv.showPage()
    canv.save()
    pdf = buf.getvalue()
    assert norm(extract(pdf), lang) == norm(text, lang)
    left, right = inked_columns(pdf)
    assert right - left > 30
    assert (left + right) / 2 == pytest.approx(150, abs=0.75)  # the page's centre
    # the boxes pdfium gives the characters agree
    chars = ink(pdf)
    middle = (min(c[1] for c in chars) + max(c[3] for c in chars)) / 2
    assert middle == pytest.approx(150, abs=1.0)


def test_single_line_turns_line_breaks_into_spaces() -> None:
    line = TextBox.line(FONTS, "Page 1\nof 2", TextStyle())
    line.measure(10)
    assert line.line_texts() == ["Page 1 of 2"]


# ----------------------------------------------------------------- PDF output
@pytest.mark.parametrize("lang", list(SAMPLES))
@pytest.mark.parametrize("width", [500, 160])
def test_extracted_text_is_the_input(lang: str, width: float) -> None:
    text = SAMPLES[lang]
    b = box(text, TextStyle(size=11), lang=lang, direction=DIRECTION.get(lang, "ltr"))
    out = extract(render([b], width=width))
    assert norm(out, lang) == norm(text, lang)


def test_output_is_deterministic() -> None:
    def build() -> bytes:
        return render([box(t, lang=k) for k, t in SAMPLES.items()])

    first = build()
    render([box("لا إله مُحَمَّد ffi fl", lang="ar")])  # other glyphs in between
    assert build() == first
