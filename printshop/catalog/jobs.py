"""The build matrix: topics x languages x layouts, in parallel, skipping what is current.

Each output has one path per meaning (`Job.path`) and an entry in the output folder's
manifest (`manifest.py`): its hash, what it is, and a digest of the inputs that shaped
it. An output whose inputs still have that digest is not rebuilt. A failed document
does not stop the others.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import unicodedata
import urllib.parse
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from printshop import __version__
from printshop.catalog.manifest import (
    check_replaceable,
    locked_manifest,
    read_manifest,
    relative,
    unchanged,
    write_recorded,
)
from printshop.content.document import SiteInfo
from printshop.content.langfile import check_file_glyphs, check_glyphs
from printshop.content.layouts import Layout, load_layout
from printshop.content.load import (
    TopicBundle,
    check_site_videos,
    course_warnings,
    find_asset,
    iter_topic_assets,
    load_bundle,
    load_checked_bundle,
    load_course,
    load_site,
)
from printshop.content.resolve import course_info, resolve, site_info, technique_ids
from printshop.content.yamlsafe import parse_yaml
from printshop.errors import Collector, ProblemList, UserError
from printshop.files import file_digest
from printshop.pdf.write import write_atomic
from printshop.project import Project


def slug(name: str) -> str:
    """A file name's stem as part of an output file name, in plain ASCII:
    'Święty Łukasz' -> 'swiety-ukasz', 'St Mary's Ward' -> 'st-mary-s-ward'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", plain.lower())
    return "-".join(words)[:40].strip("-") or "x"


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
    def variants(self) -> list[str]:
        """What sets this output apart from the plain build, in a fixed order."""
        words = [f"site-{slug(self.site.stem)}"] if self.site else []
        words += [f"bilingual-{self.bilingual}"] if self.bilingual else []
        words += [f"course-{slug(self.course.stem)}"] if self.course else []
        return words + (["print-shop"] if self.marks else [])

    @property
    def path(self) -> Path:
        """out/<topic>/<lang>/<layout>[-site-<site>][-bilingual-<L2>][-course-<course>]
        [-print-shop].pdf: one path per meaning (docs/troubleshooting.md)."""
        name = "-".join([self.layout, *self.variants])
        return self.out_dir / self.topic / self.lang / f"{name}.pdf"

    @property
    def imposed_path(self) -> Path:
        """Booklets also come imposed: two pages per sheet side, for saddle stitching."""
        return self.path.with_name(self.path.stem + "-imposed.pdf")

    @property
    def label(self) -> str:
        return "/".join([self.topic, self.lang, "-".join([self.layout, *self.variants])])


@dataclass
class Result:
    job: Job
    status: str  # built | current | failed
    messages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: int = 0
    body_size: float = 0.0
    files: list[tuple[Path, str]] = field(default_factory=list)  # (path, kind) written or kept


@lru_cache(maxsize=8)
def bundle_for(project: Project, topic: str) -> TopicBundle:
    """Load and check a topic once per process; any problem stops its documents."""
    return load_checked_bundle(project, topic)


@lru_cache(maxsize=32)
def _layout_and_files(project: Project, name: str) -> tuple[Layout, tuple[Path, ...]]:
    from printshop.layout.registry import registry

    files: list[Path] = []
    layout = load_layout(
        project.layout_file(name), registry(), project.layout_file, project.content_roots, files
    )
    return layout, tuple(files)


@lru_cache(maxsize=32)
def layout_for(project: Project, name: str) -> Layout:
    return _layout_and_files(project, name)[0]


@lru_cache(maxsize=4)
def fonts_for(project: Project):
    """The fonts of the project's font table, loaded lazily, shared by every document."""
    from printshop.content.fonttable import fonts_from

    return fonts_from(project.font_table_file)


# ----------------------------------------------------------------- what a build depends on
@lru_cache(maxsize=4096)
def _cached_digest(path: Path, mtime_ns: int, size: int) -> str:
    return file_digest(path)


def digest(path: Path) -> str:
    """sha256 of a file, once per process and file version."""
    stat = path.stat()
    return _cached_digest(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=1)
def engine_version() -> str:
    """makebook's version and a digest of its code: a change to the engine rebuilds."""
    code = hashlib.sha256(__version__.encode())
    package = Path(__file__).parents[1]
    for path in sorted(package.rglob("*.py")):
        code.update(path.relative_to(package).as_posix().encode() + path.read_bytes())
    return f"{__version__}+{code.hexdigest()[:16]}"


def job_inputs(project: Project, job: Job) -> list[Path]:
    """The files one document is made from: the topic and the languages it prints, the
    layout and what it extends, the site and its logo, the course, the pictures the
    topic names and the font table (the font files it used are recorded after the build)."""
    bundle = bundle_for(project, job.topic)
    languages = project.language_files(job.topic)
    files = [project.topic_file(job.topic)]
    used = (job.lang, bundle.source, job.bilingual)
    files += [languages[code] for code in used if code in languages]
    files += _layout_and_files(project, job.layout)[1]
    for loc, name in iter_topic_assets(bundle.topic):
        files.append(find_asset(bundle.asset_dirs, name, bundle.topic_doc, loc))
    if job.site:
        _site, _doc, logo = load_site(job.site)
        files += [job.site, *([logo] if logo else [])]
    if job.course:
        files.append(job.course)
    files.append(project.font_table_file)
    return list(dict.fromkeys(files))


def input_stamp(project: Project, job: Job) -> str:
    """A digest of everything that shapes the PDF but its fonts (see `_fonts_current`)."""
    stamp = hashlib.sha256(engine_version().encode())
    stamp.update(repr((job.variants, job.strict, source_date_epoch())).encode())
    for path in job_inputs(project, job):
        stamp.update(f"{path.resolve()}:{digest(path)}\n".encode())
    return stamp.hexdigest()


def source_date_epoch() -> str:
    """$SOURCE_DATE_EPOCH (the date stamped in PDFs), checked: a whole number of seconds."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    if value and not (value.isascii() and value.isdigit() and int(value) < 2**33):
        raise UserError(
            f"SOURCE_DATE_EPOCH is {value[:20]!r}; it must be a whole number of seconds since "
            "1970-01-01 (e.g. 1700000000), or unset"
        )
    return value


def _fonts_current(entry: dict) -> bool:
    fonts = entry.get("fonts")
    if not isinstance(fonts, dict):
        return False
    try:
        return all(digest(Path(path)) == sha for path, sha in fonts.items())
    except OSError:
        return False


def _outputs(job: Job, imposed: bool) -> list[tuple[Path, str]]:
    kind = "booklet" if imposed else "handout"
    return [(job.path, kind), *([(job.imposed_path, "imposed")] if imposed else [])]


def current_result(job: Job, stamp: str) -> Result | None:
    """The job as it is, when the manifest says its files were made from these very
    inputs and they are unchanged on disk; None when the job must be built."""
    files = read_manifest(job.out_dir)
    entry = files.get(relative(job.out_dir, job.path))
    if entry is None or entry.get("inputs") != stamp or not _fonts_current(entry):
        return None
    outputs = _outputs(job, entry.get("kind") == "booklet")
    for path, _kind in outputs:
        if not unchanged(job.out_dir, path, files.get(relative(job.out_dir, path))):
            return None
    pages, body = entry.get("pages"), entry.get("body_size")
    if not isinstance(pages, int) or not isinstance(body, (int, float)):
        return None
    return Result(job, "current", pages=pages, body_size=float(body), files=outputs)


def meaning(job: Job, rendered: Rendered, kind: str, project: Project) -> dict:
    """What a file is, as the manifest records it."""
    site = None
    if job.site:
        info = rendered.site
        site = {
            "file": _shown(job.site, project),
            "name": info.name,
            "leaflet_code": info.leaflet_code or None,
            "revision_date": info.revision_date.isoformat() if info.revision_date else None,
        }
    return {
        "kind": kind,
        "topic": job.topic,
        "lang": job.lang,
        "layout": job.layout,
        "title": rendered.title,
        "site": site,
        "course": _shown(job.course, project) if job.course else None,
        "bilingual": job.bilingual,
        "marks": job.marks,
        "pages": rendered.imposed_pages if kind == "imposed" else rendered.pages,
        "body_size": rendered.body_size,
        "inputs": rendered.stamp,
        "fonts": {str(path): digest(path) for path in rendered.fonts},
        **({"reading_copy": relative(job.out_dir, job.path)} if kind == "imposed" else {}),
    }


def _shown(path: Path, project: Project) -> str:
    """A site or course file as recorded: inside the project, relative to it."""
    resolved = path.resolve()
    if project.root is not None and resolved.is_relative_to(project.root.resolve()):
        return resolved.relative_to(project.root.resolve()).as_posix()
    return str(resolved)


def build_one(project: Project, job: Job, force: bool = False) -> Result:
    """Build one PDF; every user-level failure becomes a message, never an exception."""
    try:
        stamp = input_stamp(project, job)
        kept = None if force else current_result(job, stamp)
        if kept is not None:
            return kept
        rendered, imposed, warnings = render_job(project, job)
        rendered = replace(rendered, stamp=stamp)
        outputs = _outputs(job, imposed is not None)
        data = {job.path: rendered.pdf, job.imposed_path: imposed}
        write_recorded(
            job.out_dir,
            [(path, data[path], meaning(job, rendered, kind, project)) for path, kind in outputs],
        )
        return Result(job, "built", [], warnings, rendered.pages, rendered.body_size, outputs)
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
    title: str = ""
    site: SiteInfo = SiteInfo()
    fonts: tuple[Path, ...] = ()  # the font files the PDF embeds
    imposed_pages: int = 0  # sheet sides of the imposed copy (two pages each)
    stamp: str = ""  # the inputs' digest (input_stamp)


def render_job(project: Project, job: Job) -> tuple[Rendered, bytes | None, list[str]]:
    """Load, resolve, compose and draw one job: the PDF, the imposed PDF, warnings."""
    from printshop.layout.compose import compose
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
    warnings = course_warnings(job.course) if job.course else []
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
    used: set[str] = set()
    pdf = render_pdf(composition, doc, layout, fonts, bleed, used)
    imposed = None
    if layout.imposition is not None:
        from printshop.pdf.impose import impose

        imposed = impose(pdf, layout, doc.rtl, job.marks)
    faces = tuple(sorted({face.path for face in fonts.table.faces() if face.key in used}))
    pages = len(composition.pages)
    rendered = Rendered(pdf, pages, composition.body, doc.title, doc.site, faces, pages // 2)
    return rendered, imposed, warnings


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


def write_index(project: Project, out_dir: Path) -> Path:
    """out/index.html: every PDF the manifest lists that is still there, by topic and
    language (not only this run's), rebuilt under the manifest's lock."""
    with locked_manifest(out_dir) as files:
        text = _index_html(project, out_dir, files)
        path = out_dir / "index.html"
        check_replaceable(out_dir, path, files)
        data = text.encode("utf-8")
        write_atomic(path, data)
        files["index.html"] = {
            "kind": "index",
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
        }
    return path


def _index_html(project: Project, out_dir: Path, files: dict[str, dict]) -> str:
    rows: dict[tuple[str, str], list[tuple[str, dict]]] = {}
    for rel, entry in sorted(files.items()):
        if entry.get("kind") in (None, "index") or not (out_dir / rel).is_file():
            continue
        rows.setdefault((str(entry.get("topic")), str(entry.get("lang"))), []).append((rel, entry))
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
            f"<a href='{html.escape(urllib.parse.quote(rel))}'>{html.escape(Path(rel).stem)}</a>"
            for rel, _entry in items
        )
        parts.append(
            f"<tr><td>{html.escape(topic)}</td><td lang='{html.escape(lang)}'>"
            f"{html.escape(native)} ({html.escape(lang)}){mark} {done}%</td><td>{links}</td></tr>"
        )
    parts.append("</table></html>\n")
    return "\n".join(parts)


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
        if out.run(lambda path=path: load_course(path, ids)) is not None:
            warnings += course_warnings(path)
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
