"""Bilingual handouts: the patient's language first, the second language under it."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from printshop.catalog.jobs import Job, build_one, bundle_for
from printshop.content.resolve import resolve

from .docs import texts
from .pdfcheck import MM, char_boxes, decode_qr_codes, page_texts


@pytest.fixture(scope="module")
def spanish_english(tmp_path_factory, project):
    out = tmp_path_factory.mktemp("bilingual")
    job = Job("infant-massage", "es", "handout-a4", out, bilingual="en")
    result = build_one(project, job, force=True)
    assert result.status == "built", result.messages
    assert job.path.name == "handout-a4-bilingual-en.pdf"
    return job.path


def test_four_pages_at_most_and_nothing_near_the_edge(spanish_english):
    assert 3 <= len(PdfReader(str(spanish_english)).pages) <= 4
    for _page, left, bottom, right, top, width, height in char_boxes(spanish_english):
        assert left >= 5 * MM and bottom >= 5 * MM
        assert right <= width - 5 * MM and top <= height - 5 * MM


def test_both_languages_are_printed(spanish_english, project):
    bundle = bundle_for(project, "infant-massage")
    text = " ".join(page_texts(spanish_english))
    for code in ("es", "en"):
        doc = resolve(bundle, code)
        assert doc.title in text
        for tech in (t for t in doc.step_items() if t.handout and t.video_url):
            assert tech.steps[0] in text
        for item in texts(doc, "warning-box"):
            assert item in text
    # the patient's language comes first
    assert text.index(resolve(bundle, "es").title) < text.index(resolve(bundle, "en").title)


def test_each_qr_code_is_printed_once(spanish_english, project):
    doc = resolve(bundle_for(project, "infant-massage"), "es")
    codes = [url for page in decode_qr_codes(spanish_english) for url in page]
    handout = [t.video_url for t in doc.step_items() if t.handout and t.video_url]
    assert sorted(codes) == sorted(handout)
