"""Bilingual handouts: the reader's language first, the second language under it.

Built from the test topic (Persian, right to left, with English under it); the
refusals go through the CLI.
"""

from __future__ import annotations

import json

import pytest
import yaml
from pypdf import PdfReader

from printshop.catalog.jobs import Job, build_one

from .conftest import SMALL_PROJECT, SMALL_TOPIC, run_cli
from .pdfcheck import MM, char_boxes, decode_qr_codes, normalise, page_texts

TOPIC_DIR = SMALL_PROJECT / "handouts" / SMALL_TOPIC


def words(lang: str) -> dict:
    return yaml.safe_load((TOPIC_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))


def shown(text: str) -> str:
    """As extracted from a page: a zero-width non-joiner reads as a space."""
    return normalise(text.replace("\u200c", " "))


@pytest.fixture(scope="module")
def persian_english(tmp_path_factory, small_project):
    out = tmp_path_factory.mktemp("bilingual")
    job = Job(SMALL_TOPIC, "fa", "handout-a4", out, bilingual="en")
    result = build_one(small_project, job, force=True)
    assert result.status == "built", result.messages
    return job.path


def test_two_sides_and_nothing_near_the_edge(persian_english):
    assert len(PdfReader(str(persian_english)).pages) == 2  # the test topic is short
    boxes = char_boxes(persian_english)
    assert len(boxes) > 500
    for _page, left, bottom, right, top, width, height in boxes:
        assert left >= 5 * MM and bottom >= 5 * MM
        assert right <= width - 5 * MM and top <= height - 5 * MM


def test_both_languages_are_printed_the_readers_first(persian_english):
    text = " ".join(page_texts(persian_english))
    for lang in ("fa", "en"):
        content = words(lang)
        assert shown(content["title"]) in text, lang
        for move in content["moves"].values():
            assert shown(move["steps"][0]) in text, lang
        for caution in content["careful"].values():
            assert shown(caution) in text, lang
        for sign in content["stop-now"].values():
            assert shown(sign) in text, lang
    assert text.index(shown(words("fa")["title"])) < text.index(words("en")["title"])


def test_each_qr_code_is_printed_once(persian_english):
    codes = [url for page in decode_qr_codes(persian_english) for url in page]
    assert codes == ["https://www.example.org/moves/shoulder-roll"]


def test_cli_builds_a_bilingual_handout_and_refuses_a_booklet(tmp_path):
    """`build --bilingual` through the CLI: the handout layout holds both languages; a
    booklet layout cannot, and says so for that document only."""
    result = run_cli(
        *("--project", str(SMALL_PROJECT), "build", "--topic", SMALL_TOPIC, "--lang", "fa"),
        *("--bilingual", "en", "--layout", "handout-a4", "--layout", "booklet-a5"),
        *("--out", str(tmp_path), "--json"),
    )
    assert result.returncode == 1, result.stderr
    handout, booklet = json.loads(result.stdout)
    assert handout["status"] == "built" and handout["pages"] == 2
    text = " ".join(page_texts(handout["output"]))
    assert words("en")["title"] in text and shown(words("fa")["title"]) in text
    assert booklet["status"] == "failed"
    assert booklet["errors"] == [
        "layout 'booklet-a5' cannot hold a second language; use a handout layout for --bilingual"
    ]
    assert [p.name for p in tmp_path.rglob("*.pdf")] == [handout["output"].rsplit("/", 1)[1]]


@pytest.mark.parametrize(
    "langs, second, message",
    [
        (["fa"], "fa", "--bilingual fa is the language itself"),
        (["fa"], "xx", "unknown language 'xx'; languages: en, fa"),
    ],
    ids=["same-language", "unknown-language"],
)
def test_cli_refuses_a_second_language_it_cannot_print(tmp_path, langs, second, message):
    args = ["--project", str(SMALL_PROJECT), "build", "--topic", SMALL_TOPIC]
    for lang in langs:
        args += ["--lang", lang]
    result = run_cli(*args, "--bilingual", second, "--layout", "handout-a4", "--out", str(tmp_path))
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.rglob("*.pdf"))
