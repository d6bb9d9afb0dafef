"""What makes builds fast must not make them wrong: results as they finish, a progress
bar only on a terminal, a cache that is never trusted blindly, imports kept off paths
that do not need them. (Timings themselves are measured by tests/benchmarks/.)"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import makebook
from printshop import cache
from printshop.catalog import jobs
from printshop.catalog.jobs import Job, Result
from printshop.layout.qrcode import MADE_BY as QR_MADE_BY
from printshop.layout.qrcode import MATRIX_KIND, qr_matrix
from printshop.pdf import art
from tests.conftest import ROOT, run_cli

HANDOUTS = ["--layout", "handout-a4", "--layout", "handout-letter"]


def build_handouts(out: Path, *options: str, langs: tuple[str, ...] = ("en",)):
    """Both shipped handouts of infant massage in `langs`, into `out`, through the CLI."""
    lang_options = [arg for lang in langs for arg in ("--lang", lang)]
    return run_cli(
        "build", "--topic", "infant-massage", *lang_options, *HANDOUTS, "--out", str(out), *options
    )


ICON = ROOT / "assets" / "icons" / "help.svg"


# ----------------------------------------------------------------- results as they come
def test_each_result_is_printed_before_the_next_document_starts(tmp_path, monkeypatch):
    printed_before: list[tuple[str, str]] = []
    build_one = jobs.build_one

    def watched(project, job, force=False):
        sys.stdout.flush()
        sys.stderr.flush()
        printed_before.append((sys.stdout.buffer.getvalue().decode(), job.layout))
        return build_one(project, job, force)

    monkeypatch.setattr(jobs, "build_one", watched)
    result = build_handouts(tmp_path, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    (first, first_layout), (second, second_layout) = printed_before
    assert (first_layout, second_layout) == ("handout-a4", "handout-letter")
    assert first == ""
    assert second == result.stdout.splitlines(keepends=True)[0]  # the first document's line
    assert second.startswith(f"   built  {tmp_path}/infant-massage/en/handout-a4.pdf (2 pages")


def test_plain_lines_off_a_terminal_one_per_document_then_the_summary(tmp_path):
    result = build_handouts(tmp_path, langs=("en", "es"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    assert sorted(line.split("/infant-massage/")[1].split(" ")[0] for line in lines[:4]) == [
        "en/handout-a4.pdf",
        "en/handout-letter.pdf",
        "es/handout-a4.pdf",
        "es/handout-letter.pdf",
    ]
    assert all(line.startswith("   built  ") for line in lines[:4])
    assert lines[4] == f"4 built, 0 up to date, 0 failed -> {tmp_path}/index.html"
    assert "\r" not in result.stdout + result.stderr
    assert "\x1b" not in result.stdout + result.stderr


def test_quiet_and_json_print_no_document_lines(tmp_path):
    quiet = build_handouts(tmp_path, "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    as_json = build_handouts(tmp_path, "--json")
    data = json.loads(as_json.stdout)  # one JSON document, in job order
    assert [Path(d["output"]).name for d in data] == ["handout-a4.pdf", "handout-letter.pdf"]
    assert {d["status"] for d in data} == {"current"}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _result(layout: str) -> Result:
    return Result(Job("infant-massage", "en", layout, Path("out")), "built", pages=2)


def test_a_terminal_gets_a_bar_done_of_total_elapsed_and_the_document(capsys):
    terminal = _Terminal()
    with makebook._progress(2, show=True, stream=terminal) as advance:
        for layout in ("handout-a4", "handout-letter"):
            with advance(_result(layout)):
                before = terminal.getvalue()
                print(f"line for {layout}")
            assert before.endswith("\r\x1b[2K")  # the bar's line cleared for the document's
    drawn = terminal.getvalue()
    assert "1/2" in drawn and "infant-massage/en/handout-a4" in drawn
    assert "2/2" in drawn and "infant-massage/en/handout-letter" in drawn
    assert " s  infant-massage/en/handout-letter" in drawn  # seconds elapsed
    assert capsys.readouterr().out == "line for handout-a4\nline for handout-letter\n"


def test_no_bar_off_a_terminal_or_when_asked_for_none():
    for stream, show in ((io.StringIO(), True), (_Terminal(), False)):
        with makebook._progress(5, show=show, stream=stream) as advance, advance(_result("a")):
            pass
        assert stream.getvalue() == ""


# ----------------------------------------------------------------- the on-disk cache
def _forget_forms() -> None:
    art._forms.clear()
    art._drawings.clear()


def _entry_file(folder: Path, kind: str, data: bytes, made_by) -> Path:
    key = cache.entry_key(kind, data, cache.fingerprint(*made_by))
    return folder / key[:2] / f"{key}.json"


def test_compiled_art_comes_back_from_the_cache_without_svglib(own_cache, monkeypatch):
    _forget_forms()
    first = art.svg_form(ICON, "NotoSans")
    entry = _entry_file(own_cache, art.FORM_KIND, ICON.read_bytes(), art.COMPILED_BY)
    assert json.loads(entry.read_text())["code"] == list(first.code)
    _forget_forms()
    monkeypatch.setattr(art, "load_drawing", pytest.fail)  # a cache hit never parses
    assert art.svg_form(ICON, "NotoSans") == first


@pytest.mark.parametrize(
    "change",
    [
        lambda e: {**e, "code": [*e["code"][:3], "/Im0 Do", *e["code"][3:]]},  # a resource
        lambda e: {**e, "code": [*e["code"], "(text) Tj"]},  # text, not art
        lambda e: {**e, "width": -1},
        lambda e: {**e, "height": float("inf")},
        lambda e: {**e, "key": "0" * 64},
        lambda e: "not an entry",
    ],
    ids=["resource", "text", "width", "height", "key", "shape"],
)
def test_a_tampered_art_entry_is_ignored_and_rebuilt(own_cache, change):
    _forget_forms()
    good = art.svg_form(ICON, "NotoSans")
    entry = _entry_file(own_cache, art.FORM_KIND, ICON.read_bytes(), art.COMPILED_BY)
    entry.write_text(json.dumps(change(json.loads(entry.read_text())), allow_nan=True))
    _forget_forms()
    assert art.svg_form(ICON, "NotoSans") == good
    assert json.loads(entry.read_text())["code"] == list(good.code)  # written afresh


def test_a_broken_entry_file_is_ignored(own_cache):
    _forget_forms()
    good = art.svg_form(ICON, "NotoSans")
    entry = _entry_file(own_cache, art.FORM_KIND, ICON.read_bytes(), art.COMPILED_BY)
    entry.write_bytes(entry.read_bytes()[:40])  # half written by something else
    _forget_forms()
    assert art.svg_form(ICON, "NotoSans") == good


def test_the_key_follows_the_bytes_and_the_engine():
    made_by = cache.fingerprint(*art.COMPILED_BY)
    assert cache.entry_key("k", b"<svg/>", made_by) != cache.entry_key("k", b"<svg />", made_by)
    other = cache.fingerprint(("printshop.pdf.art",), ("svglib",))
    assert other != made_by
    assert cache.entry_key("k", b"<svg/>", made_by) != cache.entry_key("k", b"<svg/>", other)


def test_a_tampered_qr_matrix_is_not_used(own_cache):
    url = "https://example.org/videos/speed-test"
    qr_matrix.cache_clear()
    good = qr_matrix(url)
    key = cache.entry_key(MATRIX_KIND, f"M\0{url}".encode(), cache.fingerprint(*QR_MADE_BY))
    entry = own_cache / key[:2] / f"{key}.json"
    data = json.loads(entry.read_text())
    flipped = "1" if data["rows"][0][0] == "0" else "0"
    data["rows"][0] = flipped + data["rows"][0][1:]  # a finder pattern broken
    entry.write_text(json.dumps(data))
    qr_matrix.cache_clear()
    assert qr_matrix(url) == good
    data["url"] = "https://example.org/elsewhere"
    entry.write_text(json.dumps(data))
    qr_matrix.cache_clear()
    assert qr_matrix(url) == good


def test_the_cache_stays_bounded(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    monkeypatch.setattr(cache, "_bounded", set())
    for n in range(4):
        cache.write(cache.entry_key("k", str(n).encode(), "x"), {"n": n})
    cache._bounded.clear()
    cache.write(cache.entry_key("k", b"4", "x"), {"n": 4})
    assert len(list(tmp_path.glob("??/*.json"))) == 3
    assert cache.read(cache.entry_key("k", b"4", "x")) == {
        "n": 4,
        "key": cache.entry_key("k", b"4", "x"),
    }


def test_the_cache_can_be_turned_off(monkeypatch, tmp_path):
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    cache.write("ab" * 32, {"n": 1})
    assert cache.read("ab" * 32) is None


# ----------------------------------------------------------------- imports per path
def _modules_after(*args: str) -> set[str]:
    """The modules a fresh `makebook ARGS` process has imported when it ends."""
    code = (
        "import sys, makebook\n"
        f"code = makebook.run({list(args)!r})\n"
        "print(' '.join(sorted(sys.modules)))\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split("\n")[-2].split())


def test_help_imports_no_models_and_no_pdf_library():
    loaded = _modules_after("--help")
    assert not {m.split(".")[0] for m in loaded} & {"pydantic", "reportlab", "yaml", "lxml"}


def test_one_handout_imports_nothing_it_does_not_use(tmp_path):
    args = (
        "build",
        "--topic",
        "infant-massage",
        "--lang",
        "en",
        "--layout",
        "handout-a4",
        "--out",
        str(tmp_path),
    )
    _modules_after(*args, "--quiet")  # fills the cache: art compiled, codes made
    loaded = _modules_after(*args, "--force", "--quiet")
    unused = {"pypdf", "babel", "polib", "jsonschema", "svglib", "lxml", "qrcode", "textstat"}
    assert not {m.split(".")[0] for m in loaded} & unused
    assert "concurrent.futures.process" not in loaded


def test_a_refused_svg_is_refused_again_and_never_remembered(own_cache, tmp_path):
    from printshop.content.assets import CHECKED_BY, CHECKED_KIND, picture
    from printshop.errors import UserError

    hostile = tmp_path / "hostile.svg"
    hostile.write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    for _ in range(2):
        with pytest.raises(UserError, match="event handlers"):
            picture(hostile)
    assert not _entry_file(own_cache, CHECKED_KIND, hostile.read_bytes(), CHECKED_BY).exists()


def test_a_remembered_size_is_used_only_if_it_is_a_size(own_cache, tmp_path):
    from printshop.content.assets import CHECKED_BY, CHECKED_KIND, picture

    svg = tmp_path / "plain.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"/>')
    assert (picture(svg).width, picture(svg).height) == (40, 20)
    entry = _entry_file(own_cache, CHECKED_KIND, svg.read_bytes(), CHECKED_BY)
    data = json.loads(entry.read_text())
    for wrong in (1e9, 0, -3, "40", True, None):
        entry.write_text(json.dumps({**data, "width": wrong}))
        copy = tmp_path / f"copy-{wrong}.svg"  # a new file: not in this process's cache
        copy.write_bytes(svg.read_bytes())
        assert (picture(copy).width, picture(copy).height) == (40, 20)


def test_a_catalog_with_nothing_to_do_starts_no_worker_processes(tmp_path, monkeypatch):
    import concurrent.futures

    args = ("build", "--topic", "infant-massage", "--lang", "en", *HANDOUTS, "--out", str(tmp_path))
    assert run_cli(*args, "--jobs", "1").returncode == 0
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", pytest.fail)
    again = run_cli(*args, "--jobs", "2")
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-1].startswith("0 built, 2 up to date, 0 failed")


def test_one_document_reads_only_its_languages_and_the_source(tmp_path, monkeypatch):
    from printshop.content import load

    read: list[str] = []
    load_model = load.load_model

    def watched(path, model, *rest):
        if path.parent.name == "infant-massage":
            read.append(path.name)
        return load_model(path, model, *rest)

    monkeypatch.setattr(load, "load_model", watched)
    args = (
        "build",
        "--topic",
        "infant-massage",
        "--lang",
        "es",
        "--layout",
        "handout-a4",
        "--out",
        str(tmp_path),
    )
    result = run_cli(*args, "--bilingual", "en")
    assert result.returncode == 0, result.stderr
    assert sorted(set(read)) == ["en.yaml", "es.yaml", "topic.yaml"]


def test_an_engine_whose_source_cannot_be_read_caches_nothing(own_cache):
    made_by = cache.fingerprint(("printshop.no_such_module",), ())
    assert made_by is None
    key = cache.entry_key("k", b"data", made_by)
    cache.write(key, {"n": 1})
    assert cache.read(key) is None


# ----------------------------------------------------------------- parsed YAML in the cache
def _parsed_entry(own_cache: Path, path: Path) -> Path:
    from printshop.content import yamlsafe

    return _entry_file(own_cache, yamlsafe.PARSED_KIND, path.read_bytes(), yamlsafe.PARSED_BY)


def test_a_parsed_file_comes_back_from_the_cache_with_its_places(own_cache, monkeypatch):
    from printshop.content import yamlsafe

    path = ROOT / "handouts" / "infant-massage" / "ar.yaml"
    first = yamlsafe.parse_yaml(path)
    assert _parsed_entry(own_cache, path).exists()
    monkeypatch.setattr(yamlsafe, "_parsed", pytest.fail)  # a cache hit never parses
    again = yamlsafe.parse_yaml(path)
    assert (again.data, again.marks, again.key_marks) == (first.data, first.marks, first.key_marks)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda data: {**data, "title": "\u202eevil"},  # a bidi override the file never had
        lambda data: {**data, "title": "\ue000"},  # private use
        lambda data: {**data, "title": "x" * 6000},  # over the length limit
    ],
    ids=["bidi", "private-use", "length"],
)
def test_a_tampered_parsed_entry_is_ignored(own_cache, tmp_path, tamper):
    from printshop.content import yamlsafe

    path = tmp_path / "doc.yaml"
    path.write_text("title: Hello\nitems:\n  - one\n", encoding="utf-8")
    yamlsafe.parse_yaml(path)
    entry = _parsed_entry(own_cache, path)
    stored = json.loads(entry.read_text())
    stored["data"] = tamper(stored["data"])
    entry.write_text(json.dumps(stored, ensure_ascii=False))
    assert yamlsafe.parse_yaml(path).data == {"title": "Hello", "items": ["one"]}


def test_a_parsed_entry_with_broken_places_is_ignored(own_cache, tmp_path):
    from printshop.content import yamlsafe

    path = tmp_path / "doc.yaml"
    path.write_text("title: Hello\n", encoding="utf-8")
    yamlsafe.parse_yaml(path)
    entry = _parsed_entry(own_cache, path)
    entry.write_text(json.dumps({**json.loads(entry.read_text()), "marks": [["title", 1]]}))
    assert yamlsafe.parse_yaml(path).where(("title",)) == (1, 1)


def test_a_file_with_a_date_is_parsed_every_time(own_cache, tmp_path):
    from printshop.content import yamlsafe

    path = tmp_path / "course.yaml"
    path.write_text("start: 2026-12-03\n", encoding="utf-8")
    assert str(yamlsafe.parse_yaml(path).data["start"]) == "2026-12-03"
    assert not _parsed_entry(own_cache, path).exists()  # JSON would give back a string
