"""The Document: one topic in one language for one site, resolved into plain data.

Nothing here knows about paper or PDF, and nothing here knows a topic: sections are of
generic kinds, items carry their words, pictures and links. Layout reads a Document;
it never reads YAML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class Picture:
    """A checked picture file and its own size (SVG units or pixels): enough to place it."""

    path: Path
    width: float
    height: float
    kind: str  # "svg" | "raster"


@dataclass(frozen=True)
class Item:
    """One item of a section, in the document's language."""

    id: str
    title: str = ""
    short: str = ""  # the handout form (a plain-string item is this)
    full: str = ""  # the booklet form; falls back to `short`
    steps: tuple[str, ...] = ()
    repeat: str = ""
    tip: str = ""
    icon: Picture | None = None
    illustration: Picture | None = None
    alt: str = ""  # what the illustration shows, in words (the web version's alt text)
    video_url: str | None = None  # None: no QR code
    page_url: str | None = None  # the web page at this item: the QR code opens it instead
    handout: bool = True
    ref_numbers: tuple[int, ...] = ()

    def text(self, form: str = "short") -> str:
        return (self.full or self.short) if form == "full" else self.short

    @property
    def anchor(self) -> str:
        """The id of the item's heading on the web page (what `page_url` ends with)."""
        return f"i-{self.id}"

    @property
    def scan_url(self) -> str | None:
        """What its QR code opens: the item on the handout's web page, or its video."""
        return self.page_url or self.video_url

    @property
    def short_url(self) -> str:
        """The URL as printed beside its QR code: no scheme, no 'www.'."""
        url = self.video_url or ""
        return url.removeprefix("https://").removeprefix("www.").rstrip("/")


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    icon: Picture | None
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Section:
    id: str
    kind: str
    heading: str
    heading_handout: str
    intro: str
    icon: Picture | None
    items: tuple[Item, ...] = ()
    groups: tuple[Group, ...] = ()
    video_url: str | None = None  # the whole section in one video (a routine)

    def chosen(self, which: str) -> tuple[Item, ...]:
        """'all' items, or only those on the short handout ('handout')."""
        return self.items if which == "all" else tuple(i for i in self.items if i.handout)

    def title(self, which: str = "all") -> str:
        return (self.heading_handout or self.heading) if which == "handout" else self.heading


@dataclass(frozen=True)
class Reference:
    number: int
    id: str
    citation: str
    doi: str | None
    pmid: str | None

    @property
    def identifier(self) -> str:
        """'doi:…' or 'PMID …': how a reader finds the paper."""
        return f"doi:{self.doi}" if self.doi else (f"PMID {self.pmid}" if self.pmid else "")

    @property
    def name(self) -> str:
        """'Vickers 2004': first author and year."""
        first = self.citation.split(",", 1)[0].split(".", 1)[0].split()
        if len(first) > 1 and first[-1].isupper() and len(first[-1]) <= 3:
            first = first[:-1]  # the initials: "van Vlimmeren LA" -> "van Vlimmeren"
        author = " ".join(first)
        year = "".join(ch for ch in self.id if ch.isdigit())
        return f"{author} {year}"

    @property
    def short_label(self) -> str:
        """'Vickers 2004, doi:…' — enough to find the paper, short enough for a handout."""
        return self.name + (f", {self.identifier}" if self.identifier else "")


@dataclass(frozen=True)
class SiteInfo:
    name: str = ""
    phone: str = ""
    emergency: str = ""
    leaflet_code: str = ""
    revision_date: dt.date | None = None
    logo: Picture | None = None


@dataclass(frozen=True)
class Week:
    title: str
    technique_ids: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class CourseInfo:
    """An instructor's class, checked against the topic (technique ids exist)."""

    instructor: str
    organisation: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    venue: str = ""
    time: str = ""
    dates: tuple[dt.date, ...] = ()
    technique_ids: tuple[str, ...] = ()  # () = every step item, in topic order
    weeks: tuple[Week, ...] = ()
    welcome: str = ""


@dataclass(frozen=True)
class Document:
    topic_id: str
    lang: str
    direction: str
    is_draft: bool
    title: str
    subtitle: str
    intro: str
    sections: tuple[Section, ...]
    references: tuple[Reference, ...]
    labels: Mapping[str, str]
    art: Mapping[str, Picture]
    site: SiteInfo = SiteInfo()
    fallback_keys: tuple[str, ...] = ()
    course: CourseInfo | None = None
    reviewer: str = ""
    source_lang: str = ""  # the language `fallback_keys` are in

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    def label(self, key: str, **values: object) -> str:
        """A ui label with its {placeholders} filled."""
        text = self.labels[key]
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        return text

    def of_kind(self, kind: str, section_id: str | None = None) -> list[Section]:
        """The sections of one kind, in topic order (or the one with `section_id`)."""
        return [s for s in self.sections if s.kind == kind and section_id in (None, s.id)]

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def step_items(self, which: str = "all") -> list[Item]:
        """The items of every step-cards section: all of them, or the handout's."""
        return [item for s in self.of_kind("step-cards") for item in s.chosen(which)]

    def _steps_changed(
        self, change: Callable[[tuple[Item, ...]], tuple[Item, ...]]
    ) -> tuple[Section, ...]:
        """The sections, each step-cards section's items changed by `change`."""
        return tuple(
            replace(s, items=change(s.items)) if s.kind == "step-cards" else s
            for s in self.sections
        )

    def with_page(self, page_url: str) -> Document:
        """The document whose step items' QR codes open `page_url` (its web version as the
        ward publishes it) at the item, rather than the video; the page links the video."""
        sections = self._steps_changed(
            lambda items: tuple(
                replace(i, page_url=f"{page_url}#{i.anchor}") if i.video_url else i for i in items
            )
        )
        return replace(self, sections=sections)

    def with_course(self, course: CourseInfo) -> Document:
        """The document as a class booklet: the course's techniques, in the course's order."""
        if not course.technique_ids:
            return replace(self, course=course)
        order = {tid: n for n, tid in enumerate(course.technique_ids)}
        sections = self._steps_changed(
            lambda items: tuple(
                sorted((i for i in items if i.id in order), key=lambda i: order[i.id])
            )
        )
        return replace(self, sections=sections, course=course)
