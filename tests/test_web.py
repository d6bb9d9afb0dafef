"""The catalog page (out/index.html) and the web version of every handout (issue 15).

Without a browser: the web handout says the language file's words in the layout's order,
alt texts come from the content and fall back like any string, the catalog lists every
PDF in out/ after a single-language rebuild, prints words from the layout's data, and
its thumbnails are makebook's own. In headless Chromium (Debian's `chromium`, driven
by Playwright; axe-core from npm): links, thumbnails, search, keyboard, 360 px, axe.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from lxml import html as lxml_html
from pypdf import PdfReader

from printshop.catalog.jobs import Job, build_one
from printshop.content.document import Picture
from printshop.web.svg import picture_html

from .conftest import ROOT, SMALL_PROJECT, SMALL_TOPIC, run_cli

SMALL = f"handouts/{SMALL_TOPIC}"
SITE = str(SMALL_PROJECT / "sites" / "clinic.yaml")


def strings(path: Path) -> dict:
    """A language file as plain data (the expectations come from the file itself)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def page(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def text(node) -> str:
    return " ".join(node.text_content().split())


def manifest(out: Path) -> dict:
    return json.loads((out / ".makebook/manifest.json").read_text(encoding="utf-8"))["files"]


# ----------------------------------------------------------------- the web handout
@pytest.mark.parametrize("lang", ["en", "fa"])
def test_web_handout_says_the_language_files_words_in_the_layouts_order(small_built, lang):
    """handout-a4: header, intro, icon list, warning box, references | cue pairs, step
    cards, help box; every word from <lang>.yaml, every picture described by its alt."""
    result = small_built[(lang, "handout-a4")]
    assert (result.job.web_path, "web") in result.files
    doc = page(result.job.web_path)
    words = strings(SMALL_PROJECT / SMALL / f"{lang}.yaml")
    meta = words["language"]
    root = doc.getroottree().getroot()
    assert (root.get("lang"), root.get("dir")) == (lang, meta["direction"])
    assert text(doc.find(".//h1")) == words["title"]
    assert text(doc.find_class("subtitle")[0]) == words["subtitle"]
    assert text(doc.find_class("lead")[0]) == words["intro"]
    ui = words["ui"]
    headings = [ui[k] for k in ("why_heading", "careful_heading", "references_heading")]
    headings += [ui[k] for k in ("signals_heading", "moves_heading", "stop_heading")]
    assert [text(h) for h in doc.iter("h2")] == headings
    # the icon list: the handout's items only (reasons.focus is booklet-only)
    icon_items = [text(li) for li in doc.find_class("icon-list")[1].iter("li")]
    assert len(icon_items) == 2
    assert icon_items[0].startswith(f"{words['reasons']['eyes']['title']}. ")
    assert words["reasons"]["eyes"]["short"] in icon_items[0]
    # the step cards: title, steps in order, the picture's alt text, the video link
    cards = doc.find_class("card")
    moves = words["moves"]
    assert [text(card.find("h3")) for card in cards] == [
        moves["shoulder-roll"]["title"],
        moves["wrist-circle"]["title"],
    ]
    for card, key in zip(cards, ("shoulder-roll", "wrist-circle"), strict=True):
        assert [text(li) for li in card.find_class("steps")[0]] == moves[key]["steps"]
        svg = card.find(".//svg")
        assert svg.get("role") == "img" and svg.get("aria-label") == moves[key]["alt"]
        assert svg.get("lang") is None  # in the page's own language
    links = [a.get("href") for a in cards[0].iter("a")]
    assert links == ["https://www.example.org/moves/shoulder-roll"]  # the topic's video
    assert cards[1].find(".//a") is None  # no video, no link
    # safety and help are landmarks named by their headings
    for css in ("warning", "help"):
        box = doc.find_class(css)[0]
        assert box.tag == "section" and box.get("aria-labelledby")
        assert doc.get_element_by_id(box.get("aria-labelledby")).tag == "h2"
    assert [text(li) for li in doc.find_class("warning")[0].iter("li")] == list(
        words["careful"].values()
    )
    # decorations (icons, header art) are hidden from screen readers
    for svg in doc.iter("svg"):
        assert svg.get("role") == "img" or svg.get("aria-hidden") == "true"
    # self-contained: no script, nothing loaded from elsewhere
    assert not doc.xpath("//script|//link|//iframe|//img[not(starts-with(@src, 'data:'))]")


def test_web_handout_links_the_fonts_its_pdf_embeds(small_built):
    """Every script shows on a phone without its fonts: the page's @font-face rules
    point at out/fonts/, one copy of each bundled font the PDF embeds (Persian: the
    Arabic-script family first), recorded in the manifest with the licences."""
    result = small_built[("fa", "handout-a4")]
    out = result.job.out_dir
    html = result.job.web_path.read_text(encoding="utf-8")
    urls = re.findall(r'url\("([^"]+)"\)', html)
    reader = PdfReader(str(result.job.path))
    embedded = {
        font["/BaseFont"].split("+")[-1]
        for pdf_page in reader.pages
        for font in pdf_page["/Resources"]["/Font"].values()
    }
    assert len(urls) == len(embedded) > 1
    files = manifest(out)
    for url in urls:
        font = (result.job.web_path.parent / url).resolve()
        assert font.parent == out.resolve() / "fonts"
        assert font.read_bytes() == (ROOT / "assets/fonts" / font.name).read_bytes()
        assert files[f"fonts/{font.name}"]["kind"] == "font"
    assert files["fonts/OFL.txt"]["kind"] == "licence"
    stack = re.search(r"--font:([^}]+)}", html).group(1).split(",")
    arabic = re.search(r'font-family:("[^"]+")[^}]*Arabic-Regular\.ttf', html).group(1)
    assert stack[0] == arabic and stack[-2:] == ["system-ui", "sans-serif"]


def test_a_deleted_fonts_folder_is_written_again_without_force(tmp_path, small_project):
    """The web page's fonts are part of it: with out/fonts/ gone, the page is not up to
    date and a plain rebuild puts the fonts back; a font changed by someone else is not
    taken for current (nor overwritten: the build says so)."""
    job = Job(SMALL_TOPIC, "fa", "handout-a4", tmp_path)
    assert build_one(small_project, job).status == "built"
    fonts = sorted(path.name for path in (tmp_path / "fonts").glob("*.ttf"))
    assert build_one(small_project, job).status == "current"
    shutil.rmtree(tmp_path / "fonts")
    assert build_one(small_project, job).status == "built"
    assert sorted(path.name for path in (tmp_path / "fonts").glob("*.ttf")) == fonts
    (tmp_path / "fonts" / fonts[0]).write_bytes(b"not a font")  # changed by someone
    changed = build_one(small_project, job)  # not current, and not overwritten either
    assert changed.status == "failed" and "was changed since makebook wrote it" in str(
        changed.messages
    )


def test_web_handout_shows_the_draft_status(small_built):
    """fa is a draft (its label shown under the title), en is reviewed (no mark)."""
    fa = page(small_built[("fa", "handout-a4")].job.web_path)
    draft = strings(SMALL_PROJECT / SMALL / "fa.yaml")["ui"]["draft_mark"]
    assert [text(p) for p in fa.find_class("draft")] == [draft]
    assert page(small_built[("en", "handout-a4")].job.web_path).find_class("draft") == []


def test_web_handout_of_a_site_has_its_numbers_and_codes(tmp_path, small_project):
    job = Job(SMALL_TOPIC, "en", "handout-a4", tmp_path, Path(SITE))
    result = build_one(small_project, job, force=True)
    assert result.status == "built", result.messages
    doc = page(job.web_path)
    assert text(doc.find_class("site")[0]) == "Test Clinic, Example Street"
    help_box = text(doc.find_class("help")[0])
    assert (
        "Emergency line: 112" in help_box
        and "Ring Test Clinic, Example Street: 0100 000 111" in help_box
    )
    assert "Code TST-01" in text(doc.find(".//footer"))
    # the site's own video for the shoulder roll
    assert (
        doc.find_class("video")[0].find("a").get("href") == "https://videos.example.net/shoulders"
    )


def test_only_handouts_get_a_web_version(small_built):
    booklet = small_built[("en", "booklet-a5")]
    assert [kind for _path, kind in booklet.files] == ["booklet", "imposed"]
    assert not booklet.job.web_path.exists()


def test_missing_alt_falls_back_to_english_marked_as_english(scratch_small, tmp_path):
    """A translation without an alt text: the web page reads the English one, marked
    lang="en"; lang status counts it missing; a build says nothing (the page is still
    right), --strict refuses it on a web handout but not on a booklet, which does not
    print it."""
    fa = scratch_small / SMALL / "fa.yaml"
    source = fa.read_text(encoding="utf-8")
    start = source.index("    # en: A person's head and shoulders")
    end = source.index("  wrist-circle:")
    fa.write_text(source[:start] + source[end:], encoding="utf-8")
    status = run_cli("lang", "status", "fa", "--json", "--topic", SMALL_TOPIC, cwd=scratch_small)
    row = json.loads(status.stdout)["languages"][0]
    assert row["missing"] == ["moves.shoulder-roll.alt"]
    out = tmp_path / "out"
    args = ["build", "--topic", SMALL_TOPIC, "--lang", "fa", "--out", str(out)]
    handout = run_cli(*args, "--layout", "handout-a4", cwd=scratch_small)
    assert (handout.returncode, handout.stderr) == (0, "")
    svg = page(out / SMALL_TOPIC / "fa/handout-a4.html").find_class("illustration")[0]
    english = strings(scratch_small / SMALL / "en.yaml")["moves"]["shoulder-roll"]["alt"]
    assert (svg.get("aria-label"), svg.get("lang")) == (english, "en")
    strict = run_cli(*args, "--layout", "handout-a4", "--strict", "--force", cwd=scratch_small)
    assert strict.returncode == 1
    assert "1 strings not translated, using en: moves.shoulder-roll.alt (--strict)" in strict.stderr
    booklet = run_cli(*args, "--layout", "booklet-a5", "--strict", cwd=scratch_small)
    assert (booklet.returncode, booklet.stderr) == (0, "")


def test_the_source_language_describes_every_illustration(scratch_small):
    en = scratch_small / SMALL / "en.yaml"
    lines = en.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines) if line.startswith("    alt: ") and n > 48)
    del lines[number]
    en.write_text("".join(lines), encoding="utf-8")
    result = run_cli("check", "--topic", SMALL_TOPIC, cwd=scratch_small)
    assert result.returncode == 1
    assert re.search(
        r"en\.yaml:\d+:\d+: missing text 'moves\.wrist-circle\.alt' in the source language: "
        r"a few words on what the picture shows",
        result.stderr,
    ), result.stderr


def test_inline_pictures_keep_their_ids_apart(tmp_path):
    """Two inline SVGs with the same ids: each gets its own prefix, and its references
    (href, url()) follow it."""
    svg = tmp_path / "g.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10">'
        '<defs><linearGradient id="g"><stop offset="0"/></linearGradient>'
        '<path id="p" d="M0 0L5 5"/></defs>'
        '<rect fill="url(#g)" width="10" height="10"/><use href="#p"/></svg>'
    )
    pic = Picture(svg, 10, 10, "svg")
    one, two = (picture_html(pic, "A picture", prefix, "art") for prefix in ("a-", "b-"))
    assert 'id="a-g"' in one and "url(#a-g)" in one and 'href="#a-p"' in one
    assert 'id="b-g"' in two and "url(#b-g)" in two and 'id="g"' not in one + two
    assert 'role="img" aria-label="A picture"' in one
    assert not re.match(r"<svg[^>]*\bwidth=", one)  # sized by the page's CSS
    hidden = picture_html(pic, "", "c-", "icon")
    assert 'aria-hidden="true"' in hidden and "role=" not in hidden


# ----------------------------------------------------------------- the catalog page
def built_catalog(out: Path) -> dict[str, list[str]]:
    """The test topic in both languages and four layouts (with a site), into `out`."""
    layouts = ["handout-a4", "booklet-a5", "reminder-a5", "handout-letter"]
    args = ["--project", str(SMALL_PROJECT), "build", "--topic", SMALL_TOPIC, "--out", str(out)]
    result = run_cli(*args, *[x for name in layouts for x in ("--layout", name)], "--quiet")
    assert result.returncode == 0, result.stderr
    return {"args": args}


def index_links(out: Path) -> list[str]:
    doc = page(out / "index.html")
    return [unquote(a.get("href")) for a in doc.iter("a")]


def test_index_lists_every_pdf_after_a_single_language_rebuild(tmp_path):
    out = tmp_path / "out"
    args = built_catalog(out)["args"]
    again = run_cli(*args, "--lang", "fa", "--layout", "handout-a4", "--site", SITE, "--force")
    assert again.returncode == 0, again.stderr
    pdfs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert len(pdfs) == 2 * 5 + 1  # 2 languages x (4 layouts + 1 imposed) + the site's
    links = index_links(out)
    assert sorted(link for link in links if link.endswith(".pdf")) == pdfs
    webs = sorted(
        p.relative_to(out).as_posix() for p in out.rglob("*.html") if p.name != "index.html"
    )
    assert sorted(link for link in links if link.endswith(".html")) == webs
    assert len(webs) == 2 * 3 + 1  # the handouts and the one-page reminder, and the site's
    for link in links:
        assert (out / link).is_file(), link
    doc = page(out / "index.html")
    thumbs = [unquote(img.get("src")) for img in doc.iter("img")]
    assert sorted(thumbs) == sorted(p.relative_to(out).as_posix() for p in out.rglob("*.png"))
    assert len(thumbs) == len(pdfs)
    gone = out / SMALL_TOPIC / "fa/reminder-a5.pdf"
    gone.unlink()  # deleted by hand: the next index leaves it out
    again = run_cli(*args, "--lang", "en", "--layout", "handout-a4")
    assert again.returncode == 0, again.stderr
    links = index_links(out)
    assert f"{SMALL_TOPIC}/fa/reminder-a5.pdf" not in links
    assert f"{SMALL_TOPIC}/fa/handout-a4.pdf" in links and len(links) > len(pdfs)


def test_index_says_what_each_file_is_and_how_to_print_it(tmp_path):
    out = tmp_path / "out"
    args = built_catalog(out)["args"]
    with_site = run_cli(*args, "--lang", "en", "--layout", "handout-a4", "--site", SITE)
    assert with_site.returncode == 0, with_site.stderr
    doc = page(out / "index.html")
    section = doc.get_element_by_id(f"l-{SMALL_TOPIC}-fa").getparent()
    heading = text(section.find("h3"))
    assert heading == "فارسی Persian fa"
    assert (
        text(section.find_class("doc-title")[0])
        == strings(SMALL_PROJECT / SMALL / "fa.yaml")["title"]
    )
    assert text(section.find_class("status")[0]).startswith("Draft: not yet checked")
    en = doc.get_element_by_id(f"l-{SMALL_TOPIC}-en").getparent()
    assert text(en.find_class("status")[0]) == "Reviewed by Test Reviewer, 2 Jan 2026."
    files = en.find_class("file")
    cards = {text(card.find(".//h4")): card for card in files}
    assert [text(card.find(".//h4")) for card in files] == [
        "Discharge handout · A4",
        "Discharge handout · A4",
        "Discharge handout · US Letter",
        "One-page reminder · A5",
        "Class booklet · A5",
    ]
    handout = en.find_class("file")[0]
    assert text(handout.find_class("how")[0]) == (
        "2 pages on 1 sheet of A4: print on both sides, flip on the long edge."
    )
    assert text(handout.find_class("site")[0]).startswith("No ward named")
    with_site = en.find_class("file")[1]
    assert text(with_site.find_class("site")[0]) == (
        "For Test Clinic, Example Street · leaflet TST-01 · revised 4 Mar 2026"
    )
    reminder = cards["One-page reminder · A5"]
    assert text(reminder.find_class("how")[0]) == "1 page on A5: print on one side."
    booklet = cards["Class booklet · A5"]
    how = [text(p) for p in booklet.find_class("how")]
    assert how[0].startswith("Reading copy: 12 pages of A5 in reading order")
    assert how[1] == (
        "For an office printer: 6 sheet sides on 3 sheets of A4 landscape. "
        "Print on both sides, flip on the short edge, fold, staple."
    )
    assert "Web version" in text(handout) and "Web version" not in text(booklet)


def test_thumbnails_are_makebooks_own_and_follow_the_pdf(tmp_path):
    out = tmp_path / "out"
    project = tmp_path / "project"
    shutil.copytree(SMALL_PROJECT, project)
    args = ["build", "--topic", SMALL_TOPIC, "--lang", "en", "--layout", "handout-a4"]
    assert run_cli(*args, "--out", str(out), cwd=project).returncode == 0
    thumb = out / SMALL_TOPIC / "en/thumbnails/handout-a4.png"
    entry = manifest(out)[f"{SMALL_TOPIC}/en/thumbnails/handout-a4.png"]
    assert entry["kind"] == "thumbnail" and entry["of"] == f"{SMALL_TOPIC}/en/handout-a4.pdf"
    before = thumb.read_bytes()
    en = project / SMALL / "en.yaml"
    en.write_text(
        en.read_text(encoding="utf-8").replace("title: Desk breaks", "title: Desk pauses")
    )
    assert run_cli(*args, "--out", str(out), cwd=project).returncode == 0
    assert thumb.read_bytes() != before  # made again with the PDF
    thumb.write_bytes(before)  # someone else's picture in its place
    en.write_text(en.read_text(encoding="utf-8").replace("title: Desk pauses", "title: Desk rest"))
    refused = run_cli(*args, "--out", str(out), cwd=project)
    assert refused.returncode == 1
    assert "thumbnails/handout-a4.png: was changed since makebook wrote it" in refused.stderr
    assert thumb.read_bytes() == before


# ----------------------------------------------------------------- in a browser
CHROMIUM = os.environ.get("MAKEBOOK_CHROMIUM", "/usr/bin/chromium")
AXE_PATHS = [
    ROOT / "node_modules/axe-core/axe.min.js",
    Path("/usr/lib/node_modules/axe-core/axe.min.js"),
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_script() -> Path | None:
    found = [p for p in AXE_PATHS if p.is_file()]
    return found[0] if found else None


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium, with makebook's fonts (every script shows, none as boxes)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed: pip install -e '.[test]'")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)")
    fonts = tmp_path_factory.mktemp("fontconfig")
    (fonts / "fonts.conf").write_text(
        '<?xml version="1.0"?><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf'
        f"</include><dir>{ROOT / 'assets' / 'fonts'}</dir><cachedir>{fonts}</cachedir></fontconfig>"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts / "fonts.conf")}
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, env=env, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Path:
    """The test topic (en, fa) and the shipped topic in English, Bengali and Arabic."""
    out = tmp_path_factory.mktemp("catalog")
    built_catalog(out)
    shipped = ["--project", str(SMALL_PROJECT), "build", "--topic", "infant-massage"]
    result = run_cli(
        *shipped,
        "--lang",
        "en",
        "--lang",
        "bn",
        "--lang",
        "ar",
        "--layout",
        "handout-a4",
        "--out",
        str(out),
        "--quiet",
    )
    assert result.returncode == 0, result.stderr
    return out


def axe_violations(tab) -> list[str]:
    script = axe_script()
    if script is None:
        pytest.skip("axe-core is not installed: npm install --no-save axe-core (.ci/run does)")
    tab.add_script_tag(path=str(script))
    report = tab.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
        for v in report["violations"]  # any impact: minor and moderate ones too
    ]


def visible_languages(tab) -> list[str]:
    return tab.eval_on_selector_all(
        "section.lang:not([hidden])",
        "nodes => nodes.map(n => n.querySelector('h3').id)",
    )


def test_catalog_in_a_browser(browser, catalog):
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto((catalog / "index.html").as_uri())
    # every thumbnail loads
    tab.eval_on_selector_all("img", "imgs => imgs.forEach(i => { i.loading = 'eager' })")
    tab.wait_for_function("[...document.images].every(i => i.complete)")
    widths = tab.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(widths) == len(list(catalog.rglob("thumbnails/*.png"))) and min(widths) > 0
    # every link resolves to a file
    hrefs = tab.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert hrefs and all(Path(unquote(h.removeprefix("file://"))).is_file() for h in hrefs)
    # the search finds a language by its English name, its own name and its code
    box = tab.get_by_label("Find a language or topic")
    for query in ("bengali", "বাংলা", "bn", "BENGALI"):
        box.fill(query)
        assert visible_languages(tab) == ["l-infant-massage-bn"], query
        assert tab.locator("#found").inner_text() == "Showing 1 of 5 language lists"
    box.fill("desk")
    assert visible_languages(tab) == [f"l-{SMALL_TOPIC}-en", f"l-{SMALL_TOPIC}-fa"]
    box.fill("klingon")
    assert visible_languages(tab) == [] and "Nothing found" in tab.locator("#found").inner_text()
    box.fill("")
    assert len(visible_languages(tab)) == 5
    # a keyboard user reaches every link, in order, from the search box
    box.focus()
    reached = []
    for _ in range(len(hrefs) + 1):
        tab.keyboard.press("Tab")
        reached.append(tab.evaluate("document.activeElement.href || ''"))
    assert reached[: len(hrefs)] == hrefs
    assert axe_violations(tab) == []
    # the search from a link: index.html?q=bengali
    tab.goto((catalog / "index.html").as_uri() + "?q=bengali")
    assert visible_languages(tab) == ["l-infant-massage-bn"]


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "infant-massage/en/handout-a4.html",
        "infant-massage/ar/handout-a4.html",
        f"{SMALL_TOPIC}/fa/handout-a4.html",
    ],
)
def test_pages_fit_a_phone_and_pass_axe(browser, catalog, path):
    """No horizontal scroll at 360 px; no axe-core violation of any impact (WCAG 2.2 A/AA
    and best practice)."""
    tab = browser.new_page(viewport={"width": 360, "height": 740})
    tab.goto((catalog / path).as_uri())
    scroll, client = tab.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, f"{path}: {scroll} px wide in a {client} px window"
    faces = tab.evaluate(  # the bundled fonts load from out/fonts/
        "document.fonts.ready.then(() => [...document.fonts].map(f => [f.family, f.status]))"
    )
    assert faces and "error" not in {status for _family, status in faces}, faces
    loaded = {family for family, status in faces if status == "loaded"}
    assert loaded, faces
    if path == "index.html":  # the languages' own names, in their own scripts
        assert {"NotoSansBengali", "NotoNaskhArabic"} <= loaded, faces
    assert axe_violations(tab) == []
    if path.endswith("ar/handout-a4.html"):
        assert tab.evaluate("getComputedStyle(document.querySelector('h1')).direction") == "rtl"
        alts = tab.eval_on_selector_all(
            "svg[role=img]",
            "s => s.map(n => [n.getAttribute('aria-label'),"
            " n.closest('[lang]').getAttribute('lang')])",
        )
        # translated: each picture read in Arabic (the page's language), in Arabic letters
        assert len(alts) == 6 and all(lang == "ar" for _label, lang in alts), alts
        assert all(re.search(r"[\u0621-\u064A]{3}", label or "") for label, _lang in alts), alts
        assert not any(re.search(r"[A-Za-z]{3}", label) for label, _lang in alts), alts


def test_nastaliq_lines_on_the_web_page_do_not_overlap(browser, tmp_path):
    """The Urdu web page is in Nastaliq (its PDF may be in Naskh: a page reflows) and
    its lines are as far apart as the font's own line spacing: each line's text box
    (the font's ascent and descent, which hold its tallest words) clears the next."""
    result = run_cli(
        "build", "--topic", "infant-massage", "--lang", "ur", "--layout", "handout-a4",
        "--out", str(tmp_path), "--quiet",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    tab = browser.new_page(viewport={"width": 360, "height": 740})
    tab.goto((tmp_path / "infant-massage/ur/handout-a4.html").as_uri())
    tab.evaluate("document.fonts.ready")
    assert tab.evaluate("getComputedStyle(document.body).fontFamily").startswith("NotoNastaliqUrdu")
    overlaps = tab.evaluate(  # the Nastaliq runs' boxes (the tallest), line after line
        """() => [...document.querySelectorAll('main p, main li, h1, h2')].flatMap(el => {
            const texts = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), boxes = [];
            while (texts.nextNode()) {  // the text's boxes, not its elements'
                const range = document.createRange(); range.selectNodeContents(texts.currentNode);
                boxes.push(...range.getClientRects());
            }
            const tallest = Math.max(0, ...boxes.map(r => r.height));
            const rows = boxes.filter(r => r.height > tallest - 1).sort((a, b) => a.top - b.top);
            return rows.slice(1)
                .filter((r, i) => r.top > rows[i].top + 1 && r.top < rows[i].bottom - 1)
                .map(() => el.textContent.trim().slice(0, 30));
        })"""
    )
    assert overlaps == [], overlaps
