"""A site's `videos.landing_url`: where the ward publishes out/. A handout's QR codes then
open its web page there, at the technique; layouts without a web page keep the videos.

Runs on a scratch copy of the test project (its site file `sites/clinic.yaml`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html

from .conftest import reported_output, run_cli
from .pdfcheck import decode_qr_codes
from .test_hostile import SITE, assert_clean_error, build, edit

LANDING = "https://leaflets.example.org/ward-4/"


def with_landing(project: Path, url: str = LANDING) -> None:
    edit(project, SITE, "videos:\n", f"videos:\n  landing_url: {url}\n")


def codes(pdf: Path) -> list[str]:
    """Every QR code of the PDF, decoded from grayscale renders of its pages."""
    return [text for page in decode_qr_codes(pdf) for text in page]


def built_codes(project: Path, *extra: str) -> tuple[Path, list[str]]:
    pdf, _report = reported_output(project, build(project, "--site", SITE, "--json", *extra))
    return pdf, codes(pdf)


def test_codes_open_the_web_page_at_the_technique(scratch_small):
    _pdf, videos = built_codes(scratch_small)
    assert videos == ["https://videos.example.net/shoulders"]  # the site's own video
    with_landing(scratch_small)
    pdf, opened = built_codes(scratch_small)
    page = pdf.with_suffix(".html").relative_to(scratch_small / "out").as_posix()
    assert page == "desk-breaks/en/handout-a4-site-clinic.html"
    assert opened == [LANDING + page + "#i-shoulder-roll"]
    tree = html.fromstring(pdf.with_suffix(".html").read_bytes())
    (card,) = tree.xpath('//*[@id="i-shoulder-roll"]/ancestor::article')
    assert "Shoulder" in card.text_content()
    # the page the code opens still links the video
    assert card.xpath(".//a/@href") == videos


def test_layouts_without_a_web_page_keep_the_video(scratch_small):
    with_landing(scratch_small)
    args = ["build", "--topic", "desk-breaks", "--lang", "en", "--layout", "booklet-a5"]
    result = run_cli(*args, "--site", SITE, "--out", "out", "--json", cwd=scratch_small)
    pdf, _report = reported_output(scratch_small, result)
    assert not pdf.with_suffix(".html").exists()
    assert codes(pdf) == ["https://videos.example.net/shoulders"]


def test_a_changed_landing_url_rebuilds(scratch_small):
    with_landing(scratch_small)
    built_codes(scratch_small)
    again = build(scratch_small, "--site", SITE)
    assert re.search(r"\bcurrent\b", again.stdout), again.stdout
    edit(scratch_small, SITE, LANDING, "https://leaflets.example.org/other/")
    _pdf, opened = built_codes(scratch_small)
    assert opened[0].startswith("https://leaflets.example.org/other/desk-breaks/")


@pytest.mark.parametrize(
    "url, fragment",
    [
        ("http://leaflets.example.org/", "must start with https://"),
        ("https:///leaflets", "no valid host name"),
        ("https://localhost/", "no valid host name"),
        ("'https://leaflets.example.org/ward 4/'", "contains a space"),
        ("https://leaflets.example.org/?ward=4", "cannot have a '?' or '#' part"),
        ("https://leaflets.example.org/" + "x" * 60, "the limit is 84"),
    ],
    ids=["http", "no-host", "one-word-host", "space", "query", "too-long"],
)
def test_a_bad_landing_url_is_one_line(scratch_small, url, fragment):
    with_landing(scratch_small, url)
    for result in (
        build(scratch_small, "--site", SITE),
        run_cli("check", "--site", SITE, cwd=scratch_small),
    ):
        assert_clean_error(result, r"clinic\.yaml", "videos.landing_url", fragment)
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1, result.stderr  # (a build adds its count of failures)


def test_an_address_too_long_for_its_code_names_the_page(scratch_small):
    """The landing URL itself is short enough, the page and anchor added to it are not."""
    with_landing(scratch_small, "https://leaflets.example.org/" + "w" * 50 + "/")
    result = build(scratch_small, "--site", SITE)
    assert_clean_error(result, r"clinic\.yaml", "videos.landing_url", "the limit is 106")
    assert "handout-a4-site-clinic.html#i-shoulder-roll" in result.stderr
