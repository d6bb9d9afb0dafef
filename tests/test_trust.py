"""Trust (issue 10): no silent wrong output, no file the tool may not touch, every hostile
input a clear error.

The same style as test_hostile.py: a scratch copy of the test project (tests/project: its
made-up topic, site, course and layout), the command as a user types it (`run_cli`), the
exit code, a message naming the file, earlier outputs byte-identical and no temp file left.
Nothing here depends on the shipped topics' wording. Sections follow the issue's "Build"
list; the tests marked "Why:" are the examples of its "Why" list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from printshop.catalog.jobs import fonts_for
from printshop.content.document import SiteInfo
from printshop.content.layouts import load_layout
from printshop.layout.pages import FOOTER_SLOT_GAP, MIN_FOOTER_SIZE, Furniture
from printshop.layout.registry import registry
from printshop.layout.textbox import TextBox
from printshop.project import Project, builtin_root

from .conftest import ROOT, SMALL_PROJECT, SMALL_TOPIC, reported_output, run_cli
from .pdfcheck import find_chars, page_chars, page_texts
from .test_hostile import (
    EN,
    FA,
    LOGO,
    SITE,
    TOPIC,
    TOPIC_FILE,
    assert_clean_error,
    build,
    built_pdf,
    edit,
)

COURSE = "courses/class.yaml"
SITE_NAME = "Test Clinic, Example Street"  # the name in sites/clinic.yaml
MANIFEST = Path("out/.makebook/manifest.json")


def build_layout(project: Path, layout: str, *extra: str, lang: str = "en"):
    """The test topic in one layout and language, into the project's out/."""
    args = ["build", "--topic", SMALL_TOPIC, "--layout", layout, "--lang", lang, "--out", "out"]
    return run_cli(*args, *extra, cwd=project)


@pytest.fixture()
def outside(tmp_path_factory) -> Path:
    """A folder outside the scratch project (which is the test's own tmp_path)."""
    return tmp_path_factory.mktemp("outside")


def manifest(project: Path) -> dict:
    return json.loads((project / MANIFEST).read_text(encoding="utf-8"))["files"]


def manifest_key(project: Path, pdf: Path) -> str:
    """The manifest's name for a file under out/."""
    return pdf.relative_to(project / "out").as_posix()


def snapshot(project: Path) -> dict[Path, bytes]:
    """Every file under out/ (the manifest and lock included) and its bytes."""
    out = project / "out"
    return {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def pdfs(project: Path) -> list[Path]:
    """Every PDF under out/."""
    return sorted((project / "out").rglob("*.pdf"))


def no_temp_files(project: Path) -> bool:
    return not [p for p in project.rglob("*.tmp")]


def site_file(project: Path, stem: str, **values: str) -> Path:
    """A site file `sites/<name>.yaml`: the test project's, with some keys changed."""
    text = (project / SITE).read_text(encoding="utf-8")
    for key, value in values.items():
        text, found = re.subn(rf"(?m)^{key}: .*$", lambda _m, k=key, v=value: f"{k}: {v}", text)
        assert found == 1, f"{key} not in {SITE}"
    path = project / "sites" / f"{stem}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def set_persian(project: Path, key: str, value: str | None) -> None:
    """Give a top-level or section key of the Persian file a one-line value, or remove it
    (None): the key's line and the folded text under it."""
    path = project / FA
    indent = "  " * key.count(".")
    name = key.rsplit(".", 1)[-1]
    pattern = rf"\n{indent}{re.escape(name)}: >-\n{indent}  [^\n]*"
    replacement = "" if value is None else f"\n{indent}{name}: {value}"
    text, found = re.subn(pattern, lambda _m: replacement, path.read_text(encoding="utf-8"))
    assert found == 1, f"{key} not found in {FA}"
    path.write_text(text, encoding="utf-8")


# ----------------------------------------------------------------- 1. glyphs, fonts
def test_lang_new_warns_at_once_when_no_font_has_the_script(scratch_small):
    result = run_cli("lang", "new", "--topic", SMALL_TOPIC, "hy", cwd=scratch_small)
    assert result.returncode == 0, result.stderr
    assert (scratch_small / TOPIC / "hy.yaml").is_file()
    assert re.search(
        r"warning: hy: .+ is written in Armenian script, which no bundled font "
        r"covers.*docs/fonts\.md",
        result.stderr,
    ), result.stderr
    quiet = run_cli("lang", "new", "--topic", SMALL_TOPIC, "fr", cwd=scratch_small)
    assert quiet.returncode == 0 and "warning" not in quiet.stderr, quiet.stderr


def test_fonts_doc_exists_and_names_the_table():
    text = (ROOT / "docs" / "fonts.md").read_text(encoding="utf-8")
    assert "fonts.yaml" in text and "assets/fonts" in text and ".ttf" in text


def test_why_emoji_in_the_ward_name_fails_the_document(built_small):
    """Why: an emoji in the ward's name printed as nothing, with 'built' and exit 0."""
    project, pdf, before = built_small
    site_file(project, "emoji", name='"Test Clinic \U0001f476"')
    result = build(project, "--site", "sites/emoji.yaml")
    assert_clean_error(result, r"sites/emoji\.yaml", "symbols or emoji", "no bundled font")
    assert pdf.read_bytes() == before
    assert pdfs(project) == [pdf]  # nothing written under the site's name either


# ----------------------------------------------------------------- 1b. RTL fallback
def test_why_english_fallback_in_rtl_keeps_its_full_stop_at_its_end(scratch_small):
    """Why: an English string falling back inside Arabic printed its punctuation on the
    wrong end (here Persian: the same script and direction). The sentence is drawn left to
    right, its full stop right of 'instead'."""
    set_persian(scratch_small, "careful.pain", None)
    pdf, report = built_pdf(scratch_small, lang="fa")
    # the fallback is said, as before
    assert any("strings not translated" in w for w in report["warnings"]), report
    chars = [c for page in page_chars(pdf) for c in page]
    # en.yaml, careful.pain: "Stop any move that hurts and rest instead."
    word = find_chars(chars, "instead")  # an LTR run: left to right in either text order
    assert [c.text for c in word] == list("instead"), "the English fallback is not on the page"
    assert all(a.left < b.left for a, b in zip(word, word[1:], strict=False)), word
    stops = [c for c in chars if c.text == "." and abs(c.bottom - word[-1].bottom) < 1]
    assert any(0 <= stop.left - word[-1].right < 3 for stop in stops), (
        f"no full stop right after 'instead' (x={word[-1].right:.1f}); "
        f"full stops on its line at x={[round(stop.left, 1) for stop in stops]}"
    )


# ----------------------------------------------------------------- 2. one meaning per output
def test_why_site_build_and_plain_build_do_not_replace_each_other(built_small):
    """Why: a build with --site and one without wrote the same file name."""
    project, pdf, before = built_small
    result = build(project, "--site", SITE)
    assert result.returncode == 0, result.stderr
    name = f"{SMALL_TOPIC}/en/handout-a4-site-clinic.pdf"
    branded = project / "out" / name
    assert f"built  {Path('out') / name}" in result.stdout, result.stdout
    assert pdf.read_bytes() == before  # the plain one is untouched
    assert SITE_NAME in " ".join(page_texts(branded))
    assert "Test Clinic" not in " ".join(page_texts(pdf))
    entry = manifest(project)[name]
    assert entry["site"] == {
        "file": SITE,
        "name": SITE_NAME,
        "leaflet_code": "TST-01",
        "revision_date": "2026-03-04",
    }
    assert entry["sha256"] == hashlib.sha256(branded.read_bytes()).hexdigest()
    assert (entry["kind"], entry["pages"], entry["marks"]) == ("handout", 2, False)


def test_why_marks_and_course_booklets_get_their_own_names(scratch_small):
    """Why: --marks replaced the office-printer booklet; a course booklet replaced the
    catalog booklet. Each has its own name; the summary lists the imposed copies too."""
    plain = build_layout(scratch_small, "booklet-a5")
    assert plain.returncode == 0, plain.stderr
    before = snapshot(scratch_small)
    marks = build_layout(scratch_small, "booklet-a5", "--marks")
    course = build_layout(scratch_small, "booklet-a5", "--course", COURSE)
    for result in (marks, course):
        assert result.returncode == 0, result.stderr
    folder = scratch_small / "out" / SMALL_TOPIC / "en"
    names = sorted(p.name for p in folder.iterdir() if p.is_file())
    assert names == [
        "booklet-a5-course-class-imposed.pdf",
        "booklet-a5-course-class.pdf",
        "booklet-a5-imposed.pdf",
        "booklet-a5-print-shop-imposed.pdf",
        "booklet-a5-print-shop.pdf",
        "booklet-a5.pdf",
    ]
    for path, data in before.items():
        if path.suffix == ".pdf":
            assert path.read_bytes() == data, path  # the office-printer booklet survives
    assert "booklet-a5-print-shop-imposed.pdf (imposed" in marks.stdout
    assert "booklet-a5-course-class-imposed.pdf (imposed" in course.stdout
    shop = PdfReader(str(folder / "booklet-a5-print-shop.pdf")).pages[0]
    office = PdfReader(str(folder / "booklet-a5.pdf")).pages[0]
    assert float(shop.mediabox.width) > float(office.mediabox.width)  # bleed
    files = manifest(scratch_small)
    imposed = files[f"{SMALL_TOPIC}/en/booklet-a5-print-shop-imposed.pdf"]
    assert imposed["kind"] == "imposed" and imposed["marks"] is True
    assert files[f"{SMALL_TOPIC}/en/booklet-a5-course-class.pdf"]["course"] == COURSE


def test_json_summary_lists_every_file_written(scratch_small):
    result = build_layout(scratch_small, "booklet-a5", "--json")
    assert result.returncode == 0, result.stderr
    (entry,) = json.loads(result.stdout)
    assert [(Path(f["path"]).name, f["kind"]) for f in entry["files"]] == [
        ("booklet-a5.pdf", "booklet"),
        ("booklet-a5-imposed.pdf", "imposed"),
    ]
    (again,) = json.loads(build_layout(scratch_small, "booklet-a5", "--json").stdout)
    assert again["status"] == "current" and again["pages"] == entry["pages"]
    assert again["files"] == entry["files"]


def test_why_index_lists_every_run_not_only_the_last(built_small):
    """Why: out/index.html listed only the last run."""
    project, pdf, _before = built_small
    persian, _report = built_pdf(project, lang="fa")
    index = (project / "out/index.html").read_text(encoding="utf-8")
    assert manifest_key(project, pdf) in index
    assert manifest_key(project, persian) in index
    persian.unlink()  # a file gone is no longer listed
    branded, _report = built_pdf(project, "--site", SITE)
    index = (project / "out/index.html").read_text(encoding="utf-8")
    assert manifest_key(project, persian) not in index
    assert manifest_key(project, branded) in index


def test_a_file_changed_since_makebook_wrote_it_is_not_replaced(built_small):
    project, pdf, before = built_small
    pdf.write_bytes(before + b"% annotated by hand\n")
    edit(project, EN, "title: Desk breaks", "title: Desk breaks for everyone")
    result = build(project)
    where = re.escape(pdf.relative_to(project).as_posix())
    assert_clean_error(result, where, "was changed since", col=False)
    assert pdf.read_bytes() == before + b"% annotated by hand\n"
    assert no_temp_files(project)


def test_two_site_files_with_one_file_name_are_refused(built_small):
    """sites/a/ward.yaml and sites/b/ward.yaml both make '-site-ward': the second build
    is refused, never a silent replacement of the first ward's leaflet."""
    project, pdf, _before = built_small
    logo = (project / "sites" / "clinic-logo.svg").read_bytes()
    for folder, name in (("a", '"Ward A"'), ("b", '"Ward B"')):
        path = site_file(project, "x", name=name)
        (project / "sites" / folder).mkdir()
        path.rename(project / "sites" / folder / "ward.yaml")
        (project / "sites" / folder / "clinic-logo.svg").write_bytes(logo)
    first, _report = built_pdf(project, "--site", "sites/a/ward.yaml")
    assert first.name == f"{pdf.stem}-site-ward.pdf"
    data = first.read_bytes()
    result = build(project, "--site", "sites/b/ward.yaml")
    assert_clean_error(
        result, r"handout-a4-site-ward\.pdf", "holds another build", "sites/a/ward.yaml", col=False
    )
    assert first.read_bytes() == data


def test_up_to_date_check_hashes_only_what_the_document_uses(scratch_small):
    """Files the document does not use change nothing; its layout (the test project's
    own, edited in place) does."""
    project = scratch_small
    pdf, _report = reported_output(project, build_layout(project, "reminder-a5", "--json"))
    before = pdf.read_bytes()
    (project / "sites" / "unrelated.txt").write_text("a note")
    (project / "courses" / "other.yaml").write_text("instructor: {name: X}\n")
    result = build_layout(project, "reminder-a5")
    assert "up to date" in result.stdout and "1 up to date" in result.stdout, result.stdout
    edit(project, FA, "\ntitle:", "\n# a comment\ntitle:")  # another language
    assert "1 up to date" in build_layout(project, "reminder-a5").stdout
    edit(project, "layouts/reminder-a5.yaml", "heading: 13", "heading: 12.5")
    rebuilt = build_layout(project, "reminder-a5")
    assert "1 built" in rebuilt.stdout, rebuilt.stdout
    assert pdf.read_bytes() != before


def test_manifest_is_written_atomically_and_locked(built_small):
    project, pdf, _before = built_small
    home = project / "out/.makebook"
    assert sorted(p.name for p in home.iterdir()) == ["lock", "manifest.json"]
    data = json.loads((home / "manifest.json").read_text(encoding="utf-8"))
    assert data["format"] == 1
    key = manifest_key(project, pdf)
    folder, stem = key.rsplit("/", 1)[0], key.rsplit("/", 1)[1].removesuffix(".pdf")
    fonts = {name for name in data["files"] if name.startswith("fonts/")}  # web version's
    assert {data["files"][name]["kind"] for name in fonts} == {"font", "licence"}
    assert set(data["files"]) - fonts == {
        "index.html",
        key,
        f"{folder}/{stem}.html",  # its web version
        f"{folder}/thumbnails/{stem}.png",  # page 1 on the catalog page
    }


def test_damaged_manifest_is_a_clear_error(built_small):
    project, pdf, before = built_small
    (project / MANIFEST).write_text("{not json")
    result = build(project, "--force")
    assert_clean_error(result, r"manifest\.json", "is damaged", col=False)
    assert pdf.read_bytes() == before


def test_bilingual_equal_to_lang_is_refused(scratch_small):
    result = build(scratch_small, "--bilingual", "en")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "--bilingual en is also a --lang" in result.stderr
    assert not (scratch_small / "out").exists()


def test_course_with_a_handout_layout_is_refused(scratch_small):
    result = build(scratch_small, "--course", COURSE)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "--course is for booklets; 'handout-a4' is a handout layout" in result.stderr
    assert "booklet-a5" in result.stderr
    marks = build(scratch_small, "--marks")
    assert marks.returncode == 1 and "--marks is for booklets" in marks.stderr


@pytest.mark.parametrize(
    "dates, fragment",
    [
        ("[2099-01-19, 2099-01-12]", "comes before the date above it"),
        ("[2099-01-12, 2099-01-12]", "is listed twice"),
        ("[2001-01-12, 2099-01-12]", "2001-01-12 is in the past"),
    ],
    ids=["unsorted", "twice", "past"],
)
def test_course_dates_that_look_wrong_are_warnings(scratch_small, dates, fragment):
    edit(scratch_small, COURSE, "dates: [", f"dates: {dates} # [")
    result = build_layout(scratch_small, "booklet-a5", "--course", COURSE)
    assert result.returncode == 0, result.stderr
    assert re.search(
        rf"warning: courses/class\.yaml:\d+:\d+: class date .*{fragment}", result.stderr
    ), result.stderr
    checked = run_cli("check", cwd=scratch_small)
    assert checked.returncode == 0 and fragment in checked.stderr, checked.stderr


# ----------------------------------------------------------------- 3. files where they belong
def _export(project: Path, *extra: str):
    return run_cli("lang", "export", "--topic", SMALL_TOPIC, "fa", *extra, cwd=project)


def test_why_po_header_topic_cannot_write_into_another_project(scratch_small, outside):
    """Why: `lang import` used the PO header's topic as a path."""
    assert _export(scratch_small, "--out", "fa.po").returncode == 0
    po = scratch_small / "fa.po"
    victim = outside / "victim"
    (victim / "handouts" / "x").mkdir(parents=True)
    own = f"X-Makebook-Topic: {SMALL_TOPIC}"
    assert own in po.read_text(encoding="utf-8")
    for header in ("../../victim/handouts/x", str(victim / "handouts" / "x"), f"{SMALL_TOPIC}/.."):
        po.write_text(
            po.read_text(encoding="utf-8").replace(own, f"X-Makebook-Topic: {header}"),
            encoding="utf-8",
        )
        before = {p: p.read_bytes() for p in scratch_small.rglob("*.yaml")}
        result = run_cli("lang", "import", "fa.po", cwd=scratch_small)
        assert_clean_error(result, r"fa\.po", "is not a topic of this project", col=False)
        assert {p: p.read_bytes() for p in scratch_small.rglob("*.yaml")} == before
        assert not list(victim.rglob("*.yaml"))
        named = run_cli("lang", "import", "fa.po", "--topic", SMALL_TOPIC, cwd=scratch_small)
        assert_clean_error(named, r"fa\.po", "this PO file is for topic", col=False)
        po.write_text(
            po.read_text(encoding="utf-8").replace(f"X-Makebook-Topic: {header}", own),
            encoding="utf-8",
        )


@pytest.mark.parametrize("target", [EN, TOPIC_FILE, "notes.po"])
def test_why_export_does_not_overwrite_a_file_it_did_not_make(scratch_small, target):
    """Why: `lang export --out` overwrote any file (a topic file, en.yaml, a device)."""
    path = scratch_small / target
    if not path.exists():
        path.write_text("my own notes\n")
    before = path.read_bytes()
    result = _export(scratch_small, "--out", target)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"(must name a \.po file|was not made by makebook)", result.stderr)
    assert path.read_bytes() == before
    if target.endswith(".po"):
        forced = _export(scratch_small, "--out", target, "--force")
        assert forced.returncode == 0 and b"X-Makebook-Topic" in path.read_bytes()


def test_export_never_writes_into_a_device_even_with_force(scratch_small):
    link = scratch_small / "null.po"
    link.symlink_to("/dev/null")
    result = _export(scratch_small, "--out", "null.po", "--force")
    assert_clean_error(result, r"null\.po", "is not a regular file", col=False)
    assert link.is_symlink()


def test_export_replaces_its_own_po_file(scratch_small):
    assert _export(scratch_small, "--out", "fa.po").returncode == 0
    assert _export(scratch_small, "--out", "fa.po").returncode == 0


def test_lang_new_refuses_to_replace_without_force(scratch_small):
    path = scratch_small / FA
    before = path.read_bytes()
    result = run_cli("lang", "new", "--topic", SMALL_TOPIC, "fa", cwd=scratch_small)
    assert_clean_error(result, r"fa\.yaml", "already exists", "--force", col=False)
    assert path.read_bytes() == before
    forced = run_cli("lang", "new", "--topic", SMALL_TOPIC, "fa", "--force", cwd=scratch_small)
    assert forced.returncode == 0, forced.stderr
    assert path.read_bytes() != before


def test_language_folder_linked_out_of_the_project_is_not_written(scratch_small, outside):
    elsewhere = outside / "elsewhere"
    elsewhere.mkdir()
    topic = scratch_small / TOPIC
    for path in topic.iterdir():
        path.rename(elsewhere / path.name)
    topic.rmdir()
    topic.symlink_to(elsewhere)
    result = run_cli("lang", "new", "--topic", SMALL_TOPIC, "fr", cwd=scratch_small)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "outside the project" in result.stderr, result.stderr
    assert not (elsewhere / "fr.yaml").exists()


def bytes_read() -> int | None:
    """What this process has read from files so far (Linux: /proc/self/io), else None."""
    try:
        io = Path("/proc/self/io").read_text(encoding="ascii")
    except OSError:
        return None
    return int(re.search(r"(?m)^rchar: (\d+)$", io).group(1))


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "link-out", "oversize"])
@pytest.mark.parametrize("where", ["language", "site", "logo", "course", "po"])
def test_why_special_linked_and_oversize_files_are_refused(scratch_small, outside, kind, where):
    """Why: files were read whole with no size cap: a link to /dev/zero beside the
    content, a FIFO, a 1 GB file beside the site file. Each is one line, at once."""
    rel = {
        "language": FA,
        "site": "sites/hostile.yaml",
        "logo": f"sites/{LOGO.removeprefix('logo: ')}",
        "course": "courses/hostile.yaml",
        "po": "hostile.po",
    }[where]
    path = scratch_small / rel
    secret = outside / "secret.yaml"
    secret.write_text("language: {code: fa}\n")
    if path.exists():
        path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "link-out":
        path.symlink_to(secret)
    else:
        with path.open("wb") as handle:
            handle.truncate(1_000_000_000)  # sparse: 1 GB on paper, nothing on disk
    build_args = ["build", "--topic", SMALL_TOPIC, "--out", "out"]
    handout = [*build_args, "--layout", "handout-a4"]
    command = {
        "language": [*handout, "--lang", "fa"],
        "site": [*handout, "--lang", "en", "--site", rel],
        "logo": [*handout, "--lang", "en", "--site", SITE],
        "course": [*build_args, "--lang", "en", "--layout", "booklet-a5", "--course", rel],
        "po": ["lang", "import", rel],
    }[where]
    before = bytes_read()
    result = run_cli(*command, cwd=scratch_small)
    if kind == "oversize" and before is not None:  # refused by its size, never read through
        read = bytes_read() - before
        assert read < 100_000_000, f"read {read:,} bytes for a 1 GB {where} file"
    if kind == "link-out" and where in ("site", "course", "po"):
        # named on the command line: the user's own choice of file, read as any other
        assert "Traceback" not in result.stderr
        return
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    name = re.escape(Path(rel).name)
    wanted = {
        "fifo": "named pipe",
        "dev-zero": "(a device|outside)",
        "link-out": "outside",
        "oversize": "too large",
    }[kind]
    assert re.search(rf"{name}.*{wanted}", result.stderr), result.stderr


# ----------------------------------------------------------------- 4. bounded
@pytest.mark.parametrize(
    "char, fragment",
    [
        ("\ue000", "U+E000 is a private-use character"),
        ("\U000f0001", "U+F0001 is a private-use character"),
        ("\ufdd0", "U+FDD0 is a Unicode non-character"),
        ("\U0001fffe", "U+1FFFE is a Unicode non-character"),
        ("\U000e0080", "U+E0080 is not assigned"),
    ],
    ids=["pua", "pua-plane-15", "noncharacter", "noncharacter-plane-1", "unassigned"],
)
def test_meaningless_code_points_are_refused_at_their_place(built_small, char, fragment):
    project, pdf, before = built_small
    edit(project, EN, "title: Desk breaks", f"title: Desk{char} breaks")
    result = build(project)
    assert_clean_error(result, r"en\.yaml", fragment)
    line = next(
        i for i, text in enumerate((project / EN).read_text().splitlines(), 1) if char in text
    )
    assert f"en.yaml:{line}:12: " in result.stderr, result.stderr  # the column of the char
    assert pdf.read_bytes() == before


def test_source_date_epoch_that_is_not_a_number_is_exit_1(built_small):
    project, pdf, before = built_small
    result = build(project, "--force", env={"SOURCE_DATE_EPOCH": "abc"})
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: SOURCE_DATE_EPOCH is 'abc'"), result.stderr
    assert pdf.read_bytes() == before


@pytest.fixture()
def handout_pdf(small_built) -> Path:
    """The test topic's English A4 handout, built once per worker (read, never written)."""
    return small_built[("en", "handout-a4")].job.path


@pytest.mark.parametrize("dpi", ["10", "601", "100000"])
def test_preview_dpi_is_bounded(handout_pdf, tmp_path, dpi):
    result = run_cli("preview", str(handout_pdf), "--dpi", dpi, "--out", "png", cwd=tmp_path)
    assert result.returncode == 1 and "not in the range 30<=x<=600" in result.stderr
    assert not (tmp_path / "png").exists()


def test_preview_of_a_giant_page_is_refused(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    pdf = tmp_path / "poster.pdf"
    canvas = Canvas(str(pdf), pagesize=(14400, 14400))  # 5 m square, the PDF maximum
    canvas.showPage()
    canvas.save()
    result = run_cli("preview", str(pdf), "--dpi", "300", cwd=tmp_path)
    assert_clean_error(result, r"poster\.pdf", "million pixels", "lower --dpi", col=False)
    assert not list(tmp_path.glob("*.png"))


def test_preview_does_not_overwrite_a_png_it_did_not_make(handout_pdf, tmp_path):
    mine = tmp_path / "png" / f"{handout_pdf.stem}-1.png"
    mine.parent.mkdir()
    mine.write_bytes(b"my photo")
    result = run_cli("preview", str(handout_pdf), "--dpi", "30", "--out", "png", cwd=tmp_path)
    assert_clean_error(result, re.escape(mine.name), "was not made by makebook", col=False)
    assert mine.read_bytes() == b"my photo"


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("title: " + "[" * 5000 + "]" * 5000, "nesting depth"),
        (
            "a0: &a0 [x, x]\n"
            + "".join(f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n" for i in range(1, 40)),
            "alias bomb",
        ),
    ],
    ids=["deep-flow", "doubling-aliases"],
)
def test_inputs_that_would_hang_or_grow_are_refused(scratch_small, text, fragment):
    (scratch_small / EN).write_text(text, encoding="utf-8")
    assert_clean_error(build(scratch_small), r"en\.yaml", fragment)


# ----------------------------------------------------------------- 5. limits and the footer
@pytest.mark.parametrize(
    "key, value, message",
    [
        ("name", '"' + "W" * 95 + '"', "name is 95 characters; the limit is 80"),
        ("phone", '"' + "1" * 41 + '"', "phone is 41 characters; the limit is 40"),
        ("leaflet_code", "A" * 25, "leaflet_code is 25 characters; the limit is 24"),
    ],
)
def test_why_documented_limits_are_enforced_as_the_value(scratch_small, key, value, message):
    """Why: an 80-character ward name was documented, 2,000 were accepted. The message
    names the value and the limit, at the value's line:col — not an overflow."""
    site_file(scratch_small, "long", **{key: value})
    result = build(scratch_small, "--site", "sites/long.yaml")
    line = next(
        i
        for i, text in enumerate((scratch_small / "sites/long.yaml").read_text().splitlines(), 1)
        if text.startswith(f"{key}:")
    )
    assert_clean_error(result, r"sites/long\.yaml", f"long.yaml:{line}:{len(key) + 3}: {message}")
    assert "overflows" not in result.stderr


def test_documented_limits_match_the_models():
    """docs/troubleshooting.md and the model say the same site limits."""
    from pydantic import TypeAdapter

    from printshop.content.models import Site

    doc = (ROOT / "docs" / "troubleshooting.md").read_text(encoding="utf-8")
    row = next(line for line in doc.splitlines() if line.startswith("| site name"))
    documented = [int(n) for n in re.findall(r"\d+", row.split("|")[2])[:3]]
    schema = TypeAdapter(Site).json_schema()["properties"]
    limits = []
    for key in ("name", "phone", "leaflet_code"):
        spec = schema[key]
        spec = next((s for s in spec.get("anyOf", [spec]) if s.get("type") == "string"), spec)
        limits.append(spec["maxLength"])
    assert documented == limits == [80, 40, 24], (documented, limits)


FOOTER_NAME = "Maternity and Neonatal Ward Seven, Saint Example University Teaching Hospital NH"
# Draft languages the test topic lacks, with the footer labels the shipped Vietnamese and
# Bengali translations use: a long leaflet label and date (Vietnamese), an Indic script
# (Bengali). Only the footer is read; every other string falls back to English.
FOOTER_LANGUAGES = {
    "vi": {
        "name": "Vietnamese",
        "native_name": "Tiếng Việt",
        "leaflet_code": "Tờ thông tin",
        "revised": "Cập nhật",
        "page_n_of_m": "Trang {n}/{total}",
        "draft_mark": "Bản nháp – chưa được nhân viên y tế kiểm tra",
    },
    "bn": {
        "name": "Bengali",
        "native_name": "বাংলা",
        "leaflet_code": "লিফলেট",
        "revised": "সংশোধিত",
        "page_n_of_m": "পৃষ্ঠা {n} / {total}",
        "draft_mark": "খসড়া – এখনো স্বাস্থ্যকর্মী যাচাই করেননি",
    },
}


def footer_language(project: Path, code: str) -> None:
    """A draft language file for the test topic that holds only footer labels."""
    spec = FOOTER_LANGUAGES[code]
    meta = {"code": code, "name": spec["name"], "native_name": spec["native_name"]}
    labels = {k: v for k, v in spec.items() if k not in meta}
    text = (
        "language:\n"
        + "".join(f"  {key}: {value}\n" for key, value in meta.items())
        + "  direction: ltr\n  status: draft\nui:\n"
        + "".join(
            f"  {key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in labels.items()
        )
    )
    (project / TOPIC / f"{code}.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "fa", "vi", "bn"])
@pytest.mark.parametrize("layout", ["handout-a4", "handout-letter"])
def test_why_footer_at_the_limits_never_overlaps_or_leaves_the_page(scratch_small, lang, layout):
    """Why: within the limits the footer overprinted itself and ran off the page. An
    80-character name, a 24-character leaflet code, a long localized date, LTR and RTL:
    no two footer characters overlap, and all are inside the text frame."""
    assert len(FOOTER_NAME) == 80
    if lang in FOOTER_LANGUAGES:
        footer_language(scratch_small, lang)
    site_file(
        scratch_small,
        "limits",
        name=f'"{FOOTER_NAME}"',
        leaflet_code="MAT-IM-0001/2026-REV-A.B",
        revision_date="2026-09-30",
    )
    result = build_layout(scratch_small, layout, "--site", "sites/limits.yaml", "--json", lang=lang)
    pdf, _report = reported_output(scratch_small, result)
    for chars in page_chars(pdf):
        low = sorted((c for c in chars if c.bottom < 50 and c.text.strip()), key=lambda c: c.left)
        assert low, "no footer found"
        width = float(PdfReader(str(pdf)).pages[0].mediabox.width)
        assert min(c.left for c in low) >= 20 and max(c.right for c in low) <= width - 20
        for a, b in zip(low, low[1:], strict=False):
            same_line = abs(a.bottom - b.bottom) < 2
            if same_line:
                assert b.left >= a.right - 0.6, (a, b)  # kerning, never overprinting
        assert FOOTER_NAME[:30] in " ".join(page_texts(pdf))
    if lang in FOOTER_LANGUAGES:  # the footer is in the language's own words, not English
        printed = "".join("".join(page_texts(pdf)).split())
        label = "".join(FOOTER_LANGUAGES[lang]["revised"].split())
        assert label in printed, printed[-200:]


def _furniture(layout_name: str, lang: str, direction: str, labels: dict[str, str]):
    project = Project(builtin_root(), SMALL_PROJECT)
    layout = load_layout(project.layout_file(layout_name), registry(), project.layout_file)
    from printshop.content.document import Document

    doc = Document(
        topic_id="t",
        lang=lang,
        direction=direction,
        is_draft=True,
        title="T",
        subtitle="",
        intro="",
        sections=(),
        references=(),
        art={},
        labels={
            "leaflet_code": "Leaflet",
            "revised": "Revised",
            "page_n_of_m": "Page {n} of {total}",
            "draft_mark": "Draft",
            **labels,
        },
        site=SiteInfo(
            name=FOOTER_NAME,
            leaflet_code="MAT-IM-0001/2026-REV-A.B",
            revision_date=dt.date(2026, 9, 30),
        ),
    )
    return Furniture(doc, layout, fonts_for(project)), layout


@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_footer_slots_wrap_at_the_smallest_size_rather_than_overlap(direction):
    """Labels long enough that even the smallest size (6 pt, or the layout's `smallest`)
    cannot hold the slots side by side: the widest slot wraps onto a second line; boxes
    never overlap and stay inside the frame."""
    furniture, layout = _furniture(
        "handout-a4", "en", direction, {"revised": "Revised and approved by the committee on"}
    )
    placed = furniture.footer(2, 2)
    texts = [(box, x, y) for box, x, y in placed if isinstance(box, TextBox)]
    row = [t for t in texts if t[0].text != "Draft"]
    floor = max(MIN_FOOTER_SIZE, layout.type.smallest)
    assert min(box.style.size for box, _x, _y in row) == floor
    assert any(box.lines_count == 2 for box, _x, _y in row)
    spans = []
    for box, x, _y in row:
        lines = box.placed_lines()
        left = min(x + p.x for p in lines)
        right = max(x + p.x + p.line.width for p in lines)
        spans.append((left, right))
    spans.sort()
    left_edge = min(s[0] for s in spans)
    right_edge = max(s[1] for s in spans)
    width = layout.page_size[0]
    assert left_edge >= layout.margins.inner - 0.01
    assert right_edge <= width - layout.margins.outer + 0.01
    for (_l1, r1), (l2, _r2) in zip(spans, spans[1:], strict=False):
        assert l2 - r1 >= FOOTER_SLOT_GAP - 0.01


def test_footer_that_cannot_fit_is_a_clear_error():
    from printshop.errors import UserError

    furniture, _layout = _furniture("handout-a4", "en", "ltr", {"revised": "Revised " * 60})
    with pytest.raises(UserError, match="the footer does not fit across the page"):
        furniture.footer(1, 2)


# ----------------------------------------------------------------- 6. clear words
def test_when_index_cannot_be_written_the_documents_errors_are_still_printed(scratch_small):
    edit(scratch_small, FA, "\ntitle:", "\ntitel:")
    (scratch_small / "out").mkdir()
    (scratch_small / "out/index.html").write_text("<h1>my page</h1>")
    result = build(scratch_small, "--lang", "fa")  # en and fa
    assert result.returncode == 1
    assert "unknown key 'titel'" in result.stderr  # the document's own error
    assert "index.html: exists and makebook did not write it" in result.stderr
    assert "built  " in result.stdout  # and the good document is reported as built
    assert (scratch_small / "out/index.html").read_text() == "<h1>my page</h1>"


# ----------------------------------------------------------------- 7. a fresh round
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_site_file_in_utf16_or_utf32_with_a_bom_is_read(scratch_small, encoding):
    text = (scratch_small / SITE).read_text(encoding="utf-8")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    (scratch_small / SITE).write_bytes(data)
    pdf, _report = built_pdf(scratch_small, "--site", SITE)
    assert SITE_NAME in " ".join(page_texts(pdf))


def test_latin1_file_names_the_byte_and_the_fix(scratch_small):
    path = scratch_small / SITE
    text = path.read_bytes()
    path.write_bytes(text.replace(b"Test Clinic", "Tést Clinic".encode("latin-1")))
    assert path.read_bytes() != text
    result = build(scratch_small, "--site", SITE)
    assert_clean_error(result, r"clinic\.yaml", "byte 0xe9 is not UTF-8", "save the file as UTF-8")


def test_po_file_in_latin1_or_utf16(scratch_small):
    assert _export(scratch_small, "--out", "fa.po").returncode == 0
    po = scratch_small / "fa.po"
    text = po.read_text(encoding="utf-8")
    po.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    result = run_cli("lang", "import", "fa.po", cwd=scratch_small)
    assert result.returncode == 0, result.stderr
    latin1 = text.encode("utf-8").replace(b"Desk breaks", "Désk breaks".encode("latin-1"), 1)
    assert b"\xe9" in latin1
    po.write_bytes(latin1)
    bad = run_cli("lang", "import", "fa.po", cwd=scratch_small)
    assert_clean_error(bad, r"fa\.po", "is not UTF-8", col=False)


def _svg(body: str, attrs: str = 'viewBox="0 0 40 40"') -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" {attrs}>{body}</svg>'


@pytest.mark.parametrize(
    "svg, fragment",
    [
        (_svg('<rect width="10" height="10" stroke="#000" stroke-width="1e7"/>'), "too large"),
        (
            _svg('<g transform="scale(1000)">' * 30 + '<rect width="1" height="1"/>' + "</g>" * 30),
            "scale the drawing by more than",
        ),
        (_svg("<g>" * 10000 + "</g>" * 10000), "nested deeper than 256 levels"),
        (
            _svg('<rect width="10" height="10" transform="matrix(1e5 0 0 1e5 0 0)"/>'),
            "scale the drawing by more than",
        ),
        (_svg('<path d="M0 0L1e-400 5z"/><circle r="-5"/>'), None),
        (_svg('<rect width="1" height="1"/>', 'width="1e-300" height="1e-300"'), "too small"),
        (_svg('<rect width="5" height="5"/>', 'width="10" height="0.05"'), "times wider"),
        (_svg('<rect width="5" height="5" style="stroke-width:1e300"/>'), "too large"),
        (_svg('<style>rect{stroke-width:1e300}</style><rect width="5" height="5"/>'), "too large"),
        (_svg('<rect width="5" height="5" fill="#1e9999" style="fill:#1E9999"/>'), None),
        (_svg('<text x="0" y="20">שלום Ward</text>'), "convert the text to paths"),
    ],
    ids=[
        "huge-stroke",
        "nested-scale",
        "deep-groups",
        "big-matrix",
        "tiny-and-negative",
        "tiny-size",
        "thin-sliver",
        "style-attribute",
        "style-element",
        "hex-colour-like-a-number",
        "text-in-a-script-no-font-has",
    ],
)
def test_svg_tricks_give_a_clear_error_or_a_correct_pdf(built_small, svg, fragment):
    project, pdf, before = built_small
    (project / "sites" / "trick.svg").write_text(svg)
    edit(project, SITE, LOGO, "logo: trick.svg")
    result = build(project, "--site", SITE, *(["--json"] if fragment is None else []))
    assert "Traceback" not in result.stderr
    if fragment is None:
        branded, _report = reported_output(project, result)
        assert b"nan" not in branded.read_bytes().lower().replace(b"/nan", b"")
    else:
        assert_clean_error(result, r"sites/trick\.svg", fragment, col=False)
    assert pdf.read_bytes() == before


def test_symlinked_site_folder_builds_and_logo_links_inside_it_are_fine(built_small, outside):
    """A sites/ folder that is itself a link (a shared drive): the site named on the
    command line is the user's choice; its logo must still sit beside it."""
    project, _pdf, _before = built_small
    shared = outside / "shared-sites"
    (project / "sites").rename(shared)
    (project / "sites").symlink_to(shared)
    result = build(project, "--site", SITE)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", ["/etc/hostname", "../../../../etc/hostname"])
def test_absolute_and_dotdot_logo_paths_are_refused(scratch_small, path):
    edit(scratch_small, SITE, LOGO, f"logo: {path}")
    assert_clean_error(
        build(scratch_small, "--site", SITE), r"clinic\.yaml", "must stay inside sites/"
    )


def test_layout_linked_out_of_the_project_is_refused(scratch_small, outside):
    secret = outside / "private.yaml"
    target = scratch_small / "layouts/reminder-a5.yaml"  # the test project's own layout
    secret.write_text(target.read_text())
    target.unlink()
    target.symlink_to(secret)
    result = build_layout(scratch_small, "reminder-a5")
    assert_clean_error(result, r"reminder-a5\.yaml", "outside the project", col=False)


def test_output_folder_linked_out_is_not_written_through(built_small, outside):
    """out/<topic> replaced by a link to a folder elsewhere: nothing is written there."""
    project, pdf, _before = built_small
    topic_out = pdf.parent.parent
    topic_out.rename(outside / "moved")
    topic_out.symlink_to(outside / "moved")
    before = {p: p.read_bytes() for p in (outside / "moved").rglob("*") if p.is_file()}
    assert before  # the English handout is there
    result = build(project, lang="fa")
    where = re.escape((topic_out / "fa").relative_to(project).as_posix())
    assert_clean_error(result, where, "leads outside the output folder", col=False)
    assert {p: p.read_bytes() for p in (outside / "moved").rglob("*") if p.is_file()} == before


def test_manifest_linked_to_another_file_never_writes_that_file(built_small, outside):
    project, _pdf, _before = built_small
    target = outside / "precious.json"
    manifest_file = project / MANIFEST
    target.write_text(manifest_file.read_text())
    manifest_file.unlink()
    manifest_file.symlink_to(target)
    before = target.read_bytes()
    persian, _report = built_pdf(project, lang="fa")
    assert target.read_bytes() == before  # the link was replaced, not followed
    assert not manifest_file.is_symlink()
    assert manifest_key(project, persian) in manifest(project)


@pytest.mark.parametrize("jobs", ["-1", "65", "100000"])
def test_jobs_is_bounded(scratch_small, jobs):
    result = build(scratch_small, "--jobs", jobs)
    assert result.returncode == 1 and "not in the range 0<=x<=64" in result.stderr


def test_translator_commands_read_a_utf16_language_file(scratch_small):
    path = scratch_small / FA
    path.write_bytes(b"\xff\xfe" + path.read_text(encoding="utf-8").encode("utf-16-le"))
    result = run_cli("lang", "mark", "--topic", SMALL_TOPIC, "fa", cwd=scratch_small)
    assert result.returncode == 0, result.stderr
    assert build(scratch_small, lang="fa").returncode == 0


def test_po_import_refuses_hidden_and_meaningless_characters(scratch_small):
    assert _export(scratch_small, "--out", "fa.po").returncode == 0
    po = scratch_small / "fa.po"
    text = po.read_text(encoding="utf-8")
    first, second = re.findall(r'msgstr "[^"]{3,}"', text)[:2]
    text = text.replace(first, first.replace('msgstr "', 'msgstr "\u202e'), 1)
    text = text.replace(second, second.replace('msgstr "', 'msgstr "\ue000'), 1)
    po.write_text(text, encoding="utf-8")
    before = (scratch_small / FA).read_bytes()
    result = run_cli("lang", "import", "fa.po", cwd=scratch_small)
    assert_clean_error(result, r"fa\.po", "U+E000 is a private-use character", "U+202E", col=False)
    assert (scratch_small / FA).read_bytes() == before


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("name", "'   '", "name is blank (only spaces or invisible characters)"),
        ("name", '"\\u00ad\\u200b"', "name is blank"),
        ("leaflet_code", "' '", "leaflet_code is blank"),
        ("emergency", "''", "emergency is empty; write it or remove it"),
        ("revision_date", "1", "revision_date: write a date as YYYY-MM-DD"),
    ],
    ids=["spaces", "invisible", "blank-code", "empty-number", "number-for-date"],
)
def test_blank_values_that_would_print_nothing_are_refused(built_small, key, value, message):
    """A ward name of spaces printed as nothing with 'built'; an empty or non-date value
    says what to write."""
    project, pdf, before = built_small
    site_file(project, "blank", **{key: value})
    result = build(project, "--site", "sites/blank.yaml")
    assert_clean_error(result, r"sites/blank\.yaml", message)
    assert pdf.read_bytes() == before
    assert pdfs(project) == [pdf]  # nothing written under the site's name either


def test_blank_translation_is_refused(scratch_small):
    set_persian(scratch_small, "title", "'  '")
    result = build(scratch_small, lang="fa")
    assert_clean_error(result, r"fa\.yaml", "title is blank")


def test_po_comment_that_would_make_an_unreadable_file_is_refused(scratch_small):
    """A translator's note with a bidi override was written into the language file, which
    makebook then refused to read: the import now refuses it, at the PO line."""
    assert _export(scratch_small, "--out", "fa.po").returncode == 0
    po = scratch_small / "fa.po"
    text = po.read_text(encoding="utf-8")
    second = text.index("msgctxt", text.index("msgctxt") + 1)
    start = text.rfind("\n\n", 0, second) + 2
    po.write_text(text[:start] + "# a note \u202e turned round\n" + text[start:], encoding="utf-8")
    before = (scratch_small / FA).read_bytes()
    result = run_cli("lang", "import", "fa.po", cwd=scratch_small)
    assert_clean_error(result, r"fa\.po", "comment: invisible control character U+202E", col=False)
    assert (scratch_small / FA).read_bytes() == before
    assert build(scratch_small, lang="fa").returncode == 0


def test_reviewer_name_with_a_control_character_is_not_written(scratch_small):
    path = scratch_small / FA
    before = path.read_bytes()
    result = run_cli(
        "lang",
        "review",
        "--topic",
        SMALL_TOPIC,
        "fa",
        "--reviewer",
        "Ana \u202eG",
        "--role",
        "midwife",
        "--force",
        cwd=scratch_small,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "U+202E" in result.stderr, result.stderr
    assert path.read_bytes() == before
