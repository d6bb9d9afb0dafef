"""The discharge handout, read back from the PDF as a parent's printer would see it.

These tests are about the shipped handout (its QR codes, words, fonts, margins and type
size); determinism and SOURCE_DATE_EPOCH are checked on the test topic.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from babel.dates import format_date
from pypdf import PdfReader

from printshop.catalog.jobs import Job, build_one, bundle_for
from printshop.content.load import load_site
from printshop.content.resolve import resolve, video_url

from .conftest import HANDOUT_LAYOUTS, ROOT, SMALL_PROJECT, SMALL_TOPIC, run_cli
from .docs import items, texts
from .pdfcheck import (
    MM,
    body_limits,
    char_boxes,
    decode_qr_codes,
    find_chars,
    fonts_embedded,
    normalise,
    page_chars,
    page_texts,
)

PAGE_SIZES = {"handout-a4": (595.28, 841.89), "handout-letter": (612.0, 792.0)}


def english(project):
    return resolve(bundle_for(project, "infant-massage"), "en")


@pytest.mark.parametrize("layout", HANDOUT_LAYOUTS)
def test_two_pages_of_the_right_size(built, layout):
    reader = PdfReader(str(built[layout]))
    assert len(reader.pages) == 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (width, height) == pytest.approx(PAGE_SIZES[layout], abs=0.05)


@pytest.mark.parametrize("layout", HANDOUT_LAYOUTS)
def test_every_qr_code_decodes_to_its_technique_url(built, project, layout):
    doc = english(project)
    expected = sorted(t.video_url for t in doc.step_items() if t.handout and t.video_url)
    codes = decode_qr_codes(built[layout])
    assert codes[0] == []
    assert codes[1] == expected  # one code per card with a video, none on the others
    assert expected, "the handout's cards have no video at all"


def test_site_file_points_codes_at_its_own_videos(built_with_site, project):
    site, _doc, _logo = load_site(ROOT / "sites" / "example.yaml")
    doc = english(project)
    shown = [t for t in doc.step_items() if t.handout and t.video_url]
    expected = sorted(video_url(site, t.id, t.video_url) for t in shown)
    assert "https://videos.example-hospital.org/infant-massage/legs" in expected
    assert decode_qr_codes(built_with_site)[1] == expected


def test_site_details_are_printed(built_with_site):
    text = " ".join(page_texts(built_with_site))
    revised = format_date(date(2026, 11, 25), format="medium", locale="en")
    for detail in ("Maternity Ward, St Example Hospital", "020 7946 0000", "MAT-IM-01", revised):
        assert detail in text


@pytest.mark.parametrize("layout", HANDOUT_LAYOUTS)
def test_text_carries_the_content(built, project, layout):
    doc = english(project)
    first, second = page_texts(built[layout])
    everything = first + " " + second
    assert normalise(doc.title) in first
    for technique in (t for t in doc.step_items() if t.handout and t.video_url):
        assert normalise(technique.title) in second
        for step in technique.steps:
            assert normalise(step) in second
        assert technique.short_url in second.replace(" ", "")
    for item in texts(doc, "warning-box"):
        assert normalise(item) in everything
    for sign in texts(doc, "help-box"):
        assert normalise(sign) in second
    for benefit in items(doc, "icon-list", "handout"):
        assert normalise(benefit.title) in first
    assert "Page 1 of 2" in first and "Page 2 of 2" in second


@pytest.mark.parametrize("layout", HANDOUT_LAYOUTS)
def test_all_fonts_embedded(built, layout):
    fonts = fonts_embedded(built[layout])
    assert fonts, "no fonts found"
    assert all(embedded for _name, embedded in fonts), fonts
    # subsets only: reportlab names them with a 6-letter tag
    assert all("+" in name for name, _e in fonts), fonts


@pytest.mark.parametrize("layout", HANDOUT_LAYOUTS)
def test_nothing_closer_than_5mm_to_the_edge(built, layout):
    boxes = char_boxes(built[layout])
    assert len(boxes) > 1000
    for page, left, bottom, right, top, width, height in boxes:
        assert left >= 5 * MM and bottom >= 5 * MM, (page, left, bottom)
        assert right <= width - 5 * MM and top <= height - 5 * MM, (page, right, top)


def test_two_builds_are_byte_identical(tmp_path, small_project):
    pdfs = []
    for name in ("a", "b"):
        job = Job(
            SMALL_TOPIC, "fa", "handout-a4", tmp_path / name, SMALL_PROJECT / "sites/clinic.yaml"
        )
        result = build_one(small_project, job, force=True)
        pdfs.append(result.job.path.read_bytes())
    assert pdfs[0] == pdfs[1]


@pytest.mark.parametrize("layout", HANDOUT_LAYOUTS)
def test_body_text_is_never_below_the_minimum(tmp_path, project, layout):
    """The body size read back from the page is the size the build reports, within the
    layout's range, and text at that size stays inside the page's frame. Spanish, because
    it does not fit at the design size (English does): had fitting not run, or had the
    build reported the design size, this fails."""
    result = build_one(project, Job("infant-massage", "es", layout, tmp_path), force=True)
    assert result.status == "built", result.messages
    design, minimum, bottom = body_limits(ROOT / "layouts" / f"{layout}.yaml")
    assert result.body_size < design  # the premise: Spanish needed fitting
    doc = resolve(bundle_for(project, "infant-massage"), "es")
    steps = [step for t in doc.step_items() if t.handout for step in t.steps]
    pages = page_chars(result.job.path)
    sizes = set()
    for chars, strings in zip(
        pages, (texts(doc, "warning-box"), [*steps, *texts(doc, "help-box")]), strict=True
    ):
        for text in strings:
            found = find_chars(chars, text)
            assert found, text
            sizes |= {round(c.size, 2) for c in found}
    assert len(sizes) == 1, sizes  # one body size on both pages
    measured = sizes.pop()
    assert measured == pytest.approx(result.body_size, abs=0.01)
    assert minimum <= measured <= design
    for index, chars in enumerate(pages):
        low = [c for c in chars if c.size >= measured - 0.01 and c.bottom < bottom]
        assert not low, (index, "".join(c.text for c in low)[:80])


@pytest.mark.parametrize(
    "epoch, stamp", [("1767225600", "D:20260101000000"), ("1700000000", "D:20231114221320")]
)
def test_source_date_epoch_sets_the_pdf_dates(tmp_path, epoch, stamp):
    args = ["--project", str(SMALL_PROJECT), "build", "--topic", SMALL_TOPIC, "--lang", "en"]
    args += ["--layout", "handout-a4", "--out", str(tmp_path), "--json"]
    result = run_cli(*args, env={"SOURCE_DATE_EPOCH": epoch})
    assert result.returncode == 0, result.stderr
    (report,) = json.loads(result.stdout)
    info = PdfReader(report["output"]).metadata
    assert info["/CreationDate"].startswith(stamp) and info["/ModDate"].startswith(stamp)
