"""Topic + language + site (+ course) -> one Document: plain data, ready to lay out.

Strings come from the language's catalog (missing ones fell back to the source
language there), asset paths are found in the project's asset folders, video links
take the site's overrides, and references are numbered in order of first citation.
"""

from __future__ import annotations

from pathlib import Path

from printshop.content.assets import picture
from printshop.content.document import (
    CourseInfo,
    Document,
    Group,
    Item,
    Picture,
    Reference,
    Section,
    SiteInfo,
    Week,
)
from printshop.content.i18n import Catalog
from printshop.content.load import TopicBundle, find_asset
from printshop.content.models import Course, ItemSpec, SectionSpec, Site, Topic
from printshop.errors import ProblemList, UserError, suggest
from printshop.text.bidi import embed


def technique_ids(topic: Topic) -> list[str]:
    """Ids of every step-cards item: what site videos and course files may name."""
    return [i.id for s in topic.sections if s.kind == "step-cards" for i in s.items]


def video_url(site: Site | None, item_id: str, default: str | None) -> str | None:
    """A site may point codes at its own videos: per technique, or base URL + id."""
    if site is None:
        return default
    if item_id in site.videos.techniques:
        return site.videos.techniques[item_id]
    if site.videos.base_url:
        return site.videos.base_url.rstrip("/") + "/" + item_id
    return default


def reference_numbers(topic: Topic) -> dict[str, int]:
    """Number references in order of first citation; uncited ones follow."""
    order: dict[str, int] = {}
    for section in topic.sections:
        for item in section.items:
            for ref in item.references:
                order.setdefault(ref, len(order) + 1)
    for ref in topic.references:
        order.setdefault(ref.id, len(order) + 1)
    return order


def site_info(site: Site | None, logo: Path | None) -> SiteInfo:
    """What a site prints; its logo checked like any picture."""
    if site is None:
        return SiteInfo()
    return SiteInfo(
        name=site.name,
        phone=site.phone or "",
        emergency=site.emergency or "",
        leaflet_code=site.leaflet_code or "",
        revision_date=site.revision_date,
        logo=picture(logo) if logo else None,
    )


def course_info(course: Course) -> CourseInfo:
    who = course.instructor
    return CourseInfo(
        instructor=who.name,
        organisation=who.organisation or "",
        phone=who.phone or "",
        email=who.email or "",
        website=who.website or "",
        venue=course.classes.venue or "",
        time=course.classes.time or "",
        dates=tuple(course.classes.dates),
        technique_ids=tuple(course.techniques),
        weeks=tuple(Week(w.title, tuple(w.techniques), w.note or "") for w in course.weeks),
        welcome=course.welcome or "",
    )


class _Resolver:
    """Turns the topic's specs into the document's items, in one language."""

    def __init__(
        self, bundle: TopicBundle, cat: Catalog, site: Site | None, direction: str
    ) -> None:
        self.bundle = bundle
        self.cat = cat
        self.site = site
        self.numbers = reference_numbers(bundle.topic)
        source = bundle.languages[bundle.source][0].language.direction
        # strings that fall back to a source language of the other direction keep theirs
        self.fallback_direction = source if source != direction else None
        self.fallbacks = frozenset(cat.missing)

    def asset(self, relative: str | None, loc: tuple) -> Picture | None:
        if relative is None:
            return None
        return picture(find_asset(self.bundle.asset_dirs, relative, self.bundle.topic_doc, loc))

    def text(self, key: str) -> str:
        value = self.cat.strings.get(key, "")
        if value and self.fallback_direction and key in self.fallbacks:
            return embed(value, self.fallback_direction)
        return value

    def item(self, spec: ItemSpec, base: str, loc: tuple) -> Item:
        """An item's words: a plain-string item is its `short` text."""
        plain = self.text(base)
        steps = []
        while f"{base}.steps.{len(steps) + 1}" in self.cat.strings:
            steps.append(self.text(f"{base}.steps.{len(steps) + 1}"))
        return Item(
            id=spec.id,
            title=self.text(f"{base}.title"),
            short=plain or self.text(f"{base}.short"),
            full=plain or self.text(f"{base}.full"),
            steps=tuple(steps),
            repeat=self.text(f"{base}.repeat"),
            tip=self.text(f"{base}.tip"),
            icon=self.asset(spec.icon, (*loc, "icon")),
            illustration=self.asset(spec.illustration, (*loc, "illustration")),
            alt=self.text(f"{base}.alt"),
            video_url=video_url(self.site, spec.id, spec.video),
            handout=spec.handout,
            ref_numbers=tuple(sorted(self.numbers[r] for r in spec.references)),
        )

    def label(self, key: str | None) -> str:
        return self.text(f"ui.{key}") if key else ""

    def section(self, spec: SectionSpec, index: int) -> Section:
        loc = ("sections", index)
        items = tuple(
            self.item(item, f"{spec.id}.{item.id}", (*loc, "items", i))
            for i, item in enumerate(spec.items)
        )
        groups = tuple(
            Group(
                g.id,
                self.label(g.label),
                self.asset(g.icon, (*loc, "groups", n, "icon")),
                tuple(
                    self.item(item, f"{spec.id}.{g.id}.{item.id}", (*loc, "groups", n, "items", i))
                    for i, item in enumerate(g.items)
                ),
            )
            for n, g in enumerate(spec.groups)
        )
        return Section(
            spec.id,
            spec.kind,
            self.label(spec.heading),
            self.label(spec.heading_handout),
            self.label(spec.intro),
            self.asset(spec.icon, (*loc, "icon")),
            items,
            groups,
            spec.video,
        )


def resolve(
    bundle: TopicBundle,
    code: str,
    site: Site | None = None,
    site_details: SiteInfo | None = None,
) -> Document:
    """The document for one language of a topic (for one site, when given)."""
    topic = bundle.topic
    if code in bundle.broken:
        raise ProblemList(bundle.broken[code])
    if code not in bundle.catalogs:
        known = sorted(bundle.catalogs)
        raise UserError(
            f"unknown language '{code}'{suggest(code, known)}; languages: {', '.join(known)}"
        )
    lang, _doc = bundle.languages[code]
    cat = bundle.catalogs[code]
    meta = lang.language
    resolver = _Resolver(bundle, cat, site, meta.direction)
    by_id = {ref.id: ref for ref in topic.references}
    references = tuple(
        Reference(num, rid, by_id[rid].citation, by_id[rid].doi, by_id[rid].pmid)
        for rid, num in sorted(resolver.numbers.items(), key=lambda kv: kv[1])
        if rid in by_id
    )
    return Document(
        topic_id=topic.id,
        lang=code,
        direction=meta.direction,
        is_draft=meta.status == "draft",
        title=resolver.text("title"),
        subtitle=resolver.text("subtitle"),
        intro=resolver.text("intro"),
        sections=tuple(resolver.section(s, i) for i, s in enumerate(topic.sections)),
        references=references,
        labels={
            k.removeprefix("ui."): resolver.text(k) for k in cat.strings if k.startswith("ui.")
        },
        art={role: resolver.asset(path, ("art", role)) for role, path in topic.art.items()},
        site=site_details or SiteInfo(),
        fallback_keys=tuple(cat.missing),
        reviewer=meta.reviewer or "",
        source_lang=bundle.source,
    )
