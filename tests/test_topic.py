"""Topics are data: the test project's made-up topic (other section ids, kinds in another
order, other counts, labels and pictures) builds a handout and a booklet with no Python
written for it, and the engine's code names no topic's ids.

Expectations are read from the topic's own YAML files with plain PyYAML, not through
the engine under test.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from printshop.content.models import Course, Site

from .conftest import ROOT, SMALL_PROJECT, SMALL_TOPIC, run_cli
from .pdfcheck import MM, decode_qr_codes, normalise, outline, page_texts

TOPIC_DIR = SMALL_PROJECT / "handouts" / SMALL_TOPIC
A4 = (210 * MM, 297 * MM)
A5 = (148 * MM, 210 * MM)


def read_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def sections_of(kind: str) -> list[dict]:
    return [s for s in read_yaml(TOPIC_DIR / "topic.yaml")["sections"] if s["kind"] == kind]


def topic_names(topic_file: Path) -> set[str]:
    """Every id and ui label a topic file gives its sections, items, groups and sources."""
    topic = read_yaml(topic_file)
    names = {topic["id"]} | {ref["id"] for ref in topic.get("references", [])}
    for section in topic["sections"]:
        names |= {section["id"]} | {section[k] for k in ("heading", "intro") if k in section}
        names |= {
            item if isinstance(item, str) else item["id"] for item in section.get("items", [])
        }
        for group in section.get("groups", []):
            names |= {group["id"], group["label"], *group["items"]}
    return names


def engine_strings() -> set[str]:
    """Every string literal in the engine and the CLI (f-string parts included)."""
    found = set()
    for path in [*(ROOT / "printshop").rglob("*.py"), ROOT / "makebook.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def format_keys() -> set[str]:
    """Keys of makebook's own file formats (a course's `techniques:`), which a topic may
    happen to use as an id too."""
    keys = set()
    for model in (Site, Course):
        for name, field in model.model_fields.items():
            keys.add(name)
            annotation = field.annotation
            if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
                keys |= set(annotation.model_fields)
    return keys


# ----------------------------------------------------------------- no Python for a topic
def test_engine_names_no_id_of_the_test_topic():
    names = topic_names(TOPIC_DIR / "topic.yaml")
    assert {"reasons", "moves", "kit", "careful", "stop-now", "signals"} <= names
    assert not names & engine_strings()
    source = "\n".join(p.read_text(encoding="utf-8") for p in [*(ROOT / "printshop").rglob("*.py")])
    for name in sorted(n for n in names if "-" in n or "_" in n):  # distinctive: anywhere
        assert name not in source, name


@pytest.mark.parametrize(
    "topic_file", sorted((ROOT / "handouts").glob("*/topic.yaml")), ids=lambda p: p.parent.name
)
def test_engine_names_no_id_of_a_shipped_topic(topic_file):
    """The same for every built-in topic: its ids are data, never string literals in the
    engine (apart from keys of the site and course formats, such as `techniques`)."""
    clash = (topic_names(topic_file) & engine_strings()) - format_keys()
    assert not clash, f"printshop/ names {sorted(clash)} of {topic_file.parent.name}"


def test_test_topic_differs_from_the_shipped_one():
    """Ids, section count and labels differ, so passing here is not passing by accident."""
    small = topic_names(TOPIC_DIR / "topic.yaml")
    shipped = topic_names(ROOT / "handouts" / "infant-massage" / "topic.yaml")
    assert not small & shipped
    kinds = [s["kind"] for s in read_yaml(TOPIC_DIR / "topic.yaml")["sections"]]
    assert "bullet-list" in kinds and len(kinds) == len(set(kinds)) == 6


def test_small_topic_builds_a_handout_and_a_booklet_through_the_cli(tmp_path):
    """`makebook build` with the test project: both languages in a handout and a booklet
    layout, reported in `--json`; the booklet also comes imposed on sheets twice its size."""
    result = run_cli(
        "--project",
        str(SMALL_PROJECT),
        "build",
        "--topic",
        SMALL_TOPIC,
        "--layout",
        "handout-a4",
        "--layout",
        "booklet-a5",
        "--out",
        str(tmp_path),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    reports = json.loads(result.stdout)
    assert len(reports) == 4 and {r["status"] for r in reports} == {"built"}
    outputs = {Path(r["output"]): r for r in reports}
    handouts = [p for p, r in outputs.items() if r["pages"] == 2]
    booklets = [p for p, r in outputs.items() if r["pages"] != 2]
    assert len(handouts) == len(booklets) == 2
    for path in handouts:
        pages = PdfReader(str(path)).pages
        assert len(pages) == 2
        assert (float(pages[0].mediabox.width), float(pages[0].mediabox.height)) == (
            pytest.approx(A4, abs=0.1)
        )
    for path in booklets:
        reader = PdfReader(str(path))
        assert len(reader.pages) == outputs[path]["pages"] and len(reader.pages) % 4 == 0
        size = (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height))
        assert size == pytest.approx(A5, abs=0.1)
        imposed = [p for p in path.parent.glob("*.pdf") if p not in outputs]
        assert len(imposed) == 1, imposed
        sheets = PdfReader(str(imposed[0])).pages
        assert len(sheets) == len(reader.pages) // 2
        sheet = (float(sheets[0].mediabox.width), float(sheets[0].mediabox.height))
        assert sheet == pytest.approx((A4[1], A4[0]), abs=0.1)  # A4 landscape


# ----------------------------------------------------------------- what the pages say
def test_handout_prints_each_kind_of_section_from_the_language_file(small_built):
    en = read_yaml(TOPIC_DIR / "en.yaml")
    topic = read_yaml(TOPIC_DIR / "topic.yaml")
    first, second = page_texts(small_built[("en", "handout-a4")].job.path)
    assert normalise(en["title"]) in first and normalise(en["intro"]) in first
    assert normalise(en["ui"]["why_heading"]) in first
    reasons = sections_of("icon-list")[0]["items"]
    for item in reasons:
        text = en["reasons"][item["id"]]
        shown = normalise(text["title"]) in first and normalise(text["short"]) in first
        assert shown == item.get("handout", True), item["id"]  # handout: false stays off
    for text in en["careful"].values():
        assert normalise(text) in first
    assert normalise(en["ui"]["moves_heading"]) in second
    for move in en["moves"].values():
        assert normalise(move["title"]) in second
        assert all(normalise(step) in second for step in move["steps"])
    for sign in en["stop-now"].values():
        assert normalise(sign) in second
    assert normalise(en["ui"]["stop_intro"]) in second
    both = first + " " + second  # where the sources and the signals go is the layout's choice
    assert "[1] Tester 2020" in both and "[2] Sample 2019, PMID 12345678" in both
    assert len(topic["references"]) == 2
    for group in sections_of("cue-pairs")[0]["groups"]:  # the cue strip
        words = " · ".join(en["signals"][group["id"]][item] for item in group["items"])
        assert f"{en['ui'][group['label']]}: {words}" in both
    assert "Sheet 1 / 2" in first and "Sheet 2 / 2" in second  # its own page label


def test_handout_qr_codes_decode_to_the_test_topics_videos(small_built):
    videos = [i["video"] for i in sections_of("step-cards")[0]["items"] if "video" in i]
    assert videos == ["https://www.example.org/moves/shoulder-roll"]
    assert decode_qr_codes(small_built[("en", "handout-a4")].job.path) == [[], videos]


def test_project_layout_prints_the_kinds_the_handout_leaves_out(small_built):
    """reminder-a5 (the project's layout, extending a built-in one) prints the bullet
    list and the cue pairs as a strip: one line per group."""
    en = read_yaml(TOPIC_DIR / "en.yaml")
    path = small_built[("en", "reminder-a5")].job.path
    reader = PdfReader(str(path))
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (width, height) == pytest.approx(A5, abs=0.1)
    (text,) = page_texts(path)
    for item in en["kit"].values():
        assert normalise(item) in text
    for group in sections_of("cue-pairs")[0]["groups"]:
        words = [en["signals"][group["id"]][item] for item in group["items"]]
        assert f"{en['ui'][group['label']]}: " + " · ".join(words) in text


def test_booklet_has_a_page_per_move_and_the_full_texts(small_built):
    en = read_yaml(TOPIC_DIR / "en.yaml")
    course = read_yaml(SMALL_PROJECT / "courses" / "class.yaml")
    texts = page_texts(small_built[("en", "booklet-a5")].job.path)
    everything = " ".join(texts)
    for reason in en["reasons"].values():  # every item, handout or not, in its full form
        assert normalise(reason["full"].replace("**", "")) in everything  # bold: no stars
    move_pages = [
        next(i for i, t in enumerate(texts) if normalise(en["moves"][m]["tip"]) in t)
        for m in course["techniques"]
    ]
    assert move_pages == list(range(move_pages[0], move_pages[0] + 2))  # in course order
    for group in ("fresh", "tired"):
        assert all(normalise(t) in everything for t in en["signals"][group].values())
    assert normalise(en["ui"]["welcome_text"]) in everything
    assert course["welcome"] in everything


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_each_section_is_listed_once(small_booklets, lang):
    """Without a course, the reasons (icon list) and the signals (cue pairs) flow onto the
    welcome page; each has one outline and contents entry, however many parts share
    that page."""
    path = small_booklets[lang]
    labels = read_yaml(TOPIC_DIR / f"{lang}.yaml")["ui"]
    titles = [title for title, level, _page in outline(path) if level == 0]
    assert len(titles) == len(set(titles)), titles
    for key in ("why_heading", "signals_heading", "moves_heading", "careful_heading"):
        assert titles.count(labels[key]) == 1, key
    contents = page_texts(path)[1]
    assert contents.count(normalise(labels["why_heading"])) == 1, contents


def test_persian_is_a_right_to_left_draft(small_built):
    fa = read_yaml(TOPIC_DIR / "fa.yaml")
    assert fa["language"]["direction"] == "rtl" and fa["language"]["status"] == "draft"
    for layout in ("handout-a4", "booklet-a5"):
        path = small_built[("fa", layout)].job.path
        reader = PdfReader(str(path))
        assert reader.metadata.title == fa["title"]  # in logical order
        assert reader.trailer["/Root"]["/Lang"] == "fa"
    handout = page_texts(small_built[("fa", "handout-a4")].job.path)
    mark = fa["ui"]["draft_mark"].replace("\u200c", "").replace(" ", "")  # ZWNJ: a space
    assert all(mark in page.replace(" ", "") for page in handout)
    english = page_texts(small_built[("en", "handout-a4")].job.path)
    draft = read_yaml(TOPIC_DIR / "en.yaml")["ui"]["draft_mark"]
    assert not any(draft in page for page in english)  # reviewed: no draft mark
