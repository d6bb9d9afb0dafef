"""Load and validate topic, language, layout and site files into models.

Every problem comes back as a Problem with file:line:col; `collect` gathers all of them
so `makebook check` can report everything in one run.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from pydantic import BaseModel, ValidationError

from printshop.content.document import Item
from printshop.content.i18n import Catalog, build_catalog, check_ids, check_source_texts, flatten
from printshop.content.models import (
    DOCUMENT_TEXTS,
    KINDS,
    MAX_PAGE_URL_CHARS,
    MAX_URL_CHARS,
    Course,
    LanguageFile,
    SectionSpec,
    Site,
    Topic,
)
from printshop.content.yamlsafe import YamlDoc, parse_yaml
from printshop.errors import (
    Collector,
    Problem,
    ProblemList,
    UserError,
    plain_message,
    problem_order,
    suggest,
)
from printshop.files import regular_file
from printshop.project import Project

M = TypeVar("M", bound=BaseModel)


def _inner_type(annotation: Any, step: Any) -> Any:
    """The type found one step down an annotation (field, dict value or list item)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _inner_type(args[0], step)
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            if arg is not type(None):
                found = _inner_type(arg, step)
                if found is not None:
                    return found
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        info = annotation.model_fields.get(str(step))
        return info.annotation if info else None
    if origin is dict:
        return args[1] if len(args) == 2 else None
    if origin is list:
        return args[0] if args else None
    return None


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    current: Any = model
    for step in loc:
        current = _inner_type(current, step)
        if current is None:
            return []
    while typing.get_origin(current) in (typing.Annotated, typing.Union, types.UnionType):
        current = next(a for a in typing.get_args(current) if a is not type(None))
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _data_loc(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """Pydantic's error location minus its own steps ('function-after[...]'), which are
    not keys of the data; a key that really contains '[' is kept."""
    kept = []
    for part in loc:
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if in_list or (isinstance(data, dict) and part in data):
            data = data[part]
        elif isinstance(part, str) and "[" in part:
            continue
        else:
            data = None
        kept.append(part)
    return tuple(kept)


def _loc_name(loc: tuple[Any, ...], data: Any) -> str:
    """'techniques.leg-roll.video' rather than 'sections.3.items.1.video': items are named
    by their ids, and the containers of named items (sections, items, groups) are left out."""
    parts = []
    for position, step in enumerate(loc):
        after = loc[position + 1] if position + 1 < len(loc) else None
        if step in ("sections", "items", "groups") and isinstance(after, int):
            inner = data.get(step) if isinstance(data, dict) else None
            if (
                isinstance(inner, list)
                and 0 <= after < len(inner)
                and isinstance(inner[after], dict)
            ):
                data = inner
                continue
        item = None
        if isinstance(data, dict):
            item = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            item = data[step]
        ident = item.get("id") if isinstance(item, dict) and isinstance(step, int) else None
        parts.append(ident if isinstance(ident, str) and ident else str(step))
        data = item
    return ".".join(parts) or "file"


def _problem_from_error(err: dict[str, Any], doc: YamlDoc, model: type[BaseModel]) -> Problem:
    loc = _data_loc(err["loc"], doc.data)
    line, col = doc.where(loc)
    kind = err["type"]
    name = _loc_name(loc, doc.data)
    if kind == "extra_forbidden" and loc:
        key = str(loc[-1])
        allowed = _allowed_keys(model, loc[:-1])
        hint = suggest(key, allowed) or (f"; allowed: {', '.join(allowed)}" if allowed else "")
        return Problem(f"unknown key '{key}'{hint}", doc.path, line, col)
    if kind == "missing" and loc:
        where = _loc_name(loc[:-1], doc.data) if len(loc) > 1 else "the file"
        return Problem(f"missing key '{loc[-1]}' (in {where})", doc.path, line, col)
    given, ctx = err.get("input"), err.get("ctx") or {}
    if kind == "string_too_long" and isinstance(given, str):
        limit = ctx.get("max_length")
        line, col = doc.marks.get(loc, (line, col))  # the value itself
        return Problem(
            f"{name} is {len(given)} characters; the limit is {limit}", doc.path, line, col
        )
    if kind == "too_long" and isinstance(given, (list, dict)):
        limit = ctx.get("max_length")
        return Problem(
            f"{name} has {len(given)} entries; the limit is {limit}", doc.path, line, col
        )
    message = plain_message(err)
    if kind == "literal_error":
        value = err.get("input")
        hint = suggest(
            str(value), err.get("ctx", {}).get("expected", "").replace("'", "").split(" or ")
        )
        message = f"{message}{hint}"
    joined = f"{name} {message}" if message.startswith("is ") else f"{name}: {message}"
    return Problem(joined, doc.path, line, col)


def load_model(path: Path, model: type[M], within: Sequence[Path] = ()) -> tuple[M, YamlDoc]:
    """Parse and validate one file; raises ProblemList with every validation problem.

    `within`: folders a file found in a project must stay inside (links out refused)."""
    doc = parse_yaml(path, within=within)
    if not isinstance(doc.data, dict):
        raise UserError("expected keys and values at the top level", path, 1, 1)
    return validate(doc, model), doc


def validate(doc: YamlDoc, model: type[M]) -> M:
    """The document's data as a model; every problem with its file:line:col."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems = [_problem_from_error(err, doc, model) for err in exc.errors()]
        raise ProblemList(sorted(set(problems), key=problem_order)) from None


def find_asset(dirs: Sequence[Path], relative: str, doc: YamlDoc, loc: tuple[Any, ...]) -> Path:
    """The first of `dirs` that holds `relative`; refuse absolute paths, '..' and links out."""
    line, col = doc.where(loc)
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise UserError(
            f"path '{relative}' must stay inside {dirs[0].name}/ (no '..' or absolute paths)",
            doc.path,
            line,
            col,
        )
    for base in dirs:
        resolved = (base / candidate).resolve()
        if not resolved.is_relative_to(base.resolve()):
            raise UserError(
                f"path '{relative}' points outside {base.name}/ (a link?); copy the file in",
                doc.path,
                line,
                col,
            )
        if resolved.exists():
            regular_file(resolved, "picture")  # a FIFO or a device: refused, never opened
            return resolved
    raise UserError(f"file not found: {dirs[0].name}/{relative}", doc.path, line, col)


def safe_asset(base: Path, relative: str, doc: YamlDoc, loc: tuple[Any, ...]) -> Path:
    """A file inside `base` (a site's logo beside its site file)."""
    return find_asset([base], relative, doc, loc)


def iter_topic_assets(topic: Topic) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(location in topic.yaml, asset path) for every file the topic refers to."""
    for role, path in topic.art.items():
        yield ("art", role), path
    for s, section in enumerate(topic.sections):
        if section.icon:
            yield ("sections", s, "icon"), section.icon
        for i, item in enumerate(section.items):
            for name in ("icon", "illustration"):
                if getattr(item, name):
                    yield ("sections", s, "items", i, name), getattr(item, name)
        for g, group in enumerate(section.groups):
            if group.icon:
                yield ("sections", s, "groups", g, "icon"), group.icon


def check_topic(topic: Topic, doc: YamlDoc, asset_dirs: Sequence[Path], out: Collector) -> None:
    """Cross-checks a schema cannot express: unique ids, what each kind holds, references
    that exist, assets that exist."""
    seen: dict[str, int] = {}
    known_refs = {ref.id for ref in topic.references}
    for s, section in enumerate(topic.sections):
        if section.id in seen or section.id in DOCUMENT_TEXTS + ("ui", "language"):
            out.add(
                f"section id '{section.id}' is used twice or is reserved",
                doc,
                ("sections", s, "id"),
            )
        seen[section.id] = s
        _check_section_shape(section, doc, ("sections", s), out)
        item_ids: set[str] = set()
        for i, group_or_item in enumerate([*section.items, *section.groups]):
            where = ("sections", s, "items" if i < len(section.items) else "groups")
            index = i if i < len(section.items) else i - len(section.items)
            if group_or_item.id in item_ids:
                out.add(
                    f"duplicate id '{group_or_item.id}' in section '{section.id}'",
                    doc,
                    (*where, index, "id"),
                )
            item_ids.add(group_or_item.id)
        for i, item in enumerate(section.items):
            for j, ref in enumerate(item.references):
                if ref not in known_refs:
                    out.add(
                        f"unknown reference '{ref}'{suggest(ref, known_refs)}; "
                        "add it under references",
                        doc,
                        ("sections", s, "items", i, "references", j),
                    )
    refs: set[str] = set()
    for i, ref in enumerate(topic.references):
        if ref.id in refs:
            out.add(f"duplicate reference id '{ref.id}'", doc, ("references", i, "id"))
        refs.add(ref.id)
    for loc, relative in iter_topic_assets(topic):
        out.run(lambda loc=loc, relative=relative: find_asset(asset_dirs, relative, doc, loc))


def _check_section_shape(
    section: SectionSpec, doc: YamlDoc, loc: tuple[Any, ...], out: Collector
) -> None:
    """Groups only where the kind has groups; pictures and videos only on step cards."""
    kind = KINDS[section.kind]
    if kind.groups and len(section.groups) != 2:
        out.add(f"a {section.kind} section needs exactly 2 groups", doc, (*loc, "groups"))
    if kind.groups and section.items:
        out.add(f"a {section.kind} section lists its items under its groups", doc, (*loc, "items"))
    if not kind.groups and section.groups:
        out.add(f"a {section.kind} section has no groups; list its items", doc, (*loc, "groups"))
    if not kind.groups and not section.items:
        out.add(f"section '{section.id}' has no items", doc, (*loc, "items"))
    if not kind.pictures and section.video:
        out.add(f"'video' is for step-cards sections, not {section.kind}", doc, (*loc, "video"))
    if not kind.pictures:
        for i, item in enumerate(section.items):
            for name in ("illustration", "video"):
                if getattr(item, name):
                    out.add(
                        f"'{name}' is for step-cards sections, not {section.kind}",
                        doc,
                        (*loc, "items", i, name),
                    )


# ----------------------------------------------------------------- a topic with its languages
@dataclass
class TopicBundle:
    """A topic with all its language files, validated together."""

    topic: Topic
    topic_doc: YamlDoc
    languages: dict[str, tuple[LanguageFile, YamlDoc]]
    catalogs: dict[str, Catalog]
    asset_dirs: tuple[Path, ...] = ()
    # languages whose own file has problems: left out, so the others still build
    broken: dict[str, list[Problem]] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return self.topic.source_language


def engine_labels() -> frozenset[str]:
    """The ui labels the registered blocks print (the blocks are the authority on that)."""
    from printshop.layout.registry import all_labels

    return all_labels()


def load_bundle(
    project: Project,
    topic_id: str,
    out: Collector,
    labels: frozenset[str] | None = None,
    langs: Collection[str] | None = None,
) -> TopicBundle | None:
    """Load and cross-check a topic and every language (or only `langs`, and the source).

    Problems with the topic or its source language go to `out` (they stop every
    document); a problem in another language's file only stops that language: it is
    kept in `bundle.broken` (`check` reports those too). `labels` are the ui labels the
    layouts' blocks print (a language file may use those and the topic's own).
    """
    roots = project.content_roots
    loaded = out.run(lambda: load_model(project.topic_file(topic_id), Topic, roots))
    if loaded is None:
        return None
    topic, topic_doc = loaded
    check_topic(topic, topic_doc, project.asset_dirs, out)
    languages: dict[str, tuple[LanguageFile, YamlDoc]] = {}
    broken: dict[str, list[Problem]] = {}
    files = project.language_files(topic_id)
    if langs is not None:  # a language's problems never stop another: the rest can wait
        files = {c: p for c, p in files.items() if c in langs or c == topic.source_language}
    for code, path in files.items():
        own = out if code == topic.source_language else Collector()
        result = own.run(lambda path=path: load_model(path, LanguageFile, roots))
        if result is not None:
            lang, doc = result
            if lang.language.code != code:
                own.add(
                    f"language code '{lang.language.code}' does not match the file name "
                    f"'{code}.yaml'",
                    doc,
                    ("language", "code"),
                )
            check_ids(topic, lang, doc, own, labels if labels is not None else engine_labels())
            if code == topic.source_language:
                check_source_texts(topic, flatten(lang), doc, own)
            languages[code] = (lang, doc)
        if own is not out and own.problems:
            broken[code] = own.problems
            languages.pop(code, None)
    if topic.source_language not in languages or (out.problems and topic.source_language in files):
        if topic.source_language not in files:
            out.add(
                f"source language '{topic.source_language}' has no file "
                f"{topic.source_language}.yaml beside topic.yaml",
                topic_doc,
                ("source_language",),
            )
        return None
    source, source_doc = languages[topic.source_language]
    catalogs = {}
    for code, (lang, doc) in languages.items():
        own = out if code == topic.source_language else Collector()
        catalogs[code] = build_catalog(topic, source, lang, source_doc, doc, own)
        if own is not out and own.problems:
            broken[code] = own.problems
    for code in broken:
        languages.pop(code, None)
        catalogs.pop(code, None)
    return TopicBundle(topic, topic_doc, languages, catalogs, tuple(project.asset_dirs), broken)


def load_checked_bundle(
    project: Project,
    topic_id: str,
    labels: frozenset[str] | None = None,
    langs: Collection[str] | None = None,
) -> TopicBundle:
    """A topic whose files have no problems at all; otherwise every problem, raised.
    With `langs`, only those languages (and the source) are loaded."""
    out = Collector()
    bundle = load_bundle(project, topic_id, out, labels, langs)
    out.raise_if_any()
    assert bundle is not None
    return bundle


# ----------------------------------------------------------------- site and course files
def load_site(path: Path) -> tuple[Site, YamlDoc, Path | None]:
    """A site file and its logo, which must sit beside it."""
    site, doc = load_model(path, Site)
    logo = safe_asset(path.parent, site.logo, doc, ("logo",)) if site.logo else None
    return site, doc, logo


def check_site_videos(site: Site, doc: YamlDoc, technique_ids: list[str]) -> None:
    """Video overrides name techniques that exist, and stay short enough for a QR code."""
    for tid in site.videos.techniques:
        if tid not in technique_ids:
            line, col = doc.where(("videos", "techniques", tid))
            raise UserError(
                f"videos.techniques: unknown technique '{tid}'{suggest(tid, technique_ids)}",
                doc.path,
                line,
                col,
            )
    base = site.videos.base_url
    for tid in technique_ids if base else []:
        url = base.rstrip("/") + "/" + tid
        if len(url.encode("utf-8")) > MAX_URL_CHARS:
            line, col = doc.where(("videos", "base_url"))
            raise UserError(
                f"videos.base_url: the URL for technique '{tid}' would be {len(url)} characters "
                f"({url[:40]}...); the limit is {MAX_URL_CHARS}, use a shorter base URL",
                doc.path,
                line,
                col,
            )


def landing_page(site: Site, doc: YamlDoc, page_path: str, coded: list[str]) -> str:
    """The address of a web page at `page_path` (relative to out/) where the site
    publishes out/ (`videos.landing_url`); every '<page>#<anchor>' a QR code opens from
    it (`coded`: the ids of the items with a code) must stay short enough to print."""
    page = site.videos.landing_url.rstrip("/") + "/" + quote(page_path)
    longest = max(coded, key=len, default="")
    url = f"{page}#{Item(id=longest).anchor}"
    if len(url.encode("utf-8")) > MAX_PAGE_URL_CHARS:
        line, col = doc.where(("videos", "landing_url"))
        raise UserError(
            f"videos.landing_url: the QR code for '{longest}' would open {url} "
            f"({len(url.encode('utf-8'))} characters); the limit is {MAX_PAGE_URL_CHARS}: "
            "use a shorter address or a shorter site file name",
            doc.path,
            line,
            col,
        )
    return page


def load_course(path: Path, technique_ids: list[str]) -> Course:
    """A course file; unknown technique ids are errors at their file:line."""
    course, doc = load_model(path, Course)
    ids = technique_ids
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
    return course


def course_warnings(path: Path, today: dt.date | None = None) -> list[str]:
    """Class dates that are probably a slip: out of order, twice, or already past."""
    course, doc = load_model(path, Course)
    today = today or dt.date.today()
    dates = course.classes.dates
    found = []
    for i, day in enumerate(dates):
        loc = ("classes", "dates", i)
        line, col = doc.where(loc)
        if day in dates[:i]:
            message = f"class date {day.isoformat()} is listed twice"
        elif i and day < dates[i - 1]:
            message = f"class date {day.isoformat()} comes before the date above it; sort them"
        elif day < today:
            message = f"class date {day.isoformat()} is in the past"
        else:
            continue
        found.append(str(Problem(message, path, line, col)))
    return found
