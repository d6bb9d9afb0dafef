"""Resolve topic + language + site into one Document: plain data, ready to lay out.

Nothing here knows about paper or reportlab; compose receives finished strings,
absolute asset paths and final video URLs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .content import Collector, Project, check_topic, load_model, safe_asset, suggest
from .errors import UserError
from .i18n import Catalog, build_catalog, check_ids
from .models import LanguageFile, Site, Topic
from .yamlsafe import YamlDoc


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

    def ui(self, key: str, **values: object) -> str:
        return self.catalog.get(f"ui.{key}", **values)


@dataclass
class TopicBundle:
    """A topic with all its language files, validated together."""

    topic: Topic
    topic_doc: YamlDoc
    languages: dict[str, tuple[LanguageFile, YamlDoc]]
    catalogs: dict[str, Catalog]

    @property
    def source(self) -> str:
        return self.topic.source_language


def load_bundle(project: Project, topic_id: str, out: Collector) -> TopicBundle | None:
    """Load and cross-check a topic and every language; problems go to `out`."""
    loaded = out.run(lambda: load_model(project.topic_file(topic_id), Topic))
    if loaded is None:
        return None
    topic, topic_doc = loaded
    check_topic(topic, topic_doc, project, out)
    languages: dict[str, tuple[LanguageFile, YamlDoc]] = {}
    for code, path in project.language_files(topic_id).items():
        result = out.run(lambda path=path: load_model(path, LanguageFile))
        if result is None:
            continue
        lang, doc = result
        if lang.language.code != code:
            out.add(
                f"language code '{lang.language.code}' does not match the file name '{code}.yaml'",
                doc,
                ("language", "code"),
            )
        check_ids(topic, lang, doc, out)
        languages[code] = (lang, doc)
    if topic.source_language not in languages:
        out.add(
            f"source language '{topic.source_language}' has no file "
            f"handouts/{topic_id}/{topic.source_language}.yaml",
            topic_doc,
            ("source_language",),
        )
        return None
    source, source_doc = languages[topic.source_language]
    catalogs = {
        code: build_catalog(topic, source, lang, source_doc, doc, out)
        for code, (lang, doc) in languages.items()
    }
    return TopicBundle(topic, topic_doc, languages, catalogs)


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
    for tid in site.videos.techniques:
        if tid not in ids:
            raise UserError(
                f"videos.techniques: unknown technique '{tid}'{suggest(tid, ids)}", path
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
