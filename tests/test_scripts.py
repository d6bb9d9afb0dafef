"""Scripts beyond Latin: fonts chosen by data, dictionary line breaking, line height
from the glyphs (Nastaliq, Khmer, Myanmar), a project's own font table, scripts with no
font, and `makebook lang check`. The sample texts live in tests/scripts, a small
content project of its own."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

import printshop.pdf.glyphs  # noqa: F401 - registers the TextBox drawer
from printshop.catalog import readback
from printshop.content.fonttable import builtin_fonts
from printshop.layout.textbox import INK_SLACK, TextBox
from printshop.pdf.glyphs import emit_line
from printshop.project import Project
from printshop.text.paragraph import TextStyle

from .conftest import ROOT, run_cli
from .pdfcheck import fonts_embedded, page_texts

SCRIPTS = ROOT / "tests" / "scripts"  # the specimen project (Urdu in Nastaliq)
FONTS = builtin_fonts(Project.discover(SCRIPTS))
SPECIMEN = SCRIPTS / "handouts" / "specimen"

THAI = (
    "ให้นมลูกทุกสองถึงสามชั่วโมงทั้งกลางวันและกลางคืน ถ้าลูกมีไข้ให้โทรหาโรงพยาบาลทันที "
    "นวดลูกเบาๆทุกวันในเวลาที่ลูกสงบและตื่นอยู่ ล้างมือทุกครั้งก่อนให้นมลูก"
)
URDU = (
    "بچے کی مالش روزانہ کریں۔ دودھ پلانے سے پہلے ہاتھ دھوئیں۔ اگر بچہ رو رہا ہو یا سو رہا "
    "ہو تو مالش نہ کریں۔ گرم کمرے میں، نرم تولیے پر، آہستہ آہستہ ہاتھ پھیریں۔ کھچکھچاہٹ"
)
KHMER = "ម៉ាស្សាកូនថ្នមៗរាល់ថ្ងៃ នៅពេលកូនស្ងប់ និងភ្ញាក់។ ប្រសិនបើកូនក្តៅខ្លួន សូមទូរស័ព្ទទៅមន្ទីរពេទ្យ។"
MYANMAR = "ကလေး အေးအေးဆေးဆေး နိုးနေချိန်တွင် နေ့တိုင်း ညင်ညင်သာသာ နှိပ်နယ်ပေးပါ။ ကလေး ဖျားလျှင် ဆေးရုံကို ဖုန်းဆက်ပါ။"


def icu_word_starts(text: str, locale: str) -> set[int]:
    """Where ICU's word breaker (dictionary based) says words begin."""
    from icu4py.breakers import WordBreaker

    starts, pos = set(), 0
    for piece in WordBreaker(text, locale):
        starts.add(pos)
        pos += len(piece)
    return starts


# ----------------------------------------------------------------- line breaking
@pytest.mark.parametrize("width", [60, 90, 130, 170, 230])
def test_thai_breaks_only_between_words(width: float) -> None:
    """Thai has no spaces between words: every line must end where ICU's word
    dictionary puts a word boundary, never inside a word."""
    box = TextBox(FONTS, THAI, TextStyle(size=10), lang="th")
    box.measure(width)
    lines = box.line_texts()
    assert len(lines) >= 3
    assert "".join(lines).replace(" ", "") == THAI.replace(" ", "")
    words = icu_word_starts(THAI, "th")
    pos = 0
    for line in lines[:-1]:
        pos = THAI.index(line, pos) + len(line)
        while THAI[pos] == " ":
            pos += 1
        assert pos in words, f"line ends inside a word: …{line[-6:]} | {THAI[pos : pos + 6]}…"
    for line in box.lines:
        assert line.width <= width + 1e-6


@pytest.mark.parametrize(
    ("text", "lang"),
    [(KHMER, "km"), (MYANMAR, "my"), ("ນວດລູກເບົາໆທຸກມື້ໃນເວລາທີ່ລູກສະຫງົບ ແລະ ຕື່ນຢູ່", "lo")],
)
def test_khmer_lao_myanmar_break_where_icu_allows(text, lang) -> None:
    """Runs of these scripts are cut by ICU's line breaker: every line starts at a
    break ICU finds in the whole text (offsets mapped right), never on a mark."""
    from icu4py.breakers import LineBreaker

    allowed, pos = set(), 0
    for piece in LineBreaker(text, lang):
        allowed.add(pos)
        pos += len(piece)
    box = TextBox(FONTS, text, TextStyle(size=10), lang=lang)
    box.measure(110)  # wider than any word (a longer word would be cut between clusters)
    assert len(box.lines) >= 3
    for line in box.lines[1:]:
        assert line.start in allowed, line.text
        assert not unicodedata.category(line.text[0]).startswith("M"), line.text


def test_icu_is_loaded_only_for_scripts_that_need_it() -> None:
    """Setting English, Arabic, Chinese... never imports ICU; the first Thai run does."""
    code = (
        "import sys\n"
        "from printshop.content.fonttable import builtin_fonts\n"
        "from printshop.text.paragraph import Paragraph, TextStyle\n"
        "f = builtin_fonts()\n"
        "for t, l in [('Massage your baby', 'en'), ('الطفل يحب', 'ar'), ('每天按摩', 'zh'),\n"
        "             ('शिशु की मालिश', 'hi'), ('Zażółć gęślą', 'pl')]:\n"
        "    Paragraph(f, t, TextStyle(), lang=l).lines(50)\n"
        "before = 'icu4py.breakers' in sys.modules\n"
        "Paragraph(f, 'ทารกชอบการนวด', TextStyle(), lang='th').lines(20)\n"
        "print(before, 'icu4py.breakers' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "True"]


# ----------------------------------------------------------------- line height from the ink
def line_masks(box: TextBox, width: float, dpi: int = 300) -> tuple[list[Image.Image], float]:
    """Each line of a measured box drawn alone, as a 1-bit ink mask of the same page
    (the box's bottom at y = 40 pt), and the scale in pixels per pt."""
    scale = dpi / 72
    masks = []
    for placed in box.placed_lines():
        buf = io.BytesIO()
        canvas = Canvas(buf, pagesize=(width + 40, box.height + 80), invariant=1)
        emit_line(canvas, 20 + placed.x, 40 + placed.y, placed.line, box.style.size, "#000000")
        canvas.showPage()
        canvas.save()
        page = pdfium.PdfDocument(buf.getvalue())[0]
        image = page.render(scale=scale, grayscale=True).to_pil()
        masks.append(image.point(lambda v: 255 if v < 160 else 0).convert("1"))
    return masks, scale


@pytest.mark.parametrize(
    ("text", "lang", "direction", "bold"),
    [
        (URDU, "ur", "rtl", False),
        (URDU, "ur", "rtl", True),
        (KHMER, "km", "ltr", False),
        (MYANMAR, "my", "ltr", False),
    ],
)
def test_tall_scripts_never_overlap_or_leave_their_box(text, lang, direction, bold) -> None:
    """Nastaliq climbs and sinks far past a Latin line (its words cascade), Khmer and
    Myanmar stack below the line: each line, drawn alone and read back as pixels,
    must not touch the next, and all ink stays within the box (plus INK_SLACK)."""
    width = 180.0
    style = TextStyle(size=12, leading=1.25, bold=bold)
    box = TextBox(FONTS, text, style, lang=lang, direction=direction)
    box.measure(width)
    assert len(box.lines) >= 3
    masks, scale = line_masks(box, width)
    for upper, lower in zip(masks, masks[1:], strict=False):
        assert ImageChops.logical_and(upper, lower).getbbox() is None, "two lines' ink overlap"
    union = masks[0]
    for mask in masks[1:]:
        union = ImageChops.logical_or(union, mask)
    _left, first_row, _right, last_row = union.getbbox()
    page_height = (box.height + 80) * scale
    top = page_height - (40 + box.height + INK_SLACK * style.size) * scale
    bottom = page_height - (40 - INK_SLACK * style.size) * scale
    assert first_row >= top - 1 and last_row <= bottom + 1, "ink outside the box"


def one_line_mask(box: TextBox, baseline: float, height: float) -> Image.Image:
    """A one-line box's line drawn alone on a 440 x `height` pt page, as an ink mask."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(440, height), invariant=1)
    placed = box.placed_lines()[0]
    emit_line(canvas, 20 + placed.x, baseline, placed.line, box.style.size, "#000000")
    canvas.showPage()
    canvas.save()
    image = pdfium.PdfDocument(buf.getvalue())[0].render(scale=200 / 72, grayscale=True)
    return image.to_pil().point(lambda v: 255 if v < 160 else 0).convert("1")


def test_stacked_nastaliq_items_never_touch() -> None:
    """A list is a stack of boxes, 2 pt apart at the design size (1.75 pt at the
    10.5 pt minimum). Items of one Nastaliq line (the Arabic handout's short texts,
    set as Urdu) may let their ink reach INK_SLACK past their box, no further: next
    to each other at that gap, no two may touch."""
    texts = [
        text.replace("**", "")
        for text in re.findall(
            r"^ +[a-z_-]+: (\S.{4,40})$",
            (ROOT / "handouts/infant-massage/ar.yaml").read_text(),
            re.M,
        )
        if "{" not in text and not text.startswith((">", '"'))
    ]
    style = TextStyle(size=10.5, leading=1.25)
    boxes = []
    for text in texts:
        box = TextBox(FONTS, text, style, lang="ur", direction="rtl")
        box.measure(400)
        if box.lines_count == 1:
            boxes.append(box)
    assert len(boxes) >= 30
    gap = 1.75
    touching = []
    for upper, lower in zip(boxes, boxes[1:], strict=False):
        height = upper.height + gap + lower.height + 40
        lower_base = 20 + lower.placed_lines()[0].y
        upper_base = 20 + lower.height + gap + upper.placed_lines()[0].y
        both = ImageChops.logical_and(
            one_line_mask(upper, upper_base, height), one_line_mask(lower, lower_base, height)
        )
        if both.getbbox() is not None:
            touching.append((upper.text, lower.text))
    assert touching == []


def test_nastaliq_lines_are_further_apart_than_latin() -> None:
    """Latin keeps the layout's leading exactly; Urdu takes what its glyphs need."""
    style = TextStyle(size=12, leading=1.25)
    latin = TextBox(FONTS, "Massage your baby gently every day. " * 6, style)
    latin.measure(200)
    assert latin.height == pytest.approx(latin.lines_count * 12 * 1.25)
    urdu = TextBox(FONTS, URDU, style, lang="ur", direction="rtl")
    urdu.measure(200)
    assert urdu.spacing.pitch > 1.7 * 12  # Nastaliq: about twice a Latin line
    naskh = TextBox(FONTS, URDU, style, lang="fa", direction="rtl")  # the same letters in Naskh
    naskh.measure(200)
    assert naskh.spacing.pitch < urdu.spacing.pitch


def test_nastaliq_lines_whose_words_do_not_climb_keep_the_fonts_least_line_height() -> None:
    """Short, flat Nastaliq words would sit at the Latin leading (1.25 em), cramped and
    closer than the paragraph's climbing lines elsewhere: fonts.yaml asks 1.7 em."""
    style = TextStyle(size=10.5, leading=1.25)
    urdu = TextBox(FONTS, "وقت سے پہلے پیدا ہونے والے بچے۔ [1, 2, 3, 4]", style, lang="ur")
    urdu.measure(120)
    assert urdu.lines_count >= 2
    assert urdu.spacing.pitch == pytest.approx(1.7 * 10.5)
    one = TextBox(FONTS, "بچے", style, lang="ur")  # one line: no distance to keep
    one.measure(120)
    assert one.height < 1.7 * 10.5


# ----------------------------------------------------------------- fonts by data
def test_every_new_script_is_set_in_its_own_font() -> None:
    expected = {
        "am": "NotoSansEthiopic",
        "ti": "NotoSansEthiopic",
        "he": "NotoSansHebrew",
        "th": "NotoSansThai",
        "ta": "NotoSansTamil",
        "gu": "NotoSansGujarati",
        "pa": "NotoSansGurmukhi",
        "ur": "NotoNastaliqUrdu",
        "fa": "NotoNaskhArabic",
        "my": "NotoSansMyanmar",
        "km": "NotoSerifKhmer",
        "si": "NotoSansSinhala",
        "lo": "NotoLoopedLao",
        "ko": "WenQuanYiMicroHei",
    }
    for lang, family in expected.items():
        text = re.search(r"\n  hands: \"(.*)\"", (SPECIMEN / f"{lang}.yaml").read_text()).group(1)
        letters = [ch for ch in text if ch.isalpha()]
        faces = FONTS.fonts_for_text(text, lang=lang)
        assert {f.family for f, ch in zip(faces, text, strict=True) if ch in letters} == {family}
        assert FONTS.missing(text) == []


def page_text(path: Path) -> str:
    return " ".join(page_texts(path)[0].split())


def copy_project(tmp_path: Path) -> Path:
    """A writable copy of the specimen project."""
    return Path(shutil.copytree(SCRIPTS, tmp_path / "scripts"))


def build(project: Path, lang: str, out: Path):
    return run_cli(
        "--project", str(project), "build", "--topic", "specimen", "--lang", lang,
        "--layout", "specimen-a5", "--out", str(out),
    )  # fmt: skip


def test_a_project_font_table_overrides_the_builtin_one(tmp_path) -> None:
    """A project's own fonts.yaml names the built-in font files without copying them:
    the built-in table sets Urdu in Nastaliq; a project's may set it in Naskh."""
    project = copy_project(tmp_path)
    assert build(project, "ur", tmp_path / "out").returncode == 0
    fonts = [name for name, _e in fonts_embedded(tmp_path / "out/specimen/ur/specimen-a5.pdf")]
    assert any("NotoNastaliqUrdu" in name for name in fonts), fonts
    table = (ROOT / "assets" / "fonts" / "fonts.yaml").read_text(encoding="utf-8")
    table = table.replace("  ur: { Arab: NotoNastaliqUrdu }\n", "  {}\n")
    (project / "fonts.yaml").write_text(
        table.replace("  ur: NotoNastaliqUrdu", "  ur: NotoNaskhArabic")
    )
    result = build(project, "ur", tmp_path / "out2")
    assert result.returncode == 0, result.stderr
    fonts = [name for name, _e in fonts_embedded(tmp_path / "out2/specimen/ur/specimen-a5.pdf")]
    assert any("NotoNaskhArabic" in name for name in fonts), fonts
    assert not any("Nastaliq" in name for name in fonts), fonts


def test_two_files_with_one_postscript_name_are_both_embedded(tmp_path) -> None:
    """reportlab names a subset's objects by its font's PostScript name: a second file
    with the same name (a font and a copy of it) must still get its own embedded font,
    or its glyphs are drawn from the first file's subset."""
    project = copy_project(tmp_path)
    shutil.copy(ROOT / "assets" / "fonts" / "NotoSans-Regular.ttf", project / "Twin.ttf")
    table = (ROOT / "assets" / "fonts" / "fonts.yaml").read_text(encoding="utf-8")
    table = table.replace("families:\n", "families:\n  Twin:\n    regular: Twin.ttf\n", 1)
    table = table.replace("  Grek: NotoSans", "  Grek: Twin").replace(
        "fallback:\n", "fallback:\n  - Twin\n"
    )
    (project / "fonts.yaml").write_text(table, encoding="utf-8")
    en = project / "handouts" / "specimen" / "en.yaml"
    en.write_text(en.read_text().replace("intro: Simple", "intro: Αβγ, simple"))
    result = build(project, "en", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(str(tmp_path / "out/specimen/en/specimen-a5.pdf"))
    files = set()
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        descriptor = font.get_object()["/FontDescriptor"].get_object()
        files.add(descriptor["/FontFile2"].get_object().get_data())
    assert len(files) == len(reader.pages[0]["/Resources"]["/Font"]) >= 3, "fonts share a file"
    assert "Αβγ, simple advice" in page_text(tmp_path / "out/specimen/en/specimen-a5.pdf")


def test_a_family_another_project_also_names_uses_this_projects_file(tmp_path) -> None:
    """Font names are per project: after a build with the built-in NotoSans, a project
    whose NotoSans is another file gets that file embedded, not the one from before."""
    assert build(SCRIPTS, "en", tmp_path / "first").returncode == 0  # built-in NotoSans
    project = copy_project(tmp_path)
    shutil.copy(ROOT / "assets" / "fonts" / "NotoSans-Bold.ttf", project / "Heavy.ttf")
    table = (ROOT / "assets" / "fonts" / "fonts.yaml").read_text(encoding="utf-8")
    table = table.replace("    regular: NotoSans-Regular.ttf", "    regular: Heavy.ttf")
    (project / "fonts.yaml").write_text(table, encoding="utf-8")
    result = build(project, "en", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    path = tmp_path / "out/specimen/en/specimen-a5.pdf"
    assert [name.split("+")[1] for name, _e in fonts_embedded(path)] == ["NotoSans-Bold"] * 2
    assert "Simple advice for the first weeks" in page_text(path)


def test_a_script_without_a_font_fails_with_the_clear_message(tmp_path) -> None:
    """Cherokee has no bundled font: check and build both name the script, the
    character and the file position; no PDF is written."""
    project = copy_project(tmp_path)
    sample = project / "handouts" / "specimen" / "chr.yaml"
    sample.write_text(
        "language:\n  code: chr\n  name: Cherokee\n  native_name: ᏣᎳᎩ\n  direction: ltr\n"
        "  status: draft\ntitle: ᎣᏏᏲ ᎤᏍᏗ\n",
        encoding="utf-8",
    )
    checked = run_cli("--project", str(project), "check", "--topic", "specimen")
    assert checked.returncode == 1
    assert re.search(
        r"chr\.yaml:7:8: title: 6 characters in Cherokee script \(U\+13A3 'Ꭳ'…\) that no "
        r"bundled font covers — add a font \(docs/fonts\.md\) or remove them",
        checked.stderr,
    ), checked.stderr
    built = build(project, "chr", tmp_path / "out")
    assert built.returncode == 1
    assert "Cherokee script" in built.stderr and "Traceback" not in built.stderr
    assert not (tmp_path / "out" / "specimen" / "chr").exists()


# ----------------------------------------------------------------- lang check
def lang_check(project: Path, lang: str, *options: str):
    return run_cli(
        "--project", str(project), "lang", "check", lang, "--topic", "specimen",
        "--layout", "specimen-a5", *options,
    )  # fmt: skip


def test_lang_check_reports_fonts_script_strings_and_read_back() -> None:
    result = lang_check(SCRIPTS, "th")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "th: Thai (ไทย), draft, topic specimen"
    assert lines[1] == "  fonts      ok: every character has a glyph (NotoSans, NotoSansThai)"
    assert lines[2] == "  script     Thai 100%; direction ltr: ok"
    assert lines[3].startswith("  strings    10 of 35 translated; 25 print in en: ui.help_")
    why = readback.why_not_readable("th")
    if why is None:
        assert re.fullmatch(
            r"  read-back  ok: word-pair precision 0\.\d\d \(\d+ of \d+ pairs; bar 0\.85\); "
            r"page 1 of specimen-a5 at 250 dpi, Tesseract 'tha'",
            lines[4],
        ), lines[4]
    else:
        assert lines[4] == f"  read-back  skipped: {why}"
    assert lines[-1] == "ok: th is ready to print"


def test_lang_check_warns_when_the_direction_contradicts_the_script(tmp_path) -> None:
    project = copy_project(tmp_path)
    sample = project / "handouts" / "specimen" / "ur.yaml"
    sample.write_text(sample.read_text().replace("direction: rtl", "direction: ltr"))
    result = lang_check(project, "ur", "--no-ocr")
    assert result.returncode == 0
    assert "  script     Arabic 100%; direction ltr: should be rtl" in result.stdout
    assert re.search(
        r"warning: .*ur\.yaml:7:3: direction is ltr, but Arabic script is written rtl; "
        r"set `direction: rtl`",
        result.stderr,
    ), result.stderr


def test_lang_check_lists_stale_strings_and_fails_on_missing_glyphs(tmp_path) -> None:
    project = copy_project(tmp_path)
    assert run_cli("--project", str(project), "lang", "mark", "he", "--topic", "specimen")
    en = project / "handouts" / "specimen" / "en.yaml"
    en.write_text(en.read_text().replace("Call the hospital", "Phone the hospital"))
    stale = lang_check(project, "he", "--no-ocr")
    assert stale.returncode == 0, stale.stderr
    assert "; 1 stale: care.fever" in stale.stdout
    sample = project / "handouts" / "specimen" / "he.yaml"
    sample.write_text(sample.read_text().replace("טיפול בתינוק", "טיפול ⵣ בתינוק"))
    result = lang_check(project, "he")
    assert result.returncode == 1
    assert "  fonts      1 string has characters no font has" in result.stdout
    assert "  read-back  skipped: fix the missing glyphs first" in result.stdout
    assert re.search(r"he\.yaml:\d+:\d+: title: 1 character in Tifinagh", result.stderr)
    assert "ok:" not in result.stdout
