"""Resolve topic + language + site into one Document: plain data, ready to lay out.

Nothing here knows about paper or reportlab; compose receives finished strings,
absolute asset paths and final video URLs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from printshop.content.i18n import Catalog, build_catalog, check_ids
from printshop.content.load import Collector, Project, check_topic, load_model, safe_asset, suggest
from printshop.content.models import MAX_URL_CHARS, Course, LanguageFile, Site, Topic
from printshop.content.yamlsafe import YamlDoc, parse_yaml
from printshop.errors import Problem, ProblemList, UserError


@dataclass(frozen=True)
class Benefit:
    id: str
    title: str
    short: str
    full: str
    icon: Path
    ref_numbers: tuple[int, ...]


@dataclass(frozen=True)
class PrepItem:
    id: str
    text: str
    icon: Path


@dataclass(frozen=True)
class Technique:
    id: str
    region: str
    name: str
    steps: tuple[str, ...]
    repeat: str
    tip: str
    illustration: Path
    video_url: str
    handout: bool

    @property
    def short_url(self) -> str:
        """The URL as printed beside its QR code: no scheme, no 'www.'."""
        return self.video_url.removeprefix("https://").removeprefix("www.").rstrip("/")


@dataclass(frozen=True)
class Reference:
    number: int
    id: str
    citation: str
    doi: str | None
    pmid: str | None

    @property
    def short_label(self) -> str:
        """'Vickers 2004, doi:…' — enough to find the paper, short enough for a handout."""
        author = self.citation.split(" ", 1)[0].rstrip(",")
        year = "".join(ch for ch in self.id if ch.isdigit())
        ident = f", doi:{self.doi}" if self.doi else (f", PMID {self.pmid}" if self.pmid else "")
        return f"{author} {year}{ident}"


@dataclass(frozen=True)
class SiteInfo:
    name: str = ""
    phone: str = ""
    emergency: str = ""
    leaflet_code: str = ""
    revision_date: dt.date | None = None
    logo: Path | None = None


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
    technique_ids: tuple[str, ...] = ()  # () = every technique, in topic order
    weeks: tuple[Week, ...] = ()
    welcome: str = ""


@dataclass
class Document:
    topic_id: str
    lang: str
    direction: str
    is_draft: bool
    title: str
    subtitle: str
    intro: str
    benefits: list[Benefit]
    preparation: list[PrepItem]
    techniques: list[Technique]
    cues_engage: list[str]
    cues_disengage: list[str]
    safety: list[str]
    help_signs: list[str]
    references: list[Reference]
    catalog: Catalog
    site: SiteInfo
    assets: Path
    fallback_keys: list[str] = field(default_factory=list)
    course: CourseInfo | None = None

    def ui(self, key: str, **values: object) -> str:
        return self.catalog.get(f"ui.{key}", **values)


@dataclass
class TopicBundle:
    """A topic with all its language files, validated together."""

    topic: Topic
    topic_doc: YamlDoc
    languages: dict[str, tuple[LanguageFile, YamlDoc]]
    catalogs: dict[str, Catalog]
    # languages whose own file has problems: left out, so the others still build
    broken: dict[str, list[Problem]] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return self.topic.source_language


def load_bundle(project: Project, topic_id: str, out: Collector) -> TopicBundle | None:
    """Load and cross-check a topic and every language.

    Problems with the topic or its source language go to `out` (they stop every
    document); a problem in another language's file only stops that language: it is
    kept in `bundle.broken` (`check_all` reports those too).
    """
    loaded = out.run(lambda: load_model(project.topic_file(topic_id), Topic))
    if loaded is None:
        return None
    topic, topic_doc = loaded
    check_topic(topic, topic_doc, project, out)
    languages: dict[str, tuple[LanguageFile, YamlDoc]] = {}
    broken: dict[str, list[Problem]] = {}
    files = project.language_files(topic_id)
    for code, path in files.items():
        own = out if code == topic.source_language else Collector()
        result = own.run(lambda path=path: load_model(path, LanguageFile))
        if result is not None:
            lang, doc = result
            if lang.language.code != code:
                own.add(
                    f"language code '{lang.language.code}' does not match the file name "
                    f"'{code}.yaml'",
                    doc,
                    ("language", "code"),
                )
            check_ids(topic, lang, doc, own)
            languages[code] = (lang, doc)
        if own is not out and own.problems:
            broken[code] = own.problems
            languages.pop(code, None)
    if topic.source_language not in languages:
        if topic.source_language in files:
            return None  # its own problems are already in `out`
        out.add(
            f"source language '{topic.source_language}' has no file "
            f"handouts/{topic_id}/{topic.source_language}.yaml",
            topic_doc,
            ("source_language",),
        )
        return None
    source, source_doc = languages[topic.source_language]
    catalogs = {}
    for code, (lang, doc) in sorted(
        languages.items(), key=lambda kv: kv[0] != topic.source_language
    ):
        own = out if code == topic.source_language else Collector()
        catalogs[code] = build_catalog(topic, source, lang, source_doc, doc, own)
        if own is not out and own.problems:
            broken[code] = own.problems
    for code in broken:
        languages.pop(code, None)
        catalogs.pop(code, None)
    return TopicBundle(topic, topic_doc, languages, catalogs, broken)


def load_checked_bundle(project: Project, topic_id: str) -> TopicBundle:
    """A topic whose files have no problems at all; otherwise every problem, raised."""
    out = Collector()
    bundle = load_bundle(project, topic_id, out)
    out.raise_if_any()
    assert bundle is not None
    return bundle


def load_site(path: Path | None, project: Project) -> tuple[Site | None, SiteInfo]:
    """The optional site file; its logo must sit beside it."""
    if path is None:
        return None, SiteInfo()
    site, doc = load_model(path, Site)
    logo = safe_asset(path.parent, site.logo, doc, ("logo",)) if site.logo else None
    info = SiteInfo(
        name=site.name,
        phone=site.phone or "",
        emergency=site.emergency or "",
        leaflet_code=site.leaflet_code or "",
        revision_date=site.revision_date,
        logo=logo,
    )
    return site, info


def load_course(path: Path, topic: Topic) -> CourseInfo:
    """The optional course file; unknown technique ids are errors at their file:line."""
    course, doc = load_model(path, Course)
    ids = [t.id for t in topic.techniques]
    out = Collector()
    for i, tid in enumerate(course.techniques):
        if tid not in ids:
            out.add(f"unknown technique '{tid}'{suggest(tid, ids)}", doc, ("techniques", i))
        elif tid in course.techniques[:i]:
            out.add(f"technique '{tid}' is listed twice", doc, ("techniques", i))
    chosen = course.techniques or ids
    for w, week in enumerate(course.weeks):
        for i, tid in enumerate(week.techniques):
            loc = ("weeks", w, "techniques", i)
            if tid not in ids:
                out.add(f"unknown technique '{tid}'{suggest(tid, ids)}", doc, loc)
            elif tid not in chosen:
                out.add(f"technique '{tid}' is not in the course's techniques; add it", doc, loc)
    out.raise_if_any()
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


def with_course(doc: Document, course: CourseInfo) -> Document:
    """The document as a class booklet: the course's techniques, in the course's order."""
    if course.technique_ids:
        by_id = {t.id: t for t in doc.techniques}
        techniques = [by_id[tid] for tid in course.technique_ids]
    else:
        techniques = list(doc.techniques)
    return replace(doc, techniques=techniques, course=course)


def video_url(site: Site | None, technique_id: str, default: str) -> str:
    """A site may point codes at its own videos: per technique, or base URL + id."""
    if site is None:
        return default
    if technique_id in site.videos.techniques:
        return site.videos.techniques[technique_id]
    if site.videos.base_url:
        return site.videos.base_url.rstrip("/") + "/" + technique_id
    return default


def check_site_videos(site: Site | None, topic: Topic, path: Path | None) -> None:
    if site is None:
        return
    ids = [t.id for t in topic.techniques]

    def fail(message: str, loc: tuple[str, ...]) -> UserError:
        line, col = parse_yaml(path).where(loc) if path else (None, None)
        return UserError(message, path, line, col)

    for tid in site.videos.techniques:
        if tid not in ids:
            raise fail(
                f"videos.techniques: unknown technique '{tid}'{suggest(tid, ids)}",
                ("videos", "techniques", tid),
            )
    for tid in ids:
        url = video_url(site, tid, "")
        if len(url.encode("utf-8")) > MAX_URL_CHARS:
            raise fail(
                f"videos.base_url: the URL for technique '{tid}' would be {len(url)} characters "
                f"({url[:40]}...); the limit is {MAX_URL_CHARS}, use a shorter base URL",
                ("videos", "base_url"),
            )


def reference_numbers(topic: Topic) -> dict[str, int]:
    """Number references in order of first citation; uncited ones follow."""
    order: dict[str, int] = {}
    for benefit in topic.benefits:
        for ref in benefit.references:
            order.setdefault(ref, len(order) + 1)
    for ref in topic.references:
        order.setdefault(ref.id, len(order) + 1)
    return order


def resolve(
    bundle: TopicBundle,
    code: str,
    project: Project,
    site: Site | None = None,
    site_info: SiteInfo | None = None,
) -> Document:
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
    numbers = reference_numbers(topic)
    assets = project.assets.resolve()
    src_lang = bundle.languages[bundle.source][0]

    def steps_of(tid: str) -> tuple[str, ...]:
        count = len(src_lang.techniques[tid].steps or [])
        return tuple(cat.get(f"techniques.{tid}.steps.{i}") for i in range(1, count + 1))

    benefits = [
        Benefit(
            id=b.id,
            title=cat.get(f"benefits.{b.id}.title"),
            short=cat.get(f"benefits.{b.id}.short"),
            full=cat.get(f"benefits.{b.id}.full"),
            icon=assets / b.icon,
            ref_numbers=tuple(sorted(numbers[r] for r in b.references)),
        )
        for b in topic.benefits
    ]
    techniques = [
        Technique(
            id=t.id,
            region=t.region,
            name=cat.get(f"techniques.{t.id}.name"),
            steps=steps_of(t.id),
            repeat=cat.get(f"techniques.{t.id}.repeat"),
            tip=cat.get(f"techniques.{t.id}.tip"),
            illustration=assets / t.illustration,
            video_url=video_url(site, t.id, t.video),
            handout=t.handout,
        )
        for t in topic.techniques
    ]
    by_id = {ref.id: ref for ref in topic.references}
    references = [
        Reference(num, rid, by_id[rid].citation, by_id[rid].doi, by_id[rid].pmid)
        for rid, num in sorted(numbers.items(), key=lambda kv: kv[1])
        if rid in by_id
    ]
    return Document(
        topic_id=topic.id,
        lang=code,
        direction=lang.language.direction,
        is_draft=lang.language.status == "draft",
        title=cat.get("title"),
        subtitle=cat.get("subtitle"),
        intro=cat.get("intro"),
        benefits=benefits,
        preparation=[
            PrepItem(p.id, cat.get(f"preparation.{p.id}"), assets / p.icon)
            for p in topic.preparation
        ],
        techniques=techniques,
        cues_engage=[cat.get(f"cues.engage.{c}") for c in topic.cues.engage],
        cues_disengage=[cat.get(f"cues.disengage.{c}") for c in topic.cues.disengage],
        safety=[cat.get(f"safety.{s}") for s in topic.safety],
        help_signs=[cat.get(f"help_signs.{h}") for h in topic.help_signs],
        references=references,
        catalog=cat,
        site=site_info or SiteInfo(),
        assets=assets,
        fallback_keys=list(cat.missing),
    )
