"""makebook: print-ready infant massage handouts and booklets from YAML.

The command line only: parse options, call printshop, report. Exit codes: 0 ok,
1 a problem with the input or options (one line each, no traceback), 2 internal error.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

import click

from printshop.catalog import Job, build_all, check_all, write_index
from printshop.content import Project, suggest
from printshop.errors import UserError


def _project() -> Project:
    return Project.discover()


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
def cli() -> None:
    """Turn YAML content about infant massage into print-ready PDF handouts and booklets."""


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
    "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True
)
@click.option("--jobs", type=int, default=0, help="Parallel processes (default: all cores).")
@click.option("--strict", is_flag=True, help="Untranslated strings are errors, not warnings.")
@click.option(
    "--bilingual", metavar="L2", help="Print a second language under the first (e.g. en)."
)
@click.option("--force", is_flag=True, help="Rebuild even outputs whose inputs have not changed.")
@click.option("--quiet", is_flag=True, help="Print only problems.")
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
def build(
    topics, langs, layouts, site, out_dir, jobs, strict, bilingual, force, quiet, as_json
) -> None:
    """Build PDFs into OUT/<topic>/<lang>/<layout>.pdf (no options: the whole catalog)."""
    project = _project()
    if site is not None and not site.is_file():
        raise UserError("site file not found", site)
    chosen_topics = _choose("topic", topics, project.topic_ids())
    chosen_layouts = _choose("layout", layouts, project.layout_names())
    work: list[Job] = []
    for topic in chosen_topics:
        known = sorted(project.language_files(topic))
        for lang in _choose("language", langs, known):
            work += [
                Job(topic, lang, layout, out_dir, site, strict, bilingual)
                for layout in chosen_layouts
                if not (bilingual and bilingual == lang)
            ]
    workers = jobs or os.cpu_count() or 1
    results = build_all(project, work, workers, force)
    write_index(project, out_dir, results)
    failed = [r for r in results if r.status == "failed"]
    if as_json:
        _echo_json(
            [
                {
                    "output": str(r.job.path),
                    "status": r.status,
                    "pages": r.pages,
                    "body_size": r.body_size,
                    "warnings": r.warnings,
                    "errors": r.messages,
                }
                for r in results
            ]
        )
    else:
        for r in results:
            for warning in r.warnings:
                click.echo(f"warning: {warning}", err=True)
            if not quiet and r.status != "failed":
                detail = (
                    f" ({r.pages} pages, body {r.body_size:g} pt)" if r.status == "built" else ""
                )
                click.echo(f"{r.status:>8}  {r.job.path}{detail}")
        for r in failed:
            for message in r.messages:
                click.echo(f"error: {r.job.label}: {message}", err=True)
        if not quiet:
            built = sum(r.status == "built" for r in results)
            current = sum(r.status == "current" for r in results)
            click.echo(
                f"{built} built, {current} up to date, {len(failed)} failed -> {out_dir}/index.html"
            )
    if failed:
        sys.exit(1)


@cli.command()
@click.option("--topic", "topics", multiple=True, help="Topic (default: all).")
@click.option("--lang", "langs", multiple=True, help="Language code (default: all).")
def check(topics, langs) -> None:
    """Validate every content, layout and site file; report all problems at once."""
    project = _project()
    warnings = check_all(project, _choose("topic", topics, project.topic_ids()), list(langs))
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo("ok: no problems found")


@cli.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def list_command(as_json) -> None:
    """Topics, languages (status, % translated) and layouts."""
    from printshop.catalog import language_names, layout_for

    project = _project()
    data = {
        "topics": {topic: language_names(project, topic) for topic in project.topic_ids()},
        "layouts": {name: layout_for(project, name).description for name in project.layout_names()},
    }
    if as_json:
        _echo_json(data)
        return
    for topic, languages in data["topics"].items():
        click.echo(f"topic {topic}")
        for code, (native, status, done) in languages.items():
            click.echo(f"  {code:<8} {native:<14} {status:<9} {done:>3}% translated")
    click.echo("layouts")
    for name, description in data["layouts"].items():
        click.echo(f"  {name:<16} {description}")


@cli.command()
@click.argument("pdf", type=click.Path(path_type=Path))
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), help="Folder (default: beside the PDF)."
)
@click.option("--dpi", type=int, default=100, show_default=True)
@click.option("--gray", is_flag=True, help="Render in grayscale, as an office printer would.")
def preview(pdf, out_dir, dpi, gray) -> None:
    """Render each page of PDF to PNG, to look at."""
    from printshop.preview import render_pngs

    for path in render_pngs(pdf, out_dir or pdf.parent, dpi, gray):
        click.echo(str(path))


def main() -> None:
    """Entry point: map every outcome onto the documented exit codes."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.UsageError as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(1)
    except UserError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the one place internal errors are reported
        if os.environ.get("MAKEBOOK_DEBUG"):
            traceback.print_exc()
        click.echo(
            f"internal error: {type(exc).__name__}: {exc} (set MAKEBOOK_DEBUG=1 for details)",
            err=True,
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
