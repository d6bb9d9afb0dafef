"""The build matrix: topics x languages x layouts, in parallel, skipping what is current.

Each output has one path per meaning (`Job.path`) and an entry in the output folder's
manifest (`manifest.py`): its hash, what it is, and a digest of the inputs that shaped
it. An output whose inputs still have that digest is not rebuilt. A failed document
does not stop the others.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from printshop import __version__
from printshop.catalog.companions import (
    PDF_KINDS,
    font_outputs,
    language_facts,
    print_facts,
    thumbnail_outputs,
    thumbnail_path,
)
from printshop.catalog.index_page import index_html
from printshop.catalog.manifest import (
    check_replaceable,
    locked_manifest,
    manifest_as_is,
    relative,
    unchanged,
    write_recorded,
)
from printshop.content.assets import MAX_LOGO_BYTES
from printshop.content.document import SiteInfo
from printshop.content.i18n import is_alt
from printshop.content.langfile import check_file_glyphs, check_glyphs
from printshop.content.layouts import MAX_EXTENDS, Layout, load_layout
from printshop.content.load import (
    TopicBundle,
    check_site_videos,
    course_warnings,
    find_asset,
    iter_topic_assets,
    landing_page,
    load_bundle,
    load_checked_bundle,
    load_course,
    load_model,
    load_site,
)
from printshop.content.models import Course
from printshop.content.resolve import course_info, resolve, site_info, technique_ids
from printshop.content.yamlsafe import MAX_FILE_BYTES, parse_yaml
from printshop.errors import Collector, ProblemList, UserError, suggest
from printshop.files import digest
from printshop.pdf.write import write_atomic
from printshop.project import Project
from printshop.timing import stage
from printshop.web.handout import makes_web_page

if TYPE_CHECKING:
    from printshop.content.document import Document
    from printshop.layout.compose import Composition
    from printshop.text.fonts import FontFace, Fonts


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
    def web_path(self) -> Path:
        """Handouts also come as a web page: the same words, for phones and screen readers."""
        return self.path.with_suffix(".html")

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
    notes: list[str] = field(default_factory=list)  # what the reader should know: set in Naskh


@lru_cache(maxsize=32)
def bundle_for(project: Project, topic: str, langs: tuple[str, ...] | None = None) -> TopicBundle:
    """Load and check a topic once per process (with `langs`: only those languages and
    the source, what one document needs); any problem stops its documents."""
    return load_checked_bundle(project, topic, langs=langs)


def job_languages(job: Job) -> tuple[str, ...]:
    """The languages a job prints (besides the topic's source, always loaded)."""
    return (job.lang, job.bilingual) if job.bilingual else (job.lang,)


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

    return fonts_from(project.font_table_file, project.fonts_dir)


# ----------------------------------------------------------------- what a build depends on
# No input a document is made from may be larger (YAML files and logos 2 MB, SVGs 256 KB).
MAX_INPUT_BYTES = max(MAX_FILE_BYTES, MAX_LOGO_BYTES)


def input_digest(path: Path) -> str:
    """`digest` of an input, or only the size of one too large for any input: its loader
    refuses it with its own message, so reading it here would only stall the build (a
    sparse 1 GB file took seconds to hash; a larger one would hang)."""
    info = path.stat()
    too_large = info.st_size > MAX_INPUT_BYTES
    return f"too large: {info.st_size} bytes" if too_large else digest(path, info)


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
    bundle = bundle_for(project, job.topic, ())  # the topic and its source: all it needs
    languages = language_files(project, job.topic)
    files = [project.topic_file(job.topic)]
    used = (job.lang, bundle.source, job.bilingual)
    files += [languages[code] for code in used if code in languages]
    files += _layout_and_files(project, job.layout)[1]
    files += topic_asset_files(project, job.topic)
    if job.site:
        _site, _doc, logo = load_site(job.site)
        files += [job.site, *([logo] if logo else [])]
    if job.course:
        files.append(job.course)
    files.append(project.font_table_file)
    return list(dict.fromkeys(files))


@lru_cache(maxsize=64)
def language_files(project: Project, topic: str) -> dict[str, Path]:
    """A topic's language files, listed once per process (for every document's check)."""
    return project.language_files(topic)


@lru_cache(maxsize=64)
def topic_asset_files(project: Project, topic: str) -> list[Path]:
    """The pictures a topic names, found once per process (every document of the topic
    needs them for its up-to-date check)."""
    bundle = bundle_for(project, topic, ())
    return [
        find_asset(bundle.asset_dirs, name, bundle.topic_doc, loc)
        for loc, name in iter_topic_assets(bundle.topic)
    ]


def layout_files(project: Project, name: str) -> list[Path]:
    """A layout's file and the files it `extends:` (an edit to any of them changes it)."""
    files: list[Path] = []
    parent: object = name
    while isinstance(parent, str) and len(files) <= MAX_EXTENDS:  # else load_layout reports it
        files.append(project.layout_file(parent))
        data = parse_yaml(files[-1]).data
        parent = data.get("extends") if isinstance(data, dict) else None
    return files


def input_stamp(project: Project, job: Job) -> str:
    """A digest of everything that shapes the PDF but its fonts (see `_fonts_current`)."""
    stamp = hashlib.sha256(engine_version().encode())
    stamp.update(repr((job.variants, job.strict, source_date_epoch())).encode())
    for path in job_inputs(project, job):
        stamp.update(f"{real_path(path)}:{input_digest(path)}\n".encode())
    return stamp.hexdigest()


@lru_cache(maxsize=4096)
def real_path(path: Path) -> Path:
    """`path.resolve()`, once per process: a catalog's documents share most inputs
    (15,000 resolves for 276 documents took 0.7 s)."""
    return path.resolve()


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


def _links_in_place(out_dir: Path, web: dict, files: dict) -> bool:
    """The font files a web page links are in out/fonts/ as makebook wrote them (a
    deleted fonts folder would leave the page in boxes for a script the phone lacks)."""
    from printshop.web.fonts import FONTS

    links = web.get("links")
    paths = [out_dir / FONTS / str(name) for name in links] if isinstance(links, list) else None
    return paths is not None and all(
        unchanged(out_dir, path, files.get(relative(out_dir, path))) for path in paths
    )


def _outputs(job: Job, imposed: bool, web: bool = False) -> list[tuple[Path, str]]:
    kind = "booklet" if imposed else "handout"
    return [
        (job.path, kind),
        *([(job.imposed_path, "imposed")] if imposed else []),
        *([(job.web_path, "web")] if web else []),
    ]


def current_result(job: Job, stamp: str) -> Result | None:
    """The job as it is, when the manifest says its files were made from these very
    inputs and they are unchanged on disk; None when the job must be built."""
    files = manifest_as_is(job.out_dir)
    entry = files.get(relative(job.out_dir, job.path))
    if entry is None or entry.get("inputs") != stamp or not _fonts_current(entry):
        return None
    web = files.get(relative(job.out_dir, job.web_path))
    if web is not None and not _links_in_place(job.out_dir, web, files):
        return None
    outputs = _outputs(job, entry.get("kind") == "booklet", web is not None)
    pdfs = [path for path, kind in outputs if kind in PDF_KINDS]
    for path in [*(p for p, _kind in outputs), *map(thumbnail_path, pdfs)]:
        if not unchanged(job.out_dir, path, files.get(relative(job.out_dir, path))):
            return None
    pages, body = entry.get("pages"), entry.get("body_size")
    if not isinstance(pages, int) or not isinstance(body, (int, float)):
        return None
    plain = PlainStyle.recorded(entry.get("plain_style"))  # said again on every build
    notes = [plain.message(job)] if plain else []
    return Result(job, "current", [], [], pages, float(body), outputs, notes)


def meaning(job: Job, rendered: Rendered, kind: str, project: Project) -> dict:
    """What a file is, as the manifest records it."""
    pages = rendered.imposed_pages if kind == "imposed" else rendered.pages
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
        "language": language_facts(_language(project, job)),
        "print": print_facts(layout_for(project, job.layout), kind, pages),
        "inputs": rendered.stamp,
        "fonts": {str(path): digest(path) for path in rendered.fonts},
        "plain_style": rendered.plain_style.record() if rendered.plain_style else None,
        **({"reading_copy": relative(job.out_dir, job.path)} if kind == "imposed" else {}),
        **({"links": sorted(path.name for path in rendered.web_fonts)} if kind == "web" else {}),
    }


def _language(project: Project, job: Job):
    return bundle_for(project, job.topic, job_languages(job)).languages[job.lang][0].language


def _shown(path: Path, project: Project) -> str:
    """A site or course file as recorded: inside the project, relative to it."""
    resolved = path.resolve()
    if project.root is not None and resolved.is_relative_to(project.root.resolve()):
        return resolved.relative_to(project.root.resolve()).as_posix()
    return str(resolved)


def current(project: Project, job: Job) -> Result | None:
    """The job's result when its files exist, unchanged, made from these very inputs
    (the manifest says so); None when it must be built (or its inputs cannot be read:
    build_one reports that)."""
    try:
        with stage("up-to-date check"):
            return current_result(job, input_stamp(project, job))
    except (OSError, UserError):
        return None


def build_one(project: Project, job: Job, force: bool = False) -> Result:
    """Build one PDF; every user-level failure becomes a message, never an exception."""
    try:
        kept = None if force else current(project, job)
        if kept is not None:
            return kept
        rendered, imposed, warnings = render_job(project, job)
        with stage("write"):
            stamp = input_stamp(project, job)
            rendered = replace(rendered, stamp=stamp)
            outputs = _outputs(job, imposed is not None, rendered.web is not None)
            data = {job.path: rendered.pdf, job.imposed_path: imposed, job.web_path: rendered.web}
            files = [
                (path, data[path], meaning(job, rendered, kind, project)) for path, kind in outputs
            ]
            fonts = font_outputs(job.out_dir, rendered.web_fonts) if rendered.web else []
            write_recorded(job.out_dir, files + thumbnail_outputs(job.out_dir, files) + fonts)
        notes = [rendered.plain_style.message(job)] if rendered.plain_style else []
        return Result(
            job, "built", [], warnings, rendered.pages, rendered.body_size, outputs, notes
        )
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
    fonts: tuple[Path, ...] = ()  # the font files the PDF embeds and the web page links
    imposed_pages: int = 0  # sheet sides of the imposed copy (two pages each)
    stamp: str = ""  # the inputs' digest (input_stamp)
    web: bytes | None = None  # the web version (handouts)
    web_fonts: tuple[Path, ...] = ()  # the font files it links
    plain_style: PlainStyle | None = None  # set in the plain style: the own one did not fit


@dataclass
class Composed:
    """One job composed, not yet drawn: what `render_job` draws (and OCR checks read)."""

    doc: Document
    layout: Layout
    fonts: Fonts
    composition: Composition
    bleed: float
    warnings: list[str]
    second: Document | None = None  # the second language of a bilingual document
    plain_style: PlainStyle | None = None  # set in the plain style: the own one did not fit
    own_fonts: Fonts | None = None  # then: the fonts in the language's own style


def render_job(project: Project, job: Job) -> tuple[Rendered, bytes | None, list[str]]:
    """Load, resolve, compose and draw one job: the PDF, the imposed PDF, warnings."""
    composed = compose_job(project, job)
    doc, layout, composition = composed.doc, composed.layout, composed.composition
    with stage("draw"):
        from printshop.layout.sheets import printed_pages
        from printshop.pdf.render import render_pdf
    fonts, used = composed.fonts, set()
    pdf = render_pdf(composition, doc, layout, fonts, composed.bleed, used)  # draw, write
    imposed = None
    if layout.imposition is not None:
        with stage("write"):
            from printshop.pdf.impose import impose

            imposed = impose(pdf, layout, doc.rtl, job.marks)
    faces = {face.path for face in fonts.table.faces() if face.key in used}
    pages = printed_pages(layout, [page.part for page in composition.pages], doc.rtl)
    web, linked = None, set()
    if makes_web_page(layout):
        with stage("web"):
            from printshop.web.handout import web_page

            web_fonts, web_faces = _web_faces(composed, used, job)
            linked = {face.path for face in web_faces}
            web = web_page(doc, layout, composed.second, _web_fonts(web_fonts, web_faces, job))
    rendered = Rendered(
        pdf, pages, composition.body, doc.title, doc.site, tuple(sorted(faces | linked)), pages // 2
    )
    extra = {"web": web, "web_fonts": tuple(sorted(linked)), "plain_style": composed.plain_style}
    return replace(rendered, **extra), imposed, composed.warnings


def _web_faces(composed: Composed, used: set[str], job: Job) -> tuple[Fonts, list[FontFace]]:
    """The fonts of the web page and the faces it links: the PDF's, in the language's
    own style where the PDF fell back to the plain one (a web page reflows: it always
    has room for a tall style)."""
    faces = [face for face in composed.fonts.table.faces() if face.key in used]
    own = composed.own_fonts
    if own is None:
        return composed.fonts, faces
    back = {plain: mine for mine, plain in own.table.own_styles(job_languages(job)).items()}
    return own, [
        own.table.face(back[face.family], face.bold, face.italic) if face.family in back else face
        for face in faces
    ]


def _web_fonts(fonts: Fonts, faces: list[FontFace], job: Job) -> list:
    """`faces` as the web page links them (the language's own first)."""
    from printshop.web.fonts import web_fonts

    table = fonts.table
    order = [table.language_family(job.lang), *table.fallback]
    return web_fonts(faces, order, job.web_path, job.out_dir)


def compose_job(project: Project, job: Job, fonts: Fonts | None = None) -> Composed:
    """Load, check, resolve and compose one job (glyph coverage checked first), in the
    project's fonts or in `fonts`."""
    with stage("load"):
        bundle = bundle_for(project, job.topic, job_languages(job))
        layout = layout_for(project, job.layout)
        fonts = fonts or fonts_for(project)
    with stage("resolve"):
        known = every_technique_id(project) if job.site else []
        doc, second, warnings = resolve_job(job, bundle, layout, fonts, known)
    bleed = layout.imposition.bleed if (job.marks and layout.imposition) else 0.0
    with stage("compose"):
        from printshop.layout.compose import DoesNotFit, compose

        own, plain = None, None
        try:
            composition = compose(doc, layout, fonts, second, bleed)
        except DoesNotFit as exc:  # a tall style of its own may be what does not fit
            redone = _in_plain_style(job, exc.why, doc, layout, fonts, second, bleed)
            if redone is None:
                raise
            own, (fonts, composition, plain) = fonts, redone
        goal, pages = layout.page_goal, len(composition.pages)
        if goal and pages > goal and plain is None:  # fewer pages in the plain style?
            why = f"it takes {pages} pages, the layout is for {goal}"
            try:
                redone = _in_plain_style(job, why, doc, layout, fonts, second, bleed)
            except DoesNotFit:
                redone = None
            if redone is not None and len(redone[1].pages) < pages:
                own, (fonts, composition, plain) = fonts, redone
        if goal and len(composition.pages) > goal:
            warnings.append(
                f"{job.label}: {len(composition.pages)} pages, more than the {goal} this "
                "layout is meant for; a shorter text would fit (see docs/layouts.md)"
            )
    return Composed(doc, layout, fonts, composition, bleed, warnings, second, plain, own)


def _in_plain_style(
    job: Job, why: str, doc: Document, layout: Layout, fonts: Fonts, *rest
) -> tuple[Fonts, Composition, PlainStyle] | None:
    """`job` composed again in its script's plain style, and what that means, when its
    languages write a script in a style of their own; else None. `why`: why the own
    style would not do; `rest`: compose's other arguments (second language, bleed)."""
    from printshop.layout.compose import compose

    plain = plain_style(job, fonts, why)
    if plain is None:
        return None
    plain_fonts = fonts.in_plain_style(job_languages(job))
    return plain_fonts, compose(doc, layout, plain_fonts, *rest), plain


@dataclass(frozen=True)
class PlainStyle:
    """A document set in its script's plain style because its language's own style (a
    taller one: Nastaliq) does not fit the layout: which families, and why."""

    own: tuple[str, ...]  # the families the font table asks for (NotoNastaliqUrdu)
    plain: tuple[str, ...]  # the families used instead (NotoNaskhArabic)
    why: str  # what ran over in the own style

    def message(self, job: Job) -> str:
        return (
            f"{job.label}: set in {', '.join(self.plain)} instead of {', '.join(self.own)}, "
            f"which does not fit: {self.why}"
        )

    def record(self) -> dict:
        """As the manifest records it (the catalog page says it in words)."""
        return {"own": list(self.own), "plain": list(self.plain), "why": self.why}

    @classmethod
    def recorded(cls, data: object) -> PlainStyle | None:
        """From the manifest's record; None for none (or one not as `record` writes it)."""
        try:
            return cls(
                tuple(map(str, data["own"])), tuple(map(str, data["plain"])), str(data["why"])
            )
        except (TypeError, KeyError):
            return None


def plain_style(job: Job, fonts: Fonts, why: str) -> PlainStyle | None:
    """What setting `job` in the plain style means, when its languages write a script in
    a style of their own (fonts.yaml: language_scripts); None when none does."""
    styles = fonts.table.own_styles(job_languages(job))
    if not styles:
        return None
    plain = tuple(dict.fromkeys(styles.values()))
    return PlainStyle(tuple(styles), plain, why)


def resolve_job(
    job: Job, bundle: TopicBundle, layout: Layout, fonts: Fonts, site_ids: list[str] = ()
) -> tuple[Document, Document | None, list[str]]:
    """The job's document (and second language), checked: every glyph drawable, every
    label present; returns (document, second document or None, warnings). `site_ids`:
    the technique ids a site file may name (every topic's: one site serves them all)."""
    site = logo = None
    ids = technique_ids(bundle.topic)
    glyphs = Collector()  # every character must have a glyph: no empty boxes in a built PDF
    langs = [job.lang, bundle.source, *([job.bilingual] if job.bilingual else [])]
    check_glyphs(bundle, glyphs, fonts, langs)
    if job.site:
        site, site_doc, logo = load_site(job.site)
        check_site_videos(site, site_doc, [*ids, *site_ids])
        check_file_glyphs(site_doc, fonts, glyphs)
    glyphs.raise_if_any()
    details = site_info(site, logo)
    doc = resolve(bundle, job.lang, site, details)
    web = makes_web_page(layout)
    if web and site is not None and site.videos.landing_url:
        coded = [item.id for item in doc.step_items() if item.video_url]
        page = job.web_path.relative_to(job.out_dir).as_posix()
        doc = doc.with_page(landing_page(site, site_doc, page, coded))
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
    # an alt text in the source language is no warning (the web page marks it with its
    # language, `lang status` lists it); --strict refuses it where it is read out
    shown = [key for key in doc.fallback_keys if web or not is_alt(key)]
    fallen = shown if job.strict else [key for key in shown if not is_alt(key)]
    if fallen:
        message = (
            f"{job.lang}: {len(fallen)} strings not translated, "
            f"using {bundle.source}: {', '.join(fallen[:5])}"
            + (f" and {len(fallen) - 5} more" if len(fallen) > 5 else "")
        )
        if job.strict:
            raise UserError(message + " (--strict)")
        warnings.append(message)
    return doc, second, warnings


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


def build_each(
    project: Project, jobs: list[Job], workers: int, force: bool = False
) -> Iterator[Result]:
    """Build every job, yielding each result as soon as it is done (not in job order):
    in this process for one job or one worker, else in a pool of `workers` processes
    for the jobs whose outputs are not current."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield build_one(project, job, force)
        return
    stale = []
    for job in jobs:
        kept = None if force else current(project, job)
        if kept is not None:
            yield kept
        else:
            stale.append(job)
    if len(stale) <= 1:
        yield from build_each(project, stale, 1, force)
        return
    jobs = stale
    from concurrent.futures import ProcessPoolExecutor, as_completed  # not for a single job

    warm_up(project, jobs)
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)))
    try:
        futures = [pool.submit(build_one, project, job, force) for job in jobs]
        for future in as_completed(futures):
            yield future.result()
    finally:  # also on Ctrl-C or an early stop: jobs not yet started are dropped
        pool.shutdown(cancel_futures=True)


def warm_up(project: Project, jobs: list[Job]) -> None:
    """Load what every job shares once, before forking the workers, so that each starts
    with it: the drawing code, the topics, layouts and every font. Only where workers
    are forked (Linux): a spawned worker would load it all again. A topic, layout or
    font with problems is left to the jobs that need it, which report it."""
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        return
    import printshop.layout.compose  # noqa: F401 - loaded for the workers
    from printshop.pdf.glyphs import ttfont
    from printshop.text.fonts import face_data

    for load, *names in {
        *((bundle_for, job.topic, job_languages(job)) for job in jobs),
        *((layout_for, job.layout) for job in jobs),
    }:
        with contextlib.suppress(UserError):
            load(project, *names)
    with contextlib.suppress(Exception):  # best effort: a job that needs a broken font says so
        for face in fonts_for(project).table.faces():
            ttfont(face)
            face_data(face.path).glyph_chars  # noqa: B018 - read once, shared by the workers


def build_all(project: Project, jobs: list[Job], workers: int, force: bool = False) -> list[Result]:
    """Build every job (see `build_each`); results in job order."""
    order = {job: n for n, job in enumerate(jobs)}
    return sorted(build_each(project, jobs, workers, force), key=lambda r: order[r.job])


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


def write_index(project: Project, out_dir: Path) -> Path:
    """out/index.html: every PDF the manifest lists that is still there, by topic and
    language (not only this run's), rebuilt under the manifest's lock."""
    with locked_manifest(out_dir) as files:
        text = index_html(out_dir, files)
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
    ids: dict[str, list[str]] = {}  # technique ids of the topics loaded here
    for topic in topics:
        bundle = load_bundle(project, topic, out)
        if bundle is None:
            continue
        ids[topic] = technique_ids(bundle.topic)
        for code, catalog in sorted(bundle.catalogs.items()):
            if langs and code not in langs:
                continue
            missing = [key for key in catalog.missing if not is_alt(key)]  # see resolve_job
            if missing:
                warnings.append(
                    f"{topic}/{code}: {len(missing)} strings fall back to {bundle.source}"
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
    every_id = every_technique_id(project) if sites else []  # loads every topic
    for path in sites:
        out.run(lambda path=path: _check_site(path, every_id))
    for path in courses:
        if out.run(lambda path=path: _check_course(project, path)) is not None:
            warnings += course_warnings(path)
    out.problems.extend(project.stray_files())
    out.raise_if_any()
    return warnings


def _technique_ids(project: Project, topic: str) -> list[str]:
    try:
        return technique_ids(bundle_for(project, topic, ()).topic)  # the source only
    except UserError:
        return []


def every_technique_id(project: Project) -> list[str]:
    """The technique ids of every topic in the project (a topic that fails to load adds
    none: its own errors are reported where it is built or checked)."""
    return [tid for topic in project.topic_ids() for tid in _technique_ids(project, topic)]


def course_topic(project: Project, path: Path) -> str:
    """The topic a course file teaches: its `topic:`, else the project's only topic, else
    the one topic holding every technique it names."""
    course, doc = load_model(path, Course)
    topics = project.topic_ids()
    if course.topic is not None:
        if course.topic not in topics:
            line, col = doc.where(("topic",))
            hint = suggest(course.topic, topics) or f" (topics: {', '.join(topics)})"
            raise UserError(f"topic: unknown topic '{course.topic}'{hint}", path, line, col)
        return course.topic
    named = {*course.techniques, *(tid for week in course.weeks for tid in week.techniques)}
    fits = [t for t in topics if named <= set(_technique_ids(project, t))]
    if len(topics) == 1 or (named and len(fits) == 1):
        return topics[0] if len(topics) == 1 else fits[0]
    raise UserError(
        f"say which topic this course teaches: add `topic: <id>` ({', '.join(topics)})", path
    )


def _check_course(project: Project, path: Path) -> Course:
    return load_course(path, _technique_ids(project, course_topic(project, path)))


def _check_site(path: Path, ids: list[str]) -> None:
    site, doc, _logo = load_site(path)
    check_site_videos(site, doc, ids)


__all__ = [
    "Job",
    "Result",
    "build_all",
    "build_each",
    "build_one",
    "check_all",
    "write_index",
    "ProblemList",
]
