"""The build matrix: topics x languages x layouts, in parallel, skipping what is current.

Each output has a stamp (a hash of every input that shaped it); an output whose stamp
still matches is not rebuilt. A failed document does not stop the others.
"""

from __future__ import annotations

import hashlib
import html
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from printshop import __version__
from printshop.content.langfile import check_file_glyphs, check_glyphs
from printshop.content.layouts import Layout, load_layout
from printshop.content.load import (
    TopicBundle,
    check_site_videos,
    load_bundle,
    load_checked_bundle,
    load_course,
    load_site,
)
from printshop.content.resolve import course_info, resolve, site_info, technique_ids
from printshop.content.yamlsafe import parse_yaml
from printshop.errors import Collector, ProblemList, UserError
from printshop.pdf.write import ensure_ours, write_atomic
from printshop.project import Project

STAMP_DIR = ".stamps"


@dataclass(frozen=True)
class Job:
    topic: str
    lang: str
    layout: str
    out_dir: Path
    site: Path | None = None
    strict: bool = False
    bilingual: str | None = None  # second language, printed under the first
    course: Path | None = None  # booklets: the instructor's course file
    marks: bool = False  # booklets: crop marks and bleed, for print shops

    @property
    def path(self) -> Path:
        suffix = f"-bilingual-{self.bilingual}" if self.bilingual else ""
        return self.out_dir / self.topic / self.lang / f"{self.layout}{suffix}.pdf"

    @property
    def imposed_path(self) -> Path:
        """Booklets also come imposed: two pages per sheet side, for saddle stitching."""
        return self.path.with_name(self.path.stem + "-imposed.pdf")

    @property
    def label(self) -> str:
        return f"{self.topic}/{self.lang}/{self.layout}"


@dataclass
class Result:
    job: Job
    status: str  # built | current | failed
    messages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    body_size: float = 0.0


@lru_cache(maxsize=8)
def bundle_for(project: Project, topic: str) -> TopicBundle:
    """Load and check a topic once per process; any problem stops its documents."""
    return load_checked_bundle(project, topic)


@lru_cache(maxsize=32)
def layout_for(project: Project, name: str) -> Layout:
    from printshop.layout.registry import registry

    return load_layout(project.layout_file(name), registry(), project.layout_file)


@lru_cache(maxsize=4)
def fonts_for(project: Project):
    """The fonts of the project's font table, loaded lazily, shared by every document."""
    from printshop.content.fonttable import fonts_from

    return fonts_from(project.font_table_file)


@lru_cache(maxsize=4096)
def _file_digest(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _hash_files(paths: list[Path]) -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(set(paths)):
        stat = path.stat()
        digest.update(f"{path}:{_file_digest(path, stat.st_mtime_ns, stat.st_size)}".encode())
    return digest.hexdigest()


def input_stamp(project: Project, job: Job) -> str:
    """Everything that can change the PDF: content, layout, site, assets, engine code."""
    files = [*project.topic_dir(job.topic).glob("*.yaml"), project.layout_file(job.layout)]
    files += [project.layout_file(name) for name in project.layout_names()]  # what it extends
    for folder in project.asset_dirs:
        files += [p for p in folder.rglob("*") if p.is_file()]
    files += list(Path(__file__).parents[1].rglob("*.py"))
    if job.site:
        files += [p for p in job.site.parent.glob("*") if p.is_file()]
    if job.course:
        files.append(job.course)
    env = os.environ.get("SOURCE_DATE_EPOCH", "") + (" marks" if job.marks else "")
    return _hash_files(files) + env


def _stamp_path(job: Job) -> Path:
    return job.out_dir / STAMP_DIR / job.path.relative_to(job.out_dir).with_suffix(".sha256")


def _is_current(job: Job, stamp: str) -> bool:
    stamp_file = _stamp_path(job)
    return job.path.is_file() and stamp_file.is_file() and stamp_file.read_text() == stamp


def build_one(project: Project, job: Job, force: bool = False) -> Result:
    """Build one PDF; every user-level failure becomes a message, never an exception."""
    try:
        stamp = input_stamp(project, job)
        if not force and _is_current(job, stamp):
            return Result(job, "current")
        rendered, imposed, warnings = render_job(project, job)
        if not _stamp_path(job).is_file():  # no stamp: replace only a PDF we made
            ensure_ours(job.path, b"makebook")
        write_atomic(job.path, rendered.pdf)
        if imposed is not None:
            write_atomic(job.imposed_path, imposed)
        write_atomic(_stamp_path(job), stamp.encode())
        return Result(job, "built", [], warnings, rendered.pages, rendered.body_size)
    except UserError as exc:
        return Result(job, "failed", [str(p) for p in exc.problems])
    except OSError as exc:  # e.g. a file vanished or is unreadable while building
        where = f"{exc.filename}: " if exc.filename else ""
        return Result(job, "failed", [f"{where}{exc.strerror or exc or type(exc).__name__}"])


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    body_size: float  # pt, after fitting


def render_job(project: Project, job: Job) -> tuple[Rendered, bytes | None, list[str]]:
    """Load, resolve, compose and draw one job: the PDF, the imposed PDF, warnings."""
    from printshop.layout.compose import compose
    from printshop.layout.sheets import printed_pages
    from printshop.pdf.render import render_pdf

    bundle = bundle_for(project, job.topic)
    layout = layout_for(project, job.layout)
    fonts = fonts_for(project)
    site = logo = None
    ids = technique_ids(bundle.topic)
    glyphs = Collector()  # every character must have a glyph: no empty boxes in a built PDF
    langs = [job.lang, bundle.source, *([job.bilingual] if job.bilingual else [])]
    check_glyphs(bundle, glyphs, fonts, langs)
    if job.site:
        site, site_doc, logo = load_site(job.site)
        check_site_videos(site, site_doc, ids)
        check_file_glyphs(site_doc, fonts, glyphs)
    glyphs.raise_if_any()
    details = site_info(site, logo)
    doc = resolve(bundle, job.lang, site, details)
    second = None
    if job.bilingual:
        if not layout.bilingual:
            raise UserError(
                f"layout '{layout.name}' cannot hold a second language; use a handout layout "
                "for --bilingual"
            )
        second = resolve(bundle, job.bilingual, site, details)
    if job.course:
        doc = doc.with_course(course_info(load_course(job.course, ids)))
        course_doc = parse_yaml(job.course)
        check_file_glyphs(course_doc, fonts, glyphs)
        glyphs.raise_if_any()
    check_labels(bundle, layout, doc)
    warnings = []
    if doc.fallback_keys:
        shown = ", ".join(doc.fallback_keys[:5])
        more = f" and {len(doc.fallback_keys) - 5} more" if len(doc.fallback_keys) > 5 else ""
        message = (
            f"{job.lang}: {len(doc.fallback_keys)} strings not translated, "
            f"using {bundle.source}: {shown}{more}"
        )
        if job.strict:
            raise UserError(message + " (--strict)")
        warnings.append(message)
    bleed = layout.imposition.bleed if (job.marks and layout.imposition) else 0.0
    composition = compose(doc, layout, fonts, second, bleed)
    pdf = render_pdf(composition, doc, layout, fonts, bleed)
    imposed = None
    if layout.imposition is not None:
        from printshop.pdf.impose import impose

        imposed = impose(pdf, layout, doc.rtl, job.marks)
    pages = printed_pages(layout, len(composition.pages), doc.rtl)
    return Rendered(pdf, pages, composition.body), imposed, warnings


def check_labels(bundle: TopicBundle, layout: Layout, doc) -> None:
    """Every label the layout prints is in the source language (translations fall back)."""
    from printshop.layout.registry import layout_labels

    missing = [key for key in layout_labels(layout) if key not in doc.labels]
    if missing:
        _lang, source_doc = bundle.languages[bundle.source]
        raise UserError(
            f"layout '{layout.name}' prints label(s) {', '.join(missing)}: add them under ui",
            source_doc.path,
        )


def _build_in_worker(args: tuple[Project, Job, bool]) -> Result:
    return build_one(*args)


def build_all(project: Project, jobs: list[Job], workers: int, force: bool = False) -> list[Result]:
    """Build every job, in parallel when there is more than one; results in job order."""
    if workers <= 1 or len(jobs) <= 1:
        return [build_one(project, job, force) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(
            pool.map(_build_in_worker, [(project, job, force) for job in jobs], chunksize=1)
        )


def catalog_listing(project: Project) -> dict:
    """What `makebook list` shows: topics with their languages, and layouts, with origins."""
    topics = {}
    for topic, named in project.topics().items():
        bundle = bundle_for(project, topic)
        topics[topic] = {
            "origin": named.origin,
            "languages": {
                code: {
                    "name": lang.language.name,
                    "native_name": lang.language.native_name,
                    "direction": lang.language.direction,
                    "status": lang.language.status,
                    "percent_translated": bundle.catalogs[code].percent_done,
                }
                for code, (lang, _doc) in sorted(bundle.languages.items())
            },
        }
    layouts = {}
    for name, named in project.layouts().items():
        layout = layout_for(project, name)
        layouts[name] = {
            "origin": named.origin,
            "kind": layout.kind,
            "paper": layout.paper,
            "description": layout.description,
        }
    return {"topics": topics, "layouts": layouts}


def language_names(project: Project, topic: str) -> dict[str, tuple[str, str, int]]:
    """code -> (native name, status, % translated)."""
    bundle = bundle_for(project, topic)
    return {
        code: (lang.language.native_name, lang.language.status, bundle.catalogs[code].percent_done)
        for code, (lang, _doc) in sorted(bundle.languages.items())
    }


def write_index(project: Project, out_dir: Path, results: list[Result]) -> Path:
    """out/index.html: every PDF of the catalog, by topic and language."""
    rows: dict[tuple[str, str], list[Result]] = {}
    for result in results:
        rows.setdefault((result.job.topic, result.job.lang), []).append(result)
    parts = [
        "<!doctype html><html lang='en'><meta charset='utf-8'>",
        "<title>makebook catalog</title>",
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "td,th{padding:.3rem .8rem;text-align:start;border-bottom:1px solid #ccc}"
        ".draft{font-size:.8em;border:1px solid #888;padding:0 .3em}</style>",
        "<h1>makebook catalog</h1><table><tr><th>Topic</th><th>Language</th><th>PDFs</th></tr>",
    ]
    for (topic, lang), items in sorted(rows.items()):
        try:
            names = language_names(project, topic)
        except UserError:  # a broken topic: its documents are listed as failed
            names = {}
        native, status, done = names.get(lang, (lang, "", 0))
        mark = f" <span class='draft'>{status}</span>" if status == "draft" else ""
        links = " · ".join(
            f"<a href='{html.escape(r.job.path.relative_to(out_dir).as_posix())}'>"
            f"{html.escape(r.job.layout)}</a>"
            if r.status != "failed"
            else f"{html.escape(r.job.layout)} (failed)"
            for r in items
        )
        parts.append(
            f"<tr><td>{html.escape(topic)}</td><td lang='{html.escape(lang)}'>"
            f"{html.escape(native)} ({html.escape(lang)}){mark} {done}%</td><td>{links}</td></tr>"
        )
    parts.append("</table></html>\n")
    path = out_dir / "index.html"
    ensure_ours(path, b"makebook catalog")
    write_atomic(path, "\n".join(parts).encode("utf-8"))
    return path


def check_all(
    project: Project,
    topics: list[str],
    langs: list[str],
    sites: list[Path] = (),
    courses: list[Path] = (),
) -> list[str]:
    """Validate everything; returns warnings, raises ProblemList with every problem."""

    out = Collector()
    warnings: list[str] = []
    layouts = [
        out.run(lambda name=name: layout_for(project, name)) for name in project.layout_names()
    ]
    for topic in topics:
        bundle = load_bundle(project, topic, out)
        if bundle is None:
            continue
        for code, catalog in sorted(bundle.catalogs.items()):
            if langs and code not in langs:
                continue
            if catalog.missing:
                warnings.append(
                    f"{topic}/{code}: {len(catalog.missing)} strings fall back to {bundle.source}"
                )
            if catalog.stale:
                warnings.append(f"{topic}/{code}: {len(catalog.stale)} strings are out of date")
        for code, problems in bundle.broken.items():
            if not langs or code in langs:
                out.problems.extend(problems)
        check_glyphs(bundle, out, fonts_for(project), langs)
        source = resolve(bundle, bundle.source)
        for layout in layouts:
            if layout is not None:
                out.run(lambda b=bundle, lay=layout, src=source: check_labels(b, lay, src))
    ids = [tid for t in project.topic_ids() for tid in _technique_ids(project, t)]
    for path in sites:
        out.run(lambda path=path: _check_site(path, ids))
    for path in courses:
        out.run(lambda path=path: load_course(path, ids))
    out.problems.extend(project.stray_files())
    out.raise_if_any()
    return warnings


def _technique_ids(project: Project, topic: str) -> list[str]:
    try:
        return technique_ids(bundle_for(project, topic).topic)
    except UserError:
        return []


def _check_site(path: Path, ids: list[str]) -> None:
    site, doc, _logo = load_site(path)
    check_site_videos(site, doc, ids)


__all__ = ["Job", "Result", "build_all", "build_one", "check_all", "write_index", "ProblemList"]
