"""The class booklet, read back from its PDFs as an instructor's printer would see them."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
from pypdf import PdfReader

from printshop.catalog.jobs import Job, Result, build_one, bundle_for
from printshop.content.layouts import load_layout
from printshop.content.load import load_course
from printshop.content.resolve import course_info, resolve, technique_ids
from printshop.errors import UserError
from printshop.layout.registry import registry
from printshop.pdf.impose import saddle_order

from .conftest import ROOT
from .docs import texts
from .pdfcheck import (
    MM,
    body_limits,
    decode_qr_codes,
    find_chars,
    fonts_embedded,
    normalise,
    page_chars,
    page_texts,
)

COURSE = ROOT / "courses" / "example.yaml"
BOOKLETS = ["booklet-a5", "booklet-letter"]
TRIM = {"booklet-a5": (419.53, 595.28), "booklet-letter": (396.0, 612.0)}
SHEET = {"booklet-a5": (841.89, 595.28), "booklet-letter": (792.0, 612.0)}


@pytest.fixture(scope="module")
def booklet_results(tmp_path_factory, project) -> dict[tuple[str, str], Result]:
    """English and Arabic booklets with the example course, in both layouts."""
    out = tmp_path_factory.mktemp("booklets")
    results = {}
    for lang in ("en", "ar"):
        for layout in BOOKLETS:
            job = Job("infant-massage", lang, layout, out, course=COURSE)
            result = build_one(project, job, force=True)
            assert result.status == "built", result.messages
            results[(lang, layout)] = result
    return results


@pytest.fixture(scope="module")
def booklets(booklet_results) -> dict[tuple[str, str], Job]:
    return {key: result.job for key, result in booklet_results.items()}


def course_doc(project, lang: str = "en"):
    doc = resolve(bundle_for(project, "infant-massage"), lang)
    return doc.with_course(
        course_info(load_course(COURSE, technique_ids(bundle_for(project, "infant-massage").topic)))
    )


def folios(path: Path, halves: int = 1) -> list[int | None]:
    """The printed page number at the foot of each page (or each half of a sheet side)."""
    found: list[int | None] = []
    for page in pdfium.PdfDocument(str(path)):
        width, _height = page.get_size()
        textpage = page.get_textpage()
        digits: list[list[tuple[float, str]]] = [[] for _ in range(halves)]
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            left, bottom, _right, _top = textpage.get_charbox(i)
            if char.isdigit() and bottom < 13 * MM:
                half = min(halves - 1, int(left // (width / halves)))
                digits[half].append((left, char))
        for half in digits:
            text = "".join(ch for _x, ch in sorted(half))
            found.append(int(text) if text else None)
    return found


def outline(path: Path) -> list[tuple[str, int, int]]:
    """(title, level, 0-based page) for every outline entry."""
    reader = PdfReader(str(path))
    entries = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                entries.append((item.title, level, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return entries


@pytest.mark.parametrize("layout", BOOKLETS)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_pages_are_a_multiple_of_four_at_trim_size(booklets, lang, layout):
    reader = PdfReader(str(booklets[(lang, layout)].path))
    assert len(reader.pages) % 4 == 0 and len(reader.pages) >= 16
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(TRIM[layout], abs=0.1)


@pytest.mark.parametrize("layout", BOOKLETS)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_printed_numbers_and_page_labels_match(booklets, lang, layout):
    path = booklets[(lang, layout)].path
    printed = folios(path)
    count = len(printed)
    assert printed[0] is None and printed[-1] is None  # covers carry no number
    assert printed[1:-1] == list(range(2, count))
    assert PdfReader(str(path)).page_labels == [str(n) for n in range(1, count + 1)]


def expected_sides(count: int, rtl: bool) -> list[int]:
    """1-based page on each half of each sheet side, left half first, worked out by hand:
    the outermost sheet carries the last page and page 1 on its front, 2 and the
    second-to-last on its back, and so on inwards; right-to-left booklets swap halves."""
    halves = []
    for k in range(count // 4):
        front = [count - 2 * k, 2 * k + 1]
        back = [2 * k + 2, count - 2 * k - 1]
        halves += [*(reversed(front) if rtl else front), *(reversed(back) if rtl else back)]
    return halves


@pytest.mark.parametrize("layout", BOOKLETS)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_imposed_sheets_carry_pages_in_saddle_stitch_order(booklets, lang, layout):
    job = booklets[(lang, layout)]
    count = len(PdfReader(str(job.path)).pages)
    imposed = PdfReader(str(job.imposed_path))
    assert len(imposed.pages) == count // 2
    for page in imposed.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(SHEET[layout], abs=0.1)
    expected = expected_sides(count, rtl=lang == "ar")
    printed = [None if n in (1, count) else n for n in expected]
    assert folios(job.imposed_path, halves=2) == printed
    prefs = imposed.trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Duplex"] == "/DuplexFlipShortEdge"
    assert prefs["/PrintScaling"] == "/None"


def test_saddle_order_folds_into_reading_order():
    for count in (4, 8, 28):
        sides = saddle_order(count)
        assert sorted(p for side in sides for p in side) == list(range(count))
        # stacked sheets folded: the right half of each front, then the back, reads on
        assert [side[1] for side in sides[0::2]] == list(range(0, count // 2, 2))
        assert [side[0] for side in sides[1::2]] == list(range(1, count // 2, 2))
    assert saddle_order(8, rtl=True)[0] == (0, 7)
    with pytest.raises(UserError):
        saddle_order(6)


@pytest.mark.parametrize("layout", BOOKLETS)
def test_every_selected_technique_has_its_own_page_in_course_order(booklets, project, layout):
    path = booklets[("en", layout)].path
    doc = course_doc(project)
    texts = page_texts(path)
    entries = [(title, page) for title, level, page in outline(path) if level == 1]
    assert [title for title, _p in entries] == [t.title for t in doc.step_items()]
    assert len(doc.step_items()) == 13 and "knees-to-tummy" not in [t.id for t in doc.step_items()]
    pages = [page for _t, page in entries]
    assert pages == list(range(pages[0], pages[0] + len(pages)))  # one page each, in a row
    for tech, page in zip(doc.step_items(), pages, strict=True):
        text = texts[page]
        assert normalise(tech.title) in text
        for step in tech.steps:
            assert normalise(step) in text
        assert normalise(tech.tip) in text
        assert tech.short_url in text.replace(" ", "")
        others = [t for t in doc.step_items() if t is not tech and len(t.steps[0]) > 20]
        assert not any(normalise(t.steps[0]) in text for t in others)


@pytest.mark.parametrize("layout", BOOKLETS)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_contents_page_numbers_match_where_sections_start(booklets, project, lang, layout):
    path = booklets[(lang, layout)].path
    texts = page_texts(path)
    marks = outline(path)
    sections = [title for title, level, _p in marks if level == 0]
    doc = course_doc(project, lang)
    for key in ("welcome_heading", "benefits_heading", "routine_heading", "references_heading"):
        assert doc.label(key) in sections
    contents = texts[1]
    listed = [
        (title, page) for title, _level, page in marks if title != doc.label("contents_heading")
    ]
    for title, page in listed:
        # the contents prints the title and then its page number
        found = re.search(re.escape(normalise(title)) + r"\s*(\d+)", contents)
        if lang == "ar":  # right-to-left: the number comes first in the extracted text
            found = found or re.search(r"(\d+)\s*" + re.escape(normalise(title)), contents)
        assert found, (title, contents[:300])
        assert int(found.group(1)) == page + 1, title
        if title == doc.label("all_techniques_heading"):  # no heading of its own:
            title = doc.step_items()[0].title  # the section opens with the first stroke
        assert normalise(title) in texts[page], (title, page)


def test_outline_has_every_section_and_technique(booklets, project):
    path = booklets[("en", "booklet-a5")].path
    doc = course_doc(project)
    titles = [title for title, _l, _p in outline(path)]
    assert len(titles) == len(set(titles)), titles  # each entry once, pages shared or not
    for key in (
        "contents_heading",
        "welcome_heading",
        "benefits_heading",
        "preparation_heading",
        "cues_heading",
        "all_techniques_heading",
        "routine_heading",
        "practice_log_heading",
        "notes_heading",
        "safety_heading",
        "references_heading",
    ):
        assert doc.label(key) in titles, key
    assert all(t.title in titles for t in doc.step_items())


@pytest.mark.parametrize("layout", BOOKLETS)
def test_body_text_is_never_below_the_minimum(booklet_results, project, layout):
    """Each one-page section is fitted on its own; the build reports the smallest body
    size it used. Read back from the pages: body text (technique steps, safety and help
    items, the sources' note) is set at one size per page, the smallest of them is the
    reported size, all are within the layout's range, and no text runs past the bottom
    margin (had fitting not run, a full page would)."""
    result = booklet_results[("en", layout)]
    design, minimum, bottom = body_limits(ROOT / "layouts" / f"{layout}.yaml")
    doc = course_doc(project)
    strings = [*(step for t in doc.step_items() for step in t.steps), *texts(doc, "warning-box")]
    strings += [*texts(doc, "help-box"), doc.label("evidence_note")]
    measured = {}
    for index, chars in enumerate(page_chars(result.job.path)):
        sizes = {round(c.size, 2) for text in strings for c in find_chars(chars, text)}
        if sizes:
            assert len(sizes) == 1, (index, sizes)
            measured[index] = sizes.pop()
        # below the bottom margin only the page number: no text has run out of its page
        low = "".join(c.text for c in chars if c.bottom < bottom and not c.text.isspace())
        low = low.replace(doc.label("draft_mark").replace(" ", ""), "")  # the folio's draft mark
        assert low == "" or low.isdigit(), (index, low[:80])
    assert len(measured) >= len(doc.step_items()) + 2  # every stroke, safety, sources
    assert min(measured.values()) == pytest.approx(result.body_size, abs=0.01)
    assert all(minimum <= size <= design for size in measured.values()), measured


def test_document_metadata(booklets):
    reader = PdfReader(str(booklets[("ar", "booklet-a5")].path))
    arabic = yaml.safe_load((ROOT / "handouts/infant-massage/ar.yaml").read_text("utf-8"))
    assert reader.metadata.title == arabic["title"] == "تدليك طفلك"  # in logical order
    assert reader.metadata.subject == arabic["subtitle"]
    assert reader.metadata.author == "Sam Example"
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    imposed = PdfReader(str(booklets[("ar", "booklet-a5")].imposed_path))
    assert imposed.metadata.title == "تدليك طفلك"
    assert imposed.metadata.author == "Sam Example"
    assert imposed.trailer["/Root"]["/Lang"] == "ar"


@pytest.mark.parametrize("layout", BOOKLETS)
def test_qr_codes_decode_to_the_technique_urls(booklets, project, layout):
    path = booklets[("en", layout)].path
    doc = course_doc(project)
    codes = decode_qr_codes(path)
    technique_pages = [page for _t, level, page in outline(path) if level == 1]
    for tech, page in zip(doc.step_items(), technique_pages, strict=True):
        assert codes[page] == ([tech.video_url] if tech.video_url else []), tech.id
    assert sum(len(c) for c in codes) == sum(1 for t in doc.step_items() if t.video_url)


@pytest.mark.parametrize("layout", BOOKLETS)
def test_all_fonts_embedded(booklets, layout):
    for lang in ("en", "ar"):
        fonts = fonts_embedded(booklets[(lang, layout)].path)
        assert fonts and all(embedded for _name, embedded in fonts), fonts


def test_course_details_are_printed(booklets):
    text = " ".join(page_texts(booklets[("en", "booklet-a5")].path))
    for detail in ("Sam Example", "Little Hands Baby Massage", "Riverside Family Centre", "Week 3"):
        assert detail in text


def test_crop_marks_and_bleed(tmp_path, project):
    job = Job("infant-massage", "en", "booklet-a5", tmp_path, marks=True)
    result = build_one(project, job, force=True)
    assert result.status == "built", result.messages
    bleed = 3 * MM
    page = PdfReader(str(job.path)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(TRIM["booklet-a5"][0] + 2 * bleed, abs=0.1)
    assert float(page.trimbox.width) == pytest.approx(TRIM["booklet-a5"][0], abs=0.1)
    sheet = PdfReader(str(job.imposed_path)).pages[0]
    assert float(sheet.trimbox.width) == pytest.approx(2 * TRIM["booklet-a5"][0], abs=0.1)
    assert float(sheet.mediabox.width) > float(sheet.bleedbox.width) > float(sheet.trimbox.width)
    assert len(PdfReader(str(job.imposed_path)).pages) * 2 == result.pages


def test_booklet_without_course_has_every_technique(tmp_path, project):
    job = Job("infant-massage", "zh-Hans", "booklet-a5", tmp_path)
    result = build_one(project, job, force=True)
    assert result.status == "built", result.messages
    doc = resolve(bundle_for(project, "infant-massage"), "zh-Hans")
    entries = [title for title, level, _p in outline(job.path) if level == 1]
    assert entries == [t.title for t in doc.step_items()]


def test_course_errors_name_file_and_line(tmp_path, project):
    bad = tmp_path / "course.yaml"
    text = COURSE.read_text().replace("  - leg-roll\n", "  - leg-rol\n", 1)
    bad.write_text(text)
    with pytest.raises(UserError) as caught:
        load_course(bad, technique_ids(bundle_for(project, "infant-massage").topic))
    messages = [str(p) for p in caught.value.problems]
    assert any("leg-rol" in m and "did you mean 'leg-roll'" in m and ":18:" in m for m in messages)
    assert any("not in the course's techniques" in m for m in messages)
    result = build_one(project, Job("infant-massage", "en", "booklet-a5", tmp_path, course=bad))
    assert result.status == "failed" and "course.yaml" in result.messages[0]


def test_booklet_layouts_need_parts_and_imposition(tmp_path):
    text = (ROOT / "layouts" / "booklet-a5.yaml").read_text()
    broken = tmp_path / "booklet-a5.yaml"
    broken.write_text(text.split("parts:")[0])
    with pytest.raises(UserError) as caught:
        load_layout(broken, registry())
    assert "missing key 'parts'" in str(caught.value.problems[0])
    broken.write_text(text.replace("imposition:", "# imposition:"))
    with pytest.raises(UserError) as caught:
        load_layout(broken, registry())
    assert "needs 'imposition'" in str(caught.value.problems[0])


def test_two_builds_are_byte_identical(tmp_path, project):
    outputs = []
    for name in ("a", "b"):
        job = Job("infant-massage", "en", "booklet-letter", tmp_path / name, course=COURSE)
        build_one(project, job, force=True)
        outputs.append((job.path.read_bytes(), job.imposed_path.read_bytes()))
    assert outputs[0] == outputs[1]
