"""Trust (issue 10): no silent wrong output, no file the tool may not touch, every hostile
input a clear error.

The same style as test_hostile.py: a scratch copy of the project, the command as a user
types it (`run_cli`), the exit code, a message naming the file, earlier outputs
byte-identical and no temp file left. Sections follow the issue's "Build" list; the
tests marked "Why:" are the examples of its "Why" list.
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

from .conftest import ROOT, run_cli
from .pdfcheck import find_chars, page_chars, page_texts
from .test_hostile import assert_clean_error, edit

# These tests still use the shipped topic (tests/test_hostile.py uses the test topic).
TOPIC = "handouts/infant-massage"
EN = f"{TOPIC}/en.yaml"
SITE = "sites/example.yaml"
PDF = Path("out/infant-massage/en/handout-a4.pdf")


def build(project: Path, *extra: str, lang: str = "en"):
    """The shipped topic's A4 handout in one language, into the project's out/."""
    args = ["build", "--topic", "infant-massage", "--layout", "handout-a4", "--out", "out"]
    return run_cli(*args, *extra, *(["--lang", lang] if lang else []), cwd=project)


AR = f"{TOPIC}/ar.yaml"
OUT = Path("out/infant-massage")
MANIFEST = Path("out/.makebook/manifest.json")


@pytest.fixture()
def outside(tmp_path_factory) -> Path:
    """A folder outside the scratch project (which is the test's own tmp_path)."""
    return tmp_path_factory.mktemp("outside")


def manifest(project: Path) -> dict:
    return json.loads((project / MANIFEST).read_text(encoding="utf-8"))["files"]


def snapshot(project: Path) -> dict[Path, bytes]:
    """Every file under out/ (the manifest and lock included) and its bytes."""
    out = project / "out"
    return {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def no_temp_files(project: Path) -> bool:
    return not [p for p in project.rglob("*.tmp")]


def site_file(project: Path, stem: str, **values: str) -> Path:
    """A site file `sites/<name>.yaml`: the example's, with some keys changed."""
    text = (project / SITE).read_text(encoding="utf-8")
    for key, value in values.items():
        text = re.sub(rf"(?m)^{key}: .*$", lambda _m, k=key, v=value: f"{k}: {v}", text)
    path = project / "sites" / f"{stem}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------- 1. glyphs, fonts
def test_lang_new_warns_at_once_when_no_font_has_the_script(scratch_project):
    result = run_cli("lang", "new", "--topic", "infant-massage", "hy", cwd=scratch_project)
    assert result.returncode == 0, result.stderr
    assert (scratch_project / TOPIC / "hy.yaml").is_file()
    assert re.search(
        r"warning: hy: .+ is written in Armenian script, which no bundled font "
        r"covers.*docs/fonts\.md",
        result.stderr,
    ), result.stderr
    quiet = run_cli("lang", "new", "--topic", "infant-massage", "fr", cwd=scratch_project)
    assert quiet.returncode == 0 and "warning" not in quiet.stderr, quiet.stderr


def test_fonts_doc_exists_and_names_the_table():
    text = (ROOT / "docs" / "fonts.md").read_text(encoding="utf-8")
    assert "fonts.yaml" in text and "assets/fonts" in text and ".ttf" in text


def test_why_emoji_in_the_ward_name_fails_the_document(built_once):
    """Why: an emoji in the ward's name printed as nothing, with 'built' and exit 0."""
    project, pdf, before = built_once
    site_file(project, "emoji", name='"Maternity Ward \U0001f476"')
    result = build(project, "--site", "sites/emoji.yaml")
    assert_clean_error(result, r"sites/emoji\.yaml", "symbols or emoji", "no bundled font")
    assert pdf.read_bytes() == before
    assert not (project / OUT / "en/handout-a4-site-emoji.pdf").exists()


# ----------------------------------------------------------------- 1b. RTL fallback
def test_why_english_fallback_in_arabic_keeps_its_full_stop_at_its_end(scratch_project):
    """Why: an English string falling back inside Arabic printed its punctuation on the
    wrong end. The sentence is drawn left to right, its full stop right of 'heals'."""
    edit(scratch_project, AR, "\n  cord: ", "\n  cord-removed: ")
    edit(scratch_project, AR, "  cord-removed: ", "  # ")
    result = build(scratch_project, lang="ar")
    assert result.returncode == 0, result.stderr
    assert "strings not translated" in result.stderr  # the fallback is said, as before
    pdf = scratch_project / OUT / "ar/handout-a4.pdf"
    chars = [c for page in page_chars(pdf) for c in page]
    sentence = "the belly button heals."
    found = find_chars(chars, sentence)
    if not found:  # pdfium gives RTL-paragraph text in visual order: find the word alone
        found = find_chars(chars, "heals.")
    assert found, "the English fallback is not on the page"
    word = [c for c in found if c.text.isalpha()][-5:]  # h e a l s
    stop = [c for c in found if c.text == "."][-1]
    assert "".join(c.text for c in word) == "heals"
    assert stop.left >= max(c.right for c in word) - 0.5, (stop, word)
    assert all(a.left < b.left for a, b in zip(word, word[1:], strict=False))


# ----------------------------------------------------------------- 2. one meaning per output
def test_why_site_build_and_plain_build_do_not_replace_each_other(built_once):
    """Why: a build with --site and one without wrote the same file name."""
    project, pdf, before = built_once
    result = build(project, "--site", SITE)
    assert result.returncode == 0, result.stderr
    branded = project / OUT / "en/handout-a4-site-example.pdf"
    assert f"built  {Path('out') / 'infant-massage/en/handout-a4-site-example.pdf'}" in (
        result.stdout
    )
    assert pdf.read_bytes() == before  # the plain one is untouched
    assert "Maternity Ward, St Example Hospital" in " ".join(page_texts(branded))
    assert "St Example Hospital" not in " ".join(page_texts(pdf))
    entry = manifest(project)["infant-massage/en/handout-a4-site-example.pdf"]
    assert entry["site"] == {
        "file": "sites/example.yaml",
        "name": "Maternity Ward, St Example Hospital",
        "leaflet_code": "MAT-IM-01",
        "revision_date": "2026-11-25",
    }
    assert entry["sha256"] == hashlib.sha256(branded.read_bytes()).hexdigest()
    assert (entry["kind"], entry["pages"], entry["marks"]) == ("handout", 2, False)


def test_why_marks_and_course_booklets_get_their_own_names(scratch_project):
    """Why: --marks replaced the office-printer booklet; a course booklet replaced the
    catalog booklet. Each has its own name; the summary lists the imposed copies too."""
    args = ["build", "--lang", "en", "--layout", "booklet-a5", "--out", "out"]
    plain = run_cli(*args, cwd=scratch_project)
    assert plain.returncode == 0, plain.stderr
    before = snapshot(scratch_project)
    marks = run_cli(*args, "--marks", cwd=scratch_project)
    course = run_cli(*args, "--course", "courses/example.yaml", cwd=scratch_project)
    for result in (marks, course):
        assert result.returncode == 0, result.stderr
    folder = scratch_project / OUT / "en"
    names = sorted(p.name for p in folder.iterdir() if p.is_file())
    assert names == [
        "booklet-a5-course-example-imposed.pdf",
        "booklet-a5-course-example.pdf",
        "booklet-a5-imposed.pdf",
        "booklet-a5-print-shop-imposed.pdf",
        "booklet-a5-print-shop.pdf",
        "booklet-a5.pdf",
    ]
    for path, data in before.items():
        if path.suffix == ".pdf":
            assert path.read_bytes() == data, path  # the office-printer booklet survives
    assert "booklet-a5-print-shop-imposed.pdf (imposed" in marks.stdout
    assert "booklet-a5-course-example-imposed.pdf (imposed" in course.stdout
    shop = PdfReader(str(folder / "booklet-a5-print-shop.pdf")).pages[0]
    office = PdfReader(str(folder / "booklet-a5.pdf")).pages[0]
    assert float(shop.mediabox.width) > float(office.mediabox.width)  # bleed
    files = manifest(scratch_project)
    assert files["infant-massage/en/booklet-a5-print-shop-imposed.pdf"]["kind"] == "imposed"
    assert files["infant-massage/en/booklet-a5-print-shop-imposed.pdf"]["marks"] is True
    assert files["infant-massage/en/booklet-a5-course-example.pdf"]["course"] == (
        "courses/example.yaml"
    )


def test_json_summary_lists_every_file_written(scratch_project):
    args = ["build", "--topic", "infant-massage", "--lang", "en", "--layout", "booklet-a5"]
    args += ["--out", "out", "--json"]
    result = run_cli(*args, cwd=scratch_project)
    assert result.returncode == 0, result.stderr
    (entry,) = json.loads(result.stdout)
    assert [(Path(f["path"]).name, f["kind"]) for f in entry["files"]] == [
        ("booklet-a5.pdf", "booklet"),
        ("booklet-a5-imposed.pdf", "imposed"),
    ]
    (again,) = json.loads(run_cli(*args, cwd=scratch_project).stdout)
    assert again["status"] == "current" and again["pages"] == entry["pages"]
    assert again["files"] == entry["files"]


def test_why_index_lists_every_run_not_only_the_last(built_once):
    """Why: out/index.html listed only the last run."""
    project, _pdf, _before = built_once
    assert build(project, lang="es").returncode == 0
    index = (project / "out/index.html").read_text(encoding="utf-8")
    assert "infant-massage/en/handout-a4.pdf" in index
    assert "infant-massage/es/handout-a4.pdf" in index
    (project / OUT / "es/handout-a4.pdf").unlink()  # a file gone is no longer listed
    assert build(project, "--site", SITE).returncode == 0
    index = (project / "out/index.html").read_text(encoding="utf-8")
    assert "es/handout-a4.pdf" not in index and "en/handout-a4-site-example.pdf" in index


def test_a_file_changed_since_makebook_wrote_it_is_not_replaced(built_once):
    project, pdf, before = built_once
    pdf.write_bytes(before + b"% annotated by hand\n")
    edit(project, EN, "title: Massage for your baby", "title: Massage for your little one")
    result = build(project)
    assert_clean_error(
        result, r"out/infant-massage/en/handout-a4\.pdf", "was changed since", col=False
    )
    assert pdf.read_bytes() == before + b"% annotated by hand\n"
    assert no_temp_files(project)


def test_two_site_files_with_one_file_name_are_refused(built_once):
    """sites/a/ward.yaml and sites/b/ward.yaml both make '-site-ward': the second build
    is refused, never a silent replacement of the first ward's leaflet."""
    project, _pdf, _before = built_once
    for folder, name in (("a", '"Ward A"'), ("b", '"Ward B"')):
        path = site_file(project, "x", name=name)
        (project / "sites" / folder).mkdir()
        path.rename(project / "sites" / folder / "ward.yaml")
        (project / "sites" / folder / "example-logo.svg").write_bytes(
            (project / "sites" / "example-logo.svg").read_bytes()
        )
    assert build(project, "--site", "sites/a/ward.yaml").returncode == 0
    first = project / OUT / "en/handout-a4-site-ward.pdf"
    data = first.read_bytes()
    result = build(project, "--site", "sites/b/ward.yaml")
    assert_clean_error(
        result, r"handout-a4-site-ward\.pdf", "holds another build", "sites/a/ward.yaml", col=False
    )
    assert first.read_bytes() == data


def test_up_to_date_check_hashes_only_what_the_document_uses(built_once):
    project, pdf, before = built_once
    (project / "sites" / "unrelated.txt").write_text("a note")
    (project / "courses" / "other.yaml").write_text("instructor: {name: X}\n")
    result = build(project)
    assert "up to date" in result.stdout and "1 up to date" in result.stdout, result.stdout
    edit(project, f"{TOPIC}/es.yaml", "\ntitle:", "\n# a comment\ntitle:")  # another language
    assert "1 up to date" in build(project).stdout
    edit(project, "layouts/handout-a4.yaml", "small: 8", "small: 7.5")
    rebuilt = build(project)
    assert "1 built" in rebuilt.stdout, rebuilt.stdout
    assert pdf.read_bytes() != before


def test_manifest_is_written_atomically_and_locked(built_once):
    project, _pdf, _before = built_once
    home = project / "out/.makebook"
    assert sorted(p.name for p in home.iterdir()) == ["lock", "manifest.json"]
    data = json.loads((home / "manifest.json").read_text(encoding="utf-8"))
    assert data["format"] == 1
    assert set(data["files"]) == {
        "index.html",
        "infant-massage/en/handout-a4.pdf",
        "infant-massage/en/handout-a4.html",  # its web version
        "infant-massage/en/thumbnails/handout-a4.png",  # page 1 on the catalog page
        "fonts/NotoSans-Regular.ttf",  # the fonts the web version links, and licences
        "fonts/NotoSans-Bold.ttf",
        "fonts/OFL.txt",
        "fonts/Apache-2.0.txt",
    }


def test_damaged_manifest_is_a_clear_error(built_once):
    project, pdf, before = built_once
    (project / MANIFEST).write_text("{not json")
    result = build(project, "--force")
    assert_clean_error(result, r"manifest\.json", "is damaged", col=False)
    assert pdf.read_bytes() == before


def test_bilingual_equal_to_lang_is_refused(scratch_project):
    result = build(scratch_project, "--bilingual", "en")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "--bilingual en is also a --lang" in result.stderr
    assert not (scratch_project / "out").exists()


def test_course_with_a_handout_layout_is_refused(scratch_project):
    result = build(scratch_project, "--course", "courses/example.yaml")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "--course is for booklets; 'handout-a4' is a handout layout" in result.stderr
    assert "booklet-a5" in result.stderr
    marks = build(scratch_project, "--marks")
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
def test_course_dates_that_look_wrong_are_warnings(scratch_project, dates, fragment):
    edit(scratch_project, "courses/example.yaml", "dates: [", f"dates: {dates} # [")
    result = run_cli(
        "build",
        "--lang",
        "en",
        "--layout",
        "booklet-a5",
        "--course",
        "courses/example.yaml",
        "--out",
        "out",
        cwd=scratch_project,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(
        rf"warning: courses/example\.yaml:\d+:\d+: class date .*{fragment}", result.stderr
    ), result.stderr
    checked = run_cli("check", cwd=scratch_project)
    assert checked.returncode == 0 and fragment in checked.stderr, checked.stderr


# ----------------------------------------------------------------- 3. files where they belong
def _export(project: Path, *extra: str):
    return run_cli("lang", "export", "--topic", "infant-massage", "es", *extra, cwd=project)


def test_why_po_header_topic_cannot_write_into_another_project(scratch_project, outside):
    """Why: `lang import` used the PO header's topic as a path."""
    assert _export(scratch_project, "--out", "es.po").returncode == 0
    po = scratch_project / "es.po"
    victim = outside / "victim"
    (victim / "handouts" / "x").mkdir(parents=True)
    for header in ("../../victim/handouts/x", str(victim / "handouts" / "x"), "infant-massage/.."):
        po.write_text(
            po.read_text(encoding="utf-8").replace(
                "X-Makebook-Topic: infant-massage", f"X-Makebook-Topic: {header}"
            ),
            encoding="utf-8",
        )
        before = {p: p.read_bytes() for p in scratch_project.rglob("*.yaml")}
        result = run_cli("lang", "import", "es.po", cwd=scratch_project)
        assert_clean_error(result, r"es\.po", "is not a topic of this project", col=False)
        assert {p: p.read_bytes() for p in scratch_project.rglob("*.yaml")} == before
        assert not list(victim.rglob("*.yaml"))
        named = run_cli("lang", "import", "es.po", "--topic", "infant-massage", cwd=scratch_project)
        assert_clean_error(named, r"es\.po", "this PO file is for topic", col=False)
        po.write_text(
            po.read_text(encoding="utf-8").replace(
                f"X-Makebook-Topic: {header}", "X-Makebook-Topic: infant-massage"
            ),
            encoding="utf-8",
        )


@pytest.mark.parametrize("target", [EN, "handouts/infant-massage/topic.yaml", "notes.po"])
def test_why_export_does_not_overwrite_a_file_it_did_not_make(scratch_project, target):
    """Why: `lang export --out` overwrote any file (a topic file, en.yaml, a device)."""
    path = scratch_project / target
    if not path.exists():
        path.write_text("my own notes\n")
    before = path.read_bytes()
    result = _export(scratch_project, "--out", target)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"(must name a \.po file|was not made by makebook)", result.stderr)
    assert path.read_bytes() == before
    if target.endswith(".po"):
        forced = _export(scratch_project, "--out", target, "--force")
        assert forced.returncode == 0 and b"X-Makebook-Topic" in path.read_bytes()


def test_export_never_writes_into_a_device_even_with_force(scratch_project):
    link = scratch_project / "null.po"
    link.symlink_to("/dev/null")
    result = _export(scratch_project, "--out", "null.po", "--force")
    assert_clean_error(result, r"null\.po", "is not a regular file", col=False)
    assert link.is_symlink()


def test_export_replaces_its_own_po_file(scratch_project):
    assert _export(scratch_project, "--out", "es.po").returncode == 0
    assert _export(scratch_project, "--out", "es.po").returncode == 0


def test_lang_new_refuses_to_replace_without_force(scratch_project):
    path = scratch_project / TOPIC / "es.yaml"
    before = path.read_bytes()
    result = run_cli("lang", "new", "--topic", "infant-massage", "es", cwd=scratch_project)
    assert_clean_error(result, r"es\.yaml", "already exists", "--force", col=False)
    assert path.read_bytes() == before
    forced = run_cli(
        "lang", "new", "--topic", "infant-massage", "es", "--force", cwd=scratch_project
    )
    assert forced.returncode == 0, forced.stderr
    assert path.read_bytes() != before


def test_language_folder_linked_out_of_the_project_is_not_written(scratch_project, outside):
    elsewhere = outside / "elsewhere"
    elsewhere.mkdir()
    topic = scratch_project / TOPIC
    for path in topic.iterdir():
        path.rename(elsewhere / path.name)
    topic.rmdir()
    topic.symlink_to(elsewhere)
    result = run_cli("lang", "new", "--topic", "infant-massage", "fr", cwd=scratch_project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "outside the project" in result.stderr, result.stderr
    assert not (elsewhere / "fr.yaml").exists()


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "link-out", "oversize"])
@pytest.mark.parametrize("where", ["language", "site", "logo", "course", "po"])
def test_why_special_linked_and_oversize_files_are_refused(scratch_project, outside, kind, where):
    """Why: files were read whole with no size cap: a link to /dev/zero beside the
    content, a FIFO, a 1 GB file beside the site file. Each is one line, at once."""
    rel = {
        "language": f"{TOPIC}/pl.yaml",
        "site": "sites/hostile.yaml",
        "logo": "sites/example-logo.svg",
        "course": "courses/hostile.yaml",
        "po": "hostile.po",
    }[where]
    path = scratch_project / rel
    secret = outside / "secret.yaml"
    secret.write_text("language: {code: pl}\n")
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
    command = {
        "language": ["build", "--lang", "pl", "--layout", "handout-a4", "--out", "out"],
        "site": ["build", "--lang", "en", "--layout", "handout-a4", "--out", "out", "--site", rel],
        "logo": ["build", "--lang", "en", "--layout", "handout-a4", "--out", "out", "--site", SITE],
        "course": [
            "build",
            "--lang",
            "en",
            "--layout",
            "booklet-a5",
            "--out",
            "out",
            "--course",
            rel,
        ],
        "po": ["lang", "import", rel],
    }[where]
    result = run_cli(*command, cwd=scratch_project)
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
def test_meaningless_code_points_are_refused_at_their_place(built_once, char, fragment):
    project, pdf, before = built_once
    edit(project, EN, "title: Massage for your baby", f"title: Massage{char} for your baby")
    result = build(project)
    assert_clean_error(result, r"en\.yaml", fragment)
    line = next(
        i for i, text in enumerate((project / EN).read_text().splitlines(), 1) if char in text
    )
    assert f"en.yaml:{line}:15: " in result.stderr, result.stderr
    assert pdf.read_bytes() == before


def test_source_date_epoch_that_is_not_a_number_is_exit_1(built_once):
    project, pdf, before = built_once
    result = run_cli(
        "build",
        "--lang",
        "en",
        "--layout",
        "handout-a4",
        "--out",
        "out",
        "--force",
        cwd=project,
        env={"SOURCE_DATE_EPOCH": "abc"},
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: SOURCE_DATE_EPOCH is 'abc'"), result.stderr
    assert pdf.read_bytes() == before


@pytest.mark.parametrize("dpi", ["10", "601", "100000"])
def test_preview_dpi_is_bounded(built_once, dpi):
    project, _pdf, _before = built_once
    result = run_cli("preview", str(PDF), "--dpi", dpi, "--out", "png", cwd=project)
    assert result.returncode == 1 and "not in the range 30<=x<=600" in result.stderr
    assert not (project / "png").exists()


def test_preview_of_a_giant_page_is_refused(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    pdf = tmp_path / "poster.pdf"
    canvas = Canvas(str(pdf), pagesize=(14400, 14400))  # 5 m square, the PDF maximum
    canvas.showPage()
    canvas.save()
    result = run_cli("preview", str(pdf), "--dpi", "300", cwd=tmp_path)
    assert_clean_error(result, r"poster\.pdf", "million pixels", "lower --dpi", col=False)
    assert not list(tmp_path.glob("*.png"))


def test_preview_does_not_overwrite_a_png_it_did_not_make(built_once):
    project, _pdf, _before = built_once
    mine = project / "png" / "handout-a4-1.png"
    mine.parent.mkdir()
    mine.write_bytes(b"my photo")
    result = run_cli("preview", str(PDF), "--dpi", "30", "--out", "png", cwd=project)
    assert_clean_error(result, r"handout-a4-1\.png", "was not made by makebook", col=False)
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
def test_inputs_that_would_hang_or_grow_are_refused(scratch_project, text, fragment):
    (scratch_project / EN).write_text(text, encoding="utf-8")
    assert_clean_error(build(scratch_project), r"en\.yaml", fragment)


# ----------------------------------------------------------------- 5. limits and the footer
@pytest.mark.parametrize(
    "key, value, message",
    [
        ("name", '"' + "W" * 95 + '"', "name is 95 characters; the limit is 80"),
        ("phone", '"' + "1" * 41 + '"', "phone is 41 characters; the limit is 40"),
        ("leaflet_code", "A" * 25, "leaflet_code is 25 characters; the limit is 24"),
    ],
)
def test_why_documented_limits_are_enforced_as_the_value(scratch_project, key, value, message):
    """Why: an 80-character ward name was documented, 2,000 were accepted. The message
    names the value and the limit, at the value's line:col — not an overflow."""
    site_file(scratch_project, "long", **{key: value})
    result = build(scratch_project, "--site", "sites/long.yaml")
    line = next(
        i
        for i, text in enumerate((scratch_project / "sites/long.yaml").read_text().splitlines(), 1)
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


@pytest.mark.parametrize("lang", ["en", "ar", "vi", "bn"])
@pytest.mark.parametrize("layout", ["handout-a4", "handout-letter"])
def test_why_footer_at_the_limits_never_overlaps_or_leaves_the_page(scratch_project, lang, layout):
    """Why: within the limits the footer overprinted itself and ran off the page. An
    80-character name, a 24-character leaflet code, a long localized date, LTR and RTL:
    no two footer characters overlap, and all are inside the text frame."""
    assert len(FOOTER_NAME) == 80
    site_file(
        scratch_project,
        "limits",
        name=f'"{FOOTER_NAME}"',
        leaflet_code="MAT-IM-0001/2026-REV-A.B",
        revision_date="2026-09-30",
    )
    result = run_cli(
        "build",
        "--lang",
        lang,
        "--layout",
        layout,
        "--out",
        "out",
        "--site",
        "sites/limits.yaml",
        cwd=scratch_project,
    )
    assert result.returncode == 0, result.stderr
    pdf = scratch_project / OUT / lang / f"{layout}-site-limits.pdf"
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


def _furniture(layout_name: str, lang: str, direction: str, labels: dict[str, str]):
    project = Project(builtin_root(), ROOT)
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
def test_when_index_cannot_be_written_the_documents_errors_are_still_printed(scratch_project):
    edit(scratch_project, f"{TOPIC}/pl.yaml", "\ntitle:", "\ntitel:")
    (scratch_project / "out").mkdir()
    (scratch_project / "out/index.html").write_text("<h1>my page</h1>")
    result = run_cli(
        "build",
        "--layout",
        "handout-a4",
        "--lang",
        "en",
        "--lang",
        "pl",
        "--out",
        "out",
        cwd=scratch_project,
    )
    assert result.returncode == 1
    assert "unknown key 'titel'" in result.stderr  # the document's own error
    assert "index.html: exists and makebook did not write it" in result.stderr
    assert "built  " in result.stdout  # and the good document is reported as built
    assert (scratch_project / "out/index.html").read_text() == "<h1>my page</h1>"


# ----------------------------------------------------------------- 7. a fresh round
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_site_file_in_utf16_or_utf32_with_a_bom_is_read(scratch_project, encoding):
    text = (scratch_project / SITE).read_text(encoding="utf-8")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    (scratch_project / SITE).write_bytes(data)
    result = build(scratch_project, "--site", SITE)
    assert result.returncode == 0, result.stderr
    pdf = scratch_project / OUT / "en/handout-a4-site-example.pdf"
    assert "Maternity Ward, St Example Hospital" in " ".join(page_texts(pdf))


def test_latin1_file_names_the_byte_and_the_fix(scratch_project):
    path = scratch_project / SITE
    path.write_bytes(path.read_bytes().replace(b"St Example", "Sté Example".encode("latin-1")))
    result = build(scratch_project, "--site", SITE)
    assert_clean_error(result, r"example\.yaml", "byte 0xe9 is not UTF-8", "save the file as UTF-8")


def test_po_file_in_latin1_or_utf16(scratch_project):
    assert _export(scratch_project, "--out", "es.po").returncode == 0
    po = scratch_project / "es.po"
    text = po.read_text(encoding="utf-8")
    po.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    result = run_cli("lang", "import", "es.po", cwd=scratch_project)
    assert result.returncode == 0, result.stderr
    po.write_bytes(text.encode("utf-8").replace("á".encode(), b"\xe1", 1))
    bad = run_cli("lang", "import", "es.po", cwd=scratch_project)
    assert_clean_error(bad, r"es\.po", "is not UTF-8", col=False)


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
def test_svg_tricks_give_a_clear_error_or_a_correct_pdf(built_once, svg, fragment):
    project, pdf, before = built_once
    (project / "sites" / "trick.svg").write_text(svg)
    edit(project, SITE, "logo: example-logo.svg", "logo: trick.svg")
    result = build(project, "--site", SITE)
    assert "Traceback" not in result.stderr
    if fragment is None:
        assert result.returncode == 0, result.stderr
        branded = project / OUT / "en/handout-a4-site-example.pdf"
        assert b"nan" not in branded.read_bytes().lower().replace(b"/nan", b"")
    else:
        assert_clean_error(result, r"sites/trick\.svg", fragment, col=False)
    assert pdf.read_bytes() == before


def test_symlinked_site_folder_builds_and_logo_links_inside_it_are_fine(built_once, outside):
    """A sites/ folder that is itself a link (a shared drive): the site named on the
    command line is the user's choice; its logo must still sit beside it."""
    project, _pdf, _before = built_once
    shared = outside / "shared-sites"
    (project / "sites").rename(shared)
    (project / "sites").symlink_to(shared)
    result = build(project, "--site", SITE)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", ["/etc/hostname", "../../../../etc/hostname"])
def test_absolute_and_dotdot_logo_paths_are_refused(scratch_project, path):
    edit(scratch_project, SITE, "logo: example-logo.svg", f"logo: {path}")
    assert_clean_error(
        build(scratch_project, "--site", SITE), r"example\.yaml", "must stay inside sites/"
    )


def test_layout_linked_out_of_the_project_is_refused(scratch_project, outside):
    secret = outside / "private.yaml"
    secret.write_text((scratch_project / "layouts/handout-a4.yaml").read_text())
    target = scratch_project / "layouts/handout-a4.yaml"
    target.unlink()
    target.symlink_to(secret)
    result = build(scratch_project)
    assert_clean_error(result, r"handout-a4\.yaml", "outside the project", col=False)


def test_output_folder_linked_out_is_not_written_through(built_once, outside):
    """out/<topic> replaced by a link to a folder elsewhere: nothing is written there."""
    project, _pdf, _before = built_once
    topic_out = project / "out" / "infant-massage"
    topic_out.rename(outside / "moved")
    topic_out.symlink_to(outside / "moved")
    before = {p: p.read_bytes() for p in (outside / "moved").rglob("*") if p.is_file()}
    result = build(project, lang="es")
    assert_clean_error(
        result, r"out/infant-massage/es", "leads outside the output folder", col=False
    )
    assert {p: p.read_bytes() for p in (outside / "moved").rglob("*") if p.is_file()} == before


def test_manifest_linked_to_another_file_never_writes_that_file(built_once, outside):
    project, _pdf, _before = built_once
    target = outside / "precious.json"
    manifest_file = project / MANIFEST
    target.write_text(manifest_file.read_text())
    manifest_file.unlink()
    manifest_file.symlink_to(target)
    before = target.read_bytes()
    result = build(project, lang="es")
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == before  # the link was replaced, not followed
    assert not manifest_file.is_symlink()
    assert "infant-massage/es/handout-a4.pdf" in manifest(project)


@pytest.mark.parametrize("jobs", ["-1", "65", "100000"])
def test_jobs_is_bounded(scratch_project, jobs):
    result = build(scratch_project, "--jobs", jobs)
    assert result.returncode == 1 and "not in the range 0<=x<=64" in result.stderr


def test_translator_commands_read_a_utf16_language_file(scratch_project):
    path = scratch_project / TOPIC / "es.yaml"
    path.write_bytes(b"\xff\xfe" + path.read_text(encoding="utf-8").encode("utf-16-le"))
    result = run_cli("lang", "mark", "--topic", "infant-massage", "es", cwd=scratch_project)
    assert result.returncode == 0, result.stderr
    assert build(scratch_project, lang="es").returncode == 0


def test_po_import_refuses_hidden_and_meaningless_characters(scratch_project):
    assert _export(scratch_project, "--out", "es.po").returncode == 0
    po = scratch_project / "es.po"
    text = po.read_text(encoding="utf-8")
    first, second = re.findall(r'msgstr "[^"]{3,}"', text)[:2]
    text = text.replace(first, first.replace('msgstr "', 'msgstr "\u202e'), 1)
    text = text.replace(second, second.replace('msgstr "', 'msgstr "\ue000'), 1)
    po.write_text(text, encoding="utf-8")
    before = (scratch_project / TOPIC / "es.yaml").read_bytes()
    result = run_cli("lang", "import", "es.po", cwd=scratch_project)
    assert_clean_error(result, r"es\.po", "U+E000 is a private-use character", "U+202E", col=False)
    assert (scratch_project / TOPIC / "es.yaml").read_bytes() == before


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
def test_blank_values_that_would_print_nothing_are_refused(built_once, key, value, message):
    """A ward name of spaces printed as nothing with 'built'; an empty or non-date value
    says what to write."""
    project, pdf, before = built_once
    site_file(project, "blank", **{key: value})
    result = build(project, "--site", "sites/blank.yaml")
    assert_clean_error(result, r"sites/blank\.yaml", message)
    assert pdf.read_bytes() == before
    assert not (project / OUT / "en/handout-a4-site-blank.pdf").exists()


def test_blank_translation_is_refused(scratch_project):
    edit(scratch_project, f"{TOPIC}/es.yaml", "\ntitle: ", "\ntitle: '  ' # ")
    result = build(scratch_project, lang="es")
    assert_clean_error(result, r"es\.yaml", "title is blank")


def test_po_comment_that_would_make_an_unreadable_file_is_refused(scratch_project):
    """A translator's note with a bidi override was written into es.yaml, which makebook
    then refused to read: the import now refuses it, at the PO line."""
    assert _export(scratch_project, "--out", "es.po").returncode == 0
    po = scratch_project / "es.po"
    text = po.read_text(encoding="utf-8")
    second = text.index("msgctxt", text.index("msgctxt") + 1)
    start = text.rfind("\n\n", 0, second) + 2
    po.write_text(text[:start] + "# a note \u202e turned round\n" + text[start:], encoding="utf-8")
    before = (scratch_project / TOPIC / "es.yaml").read_bytes()
    result = run_cli("lang", "import", "es.po", cwd=scratch_project)
    assert_clean_error(result, r"es\.po", "comment: invisible control character U+202E", col=False)
    assert (scratch_project / TOPIC / "es.yaml").read_bytes() == before
    assert build(scratch_project, lang="es").returncode == 0


def test_reviewer_name_with_a_control_character_is_not_written(scratch_project):
    path = scratch_project / TOPIC / "es.yaml"
    before = path.read_bytes()
    result = run_cli(
        "lang",
        "review",
        "--topic",
        "infant-massage",
        "es",
        "--reviewer",
        "Ana \u202eG",
        "--role",
        "midwife",
        "--force",
        cwd=scratch_project,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "U+202E" in result.stderr, result.stderr
    assert path.read_bytes() == before
