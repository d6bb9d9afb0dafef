"""Broken and hostile input (issue 6): every mistake is one clear line, exit 1, nothing lost.

Each test edits a scratch copy of the test project (tests/project: its made-up topic,
site and layout), runs makebook as a user would, and checks: exit code 1,
`path:line[:col]: ` in the message, no traceback, and, where it matters, that earlier
outputs are untouched. Nothing here depends on the shipped topic's wording.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from printshop.content.yamlsafe import dump_yaml

from .conftest import ROOT, SMALL_TOPIC, reported_output, run_cli
from .pdfcheck import body_limits, find_chars, normalise, page_chars, page_texts

TOPIC = f"handouts/{SMALL_TOPIC}"
EN = f"{TOPIC}/en.yaml"
FA = f"{TOPIC}/fa.yaml"
TOPIC_FILE = f"{TOPIC}/topic.yaml"
SITE = "sites/clinic.yaml"
LOGO = "logo: clinic-logo.svg"


# ----------------------------------------------------------------- helpers
def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build(
    project: Path, *extra: str, lang: str = "en", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The test topic's A4 handout in one language, into the project's out/."""
    args = ["build", "--topic", SMALL_TOPIC, "--layout", "handout-a4", "--out", "out", *extra]
    return run_cli(*args, "--lang", lang, cwd=project, env=env)


def built_pdf(project: Path, *extra: str, lang: str = "en") -> tuple[Path, dict]:
    """Build as `build` does, with --json: the PDF's path (as makebook reports it, so a
    change of file names does not matter here) and its report."""
    return reported_output(project, build(project, "--json", *extra, lang=lang))


def with_site(project: Path) -> subprocess.CompletedProcess[str]:
    return build(project, "--site", SITE)


def assert_clean_error(result, file_pattern: str, *fragments: str, col: bool = True) -> None:
    """Exit 1, no traceback, `file:line[:col]: ` and every fragment in the message."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    where = rf"{file_pattern}:\d+:\d+: " if col else rf"{file_pattern}(:\d+)?: "
    assert re.search(where, result.stderr), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def pdf_pages(path: Path) -> int:
    return len(PdfReader(str(path)).pages)


def use_logo(project: Path, name: str, data: bytes | str) -> None:
    path = project / "sites" / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    edit(project, SITE, LOGO, f"logo: {name}")


def png(width: int, height: int, rows: int = 1) -> bytes:
    """A 1-bit PNG whose header claims width x height; only `rows` rows of data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (width // 8 + 2) * rows, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# ----------------------------------------------------------------- 1. input errors
@pytest.mark.parametrize(
    "rel, old, new",
    [
        (EN, "subtitle: Five minutes", "subtitle: [Five minutes"),
        (TOPIC_FILE, "source_language: en", "source_language: [en"),
    ],
    ids=["language-file", "topic-file"],
)
def test_yaml_syntax_error_quotes_the_line(built_small, rel, old, new):
    project, pdf, before = built_small
    edit(project, rel, old, new)
    lines = (project / rel).read_text(encoding="utf-8").splitlines()
    opened = next(i for i, line in enumerate(lines, 1) if line.startswith(new))
    result = build(project)
    name = re.escape(Path(rel).name)
    assert_clean_error(result, name, "YAML syntax error", f"starts at line {opened})")
    assert pdf.read_bytes() == before


def test_duplicate_key(scratch_small):
    edit(scratch_small, EN, "title: Desk breaks", "title: One\ntitle: Desk breaks")
    assert_clean_error(build(scratch_small), r"en\.yaml", "duplicate key 'title' (first at line")


def test_unknown_key_with_did_you_mean(built_small):
    project, pdf, before = built_small
    edit(project, EN, "\nsubtitle:", "\nsubtitel:")
    result = build(project)
    assert_clean_error(result, r"en\.yaml", "unknown key 'subtitel'", "did you mean 'subtitle'")
    assert pdf.read_bytes() == before  # a failed build keeps the earlier output


def test_check_reports_every_problem_in_one_run(scratch_small):
    edit(scratch_small, EN, "\nsubtitle:", "\nsubtitel:")
    edit(scratch_small, TOPIC_FILE, "pictures/wrists.svg", "pictures/nope.svg")
    result = run_cli("check", cwd=scratch_small)
    assert_clean_error(result, r"en\.yaml", "unknown key 'subtitel'")
    assert re.search(r"topic\.yaml:\d+:\d+: .*pictures/nope\.svg", result.stderr), result.stderr


def test_missing_source_string_is_named(scratch_small):
    path = scratch_small / EN
    text = re.sub(r"\n    short: [^\n]*", "", path.read_text(encoding="utf-8"), count=1)
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", cwd=scratch_small)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"en\.yaml:\d+:\d+: .*missing text 'reasons\.eyes\.short'", result.stderr), (
        result.stderr
    )


@pytest.mark.parametrize(
    "rel, old, new, fragment",
    [
        (EN, "title: Desk breaks", "title: [Desk, breaks]", "valid string"),
        (EN, "direction: ltr", "direction: 7", "direction"),
        (TOPIC_FILE, "handout: false", "handout: maybe", "valid boolean"),
        (EN, "review_date: 2026-01-02", "review_date: 2026-13-45", "as a date"),
        (EN, "title: Desk", "title: !!python/object:os.system Desk", "unknown YAML tag"),
    ],
    ids=["list-for-text", "number-for-word", "word-for-bool", "impossible-date", "python-tag"],
)
def test_wrong_types(scratch_small, rel, old, new, fragment):
    edit(scratch_small, rel, old, new)
    name = re.escape(Path(rel).name)
    assert_clean_error(build(scratch_small), name, fragment)


def test_empty_file(scratch_small):
    (scratch_small / EN).write_text("# nothing yet\n", encoding="utf-8")
    assert_clean_error(build(scratch_small), r"en\.yaml", "file is empty")


def test_bytes_that_are_not_utf8(scratch_small):
    path = scratch_small / EN
    path.write_bytes(path.read_bytes().replace(b"Desk breaks", b"Desk br\xe9aks", 1))
    assert_clean_error(build(scratch_small), r"en\.yaml", "byte 0xe9 is not UTF-8")


def test_utf8_bom_is_accepted(scratch_small):
    path = scratch_small / EN
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    pdf, _report = built_pdf(scratch_small)
    assert page_texts(pdf)[0].startswith("Desk breaks")


def test_tab_indentation(scratch_small):
    edit(scratch_small, EN, "\n  code: en", "\n\tcode: en")
    assert_clean_error(build(scratch_small), r"en\.yaml", "tab used for indentation")


def test_language_file_for_unknown_topic(scratch_small):
    stray = scratch_small / "handouts" / "desk-break" / "fa.yaml"
    stray.parent.mkdir()
    stray.write_text("language: {code: fa}\n", encoding="utf-8")
    for result in (
        run_cli("check", cwd=scratch_small),
        run_cli(
            "build", "--layout", "reminder-a5", "--lang", "en", "--out", "out", cwd=scratch_small
        ),
        run_cli("build", "--topic", "desk-break", "--out", "out", cwd=scratch_small),
    ):
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert "desk-break/fa.yaml: language file for unknown topic 'desk-break'" in result.stderr
        assert "did you mean 'desk-breaks'" in result.stderr


def test_item_with_missing_illustration(scratch_small):
    edit(scratch_small, TOPIC_FILE, "pictures/wrists.svg", "pictures/wrist.svg")
    result = build(scratch_small)
    assert_clean_error(result, r"topic\.yaml", "file not found: assets/pictures/wrist.svg")


@pytest.mark.parametrize(
    "option, value, listing",
    [
        ("--layout", "handout-a3", "did you mean 'handout-a4'"),
        ("--lang", "fr", "languages: en, fa"),
        ("--topic", "desk-break", "did you mean 'desk-breaks'"),
    ],
)
def test_unknown_code_lists_the_valid_ones(scratch_small, option, value, listing):
    args = [] if option == "--topic" else ["--topic", SMALL_TOPIC]
    result = run_cli("build", *args, option, value, "--out", "out", cwd=scratch_small)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"'{value}'" in result.stderr and listing in result.stderr, result.stderr
    names = {"--layout": ["handout-a4", "reminder-a5"], "--topic": [SMALL_TOPIC, "infant-massage"]}
    for name in names.get(option, []):  # the project's own and the built-in ones
        assert name in result.stderr.split("s: ", 1)[1], result.stderr


def test_unknown_option_is_a_usage_error(tmp_path):
    result = run_cli("build", "--nope", "--out", str(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: No such option '--nope'"), result.stderr
    assert not list(tmp_path.iterdir())


# ----------------------------------------------------------------- 2. hostile files
@pytest.mark.parametrize("path", ["../../../etc/passwd", "/etc/passwd", "icons/../../x.svg"])
def test_asset_path_escaping_assets_is_refused(scratch_small, path):
    edit(scratch_small, TOPIC_FILE, "icon: icons/eye.svg", f"icon: {path}")
    assert_clean_error(build(scratch_small), r"topic\.yaml", "must stay inside assets/")


def test_symlink_pointing_out_of_the_site_folder_is_refused(scratch_small):
    (scratch_small / "sites" / "logo.svg").symlink_to(ROOT / "assets" / "icons" / "safety.svg")
    edit(scratch_small, SITE, LOGO, "logo: logo.svg")
    assert_clean_error(with_site(scratch_small), r"clinic\.yaml", "points outside sites/")


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
SVG += 'viewBox="0 0 40 40">\n'


def use_bomb() -> str:
    body = SVG + '<defs><rect id="a0" width="1" height="1"/>'
    for i in range(1, 6):
        body += f'<g id="a{i}">' + f'<use xlink:href="#a{i - 1}"/>' * 10 + "</g>"
    return body + '</defs>\n<use xlink:href="#a5"/></svg>'


@pytest.mark.parametrize(
    "svg, fragment",
    [
        (
            '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            + SVG
            + "<text>&x;</text></svg>",
            "DOCTYPE",
        ),
        (SVG + "<script>alert(1)</script></svg>", "<script>"),
        (SVG + '<use xlink:href="https://example.org/evil.svg#x"/></svg>', "internal #id"),
        (SVG + '<rect style="fill:url(https://example.org/x)"/></svg>', "outside the file"),
        (SVG.replace('viewBox="0 0 40 40"', 'viewBox="0 0 1e9 1e9"') + "</svg>", "too large"),
        (SVG + '<rect width="1" height="1"/>' * 5001 + "</svg>", "too many elements"),
        (use_bomb(), "<use> references are expanded"),
        (
            SVG + '<g id="a"><use xlink:href="#b"/></g><g id="b"><use xlink:href="#a"/></g></svg>',
            "circular <use>",
        ),
    ],
    ids=[
        "dtd-entity",
        "script",
        "external-href",
        "css-url",
        "huge",
        "elements",
        "use-bomb",
        "use-cycle",
    ],
)
def test_hostile_svg_logo_is_refused(scratch_small, svg, fragment):
    use_logo(scratch_small, "logo.svg", svg)
    result = with_site(scratch_small)
    assert_clean_error(result, r"sites/logo\.svg", fragment, col=False)
    assert re.search(r"logo\.svg:\d+: ", result.stderr), result.stderr  # the line in the SVG


@pytest.mark.parametrize(
    "data, fragment",
    [
        (png(100_000, 100_000), "decompression bomb"),
        (png(5000, 5000), "5000x5000 pixels; the limit is 4000x4000"),
        (png(200, 200), "truncated"),
        (b"GIF89a not really", "could not be read"),
    ],
    ids=["bomb", "too-many-pixels", "truncated", "not-png"],
)
def test_hostile_png_logo_is_refused(scratch_small, data, fragment):
    use_logo(scratch_small, "logo.png", data)
    # a binary file has no lines: the message names the file
    assert_clean_error(with_site(scratch_small), r"sites/logo\.png", fragment, col=False)


def test_yaml_alias_bomb_is_refused_before_it_expands(scratch_small):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    (scratch_small / EN).write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build(scratch_small)
    assert_clean_error(result, r"en\.yaml", "alias bomb")


@pytest.mark.parametrize(
    "length, fragment",
    [(2500, "characters; the limit is 2000"), (6000, "limit is 5000")],
)
def test_string_over_the_length_limit(scratch_small, length, fragment):
    edit(scratch_small, EN, "title: Desk breaks", "title: " + "word " * (length // 5))
    assert_clean_error(build(scratch_small), r"en\.yaml", fragment)


@pytest.mark.parametrize(
    "text, code",
    [
        ("Desk \u202ebreaks", "U+202E"),  # right-to-left override, raw
        ('"Desk \\u2066breaks"', "U+2066"),  # isolate, as a YAML escape
        ("Desk \x07breaks", "U+0007"),  # bell
        ('"Desk \\x1bbreaks"', "U+001B"),  # escape
    ],
    ids=["rlo-raw", "lri-escaped", "bell-raw", "esc-escaped"],
)
def test_control_and_bidi_override_characters(scratch_small, text, code):
    edit(scratch_small, EN, "title: Desk breaks", f"title: {text}")
    assert_clean_error(build(scratch_small), r"en\.yaml", code)


def test_reportlab_markup_is_printed_as_written(scratch_small):
    title = '<b>x</b> & <font color="red">y</font> <a href="https://e.org">z</a> &amp; <br/>'
    edit(scratch_small, EN, "title: Desk breaks", f"title: '{title} **care**'")
    pdf, _report = built_pdf(scratch_small)
    first_page = page_texts(pdf)[0]
    assert first_page.startswith(f"{title} care"), first_page  # **bold** is the only markup


# ----------------------------------------------------------------- 3. URLs
@pytest.mark.parametrize(
    "url, fragment",
    [
        ("http://www.example.org/x", "must start with https://"),
        ("https://user:secret@example.org/x", "user name or password"),
        ("'https://www.example.org/a b'", "contains a space"),
        ("https://www.example.org/" + "v" * 70, "the limit is 84"),
        ("javascript:alert(1)", "must start with https://"),
    ],
    ids=["http", "password", "space", "too-long", "javascript"],
)
def test_bad_video_url_names_the_item(scratch_small, url, fragment):
    edit(
        scratch_small,
        TOPIC_FILE,
        "video: https://www.example.org/moves/shoulder-roll",
        f"video: {url}",
    )
    result = build(scratch_small)
    assert_clean_error(result, r"topic\.yaml", fragment, "moves.shoulder-roll.video")


def test_site_base_url_too_long_names_item_and_file(scratch_small):
    base = "https://videos.example-hospital.org/" + "b" * 40
    edit(scratch_small, SITE, "videos:\n", f"videos:\n  base_url: {base}\n")
    result = with_site(scratch_small)
    assert_clean_error(result, r"clinic\.yaml", "videos.base_url", "limit is 84")
    assert re.search(
        r"technique '(shoulder-roll|wrist-circle)' would be 9\d characters", result.stderr
    )


def test_url_limit_keeps_qr_modules_printable():
    """84 bytes at level M: version 5, 45 modules with the quiet zone -> >= 0.5 mm in 22.5 mm."""
    from printshop.content.models import MAX_URL_CHARS
    from printshop.layout.qrcode import MIN_MODULE, QUIET_MODULES, qr_matrix, qr_side

    mm = 72 / 25.4
    url = "https://example.org/" + "x" * (MAX_URL_CHARS - 20)
    side = qr_side(url, 21 * mm, "M")
    modules = len(qr_matrix(url, "M")) + 2 * QUIET_MODULES
    assert side / modules >= MIN_MODULE - 1e-9
    assert 20 * mm <= side <= 22.5 * mm + 1e-6


# ----------------------------------------------------------------- 4. text that does not fit
def rewrite_english(project: Path, change) -> dict:
    """en.yaml with `change(data)` applied to its content (its metadata kept)."""
    path = project / EN
    data = change(yaml.safe_load(path.read_text(encoding="utf-8")))
    path.write_text(dump_yaml(data), encoding="utf-8")
    return data


def repeated_cautions(times: int):
    """Each text of the warning box (page 1 of the handout) repeated `times` times."""

    def change(data):
        data["careful"] = {key: " ".join([text] * times) for key, text in data["careful"].items()}
        return data

    return change


def test_longer_text_is_fitted_at_a_smaller_size(scratch_small):
    """The test topic's two cautions, each repeated 36 times: about a fifth more text than
    page 1 of the A4 handout holds at the 12 pt design size (30 repeats fit), and less
    than it holds at the 10.5 pt minimum (text takes (10.5/12)^2 ~ 77% of the area it
    takes at 12 pt). The right outcome: built on two pages below 12 pt and not below
    10.5 pt, the size on the page is the size reported, every word is printed, and no
    text runs past the bottom margin."""
    data = rewrite_english(scratch_small, repeated_cautions(36))
    pdf, report = built_pdf(scratch_small)
    size = report["body_size"]
    assert 10.5 <= size < 12, report
    assert pdf_pages(pdf) == report["pages"] == 2
    first = page_texts(pdf)[0]
    for text in data["careful"].values():
        assert normalise(text) in first  # the whole text, not clipped
    chars = page_chars(pdf)[0]
    found = [c for text in data["careful"].values() for c in find_chars(chars, text)]
    assert {round(c.size, 2) for c in found} == {size}  # the size it says, on the page
    _design, _minimum, bottom = body_limits(ROOT / "layouts/handout-a4.yaml")
    low = [c for c in chars if c.size >= size - 0.01 and c.bottom < bottom]
    assert not low, "".join(c.text for c in low)[:80]


def test_far_longer_block_is_reported_naming_it(built_small):
    """The cautions repeated 70 times: about 1.6 times what page 1 holds even at the
    10.5 pt minimum (44 repeats fit), and the blocks above them fit as they are. The
    right outcome: exit 1, the message names the warning box on page 1 and the blocks of
    that page, the earlier PDF is untouched."""
    project, pdf, before = built_small
    rewrite_english(project, repeated_cautions(70))
    result = build(project)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    match = re.search(
        r"en / handout-a4: ([a-z-]+ '[a-z_-]+') overflows page (\d) \(([a-z, -]+)\) by (\d+) mm "
        r"at the 10\.5 pt minimum",
        result.stderr,
    )
    assert match, result.stderr
    block, page, blocks, overflow = match.groups()
    assert (block, page) == ("warning-box 'careful'", "1")
    page_one = yaml.safe_load((ROOT / "layouts/handout-a4.yaml").read_text())["parts"][0]["blocks"]
    assert blocks == ", ".join(b if isinstance(b, str) else next(iter(b)) for b in page_one)
    assert int(overflow) >= 50
    assert pdf.read_bytes() == before  # never a clipped or third-page replacement


# ----------------------------------------------------------------- 5. output safety
def test_catalog_with_one_broken_language_builds_the_others(scratch_small):
    edit(scratch_small, FA, "\ntitle:", "\ntitel:")
    args = ("build", "--topic", SMALL_TOPIC, "--layout", "handout-a4", "--out", "out")
    result = run_cli(*args, cwd=scratch_small)
    assert_clean_error(result, r"fa\.yaml", "unknown key 'titel'")
    assert "1 built, 0 up to date, 1 failed" in result.stdout
    pdfs = list((scratch_small / "out").rglob("*.pdf"))
    assert len(pdfs) == 1 and pdf_pages(pdfs[0]) == 2
    assert page_texts(pdfs[0])[0].startswith("Desk breaks")  # the English one
    index = (scratch_small / "out/index.html").read_text()  # lists only what was written
    assert f'href="{pdfs[0].relative_to(scratch_small / "out")}"' in index
    assert "/fa/" not in index


def test_never_overwrites_a_file_it_did_not_create(scratch_small):
    probe, _report = built_pdf(scratch_small, "--out", "probe")  # where the PDF would go
    mine = scratch_small / "out" / probe.relative_to(scratch_small / "probe")
    mine.parent.mkdir(parents=True)
    mine.write_bytes(b"%PDF-1.4 someone else's leaflet")
    index = scratch_small / "out" / "index.html"
    index.write_text("<h1>my own page</h1>")
    result = build(scratch_small)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "exists and makebook did not write it" in result.stderr
    assert mine.read_bytes() == b"%PDF-1.4 someone else's leaflet"
    assert index.read_text() == "<h1>my own page</h1>"
    assert not list(mine.parent.glob(".*.tmp"))


def test_out_is_a_file(scratch_small):
    (scratch_small / "out").write_text("not a folder")
    result = build(scratch_small)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "out: is a file, not a folder" in result.stderr
    assert (scratch_small / "out").read_text() == "not a folder"


def test_two_builds_at_once_into_the_same_out(scratch_small):
    """Two processes build the same two PDFs into one out/ at once: both succeed, the
    PDFs are whole, nothing temporary is left, and a third build finds both current."""
    args = [sys.executable, str(ROOT / "makebook.py"), "build", "--topic", SMALL_TOPIC]
    args += ["--layout", "handout-a4", "--lang", "en", "--lang", "fa", "--jobs", "2"]
    args += ["--force", "--out", "out"]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    procs = [
        subprocess.Popen(
            args,
            cwd=scratch_small,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    out = scratch_small / "out"
    pdfs = list(out.rglob("*.pdf"))
    assert len(pdfs) == 2 and all(pdf_pages(pdf) == 2 for pdf in pdfs)
    files = manifest(out)
    for pdf in pdfs:
        entry = files[pdf.relative_to(out).as_posix()]
        assert entry["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert "<title>Handouts to print</title>" in (out / "index.html").read_text()
    assert not [p for p in out.rglob("*.tmp")]
    again = build(scratch_small, lang="en")
    assert "0 built, 1 up to date" in again.stdout, again.stdout


def manifest(out: Path) -> dict:
    return json.loads((out / ".makebook/manifest.json").read_text(encoding="utf-8"))["files"]
