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
from printshop.content.document import (
    TopicBundle,
    check_site_videos,
    load_bundle,
    load_checked_bundle,
    load_course,
    load_site,
    resolve,
    with_course,
)
from printshop.content.langfile import check_glyphs
from printshop.content.load import Collector, Project, load_model
from printshop.content.models import Layout
from printshop.errors import ProblemList, UserError
from printshop.pdf.write import ensure_ours, write_atomic

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


@lru_cache(maxsize=16)
def layout_for(project: Project, name: str) -> Layout:
    layout, _doc = load_model(project.layout_file(name), Layout)
    return layout


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
    files = [*project.handouts.joinpath(job.topic).glob("*.yaml"), project.layout_file(job.layout)]
    files += [p for p in project.assets.rglob("*") if p.is_file()]
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
    from printshop.layout.compose import render  # reportlab only where rendering happens
    from printshop.pdf.art import add_art_root

    add_art_root(project.assets)
    if job.site:
        add_art_root(job.site.parent)
    try:
        stamp = input_stamp(project, job)
        if not force and _is_current(job, stamp):
            return Result(job, "current")
        bundle = bundle_for(project, job.topic)
        glyphs = Collector()  # every character must have a glyph: no tofu in a built PDF
        check_glyphs(bundle, glyphs, [job.lang, *([job.bilingual] if job.bilingual else [])])
        glyphs.raise_if_any()
        layout = layout_for(project, job.layout)
        site, info = load_site(job.site, project)
        check_site_videos(site, bundle.topic, job.site)
        doc = resolve(bundle, job.lang, project, site, info)
        second = resolve(bundle, job.bilingual, project, site, info) if job.bilingual else None
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
        imposed = None
        if layout.kind == "booklet":
            from printshop.pdf.impose import impose

            if job.course:
                doc = with_course(doc, load_course(job.course, bundle.topic))
            rendered = render(doc, layout, second, bleed=job.marks)
            imposed = impose(rendered.pdf, layout, doc.direction == "rtl", job.marks)
        else:
            rendered = render(doc, layout, second)
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


def check_all(project: Project, topics: list[str], langs: list[str]) -> list[str]:
    """Validate everything; returns warnings, raises ProblemList with every problem."""
    out = Collector()
    warnings: list[str] = []
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
        check_glyphs(bundle, out, langs)
    out.problems.extend(project.stray_files())
    for name in project.layout_names():
        out.run(lambda name=name: load_model(project.layout_file(name), Layout))
    out.raise_if_any()
    return warnings


__all__ = ["Job", "Result", "build_all", "build_one", "check_all", "write_index", "ProblemList"]
