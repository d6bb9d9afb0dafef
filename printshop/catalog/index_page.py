"""out/index.html: the ward's catalog of everything in the output folder.

Built from the manifest (every file makebook wrote there, with its meaning), so it
lists every PDF in `out/`, not only the last run's. Per topic and language: the
language's English and own names, the handout's title in it, its review status and
what that means; per document: a page-1 thumbnail, what it is for and how to print it
(from the layout's data as recorded at build time), size and pages, the site it was
made for, and its web version. One static page: inline CSS, a search box in a little
vanilla JavaScript (without it, everything is shown), a print stylesheet.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from printshop.catalog.manifest import Files
from printshop.web.fonts import font_css, shared_fonts
from printshop.web.html import element, escape

HERE = Path(__file__).parent
PAPER_NAMES = {"letter": "US Letter", "half-letter": "half Letter", "tabloid": "US tabloid"}
KIND_ORDER = ("handout", "leaflet", "poster", "cards", "booklet")
STATUS_WORDS = {
    "draft": "Draft: not yet checked by a reviewer. Every page says so.",
    "reviewed": "Reviewed: checked and signed off by a reviewer.",
}


@dataclass
class Document:
    """One built document: its PDF, and what was made with it."""

    rel: str
    entry: dict[str, Any]
    imposed: tuple[str, dict[str, Any]] | None = None
    web: str | None = None
    thumbnails: dict[str, dict[str, Any]] = field(default_factory=dict)  # PDF -> thumbnail

    @property
    def order(self) -> tuple:
        facts = self.entry.get("print") or {}
        kind = facts.get("layout_kind")
        rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
        variant = self.rel != f"{Path(self.rel).parent.as_posix()}/{self.entry.get('layout')}.pdf"
        return (rank, str(self.entry.get("layout")), variant, self.rel)


def documents(out_dir: Path, files: Files) -> dict[tuple[str, str], list[Document]]:
    """The documents whose PDF is still in `out_dir`, by (topic, language), with their
    imposed copies, web versions and thumbnails."""
    present = {rel: entry for rel, entry in files.items() if (out_dir / rel).is_file()}
    docs = {
        rel: Document(rel, entry)
        for rel, entry in present.items()
        if entry.get("kind") in ("handout", "booklet")
    }
    for rel, entry in present.items():
        kind = entry.get("kind")
        if kind == "imposed" and entry.get("reading_copy") in docs:
            docs[entry["reading_copy"]].imposed = (rel, entry)
        elif kind == "web" and rel.removesuffix(".html") + ".pdf" in docs:
            docs[rel.removesuffix(".html") + ".pdf"].web = rel
        elif kind == "thumbnail":
            owner = str(entry.get("of", ""))
            reading = (present.get(owner) or {}).get("reading_copy", owner)
            if reading in docs:
                docs[reading].thumbnails[owner] = {**entry, "rel": rel}
    grouped: dict[tuple[str, str], list[Document]] = {}
    for doc in docs.values():
        grouped.setdefault((str(doc.entry.get("topic")), str(doc.entry.get("lang"))), []).append(
            doc
        )
    return {key: sorted(group, key=lambda d: d.order) for key, group in sorted(grouped.items())}


# ----------------------------------------------------------------- words
def paper_name(facts: dict[str, Any]) -> str:
    name = PAPER_NAMES.get(facts.get("paper", ""), str(facts.get("paper", "")))
    return name + (" landscape" if facts.get("landscape") else "")


def how_to_print(facts: dict[str, Any], kind: str) -> str:
    """Plain printing words from the facts the build recorded (`companions.print_facts`)."""
    sides, paper, flip = int(facts.get("sides") or 0), paper_name(facts), facts.get("flip")
    pages = plural(sides, "page")
    if kind == "imposed":
        sheets = math.ceil(sides / 2)
        return (
            f"For an office printer: {sides} sheet sides on {plural(sheets, 'sheet')} of "
            f"{paper}. Print on both sides, flip on the {flip} edge, fold, staple."
        )
    if facts.get("layout_kind") == "booklet":
        return f"Reading copy: {pages} of {paper} in reading order, for a screen or a print shop."
    if not flip:
        words = f"{pages} on {paper}: print on one side."
    else:
        sheets = math.ceil(sides / 2)
        words = (
            f"{pages} on {plural(sheets, 'sheet')} of {paper}: "
            f"print on both sides, flip on the {flip} edge."
        )
    finish = {"fold": " Fold in three along the marks.", "cut": " Cut along the marks."}
    return words + finish.get(facts.get("finish") or "", "")


def what_it_is(facts: dict[str, Any], layout: str) -> str:
    """'Discharge handout · A4': the layout's description up to its first comma, and paper."""
    description = str(facts.get("description") or layout).split(",", 1)[0].strip()
    return f"{description} · {paper_name(facts)}" if facts.get("paper") else description


def plural(count: int, word: str) -> str:
    """'1 page', '2 pages'."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def size_words(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"


def _date(value: str | None) -> str:
    try:
        return dt.date.fromisoformat(value).strftime("%-d %b %Y") if value else ""
    except ValueError:
        return value or ""


def site_words(entry: dict[str, Any]) -> str:
    """Who it was made for: 'Maternity Ward · leaflet MAT-IM-01 · revised 25 Nov 2026'."""
    site = entry.get("site")
    if not site:
        return "No ward named: lines to write the phone numbers on."
    words = [f"For {escape(str(site.get('name') or site.get('file')))}"]
    if site.get("leaflet_code"):
        words.append(f"leaflet {escape(site['leaflet_code'])}")
    if site.get("revision_date"):
        words.append(f"revised {escape(_date(site['revision_date']))}")
    return " · ".join(words)


def variant_words(entry: dict[str, Any]) -> list[str]:
    words = []
    if entry.get("bilingual"):
        words.append(f"Two languages: {escape(entry['bilingual'])} under each part.")
    if entry.get("course"):
        words.append(f"For a class: {escape(entry['course'])}.")
    if entry.get("marks"):
        words.append("For a print shop: crop marks and bleed.")
    plain = entry.get("plain_style")
    if isinstance(plain, dict):
        own, instead = ", ".join(plain.get("own") or []), ", ".join(plain.get("plain") or [])
        words.append(
            escape(
                f"Set in {instead}, not the language's own {own}, which needs more room "
                "than this layout has."
            )
        )
    return words


def status_words(language: dict[str, Any]) -> str:
    status = language.get("status") or "draft"
    words = STATUS_WORDS.get(status, status)
    if status == "reviewed" and language.get("reviewer"):
        role = f" ({language['reviewer_role']})" if language.get("reviewer_role") else ""
        when = f", {_date(language.get('review_date'))}" if language.get("review_date") else ""
        words = f"Reviewed by {language['reviewer']}{role}{when}."
    return escape(words)


# ----------------------------------------------------------------- HTML
def _href(rel: str) -> str:
    """A link from index.html to a file in out/ (paths are relative, and quoted)."""
    return urllib.parse.quote(rel)


def _thumbnail(doc: Document, pdf: str) -> str:
    thumb = doc.thumbnails.get(pdf)
    if thumb is None:
        return element("span", "", class_="thumb none")
    width, height = (thumb.get("pixels") or [240, 340])[:2]
    return (
        f'<img class="thumb" src="{escape(_href(thumb["rel"]))}" alt="" '
        f'width="{int(width) // 2}" height="{int(height) // 2}" loading="lazy">'
    )


def _file_line(rel: str, entry: dict[str, Any]) -> str:
    pages = int(entry.get("pages") or 0)
    size = int(entry.get("bytes") or 0)
    return f"PDF · {plural(pages, 'page')} · {size_words(size)} · {escape(Path(rel).name)}"


def _card(doc: Document) -> str:
    entry, facts = doc.entry, doc.entry.get("print") or {}
    name = escape(what_it_is(facts, str(entry.get("layout"))))
    parts = [
        element("h4", element("a", name, href=_href(doc.rel))),
        element("p", escape(how_to_print(facts, str(entry.get("kind")))), class_="how"),
        element("p", _file_line(doc.rel, entry), class_="meta"),
    ]
    parts += [element("p", words, class_="variant") for words in variant_words(entry)]
    parts.append(element("p", site_words(entry), class_="site"))
    if doc.web:
        link = element("a", "Web version", href=_href(doc.web))
        parts.append(
            element("p", f"{link}: the same words for phones and screen readers.", class_="web")
        )
    rows = [element("div", _thumbnail(doc, doc.rel) + element("div", "".join(parts)), class_="row")]
    if doc.imposed:
        rel, imposed = doc.imposed
        facts = imposed.get("print") or {}
        words = [
            element("h5", element("a", "Office printer copy (imposed)", href=_href(rel))),
            element("p", escape(how_to_print(facts, "imposed")), class_="how"),
            element("p", _file_line(rel, imposed), class_="meta"),
        ]
        rows.append(
            element("div", _thumbnail(doc, rel) + element("div", "".join(words)), class_="row")
        )
    return element("li", "".join(rows), class_="file")


def _search_text(topic: str, topic_name: str, lang: str, language: dict, titles: set[str]) -> str:
    words = [topic, topic_name, lang, language.get("name", ""), language.get("native_name", "")]
    text = " ".join([*words, *sorted(titles)])
    return unicodedata.normalize("NFKC", text).lower()


def _language_section(topic: str, topic_name: str, lang: str, docs: list[Document]) -> str:
    language = next((d.entry["language"] for d in docs if d.entry.get("language")), {})
    native, english = language.get("native_name", lang), language.get("name", "")
    direction = language.get("direction", "ltr")
    hid = f"l-{topic}-{lang}"
    title = element("span", escape(native), lang=lang, dir=direction)
    if english and english != native:
        title += " " + element("span", escape(english), class_="english")
    title += " " + element("span", escape(lang), class_="code")
    titles = {str(d.entry.get("title") or "") for d in docs} - {""}
    parts = [element("h3", title, id=hid)]
    parts += [
        element("p", escape(t), class_="doc-title", lang=lang, dir=direction)
        for t in sorted(titles)
    ]
    status = language.get("status", "draft")
    parts.append(element("p", status_words(language), class_=f"status {escape(status)}"))
    parts.append(element("ul", "".join(_card(doc) for doc in docs), class_="files"))
    search = _search_text(topic, topic_name, lang, language, titles)
    named = f"{hid} t-{topic}"  # 'English en, <topic title>': one name per language and topic
    return element(
        "section", "".join(parts), class_="lang", aria_labelledby=named, data_search=search
    )


def _topic_name(topic: str, groups: dict[tuple[str, str], list[Document]]) -> str:
    """The topic's title in English when built in English, else its id in words."""
    for doc in groups.get((topic, "en"), []):
        if doc.entry.get("title"):
            return str(doc.entry["title"])
    return topic.replace("-", " ").capitalize()


def _topics(groups: dict[tuple[str, str], list[Document]]) -> Iterator[str]:
    topics = sorted({topic for topic, _lang in groups})
    for topic in topics:
        name = _topic_name(topic, groups)
        langs = sorted(
            (lang for t, lang in groups if t == topic),
            key=lambda code: (code != "en", _english_name(groups[(topic, code)], code)),
        )
        sections = "".join(
            _language_section(topic, name, lang, groups[(topic, lang)]) for lang in langs
        )
        hid = f"t-{topic}"
        heading = element("h2", escape(name), id=hid)
        count = element("p", plural(len(langs), "language"), class_="count")
        yield element("section", heading + count + sections, class_="topic", aria_labelledby=hid)


def _english_name(docs: list[Document], code: str) -> str:
    for doc in docs:
        if doc.entry.get("language"):
            return str(doc.entry["language"].get("name") or code).lower()
    return code


def index_html(out_dir: Path, files: Files) -> str:
    """The catalog page for everything the manifest lists that is still in `out_dir`."""
    groups = documents(out_dir, files)
    total = sum(len(docs) for docs in groups.values())
    languages = len({lang for _topic, lang in groups})
    fonts = font_css(shared_fonts(out_dir, files, out_dir / "index.html"))
    css = fonts + (HERE / "catalog.css").read_text(encoding="utf-8")
    script = (HERE / "catalog.js").read_text(encoding="utf-8")
    search = (
        '<form class="search" role="search" hidden onsubmit="return false">'
        '<label for="q">Find a language or topic</label>'
        '<input id="q" type="search" autocomplete="off" spellcheck="false" '
        'placeholder="Bengali, bn, or a topic" aria-describedby="found">'
        '<p id="found" role="status"></p></form>'
    )
    summary = (
        f"{plural(total, 'document')} in {plural(languages, 'language')}. "
        "Each has a picture of its first page, "
        "how to print it and the ward it was made for."
    )
    body = "".join(_topics(groups)) or element("p", "Nothing has been built here yet.")
    return (
        "<!doctype html>\n"
        '<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="makebook">\n'
        f"<title>Handouts to print</title>\n<style>{css}</style>\n</head>\n<body>\n"
        f'<header><h1>Handouts to print</h1><p class="summary">{summary}</p>{search}</header>\n'
        f"<main>{body}</main>\n<script>{script}</script>\n</body>\n</html>\n"
    )
