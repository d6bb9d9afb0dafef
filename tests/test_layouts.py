"""More ways to print (issue 12): large print, tri-fold leaflet, wall poster, stroke cards.

Each layout is built in English and Arabic with the example site and read back from its
PDF: paper size and page count, QR codes decoded from a grayscale render, type sizes
read from the page, and where panels and cards land on the printed sheet, worked out by
hand from how the sheet is folded or cut, never from the engine's own tables.
"""

from __future__ import annotations

import json
import math
import unicodedata
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
import zxingcpp
from pypdf import PdfReader

from printshop.catalog.jobs import Job, Result, build_one, bundle_for, compose_job
from printshop.content.load import load_site
from printshop.content.resolve import resolve, site_info
from printshop.content.yamlsafe import dump_yaml
from printshop.layout.boxes import QrBox
from printshop.layout.compose import walk
from printshop.layout.ctx import Ctx
from printshop.layout.registry import registry
from printshop.layout.textbox import TextBox
from printshop.project import Project, builtin_root

from .conftest import ROOT, run_cli
from .docs import items, texts
from .pdfcheck import (
    MM,
    Char,
    find_chars,
    layout_yaml,
    normalise,
    page_chars,
    page_texts,
    short_lines,
)

TOPIC = "infant-massage"
SITE = ROOT / "sites" / "example.yaml"
A4, LETTER = (595.28, 841.89), (612.0, 792.0)
A3, TABLOID = (841.89, 1190.55), (792.0, 1224.0)
LARGE = ["handout-a4-large", "handout-letter-large"]
TRIFOLD = ["trifold-a4", "trifold-letter"]
POSTER = ["poster-a3", "poster-tabloid"]
CARDS = ["cards-a4", "cards-letter"]
LAYOUTS = LARGE + TRIFOLD + POSTER + CARDS
SHEET = {
    "handout-a4-large": A4,
    "handout-letter-large": LETTER,
    "trifold-a4": A4[::-1],  # landscape
    "trifold-letter": LETTER[::-1],
    "poster-a3": A3,
    "poster-tabloid": TABLOID,
    "cards-a4": A4,
    "cards-letter": LETTER,
}
LANGS = ["en", "ar"]
EVERY_LANGUAGE = sorted(
    p.stem for p in (ROOT / "handouts" / TOPIC).glob("*.yaml") if p.stem != "topic"
)
TOPICS = sorted(p.parent.name for p in (ROOT / "handouts").glob("*/topic.yaml"))


# ----------------------------------------------------------------- building and reading
@pytest.fixture(scope="session")
def build(tmp_path_factory, project):
    """Build one layout in one language with the example site (without: as the catalog
    does), once per session."""
    out = tmp_path_factory.mktemp("layouts")

    @cache
    def built(layout: str, lang: str, site: bool = True) -> Result:
        job = Job(TOPIC, lang, layout, out, SITE if site else None)
        result = build_one(project, job, force=True)
        assert result.status == "built", result.messages
        return result

    return built


@cache
def document(project, lang: str):
    """The document as built: the example site's names, numbers and video links."""
    site, _doc, logo = load_site(SITE)
    return resolve(bundle_for(project, TOPIC), lang, site, site_info(site, logo))


@cache
def chars_of(path: Path) -> list[list[Char]]:
    return page_chars(path)


def spec(layout: str) -> dict:
    return layout_yaml(ROOT / "layouts" / f"{layout}.yaml")


def visible(chars: list[Char]) -> list[Char]:
    return [c for c in chars if c.text.strip() and c.right > c.left]


def unmarked(text: str) -> str:
    """Without combining marks: the text layer may place an Arabic shadda elsewhere."""
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def locate(chars: list[Char], text: str, length: int = 40) -> list[Char]:
    """The characters where a page shows `text` (its first `length` characters), combining
    marks left out on both sides; [] when it does not show it."""
    plain = [c for c in chars if not unicodedata.combining(c.text[:1] or " ")]
    return find_chars(plain, unmarked(text), length)


def where(chars: list[Char], text: str) -> tuple[float, float]:
    """The centre (x, y) of where a page shows `text` (its first 40 characters)."""
    found = locate(chars, text)
    assert found, text
    return (
        (min(c.left for c in found) + max(c.right for c in found)) / 2,
        (min(c.bottom for c in found) + max(c.top for c in found)) / 2,
    )


def sizes_of(chars: list[Char], text: str) -> set[float]:
    found = locate(chars, text)
    assert found, text
    return {round(c.size, 2) for c in found}


def qr_codes(path: Path, dpi: int = 150) -> list[list[tuple[str, float, float, float]]]:
    """(text, centre x, centre y in pt from the bottom, side in mm) of every QR code on
    each page, decoded from a grayscale render."""
    pages = []
    for page in pdfium.PdfDocument(str(path)):
        height = page.get_height()
        image = page.render(scale=dpi / 72, grayscale=True).to_pil()
        found = []
        for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
            p = code.position
            xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
            ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
            side = (max(xs) - min(xs)) / dpi * 25.4
            cx, cy = sum(xs) / 4 * 72 / dpi, height - sum(ys) / 4 * 72 / dpi
            found.append((code.text, cx, cy, side))
        pages.append(sorted(found))
    return pages


def all_words(path: Path) -> str:
    """Every page's text, spaces and combining marks removed (line breaks differ)."""
    return unmarked("".join(page_texts(path)).replace(" ", ""))


def squeeze(text: str) -> str:
    return unmarked(normalise(text).replace(" ", ""))


def one_line(doc, texts_: list[str]) -> list[str]:
    """The texts that can be read back whole in this language. Arabic's text layer
    moves the start of a wrapped line to its end and splits a number from its unit, so
    there only short texts without digits are compared (paragraphs are, in English)."""
    if doc.lang != "ar":
        return texts_
    return [t for t in texts_ if len(t) <= 40 and not any(ch.isdigit() for ch in t)]


# ----------------------------------------------------------------- every layout
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_paper_size_and_page_count(build, project, layout, lang):
    path = build(layout, lang).job.path
    reader = PdfReader(str(path))
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(SHEET[layout], abs=0.1)
    count = len(reader.pages)
    if layout in LARGE:
        assert 2 < count <= 4  # more than the 2-page handout, at most two duplex sheets
    elif layout in TRIFOLD:
        assert count == 2  # the outside and the inside of one sheet
    elif layout in POSTER:
        assert count == 1
    else:  # a front and a back for the safety card, every step item and the help card
        assert count == 2 * math.ceil((len(document(project, lang).step_items()) + 2) / 4)
    assert build(layout, lang).pages == count


def expected_codes(doc, layout: str, path: Path) -> list[str]:
    """The video links a layout prints: the handout's (large print), those of the
    strokes the leaflet chose (the titles it shows), every one (cards), the routine's
    (poster: the shipped topic has none)."""
    steps = doc.step_items()
    if layout in LARGE:
        return sorted(t.video_url for t in steps if t.handout and t.video_url)
    if layout in TRIFOLD:
        words = all_words(path)
        return sorted(t.video_url for t in steps if t.video_url and squeeze(t.title) in words)
    if layout in CARDS:
        return sorted(t.video_url for t in steps if t.video_url)
    return []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_qr_code_decodes_from_a_grayscale_render(build, project, layout, lang):
    path = build(layout, lang).job.path
    doc = document(project, lang)
    found = sorted(text for page in qr_codes(path) for text, *_ in page)
    assert found == expected_codes(doc, layout, path)
    if layout not in POSTER:
        assert found, "no QR code at all"


@pytest.mark.parametrize("lang", [*LANGS, "ta"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_no_text_below_the_minimum_or_near_the_paper_edge(build, layout, lang):
    """Every character is at least the layout's smallest size and 5 mm inside the
    paper (what office printers print); on a shared sheet, 4 mm clear of every fold or
    cut, so none is cut off or folded over. Tamil too: the longest language, fitted
    hardest."""
    path = build(layout, lang).job.path
    smallest = spec(layout)["type"].get("smallest", 6.5)
    width, height = SHEET[layout]
    for index, chars in enumerate(chars_of(path)):
        shown = visible(chars)
        assert shown
        small = [c.text for c in shown if c.size < smallest - 0.01]
        assert not small, (index, "".join(small)[:60])
        for c in shown:
            assert c.left >= 5 * MM and c.bottom >= 5 * MM, (index, c)
            assert c.right <= width - 5 * MM and c.top <= height - 5 * MM, (index, c)
        for axis, at in lines_between_cells(layout, path, index):
            for c in shown:
                low, high = (c.left, c.right) if axis == "x" else (c.bottom, c.top)
                assert high <= at - 4 * MM or low >= at + 4 * MM, (index, axis, at, c)


def lines_between_cells(layout: str, path: Path, page: int) -> list[tuple[str, float]]:
    """Folds and cuts on a shared sheet: ('x', position) of a vertical one, ('y', ...) of
    a horizontal one. The leaflet's folds are read from its fold marks."""
    width, height = SHEET[layout]
    if layout in TRIFOLD:
        return [("x", x) for x in folds_on(path)[page]]
    if layout in CARDS:
        margin = 9 * MM  # the sheet margin the layout gives
        xs, ys = (margin, width / 2, width - margin), (margin, height / 2, height - margin)
        return [("x", x) for x in xs] + [("y", y) for y in ys]
    return []


# ----------------------------------------------------------------- large print
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("layout", LARGE)
def test_large_print_type_sizes_and_line_spacing(build, project, layout, lang):
    """Body text 16 pt (labels and page numbers too: nothing smaller), headings 22 pt,
    lines of a paragraph 1.4 x the size apart."""
    path = build(layout, lang).job.path
    doc = document(project, lang)
    pages = chars_of(path)
    assert min(c.size for page in pages for c in visible(page)) >= 16 - 0.01
    body = [*texts(doc, "warning-box"), *texts(doc, "help-box")]
    body += [step for t in doc.step_items() if t.handout for step in t.steps]
    for text in one_line(doc, body):
        page = next(p for p in pages if locate(p, text))
        assert min(sizes_of(page, text)) >= 16 - 0.01, text
    for key in ("benefits_heading", "preparation_heading", "safety_heading", "help_heading"):
        page = next(p for p in pages if locate(p, doc.label(key)))
        assert min(sizes_of(page, doc.label(key))) >= 22 - 0.01, key
    heading = doc.label("safety_heading")
    page = next(p for p in pages if locate(p, heading))
    top = min(c.bottom for c in locate(page, heading))
    body = [c for c in visible(page) if c.top < top and not unicodedata.combining(c.text)]
    below = [c.top for c in body if c.size >= 22 - 0.01]  # the next heading, if any
    lines = [c for c in body if c.bottom > max(below, default=-1) and c.size < 22]
    if len({round(c.baseline) for c in lines}) < 6:  # the points go on over the page
        after = visible(pages[pages.index(page) + 1])
        heading_below = max((c.top for c in after if c.size >= 22 - 0.01), default=-1)
        lines = [c for c in after if c.bottom > heading_below and c.size < 22]
        lines = [c for c in lines if not unicodedata.combining(c.text)]
    baselines = sorted({round(c.baseline, 1) for c in lines}, reverse=True)
    assert len(baselines) >= 6
    gaps = [a - b for a, b in zip(baselines, baselines[1:], strict=False)]
    assert min(gaps) >= 1.4 * 16 - 0.2, gaps  # the safety points' lines, 1.4 x 16 pt apart


@pytest.mark.parametrize("lang", ["uk", "so", "pt"])
@pytest.mark.parametrize("layout", [*LARGE, "handout-a4", "trifold-a4"])
def test_scan_label_keeps_its_words_whole(build, project, layout, lang):
    """'Scan to watch' under a QR code is as wide as the code, or as its longest word
    where that is wider: at 16 pt the Ukrainian 'переглянути' was cut into
    'переглянут' / 'и' (long words, languages the label was not written for)."""
    path = build(layout, lang).job.path
    label = document(project, lang).label("scan_to_watch")
    text = " ".join(page_texts(path))
    assert text.count(label.split()[0]) >= 1, label  # the label is on the page
    for word in label.split():
        assert word in text.split(), (word, label)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("layout", LARGE)
def test_large_print_lines_start_at_one_edge(build, project, layout, lang):
    """Left-aligned (right-aligned in Arabic): the help signs, a list in one column, all
    start at the same edge and end ragged."""
    path = build(layout, lang).job.path
    doc = document(project, lang)
    pages = chars_of(path)
    starts, ends = [], []
    signs = one_line(doc, texts(doc, "help-box"))
    assert len(signs) >= 5
    for sign in signs:
        page = next(p for p in pages if locate(p, sign))
        found = locate(page, sign, length=len(sign))
        first_line = [c for c in found if abs(c.baseline - found[0].baseline) < 1]
        left, right = min(c.left for c in first_line), max(c.right for c in first_line)
        starts.append(right if lang == "ar" else left)
        ends.append(left if lang == "ar" else right)
    assert max(starts) - min(starts) < 2.0, starts  # one edge (glyphs' side bearings differ)
    assert max(ends) - min(ends) > 10 * MM, ends  # ragged, not justified


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("layout", LARGE)
def test_large_print_has_no_text_over_tints_and_25mm_codes(build, layout, lang):
    """Behind every character the paper is white (no tinted boxes, no pictures), and
    each QR code, without its quiet zone, is at least 25 mm wide."""
    path = build(layout, lang).job.path
    dpi = 100
    for page, chars in zip(pdfium.PdfDocument(str(path)), chars_of(path), strict=True):
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        height = page.get_height()
        for c in visible(chars):
            box = (
                int(c.left * dpi / 72),
                int((height - c.top) * dpi / 72),
                int(math.ceil(c.right * dpi / 72)) + 1,
                int(math.ceil((height - c.bottom) * dpi / 72)) + 1,
            )
            lightest = image.crop(box).getextrema()[1]
            assert lightest >= 250, (c, lightest)
    sides = [side for page in qr_codes(path, dpi=300) for _t, _x, _y, side in page]
    assert sides and min(sides) >= 25 - 0.1, sides


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("layout", LARGE)
def test_large_print_carries_the_whole_handout(build, project, layout, lang):
    """What the 2-page handout says is all there, and each page says 'Page n of N'."""
    path = build(layout, lang).job.path
    doc = document(project, lang)
    words = all_words(path)
    wanted = [doc.title, doc.intro, *texts(doc, "warning-box"), *texts(doc, "help-box")]
    wanted += [item.short for item in items(doc, "icon-list", "handout")]
    wanted += [item.title for item in items(doc, "icon-list", "handout") if item.title]
    for tech in (t for t in doc.step_items() if t.handout):
        wanted += [tech.title, *tech.steps]
    for text in one_line(doc, wanted):
        assert squeeze(text) in words, text
    pages = page_texts(path)
    for n, text in enumerate(pages, start=1):
        label = doc.label("page_n_of_m", n=n, total=len(pages))
        assert squeeze(label) in unmarked(text.replace(" ", "")), (n, label)


# languages and papers where a stroke's card goes on over a page (with the example site)
CARD_GOES_ON = [("uk", "handout-a4-large"), ("es", "handout-letter-large")]


@pytest.mark.parametrize(("lang", "layout"), CARD_GOES_ON)
def test_large_print_card_goes_on_over_a_page_between_its_steps(build, project, lang, layout):
    """A card too tall for the room left at a page's foot goes on over the page between
    its steps, read back from the printed pages: every step printed once and in order
    (page by page, top to bottom), the card's name on the page of its first step, its
    QR code and address on that page too."""
    path = build(layout, lang).job.path
    doc = document(project, lang)
    pages, codes, words = chars_of(path), qr_codes(path), page_texts(path)
    went_on = []
    for item in (t for t in doc.step_items() if t.handout):
        places = []
        for step in item.steps:
            found = [
                (n, -where(page, step)[1]) for n, page in enumerate(pages) if locate(page, step)
            ]
            assert len(found) == 1, (item.id, step, found)  # printed once: nothing lost
            places += found
        assert places == sorted(places), (item.id, places)  # in order across the pages
        first = places[0][0]
        assert locate(pages[first], item.title), item.id  # the name stays with step 1
        if item.video_url:
            assert item.video_url in [text for text, *_ in codes[first]], item.id
            assert squeeze(item.short_url) in squeeze(words[first]), item.id
        if places[-1][0] > first:
            went_on.append(item.id)
    assert went_on, "no card went on over a page"


def test_large_print_card_keeps_its_code_and_address_with_its_first_step(project, tmp_path):
    """A card with a video, broken in the room its last step does not fit: the first part
    holds the name, the first step, the QR code and the address under them; the part
    that goes on holds only the steps left (placement, before drawing)."""
    composed = compose_job(project, Job(TOPIC, "en", "handout-a4-large", tmp_path))
    width, height = composed.composition.frame_size
    ctx = Ctx(composed.doc, composed.layout, composed.fonts, frame=(width, height))
    ref = next(r for p in composed.layout.parts for r in p.blocks if r.block == "step-cards")
    first, *others = registry()[ref.block].build(ctx, ref.options)
    item = next(t for t in composed.doc.step_items() if t.handout and t.video_url)
    assert len(item.steps) >= 2
    cards = [first.children[-1], *others]  # the first card under the section's heading
    for card in cards:
        card.measure(width, height)
    card = next(b for b in cards if item.steps[0] in words_in(b))
    full = card.height
    head, rest = card.split(width, full - 1)
    assert head.measure(width, height) <= full - 1 and rest.measure(width, height) > 0
    name, *steps, label, address = words_in(head)
    assert item.title in name and steps == list(item.steps[: len(steps)]) and steps
    assert (label, address) == (composed.doc.label("scan_to_watch"), item.short_url)
    assert [b for b in walk(head) if isinstance(b, QrBox)]
    assert words_in(rest) == list(item.steps[len(steps) :])  # in order, none lost
    assert not [b for b in walk(rest) if isinstance(b, QrBox)]


def words_in(box) -> list[str]:
    """The texts of a measured box's text boxes, top to bottom."""
    return [b.text for b in walk(box) if isinstance(b, TextBox)]


@pytest.mark.parametrize(
    ("lang", "layout", "site"),
    [
        ("so", "handout-a4-large", False),
        ("uk", "handout-a4-large", False),
        ("uk", "handout-letter-large", False),
        # copyfitted to fit (issue 12): were five pages
        ("so", "handout-letter-large", False),
        *(("ta", layout, False) for layout in LARGE),
        *((lang, "handout-letter-large", True) for lang in ("pt", "so", "ta", "uk")),
    ],
)
def test_large_print_of_long_translations_fits_two_sheets(build, project, lang, layout, site):
    """The longest translations print on at most four pages (two duplex sheets), the
    last numbered 'n of n', also with a site's ward name, number and video links (on
    Letter, the shorter page). Tamil, Somali, Portuguese and Ukrainian were copyfitted
    for it: a longer string there may need a fifth page again."""
    path = build(layout, lang, site=site).job.path
    count = len(PdfReader(str(path)).pages)
    assert count <= 4, count
    last = document(project, lang).label("page_n_of_m", n=count, total=count)
    assert squeeze(last) in squeeze(page_texts(path)[-1])


# ----------------------------------------------------------------- tri-fold leaflet
def panel_of(x: float, folds: list[float]) -> int:
    """0, 1 or 2: the panel (from the left) that x lies in, between the folds."""
    return sum(x > fold for fold in folds)


def folds_on(path: Path) -> list[list[float]]:
    """The x of each fold on each printed side, from its fold marks."""
    return [sorted({round((m[0] + m[2]) / 2, 1) for m in page}) for page in short_lines(path)]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("layout", TRIFOLD)
def test_trifold_panels_fold_into_reading_order(build, project, layout, lang):
    """Worked out by hand for a letter fold printed duplex, flipped on the short edge:
    outside, left to right, the panel seen first on opening (benefits), the back (help
    box) and the front cover (title); inside the first, middle and last panels, each
    behind its partner; the panel that folds in is 3 mm narrower. Arabic mirrors it all."""
    path = build(layout, lang).job.path
    doc = document(project, lang)
    width, _height = SHEET[layout]
    outside_folds, inside_folds = folds_on(path)
    assert len(outside_folds) == len(inside_folds) == 2
    # turned over its short edge, a fold at x lies behind x' = width - x
    assert inside_folds == pytest.approx(sorted(width - x for x in outside_folds), abs=0.2)
    panels = [outside_folds[0], outside_folds[1] - outside_folds[0], width - outside_folds[1]]
    flap, wide = (panels[2], panels[0]) if lang == "ar" else (panels[0], panels[2])
    assert panels[1] == pytest.approx(wide, abs=0.2)
    assert 2 * MM <= wide - flap <= 3 * MM + 0.1  # the panel that folds in, narrower

    strokes = doc.of_kind("step-cards")[0]
    outside = [doc.label("benefits_heading"), doc.label("help_heading"), doc.title]
    inside = [doc.label("preparation_heading"), strokes.title("all"), doc.label("safety_heading")]
    if lang == "ar":
        outside, inside = outside[::-1], inside[::-1]
    out_chars, in_chars = chars_of(path)
    for expected, (chars, folds) in zip(
        (outside, inside), ((out_chars, outside_folds), (in_chars, inside_folds)), strict=True
    ):
        for panel, text in enumerate(expected):
            if not find_chars(chars, text):  # the strokes heading may be the handout's own
                text = strokes.title("handout")
            assert panel_of(where(chars, text)[0], folds) == panel, text
    prefs = PdfReader(str(path)).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Duplex"] == "/DuplexFlipShortEdge"
    assert prefs["/PrintScaling"] == "/None"


@pytest.mark.parametrize("layout", TRIFOLD)
def test_trifold_cover_names_the_ward_and_shows_its_logo(build, project, layout):
    path = build(layout, "en").job.path
    doc = document(project, "en")
    outside_folds, _inside = folds_on(path)
    outside = chars_of(path)[0]
    cover = [c for c in visible(outside) if c.left > outside_folds[1]]
    text = "".join(c.text for c in cover)
    assert squeeze(doc.title) in text and squeeze(doc.site.name) in text
    assert doc.site.logo is not None  # the example site has one: drawn on the cover panel
    page = pdfium.PdfDocument(str(path))[0]
    images = [
        obj.get_bounds()
        for obj in page.get_objects(max_depth=3)
        if obj.type == pdfium.raw.FPDF_PAGEOBJ_FORM
    ]
    assert any(b[0] > outside_folds[1] and b[3] - b[1] < 12 * MM for b in images), images


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("layout", TRIFOLD)
def test_trifold_strokes_panel_takes_the_most_useful_strokes_that_fit(build, project, layout, lang):
    """The strokes shown are the first ones of the handout's set in routine order
    (they are the most useful), each with its steps; a stroke left out is one that did
    not fit, never one ahead of it."""
    path = build(layout, lang).job.path
    doc = document(project, lang)
    words = all_words(path)
    shown = [t for t in doc.step_items() if squeeze(t.title) in words]
    assert len(shown) >= 2
    handout = [t for t in doc.step_items() if t.handout]
    assert shown[0] is handout[0] and shown[1] is handout[1]
    if lang == "en":  # Arabic lines wrap in a panel: see one_line
        for step in [step for tech in shown for step in tech.steps]:
            assert squeeze(step) in words, step


# ----------------------------------------------------------------- stroke cards
def cell_of(x: float, y: float, layout: str) -> tuple[int, int]:
    """(column, row from the top) of the card at x, y on a 2 x 2 sheet."""
    width, height = SHEET[layout]
    return int(x > width / 2), int(y < height / 2)


def card_sides(pages: list[list[Char]], card: int, lang: str):
    """(front page, back page, (column, row) of the front) of card `card` (from 0),
    worked out by hand: fronts fill a sheet in reading order, top-left first (top-right
    first in Arabic), four to a sheet, each sheet's backs on the page after it."""
    order = [(1, 0), (0, 0), (1, 1), (0, 1)] if lang == "ar" else [(0, 0), (1, 0), (0, 1), (1, 1)]
    sheet, slot = divmod(card, 4)
    return pages[2 * sheet], pages[2 * sheet + 1], order[slot]


def card_text(chars: list[Char], layout: str, cell: tuple[int, int]) -> str:
    """The text of one card on a sheet side, spaces and combining marks removed."""
    inside = [
        c for c in chars if cell_of((c.left + c.right) / 2, (c.bottom + c.top) / 2, layout) == cell
    ]
    return squeeze("".join(c.text for c in inside))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("layout", CARDS)
def test_each_card_back_lands_behind_its_front(build, project, layout, lang):
    """The set: a safety card, a card per step item in routine order, a help card.
    Turned over the long edge, a card in column c has its back in column 1 - c of the
    same row. A stroke's back names its card (number and name) and gives its tip; the
    help card's back shows the baby's cues."""
    path = build(layout, lang).job.path
    doc = document(project, lang)
    steps = doc.step_items()
    pages = chars_of(path)
    front, _back, cell = card_sides(pages, 0, lang)
    assert cell_of(*where(front, doc.label("safety_heading")), layout) == cell
    for number, tech in enumerate(steps, start=1):
        front, back, (col, row) = card_sides(pages, number, lang)
        assert cell_of(*where(front, tech.title), layout) == (col, row), tech.id
        for step in one_line(doc, list(tech.steps)):
            assert locate(front, step), (tech.id, step)
        if lang == "en":
            assert find_chars(back, f"{number} {tech.title}"), (number, tech.id)
        assert cell_of(*where(back, tech.title), layout) == (1 - col, row), tech.id
        for tip in one_line(doc, [tech.tip] if tech.tip else []):
            assert cell_of(*where(back, tip), layout) == (1 - col, row), tech.id
    front, back, (col, row) = card_sides(pages, len(steps) + 1, lang)
    assert cell_of(*where(front, doc.label("help_heading")), layout) == (col, row)
    assert cell_of(*where(back, doc.label("cues_heading")), layout) == (1 - col, row)
    prefs = PdfReader(str(path)).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Duplex"] == "/DuplexFlipLongEdge"


@pytest.mark.parametrize("layout", CARDS)
def test_card_set_carries_safety_help_and_the_wards_number(build, project, layout):
    """Every safety point is on the first card (going on over its back when it must),
    every sign to get help now and both numbers on the last card's front, and the
    ward's number and the cues to stop on the back of every stroke's card."""
    path = build(layout, "en").job.path
    doc = document(project, "en")
    steps = doc.step_items()
    pages = chars_of(path)
    front, back, (col, row) = card_sides(pages, 0, "en")
    safety = card_text(front, layout, (col, row)) + card_text(back, layout, (1 - col, row))
    for item in texts(doc, "warning-box"):
        assert squeeze(item) in safety, item
    phone = doc.site.phone.replace(" ", "")
    stop = doc.of_kind("cue-pairs")[0].groups[-1]
    for number in range(1, len(steps) + 1):
        _front, back, (col, row) = card_sides(pages, number, "en")
        back_text = card_text(back, layout, (1 - col, row))
        assert phone in back_text, number
        for cue in (stop.label, *(item.short for item in stop.items)):
            assert squeeze(cue) in back_text, (number, cue)
    front, _back, cell = card_sides(pages, len(steps) + 1, "en")
    help_card = card_text(front, layout, cell)
    for item in texts(doc, "help-box"):
        assert squeeze(item) in help_card, item
    assert phone in help_card and doc.site.emergency in help_card


@pytest.mark.parametrize("layout", CARDS)
def test_cut_marks_sit_in_the_sheet_margin_on_the_cuts(build, layout):
    """Short lines outside the cards continue each cut: at the left and right edge of
    every card column, at the top and bottom of every row, and nowhere on a card."""
    path = build(layout, "en").job.path
    width, height = SHEET[layout]
    margin = 9 * MM
    cuts_x = [margin, width / 2, width - margin]
    cuts_y = [margin, height / 2, height - margin]
    for marks in short_lines(path):
        vertical = [m for m in marks if m[2] - m[0] < 1]
        horizontal = [m for m in marks if m[3] - m[1] < 1]
        assert len(vertical) == len(horizontal) == 6  # at both ends of each cut
        assert sorted({round((m[0] + m[2]) / 2, 1) for m in vertical}) == pytest.approx(
            cuts_x, abs=0.2
        )
        assert sorted({round((m[1] + m[3]) / 2, 1) for m in horizontal}) == pytest.approx(
            cuts_y, abs=0.2
        )
        for left, bottom, right, top in marks:
            outside = top <= margin or bottom >= height - margin
            outside = outside or right <= margin or left >= width - margin
            assert outside, (left, bottom, right, top)


# ----------------------------------------------------------------- wall poster
@pytest.mark.parametrize("lang", [*LANGS, "ta"])
@pytest.mark.parametrize("layout", POSTER)
def test_poster_shows_every_stroke_in_order_readable_from_afar(build, project, layout, lang):
    """Headings 28 pt and up, each stroke's name 16 pt and up, in routine order (rows
    from the top, each row from the reading start), each with its one line (how often),
    and the safety points and help box. Tamil, the longest, has its captions beside the
    pictures to fit at 12 pt."""
    path = build(layout, lang).job.path
    doc = document(project, lang)
    (chars,) = chars_of(path)
    for key in ("routine_heading", "safety_heading", "help_heading"):
        assert min(sizes_of(chars, doc.label(key))) >= 28 - 0.01, key
    assert min(sizes_of(chars, doc.title)) >= 28 - 0.01
    tops = []
    for tech in doc.step_items():
        assert min(sizes_of(chars, tech.title)) >= 16 - 0.01, tech.id
        assert locate(chars, tech.repeat), tech.id
        found = locate(chars, tech.title)
        x = (min(c.left for c in found) + max(c.right for c in found)) / 2
        tops.append((max(c.top for c in found), -x if lang == "ar" else x))
    rows: list[list[float]] = []  # names in a row start within 15 mm of each other
    for top, x in tops:
        if rows and abs(top - rows[-1][0]) < 15 * MM:
            rows[-1].append(x)
        else:
            rows.append([top, x])
    assert len(rows) >= 2
    assert [r[0] for r in rows] == sorted((r[0] for r in rows), reverse=True)  # downwards
    assert all(r[1:] == sorted(r[1:]) for r in rows)  # each row from the reading start
    words = all_words(path)
    for text in one_line(doc, [*texts(doc, "warning-box"), *texts(doc, "help-box")]):
        assert squeeze(text) in words, text


def test_poster_prints_the_routine_video_when_the_topic_has_one(scratch_project):
    url = "https://videos.example.org/infant-massage/routine"
    topic = scratch_project / "handouts/infant-massage/topic.yaml"
    text = topic.read_text(encoding="utf-8")
    old = "    heading_handout: techniques_heading\n"
    assert old in text
    topic.write_text(text.replace(old, old + f"    video: {url}\n", 1), encoding="utf-8")
    result = run_cli(
        "build", "--lang", "en", "--layout", "poster-a3", "--out", "out", cwd=scratch_project
    )
    assert result.returncode == 0, result.stderr
    path = scratch_project / "out/infant-massage/en/poster-a3.pdf"
    assert [[text for text, *_ in page] for page in qr_codes(path)] == [[url]]


def test_a_video_on_a_section_without_pictures_is_refused(scratch_project):
    topic = scratch_project / "handouts/infant-massage/topic.yaml"
    text = topic.read_text(encoding="utf-8")
    old = "    heading: safety_heading\n"
    topic.write_text(
        text.replace(old, old + "    video: https://example.org/v\n", 1), encoding="utf-8"
    )
    result = run_cli("check", cwd=scratch_project)
    assert result.returncode == 1
    assert "topic.yaml:" in result.stderr and "'video' is for step-cards sections" in result.stderr


# ----------------------------------------------------------------- layouts as data
def test_a_roll_fold_must_make_six_panels(scratch_project):
    path = scratch_project / "layouts/trifold-a4.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: back")
    path.write_text(text[:start] + text[text.index("footer:") :], encoding="utf-8")
    result = run_cli(
        "build", "--lang", "en", "--layout", "trifold-a4", "--out", "out", cwd=scratch_project
    )
    assert result.returncode == 1
    assert "a roll-fold leaflet has 6 panels, but its parts make 5 pages" in result.stderr


def test_sheet_is_for_leaflets_and_cards(scratch_project):
    path = scratch_project / "layouts/handout-a4.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "paper: A4\n", "paper: A4\nsheet: {order: front-back, across: 2}\n", 1
    )
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", cwd=scratch_project)
    assert result.returncode == 1
    assert (
        "handout-a4.yaml:" in result.stderr and "'sheet' is for leaflet and cards" in result.stderr
    )


def test_list_describes_every_layout():
    result = run_cli("list", "--json")
    assert result.returncode == 0, result.stderr
    layouts = json.loads(result.stdout)["layouts"]
    for name in LAYOUTS:
        assert name in layouts and len(layouts[name]["description"]) > 30, name


@pytest.mark.parametrize("topic", TOPICS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_topic_builds(tmp_path, project, layout, topic):
    """Layouts print sections by kind: every topic builds, in its source language."""
    result = build_one(project, Job(topic, "en", layout, tmp_path), force=True)
    assert result.status == "built", result.messages
    assert result.pages <= {"handout": 6, "trifold": 2, "poster-": 1}.get(layout[:7], 99)


@pytest.mark.parametrize("lang", EVERY_LANGUAGE)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_shipped_language_builds(build, layout, lang):
    result = build(layout, lang)
    assert not result.warnings, result.warnings  # nothing fell back to English
    assert result.pages <= {"handout": 6, "trifold": 2, "poster-": 1}.get(layout[:7], 99)


def test_changing_the_layout_a_layout_extends_rebuilds_it(scratch_project):
    """trifold-letter is trifold-a4 on other paper: editing trifold-a4 changes it."""
    args = ["build", "--topic", TOPIC, "--lang", "en", "--layout", "trifold-letter", "--out", "out"]
    assert run_cli(*args, cwd=scratch_project).returncode == 0
    assert "up to date" in run_cli(*args, cwd=scratch_project).stdout.split("\n")[-2]
    parent = scratch_project / "layouts/trifold-a4.yaml"
    parent.write_text(parent.read_text().replace("  title: 28\n", "  title: 26\n"))
    result = run_cli(*args, cwd=scratch_project)
    assert result.returncode == 0 and "1 built" in result.stdout, result.stdout


def longer_safety(project_dir: Path, lang: str, key: str) -> Project:
    """The scratch project with one safety point of `lang` said twice: Tamil's, long
    enough to need the back panel before large print was copyfitted (issue 12), now
    fit in their panel, so the test makes its own."""
    path = project_dir / "handouts" / TOPIC / f"{lang}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["safety"][key] = " ".join([data["safety"][key]] * 2)
    path.write_text(dump_yaml(data), encoding="utf-8")
    return Project(builtin_root(), project_dir)


@pytest.mark.parametrize("layout", TRIFOLD)
def test_trifold_safety_goes_on_over_the_back_when_it_must(scratch_project, layout):
    """Safety points that do not fit their panel (Tamil's, one made longer): the rest goes
    on at the top of the back panel, under the heading again, above the help box; no
    point is left out."""
    project = longer_safety(scratch_project, "ta", "unwell")
    result = build_one(project, Job(TOPIC, "ta", layout, scratch_project / "out", SITE), force=True)
    assert result.status == "built", result.messages
    path = result.job.path
    site, _doc, logo = load_site(SITE)
    doc = resolve(bundle_for(project, TOPIC), "ta", site, site_info(site, logo))
    outside_folds, _inside = folds_on(path)
    outside = chars_of(path)[0]
    heading = where(outside, doc.label("safety_heading"))
    help_heading = where(outside, doc.label("help_heading"))
    assert panel_of(heading[0], outside_folds) == panel_of(help_heading[0], outside_folds) == 1
    assert heading[1] > help_heading[1]  # above it
    _outside, inside_folds = folds_on(path)
    last = [c for c in chars_of(path)[1] if panel_of(c.left, inside_folds) == 2]
    back = [c for c in outside if panel_of(c.left, outside_folds) == 1]
    words = squeeze("".join(c.text for c in last + back))  # panel 5, then the back
    for between in ("draft_mark", "safety_heading"):  # footers, the heading again
        words = words.replace(squeeze(doc.label(between)), "")
    for item in texts(doc, "warning-box"):
        assert squeeze(item) in words, item
