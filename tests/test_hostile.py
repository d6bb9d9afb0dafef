"""Broken and hostile input (issue 6): every mistake is one clear line, exit 1, nothing lost.

Each test edits a scratch copy of the content, runs makebook in its own process as a
user would, and checks: exit code 1, `path:line[:col]: ` in the message, no traceback,
and, where it matters, that earlier outputs are untouched.
"""

from __future__ import annotations

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

from .conftest import ROOT, run_cli
from .pdfcheck import body_limits, find_chars, normalise, page_chars, page_texts

TOPIC = "handouts/infant-massage"
EN = f"{TOPIC}/en.yaml"
TOPIC_FILE = f"{TOPIC}/topic.yaml"
SITE = "sites/example.yaml"
PDF = Path("out/infant-massage/en/handout-a4.pdf")


# ----------------------------------------------------------------- helpers
def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build(project: Path, *extra: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    args = ["build", "--layout", "handout-a4", "--out", "out", *extra]
    if lang:
        args[1:1] = ["--lang", lang]
    return run_cli(*args, cwd=project)


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


@pytest.fixture()
def built_once(scratch_project):
    """A scratch project with an English A4 handout already built in out/."""
    result = build(scratch_project)
    assert result.returncode == 0, result.stderr
    pdf = scratch_project / PDF
    return scratch_project, pdf, pdf.read_bytes()


def use_logo(project: Path, name: str, data: bytes | str) -> None:
    path = project / "sites" / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    edit(project, SITE, "logo: example-logo.svg", f"logo: {name}")


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
        (EN, "subtitle: A gentle", "subtitle: [A gentle"),
        (TOPIC_FILE, "source_language: en", "source_language: [en"),
    ],
    ids=["language-file", "topic-file"],
)
def test_yaml_syntax_error_quotes_the_line(built_once, rel, old, new):
    project, pdf, before = built_once
    edit(project, rel, old, new)
    lines = (project / rel).read_text(encoding="utf-8").splitlines()
    opened = next(i for i, line in enumerate(lines, 1) if line.startswith(new))
    result = build(project)
    name = re.escape(Path(rel).name)
    assert_clean_error(result, name, "YAML syntax error", f"starts at line {opened})")
    assert pdf.read_bytes() == before


def test_duplicate_key(scratch_project):
    edit(scratch_project, EN, "title: Massage", "title: One\ntitle: Massage")
    assert_clean_error(build(scratch_project), r"en\.yaml", "duplicate key 'title' (first at line")


def test_unknown_key_with_did_you_mean(built_once):
    project, pdf, before = built_once
    edit(project, EN, "\nsubtitle:", "\nsubtitel:")
    result = build(project)
    assert_clean_error(result, r"en\.yaml", "unknown key 'subtitel'", "did you mean 'subtitle'")
    assert pdf.read_bytes() == before  # a failed build keeps the earlier output


def test_check_reports_every_problem_in_one_run(scratch_project):
    edit(scratch_project, EN, "\nsubtitle:", "\nsubtitel:")
    edit(scratch_project, TOPIC_FILE, "illustrations/leg-roll.svg", "illustrations/nope.svg")
    result = run_cli("check", cwd=scratch_project)
    assert_clean_error(result, r"en\.yaml", "unknown key 'subtitel'")
    assert re.search(r"topic\.yaml:\d+:\d+: .*illustrations/nope\.svg", result.stderr), (
        result.stderr
    )


def test_missing_source_string_is_named(scratch_project):
    path = scratch_project / EN
    text = re.sub(r"\n    short: [^\n]*", "", path.read_text(encoding="utf-8"), count=1)
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", cwd=scratch_project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"missing text 'benefits\.[a-z-]+\.short'", result.stderr), result.stderr


@pytest.mark.parametrize(
    "rel, old, new, fragment",
    [
        (EN, "title: Massage for your baby", "title: [Massage, baby]", "valid string"),
        (EN, "direction: ltr", "direction: 7", "direction"),
        (TOPIC_FILE, "handout: true", "handout: maybe", "valid boolean"),
        (EN, "status: reviewed", "status: reviewed\n  review_date: 2026-13-45", "as a date"),
        (EN, "title: Massage", "title: !!python/object:os.system Massage", "unknown YAML tag"),
    ],
    ids=["list-for-text", "number-for-word", "word-for-bool", "impossible-date", "python-tag"],
)
def test_wrong_types(scratch_project, rel, old, new, fragment):
    text = (scratch_project / rel).read_text(encoding="utf-8")
    if old not in text:  # the status differs between content versions
        old, new = old.replace("reviewed", "draft"), new.replace("reviewed", "draft")
    edit(scratch_project, rel, old, new)
    name = re.escape(Path(rel).name)
    assert_clean_error(build(scratch_project), name, fragment)


def test_empty_file(scratch_project):
    (scratch_project / EN).write_text("# nothing yet\n", encoding="utf-8")
    assert_clean_error(build(scratch_project), r"en\.yaml", "file is empty")


def test_bytes_that_are_not_utf8(scratch_project):
    path = scratch_project / EN
    path.write_bytes(path.read_bytes().replace(b"Massage for", b"Massag\xe9 for", 1))
    assert_clean_error(build(scratch_project), r"en\.yaml", "byte 0xe9 is not UTF-8")


def test_utf8_bom_is_accepted(scratch_project):
    path = scratch_project / EN
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = build(scratch_project)
    assert result.returncode == 0, result.stderr


def test_tab_indentation(scratch_project):
    edit(scratch_project, EN, "\n  code: en", "\n\tcode: en")
    assert_clean_error(build(scratch_project), r"en\.yaml", "tab used for indentation")


def test_language_file_for_unknown_topic(scratch_project):
    stray = scratch_project / "handouts" / "infant-masage" / "es.yaml"
    stray.parent.mkdir()
    stray.write_text("language: {code: es}\n", encoding="utf-8")
    for result in (
        run_cli("check", cwd=scratch_project),
        run_cli(
            "build", "--layout", "handout-a4", "--lang", "en", "--out", "out", cwd=scratch_project
        ),
        run_cli("build", "--topic", "infant-masage", "--out", "out", cwd=scratch_project),
    ):
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert "infant-masage/es.yaml: language file for unknown topic 'infant-masage'" in (
            result.stderr
        )
        assert "did you mean 'infant-massage'" in result.stderr


def test_technique_with_missing_illustration(scratch_project):
    edit(scratch_project, TOPIC_FILE, "illustrations/leg-roll.svg", "illustrations/leg-rol.svg")
    result = build(scratch_project)
    assert_clean_error(result, r"topic\.yaml", "file not found: assets/illustrations/leg-rol.svg")


@pytest.mark.parametrize(
    "option, value, listing",
    [
        ("--layout", "handout-a3", "layouts: "),
        ("--lang", "esp", "languages: ar, bn, en, es"),
        ("--topic", "massage", "topics: infant-massage"),
    ],
)
def test_unknown_code_lists_the_valid_ones(scratch_project, option, value, listing):
    result = run_cli("build", option, value, "--out", "out", cwd=scratch_project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"'{value}'" in result.stderr and listing in result.stderr, result.stderr
    assert "handout-a4" in result.stderr or option != "--layout"


def test_unknown_option_is_a_usage_error(tmp_path):
    result = run_cli("build", "--nope", "--out", str(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: No such option '--nope'"), result.stderr
    assert not list(tmp_path.iterdir())


# ----------------------------------------------------------------- 2. hostile files
@pytest.mark.parametrize("path", ["../../../etc/passwd", "/etc/passwd", "icons/../../x.svg"])
def test_asset_path_escaping_assets_is_refused(scratch_project, path):
    edit(scratch_project, TOPIC_FILE, "icon: icons/benefit-growth.svg", f"icon: {path}")
    assert_clean_error(build(scratch_project), r"topic\.yaml", "must stay inside assets/")


def test_symlink_pointing_out_of_the_site_folder_is_refused(scratch_project):
    (scratch_project / "sites" / "logo.svg").symlink_to(ROOT / "assets" / "icons" / "safety.svg")
    edit(scratch_project, SITE, "logo: example-logo.svg", "logo: logo.svg")
    assert_clean_error(with_site(scratch_project), r"example\.yaml", "points outside sites/")


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
def test_hostile_svg_logo_is_refused(scratch_project, svg, fragment):
    use_logo(scratch_project, "logo.svg", svg)
    result = with_site(scratch_project)
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
def test_hostile_png_logo_is_refused(scratch_project, data, fragment):
    use_logo(scratch_project, "logo.png", data)
    # a binary file has no lines: the message names the file
    assert_clean_error(with_site(scratch_project), r"sites/logo\.png", fragment, col=False)


def test_yaml_alias_bomb_is_refused_before_it_expands(scratch_project):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    (scratch_project / EN).write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build(scratch_project)
    assert_clean_error(result, r"en\.yaml", "alias bomb")


@pytest.mark.parametrize("length, fragment", [(2500, "at most 2000"), (6000, "limit is 5000")])
def test_string_over_the_length_limit(scratch_project, length, fragment):
    edit(scratch_project, EN, "title: Massage for your baby", "title: " + "word " * (length // 5))
    assert_clean_error(build(scratch_project), r"en\.yaml", fragment)


@pytest.mark.parametrize(
    "text, code",
    [
        ("Massage \u202efor your baby", "U+202E"),  # right-to-left override, raw
        ('"Massage \\u2066for your baby"', "U+2066"),  # isolate, as a YAML escape
        ("Massage \x07for your baby", "U+0007"),  # bell
        ('"Massage \\x1bfor your baby"', "U+001B"),  # escape
    ],
    ids=["rlo-raw", "lri-escaped", "bell-raw", "esc-escaped"],
)
def test_control_and_bidi_override_characters(scratch_project, text, code):
    edit(scratch_project, EN, "title: Massage for your baby", f"title: {text}")
    assert_clean_error(build(scratch_project), r"en\.yaml", code)


def test_reportlab_markup_is_printed_as_written(scratch_project):
    title = '<b>x</b> & <font color="red">y</font> <a href="https://e.org">z</a> &amp; <br/>'
    edit(scratch_project, EN, "title: Massage for your baby", f"title: '{title} **care**'")
    result = build(scratch_project)
    assert result.returncode == 0, result.stderr
    first_page = page_texts(scratch_project / PDF)[0]
    assert first_page.startswith(f"{title} care"), first_page  # **bold** is the only markup


# ----------------------------------------------------------------- 3. URLs
@pytest.mark.parametrize(
    "url, fragment",
    [
        ("http://monkeysee.com/x", "must start with https://"),
        ("https://user:secret@monkeysee.com/x", "user name or password"),
        ("'https://monkeysee.com/a b'", "contains a space"),
        ("https://monkeysee.com/" + "v" * 70, "the limit is 84"),
        ("javascript:alert(1)", "must start with https://"),
    ],
    ids=["http", "password", "space", "too-long", "javascript"],
)
def test_bad_video_url_names_the_technique(scratch_project, url, fragment):
    edit(
        scratch_project,
        TOPIC_FILE,
        "video: https://monkeysee.com/infant-massage-leg/",
        f"video: {url}",
    )
    result = build(scratch_project)
    assert_clean_error(result, r"topic\.yaml", fragment, "techniques.leg-milking.video")


def test_site_base_url_too_long_names_technique_and_file(scratch_project):
    base = "https://videos.example-hospital.org/" + "b" * 40
    edit(
        scratch_project,
        SITE,
        "# base_url: https://videos.example-hospital.org/infant-massage",
        f"base_url: {base}",
    )
    result = with_site(scratch_project)
    assert_clean_error(result, r"example\.yaml", "videos.base_url", "technique '", "limit is 84")


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
def lengthen(value, factor: float = 0.4):
    """Every string about `factor` longer (whole words repeated); structure unchanged."""
    if isinstance(value, dict):
        return {k: lengthen(v, factor) for k, v in value.items()}
    if isinstance(value, list):
        return [lengthen(v, factor) for v in value]
    if isinstance(value, str):
        return value + " " + value[: max(1, int(len(value) * factor))]
    return value


def rewrite_spanish(project: Path, change) -> dict:
    """es.yaml with `change(data)` applied to its content (its metadata kept)."""
    path = project / TOPIC / "es.yaml"
    data = change(yaml.safe_load(path.read_text(encoding="utf-8")))
    path.write_text(dump_yaml(data), encoding="utf-8")
    return data


def test_modestly_longer_translation_is_fitted_at_a_smaller_size(scratch_project):
    """Spanish 30% longer (the design's example) in a layout that allows 12 pt down to
    8 pt. Spanish as shipped already needs less than the 12 pt design size, so the longer
    text cannot be set at 12 pt, nor at 10.5 pt; at 8 pt text takes (8/10.5)^2 ~ 58% of
    the area it takes at 10.5 pt, room for 30% more. The right outcome: built on two
    pages, below 12 pt and not below 8 pt, every word kept, no text past the margin."""
    edit(scratch_project, "layouts/handout-a4.yaml", "body_min: 10.5", "body_min: 8")
    data = rewrite_spanish(
        scratch_project,
        lambda d: {k: v if k == "language" else lengthen(v, 0.3) for k, v in d.items()},
    )
    result = build(scratch_project, lang="es")
    assert result.returncode == 0, result.stderr
    reported = float(re.search(r"\(2 pages, body ([\d.]+) pt\)", result.stdout).group(1))
    assert 8 <= reported < 12, result.stdout
    pdf = scratch_project / "out/infant-massage/es/handout-a4.pdf"
    assert pdf_pages(pdf) == 2
    first, second = page_texts(pdf)
    for item in data["safety"].values():
        assert normalise(item) in first, item  # the lengthened text, not clipped
    for sign in data["help_signs"].values():
        assert normalise(sign) in second, sign
    chars = page_chars(pdf)[0]
    found = [c for item in data["safety"].values() for c in find_chars(chars, item)]
    assert {round(c.size, 2) for c in found} == {reported}  # the size it says, on the page
    _design, _minimum, bottom = body_limits(scratch_project / "layouts/handout-a4.yaml")
    low = [c for c in chars if c.size >= reported - 0.01 and c.bottom < bottom]
    assert not low, "".join(c.text for c in low)[:80]


def test_far_longer_block_is_reported_naming_it(scratch_project):
    """Spanish safety items six times as long: page 1 cannot hold them at the 10.5 pt
    minimum, and the blocks above them fit as shipped. The right outcome: exit 1, the
    message names the safety block on page 1, the earlier PDF is untouched."""
    first = build(scratch_project, lang="es")
    assert first.returncode == 0, first.stderr
    pdf = scratch_project / "out/infant-massage/es/handout-a4.pdf"
    before = pdf.read_bytes()

    def longer_safety(data):
        data["safety"] = {key: " ".join([text] * 6) for key, text in data["safety"].items()}
        return data

    rewrite_spanish(scratch_project, longer_safety)
    result = build(scratch_project, lang="es")
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    match = re.search(
        r"es / handout-a4: ([a-z-]+ '[a-z_-]+') overflows page (\d) \(([a-z, -]+)\) by (\d+) mm "
        r"at the 10\.5 pt minimum",
        result.stderr,
    )
    assert match, result.stderr
    block, page, blocks, overflow = match.groups()
    assert (block, page) == ("warning-box 'safety'", "1")
    assert blocks == "header, intro, icon-list, warning-box, references"
    assert int(overflow) >= 50  # five more copies of a block of six items
    assert pdf.read_bytes() == before  # never a clipped or third-page replacement


# ----------------------------------------------------------------- 5. output safety
def test_catalog_with_one_broken_language_builds_the_others(scratch_project):
    edit(scratch_project, f"{TOPIC}/pl.yaml", "\ntitle:", "\ntitel:")
    result = run_cli("build", "--layout", "handout-a4", "--out", "out", cwd=scratch_project)
    assert_clean_error(result, r"pl\.yaml", "unknown key 'titel'")
    assert "1 failed" in result.stdout
    for lang in ("ar", "bn", "en", "es", "vi", "zh-Hans"):
        assert pdf_pages(scratch_project / f"out/infant-massage/{lang}/handout-a4.pdf") == 2
    assert not (scratch_project / "out/infant-massage/pl").exists()
    assert "handout-a4 (failed)" in (scratch_project / "out/index.html").read_text()


def test_never_overwrites_a_file_it_did_not_create(scratch_project):
    mine = scratch_project / PDF
    mine.parent.mkdir(parents=True)
    mine.write_bytes(b"%PDF-1.4 someone else's leaflet")
    index = scratch_project / "out" / "index.html"
    index.write_text("<h1>my own page</h1>")
    result = build(scratch_project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "was not made by makebook" in result.stderr
    assert mine.read_bytes() == b"%PDF-1.4 someone else's leaflet"
    assert index.read_text() == "<h1>my own page</h1>"
    assert not list(mine.parent.glob(".*.tmp"))


def test_out_is_a_file(scratch_project):
    (scratch_project / "out").write_text("not a folder")
    result = build(scratch_project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "out: is a file, not a folder" in result.stderr
    assert (scratch_project / "out").read_text() == "not a folder"


def test_two_builds_at_once_into_the_same_out(scratch_project):
    args = [sys.executable, str(ROOT / "makebook.py"), "build", "--layout", "handout-a4"]
    args += ["--lang", "en", "--lang", "es", "--jobs", "2", "--force", "--out", "out"]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    procs = [
        subprocess.Popen(
            args,
            cwd=scratch_project,
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
    out = scratch_project / "out"
    for lang in ("en", "es"):
        assert pdf_pages(out / f"infant-massage/{lang}/handout-a4.pdf") == 2
        assert (out / f".stamps/infant-massage/{lang}/handout-a4.sha256").read_text()
    assert "makebook catalog" in (out / "index.html").read_text()
    assert not [p for p in out.rglob("*.tmp")]
