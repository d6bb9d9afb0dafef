"""Every shipped language builds a complete handout that carries its own words."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from printshop.catalog.jobs import Job, build_one, bundle_for
from printshop.content.resolve import resolve

from .conftest import ROOT
from .pdfcheck import decode_qr_codes, fonts_embedded, page_texts

LANGUAGES = sorted(
    p.stem for p in (ROOT / "handouts" / "infant-massage").glob("*.yaml") if p.stem != "topic"
)


@pytest.fixture(scope="module")
def handouts(tmp_path_factory, project):
    out = tmp_path_factory.mktemp("languages")
    paths = {}
    for lang in LANGUAGES:
        result = build_one(project, Job("infant-massage", lang, "handout-a4", out), force=True)
        assert result.status == "built", (lang, result.messages)
        assert not result.warnings, result.warnings  # nothing fell back to English
        paths[lang] = result.job.path
    return paths


def squeeze(text: str) -> str:
    """Without spaces and the invisible joiners and marks that text extraction drops."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "\u200c\u200d\u200e\u200f")


def test_every_language_file_loads(project):
    """No language file is left out for a problem of its own (a broken file would be)."""
    assert sorted(bundle_for(project, "infant-massage").languages) == LANGUAGES
    assert len(LANGUAGES) >= 10


@pytest.mark.parametrize("lang", LANGUAGES)
def test_handout_in_each_language(handouts, project, lang):
    doc = resolve(bundle_for(project, "infant-massage"), lang)
    path = handouts[lang]
    assert len(PdfReader(str(path)).pages) == 2
    first, second = page_texts(path)
    assert squeeze(doc.title) in squeeze(first)
    assert (squeeze(doc.label("draft_mark")) in squeeze(second)) == doc.is_draft
    assert all(embedded for _name, embedded in fonts_embedded(path))
    urls = sorted(t.video_url for t in doc.step_items() if t.handout and t.video_url)
    assert decode_qr_codes(path)[1] == urls


def test_korean_is_set_with_spaces_between_words(handouts, project):
    """Korean is written with spaces: a cue line's items are set apart by ' · ' and a
    run-in head ends in '. ' as in other spaced languages, never glued by the marks of
    Chinese and Japanese ('・', '：'), which text extraction and OCR take for one word."""
    doc = resolve(bundle_for(project, "infant-massage"), "ko")
    text = " ".join(page_texts(handouts["ko"]))
    ready = doc.of_kind("cue-pairs")[0].groups[0]
    assert f"{ready.items[0].short} · {ready.items[1].short}" in text
    assert "・" not in text and "：" not in text
    web_page = handouts["ko"].with_suffix(".html").read_text(encoding="utf-8")
    assert "：" not in web_page  # the web version's run-in heads too


@pytest.mark.parametrize("lang", ["ar", "fa", "ur"])
def test_arabic_script_sets_items_apart_with_its_comma(handouts, project, lang):
    """In Arabic script the digit zero (٠, ۰) is a dot, so a middle dot between items
    reads as a zero ('پا · ۴ تا ۶ بار' as 'پا ۰ ۴ تا ۶ بار', and OCR reads it so): a cue
    line's items and a step's name and count are set apart by the Arabic comma."""
    doc = resolve(bundle_for(project, "infant-massage"), lang)
    text = squeeze(" ".join(page_texts(handouts[lang])))
    assert "·" not in text
    ready = doc.of_kind("cue-pairs")[0].groups[0]
    assert squeeze(f"{ready.items[0].short}،") in text  # then the next item
    step = next(item for item in doc.step_items() if item.handout and item.repeat)
    assert squeeze(f"{step.title}،") in text  # then how often
