"""Translator workflow: new language files, status, stale strings, PO round trip, glyphs.

The workflow runs on a scratch copy of the test project (its made-up topic, English
and a Persian draft), so the shipped wording does not matter; the checks of the shipped
language files themselves (complete, current, lossless through PO, schema) stay on the
shipped topic.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from printshop.content.i18n import expected_keys, flatten, format_date
from printshop.content.load import load_bundle, load_model
from printshop.content.models import LanguageFile
from printshop.content.schemas import outdated_schemas
from printshop.errors import Collector
from printshop.project import Project

from .conftest import ROOT, SMALL_PROJECT, SMALL_TOPIC, run_cli
from .pdfcheck import page_texts

TOPIC = "handouts/infant-massage"
SHIPPED = ["es", "pl", "ar", "bn", "zh-Hans", "vi"]
SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/language.schema.json"
SMALL = f"handouts/{SMALL_TOPIC}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def ok(result) -> str:
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stdout


def lang(project_dir: Path, *args: str, topic: str = SMALL_TOPIC):
    """`makebook lang ...` for one topic (the test project also sees the built-in one)."""
    return run_cli("lang", *args, "--topic", topic, cwd=project_dir)


def status(project_dir: Path, *codes: str, topic: str = SMALL_TOPIC) -> dict[str, dict]:
    out = ok(lang(project_dir, "status", *codes, "--json", topic=topic))
    return {row["code"]: row for row in json.loads(out)["languages"]}


def bundle(project_dir: Path, topic: str = SMALL_TOPIC):
    out = Collector()
    loaded = load_bundle(Project.discover(project_dir), topic, out)
    out.raise_if_any()
    return loaded


# ----------------------------------------------------------------- shipped files
def test_shipped_translations_are_marked_complete_and_current():
    """Every shipped translation is complete (the pictures' alt texts, which the web
    version reads, included), recorded and not stale; all are drafts."""
    rows = status(ROOT, topic="infant-massage")
    assert len([key for key in expected(ROOT) if key.endswith(".alt")]) == 14
    assert set(rows) == {p.stem for p in (ROOT / TOPIC).glob("*.yaml")} - {"topic"}
    for code, row in rows.items():
        assert row["missing"] == [], code
        assert row["stale"] == [] and row["unrecorded"] == [], code
        assert row["status"] == "draft"
    assert rows["en"]["source"] and rows["en"]["status"] == "draft"  # no clinician sign-off yet
    second = status(ROOT, topic="tummy-time")
    assert sorted(second) == ["ar", "en", "es"]
    assert all(row["missing"] == [] == row["stale"] for row in second.values()), second


def expected(project_dir: Path, topic: str = "infant-massage") -> list[str]:
    """Every key a complete language file of the topic has, in order."""
    b = bundle(project_dir, topic)
    return expected_keys(b.topic, flatten(b.languages[b.source][0]))


def test_shipped_language_files_name_their_schema():
    for code in ["en", *SHIPPED]:
        first = (ROOT / TOPIC / f"{code}.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert first == SCHEMA_LINE, code


# ----------------------------------------------------------------- lang new
def test_lang_new_creates_a_loadable_file_with_every_key(scratch_small):
    out = ok(lang(scratch_small, "new", "ti"))
    path = scratch_small / SMALL / "ti.yaml"
    assert str(path) in out
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    new, _doc = load_model(path, LanguageFile)
    assert new.language.code == "ti" and new.language.name == "Tigrinya"
    assert new.language.native_name == "ትግርኛ" and new.language.status == "draft"
    b = bundle(scratch_small)
    keys = expected_keys(b.topic, flatten(b.languages["en"][0]))
    assert set(flatten(new)) == set(keys)
    assert {"reasons.focus.full", "signals.tired.slump", "ui.stop_intro"} <= set(keys)
    # every text is prefilled with the English, shown as a comment above it
    assert "# en: Desk breaks\ntitle: >-\n  Desk breaks\n" in text
    row = status(scratch_small, "ti")["ti"]
    assert row["percent_translated"] == 0 and len(row["missing"]) == len(keys)
    # a file nobody has translated yet still builds (in English) and checks
    ok(run_cli("check", cwd=scratch_small))
    # refuses to overwrite
    again = lang(scratch_small, "new", "ti")
    assert again.returncode == 1 and "already exists" in again.stderr


def outside_language_block(text: str) -> str:
    """The file without its `language:` block (what `lang mark` must leave alone)."""
    lines = text.split("\n")
    start = lines.index("language:")
    end = next(i for i in range(start + 1, len(lines)) if lines[i] and lines[i][0] not in " ")
    return "\n".join(lines[:start] + lines[end:])


def test_translating_then_marking_a_new_file(scratch_small):
    ok(lang(scratch_small, "new", "pt-BR"))
    path = scratch_small / SMALL / "pt-BR.yaml"
    edit(path, "title: >-\n  Desk breaks\n", "title: >-\n  Pausas na mesa\n")
    row = status(scratch_small, "pt-BR")["pt-BR"]
    assert "title" not in row["missing"] and row["unrecorded"] == ["title"]
    assert row["translated"] == 1
    before = path.read_text(encoding="utf-8")
    ok(lang(scratch_small, "mark", "pt-BR"))
    after = path.read_text(encoding="utf-8")
    # marking writes the language block only: every comment stays above its own key
    assert outside_language_block(after) == outside_language_block(before)
    assert "# en: Desk breaks\ntitle: >-\n  Pausas na mesa\n" in after
    row = status(scratch_small, "pt-BR")["pt-BR"]
    assert row["unrecorded"] == [] and row["stale"] == []
    # a text that stays the same in the translation can be marked explicitly
    ok(lang(scratch_small, "mark", "pt-BR", "--key", "ui.log_day"))
    assert "ui.log_day" not in status(scratch_small, "pt-BR")["pt-BR"]["missing"]
    bad = lang(scratch_small, "mark", "pt-BR", "--key", "ui.log_dya")
    assert bad.returncode == 1 and "did you mean 'ui.log_day'" in bad.stderr


# ----------------------------------------------------------------- lang update
def test_update_adds_new_source_keys_and_keeps_translations(scratch_small):
    """A new item in the topic and its English text: `lang update` adds the key to the
    translation (with the English as a comment), keeps every translated text and its
    record, and running it again changes nothing."""
    edit(
        scratch_small / SMALL / "topic.yaml", "items: [pain, injury]", "items: [pain, injury, cold]"
    )
    edit(
        scratch_small / SMALL / "en.yaml",
        "  injury: With a recent injury",
        "  cold: Keep warm if the room is cold.\n  injury: With a recent injury",
    )
    path = scratch_small / SMALL / "fa.yaml"
    before = bundle(scratch_small).catalogs["fa"]
    assert status(scratch_small, "fa")["fa"]["missing"] == ["careful.cold"]
    out = ok(lang(scratch_small, "update", "fa"))
    assert out == f"rewrote {path}\n"
    text = path.read_text(encoding="utf-8")
    assert (
        "  # en: Keep warm if the room is cold.\n  cold: >-\n    Keep warm if the room is cold.\n"
        in text
    )
    after = bundle(scratch_small).catalogs["fa"]
    assert after.strings == before.strings  # the new key still prints the English
    row = status(scratch_small, "fa")["fa"]
    assert row["missing"] == ["careful.cold"] and row["stale"] == [] and row["unrecorded"] == []
    first = path.read_bytes()
    ok(lang(scratch_small, "update", "fa"))
    assert path.read_bytes() == first


def test_update_keeps_the_translators_notes_on_the_whole_file(scratch_small):
    """Notes at the top of a hand-written file (dialect, word choices) stay at the top,
    under makebook's own header, once, however often the file is updated or imported
    from a PO file."""
    path = scratch_small / SMALL / "fa.yaml"
    note = "# Everyday Iranian Persian; 'shoma' throughout.\n# Office words from the 2024 list."
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("language:\n", f"{note}\nlanguage:\n", 1), encoding="utf-8")
    po = scratch_small / "fa.po"
    for command in (("update", "fa"), ("update", "fa"), ("export", "fa", "--out", str(po))):
        ok(lang(scratch_small, *command))
        if command[0] == "export":  # and back: the PO file has no place for them
            ok(lang(scratch_small, "import", str(po)))
        text = path.read_text(encoding="utf-8")
        assert text.count(note) == 1, text[:600]
        assert text.count("text for handouts/") == 1
        assert text.index("text for handouts/") < text.index(note) < text.index("language:")


def test_update_refuses_an_unknown_language(scratch_small):
    result = lang(scratch_small, "update", "fr")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "fr" in result.stderr and not (scratch_small / SMALL / "fr.yaml").exists()


# ----------------------------------------------------------------- status and stale
def test_status_counts_missing_keys(scratch_small):
    edit(scratch_small / SMALL / "fa.yaml", "subtitle: >-\n  پنج دقیقه دور از صفحه‌نمایش\n", "")
    row = status(scratch_small, "fa")["fa"]
    assert row["missing"] == ["subtitle"]
    total = row["total"]
    assert row["translated"] == total - 1
    percent = int(100 * (total - 1) / total)
    assert row["percent_translated"] == percent
    text = ok(lang(scratch_small, "status", "fa"))
    assert re.search(rf"fa\s+draft\s+{percent}%\s+1\s+0\s+0", text), text
    assert "fa: 1 not translated (prints the source text):\n  subtitle\n" in text


def test_changing_an_english_string_makes_it_stale_everywhere(scratch_small):
    ok(lang(scratch_small, "new", "de"))
    ok(lang(scratch_small, "mark", "de", "--key", "ui.scan_to_watch"))
    edit(
        scratch_small / SMALL / "en.yaml",
        "  scan_to_watch: Watch it",
        "  scan_to_watch: Watch the video",
    )
    rows = status(scratch_small)
    for code in ("fa", "de"):
        assert rows[code]["stale"] == ["ui.scan_to_watch"], code
    assert rows["fa"]["percent_translated"] == 100  # still printed, but out of date
    assert rows["en"]["stale"] == []
    check = ok(run_cli("check", cwd=scratch_small))
    assert check.startswith("ok")
    # after updating the translation, the translator marks it current again
    ok(lang(scratch_small, "mark", "fa", "--stale"))
    assert status(scratch_small, "fa")["fa"]["stale"] == []
    assert status(scratch_small, "de")["de"]["stale"] == ["ui.scan_to_watch"]


def test_missing_key_falls_back_with_a_warning_and_fails_with_strict(scratch_small):
    edit(scratch_small / SMALL / "fa.yaml", "  scan_to_watch: >-\n    ببینید\n", "")
    args = ("build", "--topic", SMALL_TOPIC, "--lang", "fa", "--layout", "handout-a4")
    built = run_cli(*args, "--out", "out", cwd=scratch_small)
    assert built.returncode == 0, built.stderr
    assert "warning: fa: 1 strings not translated, using en: ui.scan_to_watch" in built.stderr
    (pdf,) = (scratch_small / "out").rglob("*.pdf")
    assert "Watch it" in page_texts(pdf)[1]  # the English label under the QR code
    strict = run_cli(*args, "--out", "strict", "--strict", cwd=scratch_small)
    assert strict.returncode == 1
    assert "ui.scan_to_watch" in strict.stderr and "--strict" in strict.stderr
    assert not (scratch_small / "strict").exists() or not list(
        (scratch_small / "strict").rglob("*.pdf")
    )


# ----------------------------------------------------------------- PO
def _catalog_state(project_dir: Path, code: str, topic: str = SMALL_TOPIC):
    b = bundle(project_dir, topic)
    lang = b.languages[code][0]
    cat = b.catalogs[code]
    return cat.strings, cat.missing, cat.stale, lang.language


@pytest.mark.parametrize("code", SHIPPED)
def test_po_export_import_is_lossless_for_every_shipped_language(scratch_project, tmp_path, code):
    topic = "infant-massage"
    before = _catalog_state(scratch_project, code, topic)
    po = tmp_path / f"{code}.po"
    out = ok(lang(scratch_project, "export", code, "--format", "po", "--out", str(po), topic=topic))
    assert out == f"{po}\n"
    ok(lang(scratch_project, "import", str(po), topic=topic))
    assert _catalog_state(scratch_project, code, topic) == before
    # a file written by import comes back byte for byte
    yaml_path = scratch_project / TOPIC / f"{code}.yaml"
    first = yaml_path.read_bytes()
    po2 = tmp_path / f"{code}-2.po"
    ok(lang(scratch_project, "export", code, "--out", str(po2), topic=topic))
    assert po2.read_bytes() == po.read_bytes()
    ok(lang(scratch_project, "import", str(po2), topic=topic))
    assert yaml_path.read_bytes() == first


def test_po_keeps_context_fuzzy_comments_and_metadata(scratch_small, tmp_path):
    import polib

    edit(scratch_small / SMALL / "en.yaml", "title: Desk breaks", "title: Breaks at the desk")
    fa = scratch_small / SMALL / "fa.yaml"
    edit(
        fa,
        "\n# en: Desk breaks\ntitle:",
        "\n# checked with the office team\n# en: Desk breaks\ntitle:",
    )
    po_path = tmp_path / "fa.po"
    ok(lang(scratch_small, "export", "fa", "--out", str(po_path)))
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgctxt == "title")
    assert entry.msgid == "Breaks at the desk" and entry.msgstr == "استراحت پشت میز"
    assert entry.fuzzy and entry.tcomment == "checked with the office team"
    step = next(e for e in po if e.msgctxt == "moves.shoulder-roll.steps.2")
    assert not step.fuzzy and step.msgstr == "آن‌ها را آرام به عقب و پایین بچرخانید."
    assert po.metadata["Language"] == "fa"
    assert po.metadata["X-Makebook-Native-Name"] == "فارسی"
    assert po.metadata["X-Makebook-Status"] == "draft"
    before = _catalog_state(scratch_small, "fa")
    ok(lang(scratch_small, "import", str(po_path)))
    assert _catalog_state(scratch_small, "fa") == before
    assert status(scratch_small, "fa")["fa"]["stale"] == ["title"]
    text = fa.read_text(encoding="utf-8")
    assert "# checked with the office team\n# en: Breaks at the desk\ntitle: >-\n" in text
    # the translator updates it in Poedit: no longer fuzzy -> current
    entry.msgstr = "استراحت کنار میز"
    entry.flags.remove("fuzzy")
    po.save(str(po_path))
    ok(lang(scratch_small, "import", str(po_path)))
    row = status(scratch_small, "fa")["fa"]
    assert row["stale"] == [] and row["percent_translated"] == 100
    assert bundle(scratch_small).catalogs["fa"].strings["title"] == "استراحت کنار میز"


def test_po_import_reports_problems_with_file_and_line(scratch_small, tmp_path):
    import polib

    po_path = tmp_path / "fa.po"
    ok(lang(scratch_small, "export", "fa", "--out", str(po_path)))
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.msgctxt == "ui.page_n_of_m":
            entry.msgstr = "برگه {n} از {totl}"
        if entry.msgctxt == "reasons.focus.full":
            entry.msgstr = entry.msgstr.replace("**", "", 2)
        if entry.msgctxt == "subtitle":
            entry.msgctxt = "subtitel"
    po.save(str(po_path))
    yaml_before = (scratch_small / SMALL / "fa.yaml").read_bytes()
    result = lang(scratch_small, "import", str(po_path))
    assert result.returncode == 1, result.stderr
    err = result.stderr
    assert re.search(r"fa\.po:\d+: unknown key 'subtitel' \(did you mean 'subtitle'\?\)", err)
    assert re.search(r"fa\.po:\d+: 'ui\.page_n_of_m': placeholders .*missing \{total\}", err)
    assert re.search(r"fa\.po:\d+: 'reasons\.focus\.full': the source has 1 \*\*bold", err)
    assert "Traceback" not in err
    assert (scratch_small / SMALL / "fa.yaml").read_bytes() == yaml_before


def test_po_import_creates_a_new_language(scratch_small, tmp_path):
    ok(lang(scratch_small, "new", "de"))
    po_path = tmp_path / "de.po"
    ok(lang(scratch_small, "export", "de", "--out", str(po_path)))
    (scratch_small / SMALL / "de.yaml").unlink()
    text = po_path.read_text(encoding="utf-8").replace(
        'msgid "Desk breaks"\nmsgstr ""', 'msgid "Desk breaks"\nmsgstr "Schreibtischpausen"'
    )
    po_path.write_text(text, encoding="utf-8")
    out = ok(lang(scratch_small, "import", str(po_path)))
    assert out == f"{scratch_small / SMALL / 'de.yaml'}: 1 translated strings\n"
    row = status(scratch_small, "de")["de"]
    assert row["translated"] == 1 and row["unrecorded"] == [] and row["native_name"] == "Deutsch"


# ----------------------------------------------------------------- review
def test_review_sets_status_reviewer_role_and_date(scratch_small):
    args = ("review", "fa", "--reviewer", "Parisa Example", "--role", "physiotherapist")
    out = ok(lang(scratch_small, *args, "--date", "2027-01-15"))
    assert out.endswith(": status reviewed by Parisa Example (physiotherapist) on 2027-01-15\n"), (
        out
    )
    row = status(scratch_small, "fa")["fa"]
    assert row["status"] == "reviewed" and row["reviewer"] == "Parisa Example"
    assert row["reviewer_role"] == "physiotherapist" and row["review_date"] == "2027-01-15"
    ok(lang(scratch_small, "new", "fr"))
    refused = lang(scratch_small, "review", "fr", "--reviewer", "X", "--role", "Y")
    assert refused.returncode == 1 and "untranslated" in refused.stderr
    assert status(scratch_small, "fr")["fr"]["status"] == "draft"
    forced = lang(
        scratch_small,
        "review",
        "fr",
        "--reviewer",
        "X",
        "--role",
        "Y",
        "--date",
        "2027-02-01",
        "--force",
    )
    assert forced.returncode == 0, forced.stderr
    row = status(scratch_small, "fr")["fr"]
    assert (row["status"], row["reviewer"], row["percent_translated"]) == ("reviewed", "X", 0)


# ----------------------------------------------------------------- glyphs
def line_col(path: Path, char: str) -> str:
    """`line:col` (1-based) of the first `char` in a file, found without the engine."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if char in line:
            return f"{number}:{line.index(char) + 1}"
    raise AssertionError(f"{char!r} not in {path}")


def test_check_fails_on_a_character_no_font_has(scratch_small):
    fa = scratch_small / SMALL / "fa.yaml"
    edit(fa, "title: >-\n  استراحت پشت میز\n", "title: استراحت پشت میز ⵣ\n")  # plain style
    result = run_cli("check", cwd=scratch_small)
    assert result.returncode == 1
    where = line_col(fa, "ⵣ")
    assert re.search(
        rf"fa\.yaml:{where}: title: 1 character in Tifinagh script \(U\+2D63 'ⵣ'\) that no "
        r"bundled font covers — add a font \(docs/fonts\.md\)",
        result.stderr,
    ), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # one line per string


def test_build_refuses_a_character_no_font_has(scratch_small):
    """A new emoji beside Persian text: a clear error with file:line:col, no tofu in a PDF
    (the old bidi code crashed on it with exit 2). It is newer than the Unicode version
    makebook knows, so it is refused as unassigned before any font is asked."""
    fa = scratch_small / SMALL / "fa.yaml"
    edit(fa, "title: >-\n  استراحت پشت میز\n", "title: استراحت پشت میز 🫨\n")
    result = run_cli(
        "build",
        "--topic",
        SMALL_TOPIC,
        "--lang",
        "fa",
        "--layout",
        "handout-a4",
        "--out",
        "out",
        cwd=scratch_small,
    )
    assert result.returncode == 1, result.stderr
    where = line_col(fa, "🫨")
    assert re.search(rf"fa\.yaml:{where}: character U\+1FAE8 is not assigned", result.stderr), (
        result.stderr
    )
    assert not list((scratch_small / "out").rglob("*.pdf"))


def test_every_shipped_string_has_glyphs():
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok: no problems found\n" and result.stderr == ""


# ----------------------------------------------------------------- dates, schemas
def test_revision_dates_follow_the_language():
    day = dt.date(2026, 11, 25)
    assert format_date(day, "es") == "25 nov 2026"
    assert format_date(day, "zh-Hans") == "2026年11月25日"
    assert format_date(day, "pl") == "25 lis 2026"
    assert format_date(day, "xx-Nope") == "2026-11-25"


def test_committed_schemas_are_up_to_date():
    stale = outdated_schemas(ROOT / "schemas")
    assert not stale, f"run `makebook schema`: {[p.name for p in stale]}"


def test_schema_command_writes_to_a_folder(tmp_path):
    ok(run_cli("schema", "--out", str(tmp_path)))
    names = sorted(p.name for p in tmp_path.iterdir())
    kinds = ("course", "language", "layout", "project", "site", "topic")
    assert names == [f"{n}.schema.json" for n in kinds]


def test_shipped_files_match_their_schema():
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    def as_json(value):  # the YAML extension reads dates as strings
        if isinstance(value, dict):
            return {str(k): as_json(v) for k, v in value.items()}
        if isinstance(value, list):
            return [as_json(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date) else value

    shipped = (
        ("language", TOPIC, "*.yaml"),
        ("topic", TOPIC, "topic.yaml"),
        ("layout", "layouts", "*.yaml"),
        ("site", "sites", "*.yaml"),
        ("course", "courses", "*.yaml"),
        ("project", ".", "makebook.yaml"),
    )
    small = SMALL_PROJECT.relative_to(ROOT)  # the test project's files too
    test_files = [(kind, str(small / folder), pattern) for kind, folder, pattern in shipped]
    test_files[0:2] = [
        ("language", f"{small}/{SMALL}", "*.yaml"),
        ("topic", f"{small}/{SMALL}", "topic.yaml"),
    ]
    checked = 0
    for kind, folder, pattern in [*shipped, *test_files]:
        schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text())
        for path in sorted((ROOT / folder).glob(pattern)):
            if kind == "language" and path.name == "topic.yaml":
                continue
            data = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
            jsonschema.validate(data, schema)
            checked += 1
    assert checked >= 2 * 6 + 8, checked
