"""Every command and option of README's command reference, run as a user runs it, with
what it prints and writes checked (not only its exit code). JSON outputs are validated
against their committed schemas (schemas/cli/). Content comes from the test project.

Built PDFs are found through what `build --json` reports, never through file names
written into a test, so a change of naming does not break these tests.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import click
import jsonschema
import pytest
from PIL import Image
from pypdf import PdfReader

import makebook

from .conftest import ROOT, SMALL_PROJECT, SMALL_TOPIC, run_cli
from .pdfcheck import MM, decode_qr_codes, page_texts
from .test_hostile import build

CLI_SCHEMAS = ROOT / "schemas" / "cli"
PROJECT = ("--project", str(SMALL_PROJECT))


def validated(text: str, schema: str):
    """The JSON a command printed, checked against schemas/cli/<schema>.schema.json."""
    data = json.loads(text)
    spec = json.loads((CLI_SCHEMAS / f"{schema}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(spec)
    jsonschema.validate(data, spec, format_checker=jsonschema.FormatChecker())
    return data


def build_json(*args: str, cwd: Path = ROOT, env: dict | None = None, code: int = 0) -> list:
    """`makebook build ... --json`: the reports, validated, with the exit code expected."""
    result = run_cli(*args, "--json", cwd=cwd, env=env)
    assert result.returncode == code, (result.stdout, result.stderr)
    return validated(result.stdout, "build")


def small_build(out: Path, *args: str, **kwargs) -> list:
    """The test topic, through --project, into `out`."""
    return build_json(*PROJECT, "build", "--topic", SMALL_TOPIC, "--out", str(out), *args, **kwargs)


# ----------------------------------------------------------------- list
def test_list_shows_topics_languages_and_layouts_with_their_origin(tmp_path):
    result = run_cli(*PROJECT, "list", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert "topic desk-breaks (project)" in lines
    assert "topic infant-massage (built-in)" in lines
    assert any(
        re.fullmatch(r"  en\s+English\s+English\s+reviewed\s+100% translated", ln) for ln in lines
    )
    assert any(
        re.fullmatch(r"  fa\s+Persian\s+فارسی\s+draft\s+100% translated", ln) for ln in lines
    )
    layouts = lines[lines.index("layouts") + 1 :]
    assert any(
        re.fullmatch(r"  reminder-a5\s+project\s+One-page reminder, A5 \(test project\)", ln)
        for ln in layouts
    )
    assert any(re.fullmatch(r"  handout-a4\s+built-in\s+Discharge handout.*", ln) for ln in layouts)


def test_list_json_matches_its_schema_and_shows_overrides(scratch_small):
    """A project layout named like a built-in one replaces it; `list --json` says so."""
    data = validated(run_cli("list", "--json", cwd=scratch_small).stdout, "list")
    small = data["topics"][SMALL_TOPIC]
    assert small["origin"] == scratch_small.name
    assert small["languages"]["fa"] == {
        "name": "Persian",
        "native_name": "فارسی",
        "direction": "rtl",
        "status": "draft",
        "percent_translated": 100,
    }
    assert data["topics"]["infant-massage"]["origin"] == "built-in"
    assert data["layouts"]["reminder-a5"] == {
        "origin": scratch_small.name,
        "kind": "handout",
        "paper": "A5",
        "description": "One-page reminder, A5 (test project)",
    }
    assert data["layouts"]["handout-a4"]["origin"] == "built-in"
    own = (ROOT / "layouts" / "handout-a4.yaml").read_text(encoding="utf-8")
    own = own.replace("description: Discharge handout", "description: Our own handout")
    (scratch_small / "layouts" / "handout-a4.yaml").write_text(own, encoding="utf-8")
    data = validated(run_cli("list", "--json", cwd=scratch_small).stdout, "list")
    assert data["layouts"]["handout-a4"]["origin"] == scratch_small.name
    assert data["layouts"]["handout-a4"]["description"].startswith("Our own handout")


# ----------------------------------------------------------------- --project, MAKEBOOK_PROJECT
@pytest.mark.parametrize("how", ["option", "environment", "upward"])
def test_project_is_found_by_option_environment_or_upward(tmp_path, how):
    if how == "option":
        result = run_cli(*PROJECT, "list", "--json", cwd=tmp_path)
    elif how == "environment":
        result = run_cli(
            "list", "--json", cwd=tmp_path, env={"MAKEBOOK_PROJECT": str(SMALL_PROJECT)}
        )
    else:  # from a folder inside the project
        result = run_cli("list", "--json", cwd=SMALL_PROJECT / "handouts" / SMALL_TOPIC)
    assert result.returncode == 0, result.stderr
    assert SMALL_TOPIC in validated(result.stdout, "list")["topics"]


def test_project_option_wins_over_the_environment_and_must_be_a_project(tmp_path):
    env = {"MAKEBOOK_PROJECT": str(tmp_path)}  # not a project: would be refused
    result = run_cli(*PROJECT, "list", "--json", cwd=tmp_path, env=env)
    assert SMALL_TOPIC in validated(result.stdout, "list")["topics"]
    for args, extra in ((("--project", str(tmp_path), "list"), None), (("list",), env)):
        refused = run_cli(*args, cwd=ROOT, env=extra)
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert f"error: {tmp_path}: not a makebook project (no makebook.yaml)" in refused.stderr


def test_without_a_project_only_the_built_in_content_is_listed(tmp_path):
    data = validated(run_cli("list", "--json", cwd=tmp_path).stdout, "list")
    assert SMALL_TOPIC not in data["topics"] and "infant-massage" in data["topics"]
    assert {info["origin"] for info in data["layouts"].values()} == {"built-in"}


# ----------------------------------------------------------------- init
def test_init_creates_a_project_that_makebook_finds(tmp_path):
    result = run_cli("init", "ward", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    created = [Path(line.removeprefix("created ")) for line in result.stdout.splitlines()[:-1]]
    assert result.stdout.splitlines()[-1] == "next: cd ward && makebook list"
    ward = tmp_path / "ward"
    assert ward / "makebook.yaml" in [tmp_path / p for p in created]
    assert all((tmp_path / p).is_file() for p in created) and len(created) >= 5
    assert (ward / "sites" / "my-ward.yaml").is_file() and (ward / "README.md").is_file()
    listed = run_cli("list", cwd=ward / "sites")  # found from a folder inside it
    assert "topic infant-massage (built-in)" in listed.stdout.splitlines()
    checked = run_cli("check", cwd=ward)  # its example site and course files are valid
    assert (checked.returncode, checked.stdout) == (0, "ok: no problems found\n"), checked.stderr
    again = run_cli("init", "ward", cwd=tmp_path)
    assert again.returncode == 1 and "is already a makebook project" in again.stderr
    mine = tmp_path / "mine"  # a folder of the user's: init adds, never overwrites
    mine.mkdir()
    (mine / "README.md").write_text("my notes\n")
    added = run_cli("init", "mine", cwd=tmp_path)
    assert added.returncode == 0 and "created mine/README.md" not in added.stdout
    assert (mine / "README.md").read_text() == "my notes\n" and (mine / "makebook.yaml").is_file()
    (tmp_path / "afile").write_text("x")
    refused = run_cli("init", "afile", cwd=tmp_path)
    assert refused.returncode == 1 and "exists and is not a folder" in refused.stderr


# ----------------------------------------------------------------- build
def test_build_reports_the_matrix_it_was_asked_for(tmp_path):
    """--topic, --lang, --layout (repeated) and --out: exactly those documents, each
    reported with its path under --out, its pages and body size, in the order asked."""
    langs, layouts = (
        ("--lang", "fa", "--lang", "en"),
        ("--layout", "reminder-a5", "--layout", "handout-a4"),
    )
    reports = small_build(tmp_path, *langs, *layouts)
    assert [r["status"] for r in reports] == ["built"] * 4
    assert [r["pages"] for r in reports] == [1, 2, 1, 2]  # fa: reminder, handout; en: ...
    for report in reports:
        path = Path(report["output"])
        assert path.is_relative_to(tmp_path) and len(PdfReader(str(path)).pages) == report["pages"]
        assert report["body_size"] == 12 and report["warnings"] == report["errors"] == []
    titles = [page_texts(r["output"])[0].startswith("Desk breaks") for r in reports]
    assert titles == [False, False, True, True]
    assert len(set(r["output"] for r in reports)) == 4
    index = (tmp_path / "index.html").read_text()
    assert len(set(re.findall(r'<a href="([^"]+\.pdf)"', index))) == 4


def test_a_language_builds_for_the_topics_that_have_it(tmp_path):
    """Polish is a language of the built-in topic only: the test topic is left out, not
    an error; a language no topic has is an error naming the languages there are."""
    reports = build_json(*PROJECT, "build", "--lang", "pl", "--layout", "handout-a4",
                         "--out", str(tmp_path))  # fmt: skip
    topics = {Path(r["output"]).relative_to(tmp_path).parts[0] for r in reports}
    assert topics == {"infant-massage"} and {r["status"] for r in reports} == {"built"}
    typo = run_cli(*PROJECT, "build", "--lang", "pll", "--out", str(tmp_path))
    assert typo.returncode == 1 and "unknown language 'pll' (did you mean 'pl'?)" in typo.stderr


def test_build_of_a_topic_alone_is_every_language_in_every_layout(tmp_path):
    reports = small_build(tmp_path)
    layouts = validated(run_cli(*PROJECT, "list", "--json").stdout, "list")["layouts"]
    assert len(reports) == 2 * len(layouts) and {r["status"] for r in reports} == {"built"}


def test_build_text_output_quiet_and_json(tmp_path):
    args = (*PROJECT, "build", "--topic", SMALL_TOPIC, "--lang", "en", "--layout", "handout-a4")
    plain = run_cli(*args, "--out", str(tmp_path / "a"))
    (report,) = build_json(*args, "--out", str(tmp_path / "b"))
    lines = plain.stdout.splitlines()
    same = tmp_path / "a" / Path(report["output"]).relative_to(tmp_path / "b")
    assert lines[0] == f"   built  {same} (2 pages, body 12 pt)"
    assert lines[1] == f"1 built, 0 up to date, 0 failed -> {tmp_path / 'a'}/index.html"
    quiet = run_cli(*args, "--out", str(tmp_path / "a"), "--force", "--quiet")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    poster = run_cli(*args[:-1], "poster-a3", "--out", str(tmp_path / "a")).stdout
    assert poster.startswith("   built  ") and " (1 page, body " in poster.splitlines()[0]


def test_quiet_still_prints_warnings_and_errors(scratch_small):
    fa = scratch_small / "handouts" / SMALL_TOPIC / "fa.yaml"
    fa.write_text(
        fa.read_text(encoding="utf-8").replace("  scan_to_watch: >-\n    ببینید\n", ""),
        encoding="utf-8",
    )
    args = ("build", "--topic", SMALL_TOPIC, "--layout", "handout-a4", "--quiet", "--out", "out")
    warned = run_cli(*args, "--lang", "fa", cwd=scratch_small)
    assert warned.returncode == 0 and warned.stdout == ""
    assert warned.stderr == "warning: fa: 1 strings not translated, using en: ui.scan_to_watch\n"
    failed = run_cli(*args, "--lang", "fa", "--strict", "--force", cwd=scratch_small)
    assert failed.returncode == 1 and failed.stdout == ""
    assert failed.stderr.startswith(
        "error: desk-breaks/fa/handout-a4: fa: 1 strings not translated"
    )


def test_jobs_build_in_parallel_the_same_bytes(tmp_path):
    args = ("--lang", "en", "--lang", "fa", "--layout", "handout-a4", "--layout", "booklet-a5")
    one = small_build(tmp_path / "one", *args, "--jobs", "1")
    two = small_build(tmp_path / "two", *args, "--jobs", "2")
    assert [r["status"] for r in two] == ["built"] * 4
    for a, b in zip(one, two, strict=True):
        assert Path(a["output"]).read_bytes() == Path(b["output"]).read_bytes()


def test_site_brands_the_handout_and_points_its_codes(tmp_path):
    site = SMALL_PROJECT / "sites" / "clinic.yaml"
    (report,) = small_build(tmp_path, "--lang", "en", "--layout", "handout-a4", "--site", str(site))
    first, second = page_texts(report["output"])
    assert first.startswith("Test Clinic, Example Street")
    for detail in ("0100 000 111", "112", "TST-01"):
        assert detail in second, detail
    assert decode_qr_codes(report["output"]) == [[], ["https://videos.example.net/shoulders"]]
    missing = run_cli(
        *PROJECT, "build", "--site", str(tmp_path / "nope.yaml"), "--out", str(tmp_path)
    )
    assert missing.returncode == 1 and "nope.yaml: site file not found" in missing.stderr


def test_course_and_marks_make_a_print_shop_booklet(tmp_path):
    course = SMALL_PROJECT / "courses" / "class.yaml"
    args = ("--lang", "en", "--layout", "booklet-a5", "--course", str(course))
    (plain,) = small_build(tmp_path / "plain", *args)
    (marked,) = small_build(tmp_path / "marked", *args, "--marks")
    text = " ".join(page_texts(plain["output"]))
    assert "Robin Coach" in text and "Meeting room 3" in text
    assert text.index("Wrist circles 1.") < text.index("Shoulder roll 1.")  # the course's order
    trim = PdfReader(plain["output"]).pages[0]
    bled = PdfReader(marked["output"]).pages[0]
    assert float(bled.mediabox.width) == pytest.approx(float(trim.mediabox.width) + 6 * MM, abs=0.1)
    assert float(bled.trimbox.width) == pytest.approx(float(trim.mediabox.width), abs=0.1)
    assert marked["pages"] == plain["pages"] == 12
    missing = run_cli(
        *PROJECT, "build", "--course", str(tmp_path / "no.yaml"), "--out", str(tmp_path)
    )
    assert missing.returncode == 1 and "no.yaml: course file not found" in missing.stderr


# ----------------------------------------------------------------- up to date, --force
def handout(project: Path, *extra: str, lang: str = "en", layout: str = "handout-a4") -> dict:
    args = ("build", "--topic", SMALL_TOPIC, "--lang", lang, "--layout", layout, "--out", "out")
    (report,) = build_json(*args, *extra, cwd=project)
    return report


def test_unchanged_inputs_are_skipped_and_force_rebuilds(scratch_small):
    first = handout(scratch_small)
    pdf = Path(scratch_small / first["output"])
    built = pdf.stat().st_mtime_ns
    again = handout(scratch_small)
    assert again["status"] == "current" and again["output"] == first["output"]
    assert pdf.stat().st_mtime_ns == built  # not written again
    text = build(scratch_small)
    assert text.stdout.splitlines() == [
        f" current  {first['output']}",
        "0 built, 1 up to date, 0 failed -> out/index.html",
    ]
    forced = handout(scratch_small, "--force")
    assert forced["status"] == "built" and pdf.stat().st_mtime_ns != built


CHANGES = {  # input -> (file under the scratch project, text, replacement)
    "source-text": (f"handouts/{SMALL_TOPIC}/en.yaml", "title: Desk breaks", "title: Desk pauses"),
    "translation": (f"handouts/{SMALL_TOPIC}/fa.yaml", "استراحت پشت میز", "استراحت کنار میز"),
    "project-language": ("handouts/infant-massage/xx.yaml", "Masaje para tu bebé", "Otro título"),
    "layout": ("layouts/reminder-a5.yaml", "title: 20", "title: 22"),
    "parent-layout": ("layouts/base-a5.yaml", "paper: A5", "paper: A5\ntype: {title: 30}"),
    "site": ("sites/clinic.yaml", "TST-01", "TST-02"),
    "course": ("courses/class.yaml", "Meeting room 3", "Meeting room 4"),
}


def prepare(project: Path, change: str) -> list[str]:
    """Arguments of a build that reads the input named `change`, after setting it up."""
    args = ["build", "--topic", SMALL_TOPIC, "--lang", "en", "--layout", "handout-a4"]
    if change == "translation":
        args[4] = "fa"
    if change == "project-language":  # a language the project adds to a built-in topic
        extra = project / "handouts" / "infant-massage"
        extra.mkdir()
        text = (ROOT / "handouts" / "infant-massage" / "es.yaml").read_text(encoding="utf-8")
        (extra / "xx.yaml").write_text(text.replace("code: es", "code: xx"), encoding="utf-8")
        args[2:5] = ["infant-massage", "--lang", "xx"]
    if change in ("layout", "parent-layout"):
        args[6] = "reminder-a5"
    if change == "parent-layout":  # reminder-a5 extends a project layout, which changes
        (project / "layouts" / "base-a5.yaml").write_text(
            "extends: handout-a4\nname: base-a5\ndescription: A5 base\npaper: A5\n"
        )
        child = project / "layouts" / "reminder-a5.yaml"
        child.write_text(child.read_text().replace("extends: handout-a4", "extends: base-a5"))
    if change == "site":
        args += ["--site", "sites/clinic.yaml"]
    if change == "course":
        args[6:7] = ["booklet-a5", "--course", "courses/class.yaml"]
    return [*args, "--out", "out"]


@pytest.mark.parametrize("change", [*CHANGES, "date"])
def test_a_changed_input_is_rebuilt(scratch_small, change):
    """Each input that shapes the PDF: after an edit to it the next build rebuilds
    (before it, the build skips the PDF as current)."""
    args = prepare(scratch_small, change)
    assert [r["status"] for r in build_json(*args, cwd=scratch_small)] == ["built"]
    assert [r["status"] for r in build_json(*args, cwd=scratch_small)] == ["current"]
    env = None
    if change == "date":
        env = {"SOURCE_DATE_EPOCH": "1700000000"}
    else:
        rel, old, new = CHANGES[change]
        path = scratch_small / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert [r["status"] for r in build_json(*args, cwd=scratch_small, env=env)] == ["built"]


# ----------------------------------------------------------------- preview
@pytest.fixture(scope="module")
def handout_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("preview")
    (report,) = small_build(out, "--lang", "en", "--layout", "handout-a4")
    return Path(report["output"])


@pytest.mark.parametrize("dpi, gray", [(None, False), ("50", False), ("36", True)])
def test_preview_writes_a_png_per_page(tmp_path, handout_pdf, dpi, gray):
    args = ["preview", str(handout_pdf), "--out", str(tmp_path)]
    args += ["--dpi", dpi] if dpi else []
    args += ["--gray"] if gray else []
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    pngs = [Path(line) for line in result.stdout.splitlines()]
    assert pngs == [tmp_path / f"{handout_pdf.stem}-{n}.png" for n in (1, 2)]
    scale = int(dpi or 100) / 72  # the default is 100 dpi
    for png in pngs:
        with Image.open(png) as image:
            assert image.format == "PNG"
            width, height = image.size  # pdfium rounds up to whole pixels
            assert width == pytest.approx(210 * MM * scale, abs=1), image.size
            assert height == pytest.approx(297 * MM * scale, abs=1), image.size
            assert (image.mode == "L") is gray, image.mode
            if not gray:  # the accent colour of the headings is there
                _low, high = image.convert("RGB").convert("HSV").getextrema()[1]
                assert high > 100  # saturation: some pixel has colour


def test_preview_writes_beside_the_pdf_by_default(tmp_path, handout_pdf):
    pdf = tmp_path / "copy.pdf"
    shutil.copy(handout_pdf, pdf)
    result = run_cli("preview", str(pdf), "--dpi", "30")
    assert result.stdout.splitlines() == [
        str(tmp_path / "copy-1.png"),
        str(tmp_path / "copy-2.png"),
    ]
    assert all(Path(p).is_file() for p in result.stdout.splitlines())


@pytest.mark.parametrize(
    "content, message", [(None, "PDF not found"), (b"%PDF-1.4 no", "not a readable PDF")]
)
def test_preview_of_a_missing_or_broken_file_is_one_line(tmp_path, content, message):
    pdf = tmp_path / "x.pdf"
    if content is not None:
        pdf.write_bytes(content)
    result = run_cli("preview", str(pdf), "--out", str(tmp_path))
    assert result.returncode == 1 and result.stdout == ""
    assert (
        result.stderr.startswith(f"error: {pdf}: {message}")
        and len(result.stderr.splitlines()) == 1
    )
    assert not list(tmp_path.glob("*.png"))


# ----------------------------------------------------------------- check
def break_persian(project: Path) -> None:
    fa = project / "handouts" / SMALL_TOPIC / "fa.yaml"
    fa.write_text(
        fa.read_text(encoding="utf-8").replace("\ntitle:", "\ntitel:", 1), encoding="utf-8"
    )


def test_check_topic_and_lang_choose_what_is_checked(scratch_small):
    ok = run_cli("check", cwd=scratch_small)
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "ok: no problems found\n", "")
    break_persian(scratch_small)
    for args in ((), ("--topic", SMALL_TOPIC), ("--lang", "fa")):
        bad = run_cli("check", *args, cwd=scratch_small)
        assert bad.returncode == 1 and bad.stdout == "", args
        message = r"unknown key 'titel' \(did you mean 'title'\?\)"
        assert re.fullmatch(rf"error: handouts/desk-breaks/fa\.yaml:\d+:1: {message}\n", bad.stderr)
    for args in (("--topic", "infant-massage"), ("--lang", "en")):  # fa is not looked at
        fine = run_cli("check", *args, cwd=scratch_small)
        assert (fine.returncode, fine.stdout) == (0, "ok: no problems found\n"), (args, fine.stderr)


def test_check_warns_about_untranslated_strings(scratch_small):
    fa = scratch_small / "handouts" / SMALL_TOPIC / "fa.yaml"
    fa.write_text(
        fa.read_text(encoding="utf-8").replace("  scan_to_watch: >-\n    ببینید\n", ""),
        encoding="utf-8",
    )
    result = run_cli("check", cwd=scratch_small)
    assert result.returncode == 0 and result.stdout == "ok: no problems found\n"
    assert result.stderr == "warning: desk-breaks/fa: 1 strings fall back to en\n"


@pytest.mark.parametrize("option", ["--site", "--course"])
def test_check_site_and_course_files_given_on_the_command_line(tmp_path, option):
    """Files outside the project are checked when named; a typo is reported with its
    line and a suggestion, exit 1."""
    if option == "--site":
        source, typo, fixed = "sites/clinic.yaml", "leaflet_cod:", "leaflet_code:"
    else:
        source, typo, fixed = "courses/class.yaml", "venu:", "venue:"
    good = tmp_path / Path(source).name
    shutil.copy(SMALL_PROJECT / source, good)
    if option == "--site":
        shutil.copy(SMALL_PROJECT / "sites" / "clinic-logo.svg", tmp_path)
    fine = run_cli(*PROJECT, "check", option, str(good), cwd=tmp_path)
    assert (fine.returncode, fine.stdout) == (0, "ok: no problems found\n"), fine.stderr
    text = good.read_text(encoding="utf-8")
    good.write_text(text.replace(fixed, typo, 1), encoding="utf-8")
    line = next(n for n, ln in enumerate(good.read_text().splitlines(), 1) if typo in ln)
    bad = run_cli(*PROJECT, "check", option, str(good), cwd=tmp_path)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    key = typo.rstrip(":")
    assert f"{good.name}:{line}:" in bad.stderr and f"unknown key '{key}'" in bad.stderr, bad.stderr
    assert f"did you mean '{fixed.rstrip(':')}'" in bad.stderr


# ----------------------------------------------------------------- schema
def test_schema_writes_the_file_kinds_and_check_finds_stale_ones(scratch_small):
    result = run_cli("schema", cwd=scratch_small)  # default: the project's schemas/
    folder = scratch_small / "schemas"
    kinds = ["course", "language", "layout", "project", "site", "topic"]
    assert sorted(result.stdout.splitlines()) == [
        f"wrote {folder / f'{k}.schema.json'}" for k in kinds
    ]
    for kind in kinds:
        shipped = (ROOT / "schemas" / f"{kind}.schema.json").read_bytes()
        assert (folder / f"{kind}.schema.json").read_bytes() == shipped
    assert run_cli("schema", cwd=scratch_small).stdout == f"up to date: {folder}\n"
    current = run_cli("schema", "--check", cwd=scratch_small)
    assert (current.returncode, current.stdout) == (0, "ok: schemas are up to date\n")
    (folder / "layout.schema.json").write_text("{}\n")
    (folder / "site.schema.json").unlink()
    stale = run_cli("schema", "--check", "--out", str(folder), cwd=ROOT)
    assert stale.returncode == 1 and stale.stdout == ""
    assert (
        stale.stderr
        == "error: out of date: layout.schema.json, site.schema.json; run makebook schema\n"
    )
    assert (folder / "layout.schema.json").read_text() == "{}\n"  # --check writes nothing


def test_the_repository_schemas_are_current():
    result = run_cli("schema", "--check")
    assert (result.returncode, result.stdout) == (0, "ok: schemas are up to date\n")


# ----------------------------------------------------------------- lang (more in test_translators)
def test_lang_status_json_matches_its_schema_and_the_table():
    data = validated(
        run_cli(*PROJECT, "lang", "status", "--topic", SMALL_TOPIC, "--json").stdout, "lang-status"
    )
    assert data["topic"] == SMALL_TOPIC and [row["code"] for row in data["languages"]] == [
        "en",
        "fa",
    ]
    en, fa = data["languages"]
    assert en["source"] and not fa["source"] and en["total"] == fa["total"] == fa["translated"]
    assert Path(fa["file"]) == SMALL_PROJECT / "handouts" / SMALL_TOPIC / "fa.yaml"
    table = run_cli(*PROJECT, "lang", "status", "--topic", SMALL_TOPIC).stdout.splitlines()
    assert re.fullmatch(r"lang\s+status\s+done\s+missing\s+stale\s+unmarked\s+reviewer", table[0])
    assert re.fullmatch(r"en\s+source\s+100%\s+0\s+0\s+0\s+Test Reviewer \(2026-01-02\)", table[1])
    assert re.fullmatch(r"fa\s+draft\s+100%\s+0\s+0\s+0\s+-", table[2]) and len(table) == 3


def test_lang_status_lists_every_topic_and_other_commands_find_the_one_with_the_language(
    scratch_small,
):
    """Several topics: `lang status` shows each; a command naming a language works on the
    one topic that has it, and asks for --topic when several have it or none was named."""
    topics = sorted(
        [SMALL_TOPIC, *(p.parent.name for p in (ROOT / "handouts").glob("*/topic.yaml"))]
    )
    status = run_cli("lang", "status", cwd=scratch_small)
    assert status.returncode == 0, status.stderr
    assert [ln for ln in status.stdout.splitlines() if ln.startswith("topic ")] == [
        f"topic {t}" for t in topics
    ]
    new = run_cli("lang", "new", "tlh", "--topic", SMALL_TOPIC, "--name", "Klingon",
                  "--native-name", "tlhIngan Hol", cwd=scratch_small)  # fmt: skip
    assert f"then `makebook lang mark --topic {SMALL_TOPIC} tlh`" in new.stdout
    only_here = run_cli("lang", "export", "tlh", cwd=scratch_small)
    assert only_here.returncode == 0, only_here.stderr
    assert (scratch_small / f"{SMALL_TOPIC}.tlh.po").is_file()
    as_json = run_cli("lang", "status", "--json", "tlh", cwd=scratch_small)
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["topic"] == SMALL_TOPIC
    both = run_cli("lang", "mark", "en", cwd=scratch_small)
    listed = ", ".join(topics)
    assert both.returncode == 1
    assert both.stderr == f"error: en is in several topics; choose one with --topic ({listed})\n"
    fresh = run_cli("lang", "new", "de", cwd=scratch_small)
    assert fresh.stderr == f"error: several topics; choose one with --topic ({listed})\n"


def test_lang_new_takes_names_and_direction(scratch_small):
    args = ("lang", "new", "tlh", "--topic", SMALL_TOPIC, "--name", "Klingon")
    args += ("--native-name", "tlhIngan Hol", "--direction", "rtl")
    result = run_cli(*args, cwd=scratch_small)
    assert result.returncode == 0, result.stderr
    path = scratch_small / "handouts" / SMALL_TOPIC / "tlh.yaml"
    assert result.stdout.startswith(f"created {path}: ")
    meta = json.loads(run_cli("list", "--json", cwd=scratch_small).stdout)["topics"][SMALL_TOPIC]
    assert meta["languages"]["tlh"] == {
        "name": "Klingon",
        "native_name": "tlhIngan Hol",
        "direction": "rtl",
        "status": "draft",
        "percent_translated": 0,
    }


def test_lang_export_writes_a_po_file_named_after_topic_and_language(tmp_path):
    import polib

    result = run_cli(*PROJECT, "lang", "export", "fa", "--topic", SMALL_TOPIC, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == f"{SMALL_TOPIC}.fa.po\n"
    po = polib.pofile(str(tmp_path / f"{SMALL_TOPIC}.fa.po"))
    assert po.metadata["Language"] == "fa" and po.percent_translated() == 100
    entry = next(e for e in po if e.msgctxt == "stop-now.numb")
    assert entry.msgid == "Sudden weakness or numbness on one side"


# ----------------------------------------------------------------- the reference is covered
def readme_reference() -> list[str]:
    """The command lines of README's command reference table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("## Command reference", 1)[1].split("\n\n", 2)[1]
    return re.findall(r"^\| `(makebook [^`]+)`", table, flags=re.M)


def click_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    """(command path, its option names) for every command of the CLI."""
    for name, command in group.commands.items():
        path = (*prefix, name)
        if isinstance(command, click.Group):
            yield from click_commands(command, path)
        else:
            options = [o for p in command.params if isinstance(p, click.Option) for o in p.opts]
            yield path, options


def reference_commands() -> list[tuple[tuple[str, ...], list[str]]]:
    """(command path, options) of each command README's reference shows."""
    found = []
    for line in readme_reference():
        words = line.removeprefix("makebook ").replace("\\|", "|")
        if words.startswith("lang "):
            for alternative in words.removeprefix("lang ").split(" | "):
                found.append(
                    (("lang", alternative.split()[0]), re.findall(r"--[a-z-]+", alternative))
                )
        else:
            found.append(((words.split()[0],), re.findall(r"--[a-z-]+", words)))
    return found


def test_every_command_and_option_in_the_reference_exists():
    known = dict(click_commands(makebook.cli))
    reference = reference_commands()
    assert {command for command, _o in reference} >= {("build",), ("lang", "import"), ("schema",)}
    assert len(reference) >= 7 + 6  # the parser found the rows (and the lang sub-commands)
    for command, options in reference:
        assert command in known, command
        for option in options:
            assert option in known[command], (command, option)


def _literals(functions: dict[str, ast.FunctionDef], name: str, seen: set[str]) -> set[str]:
    """String literals of a function and of the module's functions it calls."""
    seen.add(name)
    words = set()
    for node in ast.walk(functions[name]):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            words.add(node.value)
        called = (
            node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) else ""
        )
        if called in functions and called not in seen:
            words |= _literals(functions, called, seen)
    return words


def arguments_of_tests() -> list[set[str]]:
    """For each test function in tests/, the string literals it passes on: its own and
    those of the helper functions of its module that it calls (and they call)."""
    found = []
    for path in (ROOT / "tests").glob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        found += [
            _literals(functions, name, set()) for name in functions if name.startswith("test_")
        ]
    return found


def test_every_command_and_option_has_a_cli_test():
    """Each command of the CLI, with each of its options, is run by some test: one test
    function (with the helpers it calls) names the command and the option."""
    tests = arguments_of_tests()
    missing = []
    for command, options in click_commands(makebook.cli):
        runs = [words for words in tests if set(command) <= words]
        missing += [] if runs else [" ".join(command)]
        missing += [f"{' '.join(command)} {o}" for o in options if not any(o in w for w in runs)]
    for word in ("--project", "MAKEBOOK_PROJECT", "--version"):
        missing += [] if any(word in w for w in tests) else [word]
    assert not missing, missing
