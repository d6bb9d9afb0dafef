"""The class booklet, read back from its PDFs as an instructor's printer would see them.

Structure, imposition, contents, metadata and the course file are tested on the test
topic (tests/project: English and a Persian right-to-left draft, with its course);
the shipped booklets are tested where the shipped content is the point: they build,
their QR codes open the right videos, their fonts are embedded and their text is never
set below the minimum.
"""

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

from .conftest import ROOT, SMALL_PROJECT, SMALL_TOPIC
from .docs import texts
from .pdfcheck import (
    MM,
    body_limits,
    decode_qr_codes,
    find_chars,
    fonts_embedded,
    normalise,
    outline,
    page_chars,
    page_texts,
)

COURSE = ROOT / "courses" / "example.yaml"
SMALL_COURSE = SMALL_PROJECT / "courses" / "class.yaml"
SMALL_DIR = SMALL_PROJECT / "handouts" / SMALL_TOPIC
BOOKLETS = ["booklet-a5", "booklet-letter"]
LANGS = ["en", "fa"]
TRIM = {"booklet-a5": (419.53, 595.28), "booklet-letter": (396.0, 612.0)}
SHEET = {"booklet-a5": (841.89, 595.28), "booklet-letter": (792.0, 612.0)}


def read_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def small_text(lang: str) -> dict:
    """The test topic's language file, read with plain YAML."""
    return read_yaml(SMALL_DIR / f"{lang}.yaml")


def shown(text: str) -> str:
    """Text as extracted from the page: a zero-width non-joiner (Persian) reads as a space."""
    return normalise(text.replace("\u200c", " "))


def small_moves(lang: str) -> list[tuple[str, dict]]:
    """(id, texts) of the step items in the course's order."""
    moves = small_text(lang)["moves"]
    return [(move, moves[move]) for move in read_yaml(SMALL_COURSE)["techniques"]]


@pytest.fixture(scope="module")
def shipped_results(tmp_path_factory, project) -> dict[tuple[str, str], Result]:
    """The shipped topic's booklets with the example course: English in both layouts,
    Arabic in A5."""
    out = tmp_path_factory.mktemp("booklets")
    results = {}
    for lang, layout in (("en", "booklet-a5"), ("en", "booklet-letter"), ("ar", "booklet-a5")):
        job = Job("infant-massage", lang, layout, out, course=COURSE)
        result = build_one(project, job, force=True)
        assert result.status == "built", result.messages
        results[(lang, layout)] = result
    return results


@pytest.fixture(scope="module")
def booklets(small_built) -> dict[tuple[str, str], Job]:
    """The test topic's booklets (with its course), by language and layout."""
    return {
        (lang, layout): small_built[(lang, layout)].job for lang in LANGS for layout in BOOKLETS
    }


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


def page_size(page) -> tuple[float, float]:
    return float(page.mediabox.width), float(page.mediabox.height)


# ----------------------------------------------------------------- pages and imposition
def notes_pages(path: Path, lang: str) -> int:
    """Pages that open with the notes heading (the contents page only lists it)."""
    heading = shown(small_text(lang)["ui"]["notes_heading"])
    return sum(text.startswith(heading) for text in page_texts(path))


@pytest.mark.parametrize("layout", BOOKLETS)
@pytest.mark.parametrize("lang", LANGS)
def test_pages_are_a_multiple_of_four_at_trim_size(booklets, lang, layout):
    """With the course: cover, contents, welcome with the class plan and the reasons,
    signals, 2 moves, routine, log, notes, safety, sources, back cover: 12 pages, so no
    page is added."""
    path = booklets[(lang, layout)].path
    reader = PdfReader(str(path))
    assert len(reader.pages) == 12
    for page in reader.pages:
        assert page_size(page) == pytest.approx(TRIM[layout], abs=0.1)
    assert notes_pages(path, lang) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_a_short_booklet_is_padded_with_notes_pages(small_booklets, lang):
    """Without a course the signals share the welcome page: 11 pages of content, and one
    more notes page makes 12."""
    path = small_booklets[lang]
    assert len(PdfReader(str(path)).pages) == 12
    assert notes_pages(path, lang) == 2


@pytest.mark.parametrize("layout", BOOKLETS)
@pytest.mark.parametrize("lang", LANGS)
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
@pytest.mark.parametrize("lang", LANGS)
def test_imposed_sheets_carry_pages_in_saddle_stitch_order(booklets, lang, layout):
    job = booklets[(lang, layout)]
    count = len(PdfReader(str(job.path)).pages)
    imposed = PdfReader(str(job.imposed_path))
    assert len(imposed.pages) == count // 2
    for page in imposed.pages:
        assert page_size(page) == pytest.approx(SHEET[layout], abs=0.1)
    expected = expected_sides(count, rtl=lang == "fa")
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


# ----------------------------------------------------------------- contents and course
@pytest.mark.parametrize("layout", BOOKLETS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_selected_item_has_its_own_page_in_course_order(booklets, lang, layout):
    path = booklets[(lang, layout)].path
    moves = small_moves(lang)
    assert [m for m, _t in moves] == ["wrist-circle", "shoulder-roll"]  # not topic order
    pages = page_texts(path)
    entries = [(title, page) for title, level, page in outline(path) if level == 1]
    assert [title for title, _p in entries] == [words["title"] for _m, words in moves]
    numbers = [page for _t, page in entries]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))  # one page each
    for (move, words), number in zip(moves, numbers, strict=True):
        text = pages[number]
        assert shown(words["title"]) in text
        assert all(shown(step) in text for step in words["steps"])
        assert shown(words["tip"]) in text
        others = [t for m, t in moves if m != move]
        assert not any(shown(t["steps"][0]) in text for t in others)


@pytest.mark.parametrize("layout", BOOKLETS)
@pytest.mark.parametrize("lang", LANGS)
def test_contents_page_numbers_match_where_sections_start(booklets, lang, layout):
    path = booklets[(lang, layout)].path
    pages = page_texts(path)
    marks = outline(path)
    labels = small_text(lang)["ui"]
    sections = [title for title, level, _p in marks if level == 0]
    for key in ("welcome_heading", "why_heading", "routine_heading", "references_heading"):
        assert labels[key] in sections, key
    contents = pages[1]
    listed = [(title, page) for title, _level, page in marks if title != labels["contents_heading"]]
    assert len(listed) == 11  # 9 sections and parts, 2 moves
    for title, page in listed:
        # the contents prints the title and then its page number
        found = re.search(re.escape(shown(title)) + r"\s*(\d+)", contents)
        if lang == "fa":  # right-to-left: the number comes first in the extracted text
            found = found or re.search(r"(\d+)\s*" + re.escape(shown(title)), contents)
        assert found, (title, contents[:300])
        assert int(found.group(1)) == page + 1, title
        if title == labels["moves_heading"]:  # no heading on the page of its own:
            title = small_moves(lang)[0][1]["title"]  # the section opens with its first move
        assert shown(title) in pages[page], (title, page)


def test_outline_has_every_section_and_item(booklets):
    path = booklets[("en", "booklet-a5")].path
    labels = small_text("en")["ui"]
    titles = [title for title, _l, _p in outline(path)]
    assert len(titles) == len(set(titles)), titles  # each entry once, pages shared or not
    for key in (
        "contents_heading",
        "welcome_heading",
        "why_heading",
        "signals_heading",
        "moves_heading",
        "routine_heading",
        "practice_log_heading",
        "notes_heading",
        "careful_heading",
        "references_heading",
    ):
        assert labels[key] in titles, key
    assert all(words["title"] in titles for _m, words in small_moves("en"))


def test_document_metadata(booklets):
    fa = small_text("fa")
    instructor = read_yaml(SMALL_COURSE)["instructor"]["name"]
    for path in (booklets[("fa", "booklet-a5")].path, booklets[("fa", "booklet-a5")].imposed_path):
        reader = PdfReader(str(path))
        assert reader.metadata.title == fa["title"] == "استراحت پشت میز"  # in logical order
        assert reader.metadata.subject == fa["subtitle"]
        assert reader.metadata.author == instructor == "Robin Coach"
        assert reader.trailer["/Root"]["/Lang"] == "fa"


def test_course_details_are_printed(booklets):
    text = " ".join(page_texts(booklets[("en", "booklet-a5")].path))
    course = read_yaml(SMALL_COURSE)
    details = [course["instructor"]["name"], course["instructor"]["organisation"]]
    details += [course["classes"]["venue"], course["welcome"], "Session 2", "Hands first"]
    for detail in details:
        assert detail in text, detail


def test_crop_marks_and_bleed(tmp_path, small_project):
    job = Job(SMALL_TOPIC, "en", "booklet-a5", tmp_path, marks=True)
    result = build_one(small_project, job, force=True)
    assert result.status == "built", result.messages
    bleed = 3 * MM
    page = PdfReader(str(job.path)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(TRIM["booklet-a5"][0] + 2 * bleed, abs=0.1)
    assert float(page.trimbox.width) == pytest.approx(TRIM["booklet-a5"][0], abs=0.1)
    sheet = PdfReader(str(job.imposed_path)).pages[0]
    assert float(sheet.trimbox.width) == pytest.approx(2 * TRIM["booklet-a5"][0], abs=0.1)
    assert float(sheet.mediabox.width) > float(sheet.bleedbox.width) > float(sheet.trimbox.width)
    assert len(PdfReader(str(job.imposed_path)).pages) * 2 == result.pages


def test_booklet_without_course_has_every_item_in_topic_order(small_booklets):
    topic = read_yaml(SMALL_DIR / "topic.yaml")
    (steps,) = [s for s in topic["sections"] if s["kind"] == "step-cards"]
    for lang, path in small_booklets.items():
        moves = small_text(lang)["moves"]
        entries = [title for title, level, _p in outline(path) if level == 1]
        assert entries == [moves[item["id"]]["title"] for item in steps["items"]], lang


def test_course_errors_name_file_and_line(tmp_path, small_project):
    bad = tmp_path / "course.yaml"
    text = SMALL_COURSE.read_text()
    bad.write_text(text.replace("techniques: [wrist-circle]", "techniques: [wrist-circl]"))
    line = next(n for n, ln in enumerate(bad.read_text().splitlines(), 1) if "wrist-circl]" in ln)
    with pytest.raises(UserError) as caught:
        load_course(bad, technique_ids(bundle_for(small_project, SMALL_TOPIC).topic))
    messages = [str(p) for p in caught.value.problems]
    assert any(
        f"course.yaml:{line}:" in m and "'wrist-circl'" in m and "did you mean 'wrist-circle'" in m
        for m in messages
    ), messages
    job = Job(SMALL_TOPIC, "en", "booklet-a5", tmp_path, course=bad)
    result = build_one(small_project, job)
    assert result.status == "failed" and f"course.yaml:{line}:" in result.messages[0]


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


def test_two_builds_are_byte_identical(tmp_path, small_project):
    outputs = []
    for name in ("a", "b"):
        job = Job(SMALL_TOPIC, "fa", "booklet-letter", tmp_path / name, course=SMALL_COURSE)
        build_one(small_project, job, force=True)
        outputs.append((job.path.read_bytes(), job.imposed_path.read_bytes()))
    assert outputs[0] == outputs[1]


# ----------------------------------------------------------------- the shipped booklets
@pytest.mark.parametrize(
    "key", [("en", "booklet-a5"), ("en", "booklet-letter"), ("ar", "booklet-a5")]
)
def test_shipped_booklets_build_at_trim_size(shipped_results, key):
    result = shipped_results[key]
    reader = PdfReader(str(result.job.path))
    assert len(reader.pages) == result.pages and result.pages % 4 == 0 and result.pages >= 16
    for page in reader.pages:
        assert page_size(page) == pytest.approx(TRIM[key[1]], abs=0.1)
    assert len(PdfReader(str(result.job.imposed_path)).pages) == result.pages // 2


@pytest.mark.parametrize("layout", BOOKLETS)
def test_qr_codes_decode_to_the_technique_urls(shipped_results, project, layout):
    path = shipped_results[("en", layout)].job.path
    doc = course_doc(project)
    assert len(doc.step_items()) == 13 and "knees-to-tummy" not in [t.id for t in doc.step_items()]
    codes = decode_qr_codes(path)
    technique_pages = [page for _t, level, page in outline(path) if level == 1]
    for tech, page in zip(doc.step_items(), technique_pages, strict=True):
        assert codes[page] == ([tech.video_url] if tech.video_url else []), tech.id
    assert sum(len(c) for c in codes) == sum(1 for t in doc.step_items() if t.video_url)


def test_all_fonts_embedded(shipped_results):
    for result in shipped_results.values():
        fonts = fonts_embedded(result.job.path)
        assert fonts and all(embedded for _name, embedded in fonts), fonts


@pytest.mark.parametrize("layout", BOOKLETS)
def test_body_text_is_never_below_the_minimum(shipped_results, project, layout):
    """Each one-page section is fitted on its own; the build reports the smallest body
    size it used. Read back from the pages: body text (technique steps, safety and help
    items, the sources' note) is set at one size per page, the smallest of them is the
    reported size, all are within the layout's range, and no text runs past the bottom
    margin (had fitting not run, a full page would)."""
    result = shipped_results[("en", layout)]
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
