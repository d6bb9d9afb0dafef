"""makebook: print-ready, illustrated handouts and booklets from YAML content.

The command line only: parse options, call printshop, report. Exit codes: 0 ok,
1 a problem with the input or options (one line each, no traceback), 2 internal error.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from printshop.errors import UserError, suggest
from printshop.project import Project


def _project() -> Project:
    """The project chosen by --project (or $MAKEBOOK_PROJECT, or found upward)."""
    ctx = click.get_current_context()
    root = ctx.find_root()
    if "project" not in root.meta:
        root.meta["project"] = Project.discover(root.params.get("project_dir"))
    return root.meta["project"]


def _echo_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _choose(kind: str, wanted: tuple[str, ...], known: list[str]) -> list[str]:
    """Validate names given on the command line against what exists."""
    for name in wanted:
        if name not in known:
            raise UserError(
                f"unknown {kind} '{name}'{suggest(name, known)}; {kind}s: {', '.join(known)}"
            )
    return list(wanted) or known


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="makebook")
@click.option(
    "--project",
    "project_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Your content project (default: $MAKEBOOK_PROJECT, or the nearest makebook.yaml).",
)
def cli(project_dir) -> None:
    """Turn YAML content into print-ready, illustrated PDF handouts and booklets."""


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
def init(folder) -> None:
    """Create a content project of your own: sites, logos, courses, topics, layouts."""
    from printshop.project import init_project

    for path in init_project(folder):
        click.echo(f"created {path}")
    click.echo(f"next: cd {folder} && makebook list")


@cli.command()
@click.option(
    "--topic", "topics", multiple=True, help="Topic folder under handouts/ (default: all)."
)
@click.option("--lang", "langs", multiple=True, help="Language code, repeatable (default: all).")
@click.option("--layout", "layouts", multiple=True, help="Layout name, repeatable (default: all).")
@click.option(
    "--site", type=click.Path(path_type=Path), help="Site file: ward name, numbers, videos."
)
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), help="Default: the project's out/."
)
@click.option(
    "--jobs",
    type=click.IntRange(0, 64),
    default=0,
    help="Parallel processes, up to 64 (default: all cores).",
)
@click.option("--strict", is_flag=True, help="Untranslated strings are errors, not warnings.")
@click.option(
    "--bilingual", metavar="L2", help="Print a second language under the first (e.g. en)."
)
@click.option(
    "--course",
    type=click.Path(path_type=Path),
    help="Course file for booklets: instructor, class dates, strokes and their order.",
)
@click.option("--marks", is_flag=True, help="Booklets: crop marks and 3 mm bleed (print shops).")
@click.option("--force", is_flag=True, help="Rebuild even outputs whose inputs have not changed.")
@click.option("--quiet", is_flag=True, help="Print only problems.")
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
def build(
    topics,
    langs,
    layouts,
    site,
    out_dir,
    jobs,
    strict,
    bilingual,
    course,
    marks,
    force,
    quiet,
    as_json,
) -> None:
    """Build PDFs into OUT/<topic>/<lang>/<layout>.pdf (no options: the whole catalog)."""
    from printshop.catalog.jobs import Job, build_each, source_date_epoch, write_index
    from printshop.files import regular_file

    project = _project()
    out_dir = out_dir or project.default_out()
    source_date_epoch()  # a bad value is an error before anything is built
    if site is not None:
        regular_file(site, "site file")
    if course is not None:
        regular_file(course, "course file")
    for name in topics:
        project.topic_file(name)  # unknown: lists the topics (or the stray language files)
    chosen_topics = _choose("topic", topics, project.topic_ids())
    if course is not None:
        chosen_topics = [_course_topic(project, course, topics)]
    chosen_layouts = _booklet_layouts(project, layouts, course, marks)
    if bilingual and bilingual in langs:
        raise UserError(
            f"--bilingual {bilingual} is also a --lang: a document cannot print its own "
            "language twice; choose another second language"
        )
    work: list[Job] = []
    available = {topic: sorted(project.language_files(topic)) for topic in chosen_topics}
    everywhere = sorted({code for codes in available.values() for code in codes})
    _choose("language", langs, everywhere)  # a language no chosen topic has is a typo
    for topic in chosen_topics:
        known = available[topic]
        if bilingual:
            _choose("language", (bilingual,), known)
        # named languages: those this topic has (another topic may have the rest)
        named = [code for code in langs if code in known] if langs else known
        for lang in [code for code in named if code != bilingual]:
            work += [
                Job(topic, lang, layout, out_dir, site, strict, bilingual, course, marks)
                for layout in chosen_layouts
            ]
    workers = min(jobs or os.cpu_count() or 1, max(len(work), 1))
    results = []
    with _progress(len(work), show=not (quiet or as_json)) as advance:
        for result in build_each(project, work, workers, force):
            results.append(result)
            with advance(result):
                if not as_json:
                    _print_result(result, quiet)
    order = {job: n for n, job in enumerate(work)}
    results.sort(key=lambda r: order[r.job])
    index_problems: list = []
    try:
        write_index(project, out_dir)
    except UserError as exc:  # the documents' own results are still reported
        index_problems = exc.problems
    failed = [r for r in results if r.status == "failed"]
    stray = [] if topics else project.stray_files()  # files the catalog would skip
    if as_json:
        _echo_json([_result_json(r) for r in results])
    elif not quiet:
        built = sum(r.status == "built" for r in results)
        current = sum(r.status == "current" for r in results)
        click.echo(
            f"{built} built, {current} up to date, {len(failed)} failed -> {out_dir}/index.html"
        )
    for problem in [*stray, *index_problems]:
        click.echo(f"error: {problem}", err=True)
    if failed or stray or index_problems:
        sys.exit(1)


def _print_result(r, quiet: bool) -> None:
    """One finished document: its warnings and errors (stderr), else every PDF it wrote
    (or kept, when current), imposed copies included (the web version is linked from
    the catalog page, and listed by --json)."""
    for warning in r.warnings:
        click.echo(f"warning: {warning}", err=True)
    for note in () if quiet else r.notes:  # what was done instead, not a problem
        click.echo(f"note: {note}", err=True)
    for message in r.messages:
        click.echo(f"error: {r.job.label}: {message}", err=True)
    if quiet or r.status == "failed":
        return
    for path, kind in r.files:
        if kind == "web":
            continue
        detail = ""
        if r.status == "built" and kind != "imposed":
            pages = f"{r.pages} page" + ("s" if r.pages != 1 else "")
            detail = f" ({pages}, body {r.body_size:g} pt)"
        elif kind == "imposed":
            detail = " (imposed: print duplex, fold, staple)"
        click.echo(f"{r.status:>8}  {path}{detail}")


def _course_topic(project, course, topics: tuple[str, ...]) -> str:
    """The one topic a --course build is for: the course's own."""
    from printshop.catalog.jobs import course_topic

    topic = course_topic(project, course)
    if topics and topic not in topics:
        raise UserError(f"{course} is a course for '{topic}', not for --topic {topics[0]}")
    return topic


def _booklet_layouts(project, layouts: tuple[str, ...], course, marks: bool) -> list[str]:
    """The layouts to build; --course and --marks are for booklets only."""
    from printshop.catalog.jobs import layout_for

    chosen = _choose("layout", layouts, project.layout_names())
    option = "--course" if course is not None else "--marks" if marks else None
    if option is None:
        return chosen
    booklets = [name for name in chosen if layout_for(project, name).kind == "booklet"]
    others = [name for name in chosen if name not in booklets]
    if layouts and others:
        every = [n for n in project.layout_names() if layout_for(project, n).kind == "booklet"]
        raise UserError(
            f"{option} is for booklets; '{others[0]}' is a {layout_for(project, others[0]).kind} "
            f"layout. Booklet layouts: {', '.join(every) or 'none'}"
        )
    return booklets


def _result_json(result) -> dict:
    return {
        "output": str(result.job.path),
        "status": result.status,
        "files": [{"path": str(path), "kind": kind} for path, kind in result.files],
        "pages": result.pages,
        "body_size": result.body_size,
        "warnings": result.warnings,
        "notes": result.notes,
        "errors": result.messages,
    }


@contextlib.contextmanager
def _progress(total: int, show: bool, stream=None) -> Iterator[Callable]:
    """`advance(result)`, a context to print a finished document's lines in: on a terminal
    (unless `show` is False) a bar stays under them: documents done of total, seconds
    elapsed, the document just finished. Elsewhere the lines print as they are."""
    stream = stream or sys.stderr
    if not (show and total > 1 and stream.isatty()):
        yield lambda _result: contextlib.nullcontext()
        return
    start = time.monotonic()
    bar = click.progressbar(
        length=total,
        file=stream,
        show_eta=False,
        show_percent=False,
        show_pos=True,
        item_show_func=lambda r: r and f"{time.monotonic() - start:.1f} s  {r.job.label}",
    )

    @contextlib.contextmanager
    def advance(result) -> Iterator[None]:
        stream.write("\r\x1b[2K")  # the bar's line, cleared for the document's own lines
        stream.flush()
        yield
        sys.stdout.flush()
        bar.update(1, result)

    with bar:
        yield advance


@cli.command()
@click.option("--topic", "topics", multiple=True, help="Topic (default: all).")
@click.option("--lang", "langs", multiple=True, help="Language code (default: all).")
@click.option(
    "--site", "sites", multiple=True, type=click.Path(path_type=Path), help="Also this site file."
)
@click.option(
    "--course",
    "courses",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Also this course file.",
)
@click.option(
    "--readability", is_flag=True, help="Also print reading grades and the hardest sentences."
)
def check(topics, langs, sites, courses, readability) -> None:
    """Validate every topic, language, layout, site and course file; report all problems."""
    from printshop.catalog.jobs import check_all

    project = _project()
    chosen = _choose("topic", topics, project.topic_ids())
    # a project's site named by --site too is checked (and reported) once
    sites = list({path.resolve(): path for path in [*project.site_files(), *sites]}.values())
    courses = [*project.course_files(), *courses]
    warnings = check_all(project, chosen, list(langs), sites, courses)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo("ok: no problems found")
    if readability:
        _print_readability(project, chosen, list(langs))


def _print_readability(project: Project, topics: list[str], langs: list[str]) -> None:
    from printshop.catalog.jobs import bundle_for
    from printshop.content.readability import GRADE_LIMIT, readings
    from printshop.content.resolve import resolve

    for topic in topics:
        bundle = bundle_for(project, topic)
        for code in sorted(bundle.catalogs):
            if langs and code not in langs:
                continue
            rule, found = readings(resolve(bundle, code))
            if rule is None:
                click.echo(f"{topic}/{code}: no readability formula for this language")
                continue
            aim = f"aim: {GRADE_LIMIT:g} or lower" if rule.grade else "higher is easier"
            click.echo(f"{topic}/{code}: {rule.name} ({aim})")
            for reading in found:
                flag = "  <- too hard" if rule.grade and reading.score > GRADE_LIMIT else ""
                click.echo(
                    f"  {reading.what:<11} {reading.score:5.1f}  ({reading.words} words){flag}"
                )
                for score, sentence in reading.hardest:
                    click.echo(f"      {score:5.1f}  {sentence[:90]}")


@cli.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def list_command(as_json) -> None:
    """Topics, languages (status, % translated) and layouts, and where each comes from."""
    from printshop.catalog.jobs import catalog_listing

    data = catalog_listing(_project())
    if as_json:
        _echo_json(data)
        return
    for topic, info in data["topics"].items():
        click.echo(f"topic {topic} ({info['origin']})")
        for code, lang in info["languages"].items():
            click.echo(
                f"  {code:<8} {lang['name']:<22} {lang['native_name']:<16} {lang['status']:<9} "
                f"{lang['percent_translated']:>3}% translated"
            )
    click.echo("layouts")
    for name, info in data["layouts"].items():
        click.echo(f"  {name:<22} {info['origin']:<10} {info['description']}")


@cli.command()
@click.argument("pdf", type=click.Path(path_type=Path))
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), help="Folder (default: beside the PDF)."
)
@click.option(
    "--dpi", type=click.IntRange(30, 600), default=100, show_default=True, help="30 to 600."
)
@click.option("--gray", is_flag=True, help="Render in grayscale, as an office printer would.")
def preview(pdf, out_dir, dpi, gray) -> None:
    """Render each page of PDF to PNG, to look at."""
    from printshop.catalog.preview import render_pngs

    for path in render_pngs(pdf, out_dir or pdf.parent, dpi, gray):
        click.echo(str(path))


# ----------------------------------------------------------------- translators
_TOPIC = click.option("--topic", help="Topic folder under handouts/ (default: the only one).")


@cli.group()
def lang() -> None:
    """Translator commands: new language, status, check, marking, review, PO files."""


@lang.command(name="new")
@click.argument("code")
@_TOPIC
@click.option("--name", help="Language name in English (default: from Babel).")
@click.option("--native-name", help="Language name in itself (default: from Babel).")
@click.option("--direction", type=click.Choice(["ltr", "rtl"]), help="Default: from Babel.")
@click.option("--force", is_flag=True, help="Replace an existing CODE.yaml (its text is lost).")
def lang_new(code, topic, name, native_name, direction, force) -> None:
    """Create handouts/<topic>/CODE.yaml with every key, ready to translate."""
    from printshop.content import langfile

    project = _project()
    topic = langfile.choose_topic(project, topic)
    path, warning = langfile.new_language(project, topic, code, name, native_name, direction, force)
    also = f" --topic {topic}" if len(project.topic_ids()) > 1 else ""
    click.echo(
        f"created {path}: replace the text under each key, then `makebook lang mark{also} {code}`"
    )
    if warning:
        click.echo(f"warning: {warning}", err=True)


@lang.command(name="status")
@click.argument("codes", nargs=-1)
@_TOPIC
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def lang_status(codes, topic, as_json) -> None:
    """Per language: % translated, missing and stale keys, status, reviewer."""
    from printshop.content import langfile

    project = _project()
    if as_json or topic is not None or len(project.topic_ids()) == 1:
        topic = langfile.choose_topic(project, topic, codes[0] if len(codes) == 1 else None)
        rows = langfile.status(project, topic, list(codes))
        if as_json:
            _echo_json({"topic": topic, "languages": [row.as_dict() for row in rows]})
            return
        _print_status(rows, codes)
        return
    topics = project.topic_ids()
    _choose("language", codes, sorted({c for t in topics for c in project.language_files(t)}))
    shown = 0
    for name in topics:  # every topic, each with the named languages it has
        known = project.language_files(name)
        if codes and not any(code in known for code in codes):
            continue
        if shown:
            click.echo()
        shown += 1
        click.echo(f"topic {name}")
        _print_status(langfile.status(project, name, [c for c in codes if c in known]), codes)


def _print_status(rows, codes) -> None:
    """The status table, then (when languages were named) their missing and stale keys."""
    click.echo(
        f"{'lang':<9}{'status':<10}{'done':>5}  {'missing':>7} {'stale':>5} "
        f"{'unmarked':>8}  reviewer"
    )
    for row in rows:
        reviewer = row.reviewer or "-"
        if row.reviewer_role:
            reviewer += f", {row.reviewer_role}"
        if row.review_date:
            reviewer += f" ({row.review_date})"
        kind = "source" if row.is_source else row.status
        click.echo(
            f"{row.code:<9}{kind:<10}{row.percent:>4}%  {len(row.missing):>7} "
            f"{len(row.stale):>5} {len(row.unrecorded):>8}  {reviewer}"
        )
    if not codes:
        return
    for row in rows:
        for title, keys in (
            ("not translated (prints the source text)", row.missing),
            ("stale (the source changed since it was translated)", row.stale),
            ("translated but not marked (run `makebook lang mark`)", row.unrecorded),
        ):
            if keys:
                click.echo(f"\n{row.code}: {len(keys)} {title}:")
                for key in keys:
                    click.echo(f"  {key}")


@lang.command(name="check")
@click.argument("code")
@_TOPIC
@click.option("--layout", help="Layout whose first page is read back (default: handout-a4).")
@click.option("--no-ocr", is_flag=True, help="Skip the OCR read-back.")
def lang_check(code, topic, layout, no_ocr) -> None:
    """Fonts, script and direction, missing and stale strings, and an OCR read-back."""
    from printshop.catalog.langcheck import check_language
    from printshop.content import langfile
    from printshop.errors import ProblemList

    project = _project()
    topic = langfile.choose_topic(project, topic, code)
    if layout is not None:
        _choose("layout", (layout,), project.layout_names())
    result = check_language(project, topic, code, layout, ocr=not no_ocr)
    for line in result.lines:
        click.echo(line)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if result.problems:
        raise ProblemList(result.problems)
    click.echo(f"ok: {code} is ready to print" + (" (with warnings)" if result.warnings else ""))


@lang.command(name="mark")
@click.argument("code")
@_TOPIC
@click.option("--key", "keys", multiple=True, help="Mark exactly this key (repeatable).")
@click.option("--stale", is_flag=True, help="Also mark stale keys: you have updated them.")
def lang_mark(code, topic, keys, stale) -> None:
    """Record the source text each translation was made from (for stale detection)."""
    from printshop.content import langfile

    project = _project()
    topic = langfile.choose_topic(project, topic, code)
    marked = langfile.mark(project, topic, code, list(keys), stale)
    click.echo(f"{code}: marked {len(marked)} strings as translated from the current source")


@lang.command(name="review")
@click.argument("code")
@_TOPIC
@click.option("--reviewer", required=True, help="Who checked the translation.")
@click.option("--role", required=True, help="Their role, e.g. 'midwife, native speaker'.")
@click.option("--date", "date", type=click.DateTime(["%Y-%m-%d"]), help="Default: today.")
@click.option("--force", is_flag=True, help="Even with untranslated or stale strings.")
def lang_review(code, topic, reviewer, role, date, force) -> None:
    """Set status: reviewed, with the reviewer's name and the date."""
    import datetime as dt

    from printshop.content import langfile

    project = _project()
    topic = langfile.choose_topic(project, topic, code)
    day = date.date() if date else dt.date.today()
    path = langfile.review(project, topic, code, reviewer, role, day, force)
    click.echo(f"{path}: status reviewed by {reviewer} ({role}) on {day.isoformat()}")


@lang.command(name="update")
@click.argument("code")
@_TOPIC
def lang_update(code, topic) -> None:
    """Rewrite CODE.yaml in the standard form: add new keys, refresh the source comments."""
    from printshop.content import langfile

    project = _project()
    topic = langfile.choose_topic(project, topic, code)
    click.echo(f"rewrote {langfile.update_language(project, topic, code)}")


@lang.command(name="export")
@click.argument("code")
@_TOPIC
@click.option("--format", "fmt", type=click.Choice(["po"]), default="po", show_default=True)
@click.option("--out", "out", type=click.Path(path_type=Path), help="Default: <topic>.<code>.po")
@click.option("--force", is_flag=True, help="Replace a file that is not a PO file makebook wrote.")
def lang_export(code, topic, fmt, out, force) -> None:
    """Write a gettext PO file for Poedit, Weblate or Crowdin."""
    from printshop.content import langfile
    from printshop.content.po import PO_MARKER, export_po
    from printshop.pdf.write import ensure_ours, write_atomic

    project = _project()
    topic = langfile.choose_topic(project, topic, code)
    path = out or Path(f"{topic}.{code}.po")
    if path.suffix != ".po":
        raise UserError("--out must name a .po file (e.g. ti.po)", path)
    ensure_ours(path, PO_MARKER, force)
    text = export_po(project, topic, code)
    write_atomic(path, text.encode("utf-8"))
    click.echo(str(path))


@lang.command(name="import")
@click.argument("po_file", type=click.Path(path_type=Path))
@_TOPIC
def lang_import(po_file, topic) -> None:
    """Write handouts/<topic>/<lang>.yaml from a PO file (checked first)."""
    from printshop.content.po import import_po

    path, count = import_po(_project(), po_file, topic)
    click.echo(f"{path}: {count} translated strings")


@cli.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="Default: schemas/")
@click.option("--check", is_flag=True, help="Only report schemas that are out of date.")
def schema(out_dir, check) -> None:
    """Write JSON Schemas of the file kinds, for editors (VS Code YAML extension)."""
    from printshop.content.schemas import outdated_schemas, write_schemas

    folder = out_dir or (_project().root or Path.cwd()) / "schemas"
    if check:
        stale = outdated_schemas(folder)
        if stale:
            raise UserError(f"out of date: {', '.join(p.name for p in stale)}; run makebook schema")
        click.echo("ok: schemas are up to date")
        return
    written = write_schemas(folder)
    for path in written:
        click.echo(f"wrote {path}")
    if not written:
        click.echo(f"up to date: {folder}")


def run(args: list[str] | None = None, prog_name: str | None = None) -> int:
    """Run the command line; map every outcome onto the documented exit codes.

    Problems are reported on stderr; a command that exits on purpose (`sys.exit`)
    raises SystemExit as usual. `main` and the test suite's CLI runner share this.
    """
    try:
        cli.main(args=args, prog_name=prog_name, standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):  # Click turns Ctrl-C into Abort
            click.echo(
                "interrupted: files already built are kept; nothing is half-written", err=True
            )
            return 130
        click.echo("aborted", err=True)
        return 1
    except click.UsageError as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        return 1
    except UserError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("interrupted: files already built are kept; nothing is half-written", err=True)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place internal errors are reported
        if os.environ.get("MAKEBOOK_DEBUG"):
            traceback.print_exc()
        click.echo(
            f"internal error: {type(exc).__name__}: {exc} (set MAKEBOOK_DEBUG=1 for details)",
            err=True,
        )
        return 2
    return 0


def main() -> None:
    """Entry point: exit with the code `run` maps the outcome onto."""
    sys.exit(run())


if __name__ == "__main__":
    main()
