"""A handout's web version: the Document in the layout's block order, as one HTML page.

The layout's parts name blocks by kind (`intro`, `icon-list`, `warning-box`...); each
has a writer here that prints the same sections, items and words as the PDF's block,
choosing items the way the block's options say (`set: handout`). Blocks that only make
sense on paper (notes pages, a practice log, crop marks) have no writer and are left
out. A string that fell back to the source language is marked with that language, so a
screen reader reads it with the right voice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from printshop.content.document import Document, Item, Picture, Section
from printshop.content.i18n import ALT, format_date
from printshop.content.layouts import Layout
from printshop.text.breaks import no_spaces
from printshop.web.fonts import WebFont, font_css
from printshop.web.html import element, escape, markup
from printshop.web.svg import picture_html

CSS = Path(__file__).with_name("handout.css")


def makes_web_page(layout: Layout) -> bool:
    """Handouts get a web version (a booklet's pages, posters and cards are for paper)."""
    return layout.kind == "handout"


@dataclass
class Page:
    """One language of the page while it is written: its words and its element ids."""

    doc: Document
    prefix: str  # the language's ids start with it (two languages share a page)
    fallbacks: frozenset[str] = field(init=False)
    pictures: int = 0

    def __post_init__(self) -> None:
        own = self.doc.lang == self.doc.source_lang
        self.fallbacks = frozenset() if own else frozenset(self.doc.fallback_keys)

    def words(self, text: str, *keys: str) -> str:
        """Content text as HTML; marked as the source language where it fell back."""
        html = markup(text)
        if any(key in self.fallbacks for key in keys):
            return element("span", html, lang=self.doc.source_lang, dir="auto")
        return html

    def label(self, key: str, **values: str) -> str:
        """A ui label, its {placeholders} filled with HTML (escaped here, not there)."""
        text = self.words(self.doc.labels.get(key, ""), f"ui.{key}")
        for name, value in values.items():
            text = text.replace("{" + name + "}", value)
        return text

    def fell_back(self, *keys: str) -> str | None:
        """The source language, when one of `keys` fell back to it."""
        return self.doc.source_lang if any(k in self.fallbacks for k in keys) else None

    def picture(self, picture: Picture | None, css: str, alt: str = "", *keys: str) -> str:
        if picture is None:
            return ""
        self.pictures += 1
        prefix = f"{self.prefix}p{self.pictures}-"
        return picture_html(picture, alt, prefix, css, self.fell_back(*keys) if alt else None)

    def id(self, name: str) -> str:
        return f"{self.prefix}{name}"


Writer = Callable[[Page, Any], Iterator[str]]
WRITERS: dict[str, Writer] = {}


def writer(name: str) -> Callable[[Writer], Writer]:
    """Register the web writer of the layout block `name`."""

    def register(function: Writer) -> Writer:
        WRITERS[name] = function
        return function

    return register


def _sections(page: Page, kind: str, options: Any) -> list[Section]:
    return page.doc.of_kind(kind, getattr(options, "section", None))


def _chosen(section: Section, options: Any, default: str = "all") -> tuple[Item, ...]:
    which = getattr(options, "set", default)
    return section.chosen("handout" if which == "handout" else "all")


def _item_keys(section: Section, item: Item, name: str) -> tuple[str, str]:
    """The language-file keys an item's text may come from (a plain string is its short)."""
    base = f"{section.id}.{item.id}"
    return f"{base}.{name}", base


def _section(page: Page, section: Section, body: str, heading: str, css: str) -> str:
    """A section with its heading (and icon): a region landmark named by the heading."""
    if not heading:
        return element("section", body, class_=css)
    hid = page.id(f"s-{section.id}")
    icon = page.picture(section.icon, "icon")
    title = element("h2", icon + element("span", page.words(heading)), id=hid)
    return element("section", title + body, class_=css, aria_labelledby=hid)


def _list(items: list[str], css: str | None = None, tag: str = "ul") -> str:
    return element(tag, "".join(element("li", item) for item in items), class_=css)


def _refs(item: Item) -> str:
    """' [1, 2]': the numbers of the references it cites, as the PDF prints them."""
    if not item.ref_numbers:
        return ""
    numbers = ",\u00a0".join(map(str, item.ref_numbers))
    return " " + element("span", f"[{numbers}]", class_="refs", dir="ltr")


@writer("intro")
def _intro(page: Page, options: Any) -> Iterator[str]:
    if page.doc.intro:
        yield element("p", page.words(page.doc.intro, "intro"), class_="lead")


@writer("icon-list")
def _icon_list(page: Page, options: Any) -> Iterator[str]:
    form = getattr(options, "form", "short")
    for section in _sections(page, "icon-list", options):
        rows = []
        for item in _chosen(section, options):
            text = page.words(item.text(form), *_item_keys(section, item, form))
            if item.title:
                title = page.words(item.title, f"{section.id}.{item.id}.title")
                cjk = no_spaces(page.doc.lang)
                text = f"<strong>{title}{'：' if cjk else '.'}</strong>{'' if cjk else ' '}{text}"
            rows.append(page.picture(item.icon, "icon") + element("p", text + _refs(item)))
        body = _list(rows, "icon-list")
        yield _section(page, section, body, section.title("all"), "icon-list")


@writer("cue-pairs")
def _cue_pairs(page: Page, options: Any) -> Iterator[str]:
    for section in _sections(page, "cue-pairs", options):
        groups = []
        for group in section.groups:
            key = f"{section.id}.{group.id}"
            cues = [page.words(item.short, f"{key}.{item.id}") for item in group.items]
            label = page.picture(group.icon, "icon") + element("span", page.words(group.label))
            groups.append(element("div", element("h3", label) + _list(cues), class_="cue-group"))
        body = element("div", "".join(groups), class_="pairs")
        yield _section(page, section, body, section.title("all"), "cue-pairs")


def _plain_items(page: Page, section: Section) -> str:
    return _list([page.words(i.short, f"{section.id}.{i.id}") + _refs(i) for i in section.items])


@writer("bullet-list")
def _bullet_list(page: Page, options: Any) -> Iterator[str]:
    for section in _sections(page, "bullet-list", options):
        yield _section(page, section, _plain_items(page, section), section.title(), "bullets")


@writer("warning-box")
def _warning_box(page: Page, options: Any) -> Iterator[str]:
    for section in _sections(page, "warning-box", options):
        body = _plain_items(page, section)
        yield _section(page, section, body, section.title(), "box warning")


def _number(value: str) -> str:
    """A phone number: bold, and kept left to right inside right-to-left text."""
    return element("strong", escape(value), dir="ltr")


def _write_in(page: Page, key: str) -> str:
    """'Label: ______': the PDF's line to write a number on, kept for a printed copy."""
    line = element("span", "", class_="line")
    return element("p", f"{page.label(key)}: {line}", class_="write-in")


@writer("help-box")
def _help_box(page: Page, options: Any) -> Iterator[str]:
    site = page.doc.site
    for section in _sections(page, "help-box", options):
        parts = []
        if section.intro:
            parts.append(element("p", element("strong", page.words(section.intro)), class_="intro"))
        parts.append(_plain_items(page, section))
        if site.emergency:
            call = page.label("help_emergency", emergency=_number(site.emergency))
            parts.append(element("p", call))
        else:
            parts.append(_write_in(page, "emergency_number_here"))
        if site.phone:
            line = page.label("help_ward", ward_name=escape(site.name), phone=_number(site.phone))
            parts.append(element("p", line))
        else:
            parts.append(_write_in(page, "write_number_here"))
        yield _section(page, section, "".join(parts), section.title(), "box help")


def _card(page: Page, section: Section, item: Item) -> str:
    """A step card: name, how often, the picture (described), the steps, the video."""
    hid = page.id(item.anchor)
    base = f"{section.id}.{item.id}"
    head = element("h3", page.words(item.title, f"{base}.title"), id=hid)
    if item.repeat:
        head += element("p", page.words(item.repeat, f"{base}.repeat"), class_="repeat")
    alt_key = f"{base}.{ALT}"
    figure = page.picture(item.illustration, "illustration", item.alt, alt_key)
    steps = [page.words(step, f"{base}.steps.{n}") for n, step in enumerate(item.steps, 1)]
    video = ""
    if item.video_url:
        link = element("a", escape(item.short_url), href=item.video_url, dir="ltr")
        video = element("p", link, class_="video")
    body = head + figure + _list(steps, "steps", "ol") + video
    return element("article", body, class_="card", aria_labelledby=hid)


@writer("step-cards")
def _step_cards(page: Page, options: Any) -> Iterator[str]:
    which = "handout" if getattr(options, "set", "handout") == "handout" else "all"
    if getattr(options, "choose", "set") == "fitting":
        which = "handout"  # the PDF fits as many as the page holds, the handout's first
    for section in _sections(page, "step-cards", options):
        items = section.chosen(which)
        if not items:
            continue
        cards = _list([_card(page, section, item) for item in items], "cards", "ol")
        if getattr(options, "more_note", False) and "more_note" in page.doc.labels:
            cards += element("p", page.label("more_note"), class_="note")
        yield _section(page, section, cards, section.title(which), "step-cards")


@writer("references")
def _references(page: Page, options: Any) -> Iterator[str]:
    doc = page.doc
    if not doc.references:
        return
    rows = []
    for ref in doc.references:
        found = ""
        if ref.doi:
            found = element("a", escape(ref.identifier), href=f"https://doi.org/{ref.doi}")
        elif ref.pmid:
            url = f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/"
            found = element("a", escape(ref.identifier), href=url)
        rows.append(f"{escape(ref.citation)} {found}".strip())
    hid = page.id("references")
    body = element("h2", page.label("references_heading"), id=hid)
    body += element("p", page.label("evidence_note"))
    body += element("ol", "".join(element("li", row) for row in rows), lang="en", dir="ltr")
    yield element("section", body, class_="references", aria_labelledby=hid)


def _header(page: Page) -> str:
    """Who hands it out, the title and subtitle, the draft notice, the header art."""
    doc = page.doc
    parts = []
    if doc.site.name or doc.site.logo:
        logo = page.picture(doc.site.logo, "logo")
        parts.append(element("p", logo + escape(doc.site.name), class_="site"))
    parts.append(element("h1", page.words(doc.title, "title"), id=page.id("title")))
    if doc.subtitle:
        parts.append(element("p", page.words(doc.subtitle, "subtitle"), class_="subtitle"))
    if doc.is_draft and "draft_mark" in doc.labels:
        parts.append(element("p", page.label("draft_mark"), class_="draft"))
    art = doc.art.get("header")
    return "".join(parts) + page.picture(art, "art")


def _footer(page: Page) -> str:
    """The site's name, leaflet code and revision date, as the PDF's footer has them."""
    site, doc = page.doc.site, page.doc
    words = [escape(site.name)] if site.name else []
    if site.leaflet_code:
        code = element("span", escape(site.leaflet_code), dir="ltr")
        words.append(f"{page.label('leaflet_code')} {code}")
    if site.revision_date:
        date = escape(format_date(site.revision_date, doc.lang))
        words.append(f"{page.label('revised')} {date}")
    return element("p", " · ".join(words)) if words else ""


def _blocks(layout: Layout) -> Iterator[tuple[str, Any]]:
    for part in layout.parts:
        for ref in part.blocks:
            yield ref.block, ref.options


def _language(doc: Document, layout: Layout, prefix: str) -> tuple[str, str, str]:
    """(header, body, footer) of one language: its blocks in the layout's order."""
    page = Page(doc, prefix)
    header = _header(page)
    body = "".join(
        html for name, options in _blocks(layout) for html in _write(name, page, options)
    )
    return header, body, _footer(page)


def _write(name: str, page: Page, options: Any) -> Iterator[str]:
    """The block's HTML; nothing for a block that only makes sense on paper."""
    write = WRITERS.get(name)
    return write(page, options) if write else iter(())


def _style(layout: Layout, fonts: list[WebFont]) -> str:
    """The page's CSS, in the layout's colours and the PDF's fonts."""
    p = layout.palette
    colours = (
        f":root{{--ink:{p.ink};--accent:{p.accent};--muted:{p.muted};"
        f"--tint:{p.tint};--rule:{p.rule}}}"
    )
    return font_css(fonts) + colours + CSS.read_text(encoding="utf-8")


def web_page(
    doc: Document, layout: Layout, second: Document | None = None, fonts: list[WebFont] = ()
) -> bytes:
    """The handout as one HTML page (with `second`: that language after the first), in
    `fonts` (the PDF's, see `web/fonts.py`) where the reader has them."""
    header, body, footer = _language(doc, layout, "")
    if second is None:
        main = f"<header>{header}</header>\n<main>{body}</main>"
    else:
        _head, other, _foot = _language(second, layout, "b-")
        articles = [
            element("article", f"<header>{header}</header>{body}", aria_labelledby="title"),
            element(
                "article",
                f"<header>{_head}</header>{other}",
                lang=second.lang,
                dir=second.direction,
                aria_labelledby="b-title",
            ),
        ]
        main = element("main", "".join(articles))
    title = escape(doc.title) + (f" / {escape(second.title)}" if second else "")
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(doc.lang)}" dir="{escape(doc.direction)}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="makebook">\n'
        f"<title>{title}</title>\n<style>{_style(layout, list(fonts))}</style>\n</head>\n"
        f"<body>\n{main}\n<footer>{footer}</footer>\n</body>\n</html>\n"
    ).encode()
