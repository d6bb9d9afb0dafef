"""Translator workflow: new language files, status, stale strings, PO round trip, glyphs."""

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

from .conftest import ROOT, run_cli

TOPIC = "handouts/infant-massage"
SHIPPED = ["es", "pl", "ar", "bn", "zh-Hans", "vi"]
SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/language.schema.json"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def ok(result) -> str:
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stdout


def status(project_dir: Path, *codes: str) -> dict[str, dict]:
    out = ok(
        run_cli("lang", "status", "--topic", "infant-massage", *codes, "--json", cwd=project_dir)
    )
    return {row["code"]: row for row in json.loads(out)["languages"]}


def bundle(project_dir: Path):
    out = Collector()
    loaded = load_bundle(Project.discover(project_dir), "infant-massage", out)
    out.raise_if_any()
    return loaded


# ----------------------------------------------------------------- shipped files
def test_shipped_translations_are_marked_complete_and_current():
    rows = status(ROOT)
    for code in SHIPPED:
        row = rows[code]
        assert row["percent_translated"] == 100, code
        assert row["missing"] == [] and row["stale"] == [] and row["unrecorded"] == [], code
        assert row["status"] == "draft"
    assert rows["en"]["source"] and rows["en"]["status"] == "draft"  # no clinician sign-off yet


def test_shipped_language_files_name_their_schema():
    for code in ["en", *SHIPPED]:
        first = (ROOT / TOPIC / f"{code}.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert first == SCHEMA_LINE, code


# ----------------------------------------------------------------- lang new
def test_lang_new_creates_a_loadable_file_with_every_key(scratch_project):
    out = ok(run_cli("lang", "new", "--topic", "infant-massage", "ti", cwd=scratch_project))
    assert "ti.yaml" in out
    path = scratch_project / TOPIC / "ti.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == SCHEMA_LINE
    lang, _doc = load_model(path, LanguageFile)
    assert lang.language.code == "ti" and lang.language.name == "Tigrinya"
    assert lang.language.native_name == "ትግርኛ" and lang.language.status == "draft"
    b = bundle(scratch_project)
    source = b.languages["en"][0]
    keys = expected_keys(b.topic, flatten(source))
    assert set(flatten(lang)) == set(keys)
    # every text is prefilled with the English, shown as a comment above it
    assert "# en: Massage for your baby\ntitle: >-\n  Massage for your baby\n" in text
    row = status(scratch_project, "ti")["ti"]
    assert row["percent_translated"] == 0 and len(row["missing"]) == len(keys)
    # a file nobody has translated yet still builds (in English) and checks
    ok(run_cli("check", cwd=scratch_project))
    # refuses to overwrite
    again = run_cli("lang", "new", "--topic", "infant-massage", "ti", cwd=scratch_project)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_translating_then_marking_a_new_file(scratch_project):
    ok(run_cli("lang", "new", "--topic", "infant-massage", "pt-BR", cwd=scratch_project))
    path = scratch_project / TOPIC / "pt-BR.yaml"
    edit(path, "title: >-\n  Massage for your baby\n", "title: >-\n  Massagem: para o seu bebê\n")
    row = status(scratch_project, "pt-BR")["pt-BR"]
    assert "title" not in row["missing"] and row["unrecorded"] == ["title"]
    assert row["translated"] == 1
    ok(run_cli("lang", "mark", "--topic", "infant-massage", "pt-BR", cwd=scratch_project))
    row = status(scratch_project, "pt-BR")["pt-BR"]
    assert row["unrecorded"] == [] and row["stale"] == []
    # a text that stays the same in the translation can be marked explicitly
    ok(
        run_cli(
            "lang",
            "mark",
            "--topic",
            "infant-massage",
            "pt-BR",
            "--key",
            "ui.log_day",
            cwd=scratch_project,
        )
    )
    assert "ui.log_day" not in status(scratch_project, "pt-BR")["pt-BR"]["missing"]
    bad = run_cli(
        "lang",
        "mark",
        "--topic",
        "infant-massage",
        "pt-BR",
        "--key",
        "ui.log_dya",
        cwd=scratch_project,
    )
    assert bad.returncode == 1 and "did you mean 'ui.log_day'" in bad.stderr


# ----------------------------------------------------------------- status and stale
def test_status_counts_missing_keys(scratch_project):
    edit(
        scratch_project / TOPIC / "es.yaml",
        "subtitle: Una forma suave de estar cerca\n",
        "",
    )
    row = status(scratch_project, "es")["es"]
    assert row["missing"] == ["subtitle"]
    total = row["total"]
    assert row["translated"] == total - 1
    assert row["percent_translated"] == int(100 * (total - 1) / total)
    text = ok(run_cli("lang", "status", "--topic", "infant-massage", "es", cwd=scratch_project))
    assert re.search(r"es\s+draft\s+99%\s+1\s+0\s+0", text), text
    assert "  subtitle" in text


def test_changing_an_english_string_makes_it_stale_everywhere(scratch_project):
    edit(
        scratch_project / TOPIC / "en.yaml",
        "  scan_to_watch: Scan to watch",
        "  scan_to_watch: Scan the code to watch",
    )
    rows = status(scratch_project)
    for code in SHIPPED:
        assert rows[code]["stale"] == ["ui.scan_to_watch"], code
        assert rows[code]["percent_translated"] == 100  # still printed, but out of date
    assert rows["en"]["stale"] == []
    check = ok(run_cli("check", cwd=scratch_project))
    assert check.startswith("ok")
    # after updating the translation, the translator marks it current again
    ok(run_cli("lang", "mark", "--topic", "infant-massage", "es", "--stale", cwd=scratch_project))
    assert status(scratch_project, "es")["es"]["stale"] == []
    assert status(scratch_project, "pl")["pl"]["stale"] == ["ui.scan_to_watch"]


def test_missing_key_falls_back_with_a_warning_and_fails_with_strict(scratch_project):
    edit(scratch_project / TOPIC / "es.yaml", "  scan_to_watch: Escanea para ver\n", "")
    args = ("build", "--lang", "es", "--layout", "handout-a4", "--out", "out")
    built = run_cli(*args, "--force", cwd=scratch_project)
    assert built.returncode == 0, built.stderr
    assert "warning: es: 1 strings not translated, using en: ui.scan_to_watch" in built.stderr
    strict = run_cli(*args, "--force", "--strict", cwd=scratch_project)
    assert strict.returncode == 1
    assert "ui.scan_to_watch" in strict.stderr and "--strict" in strict.stderr


# ----------------------------------------------------------------- PO
def _catalog_state(project_dir: Path, code: str):
    b = bundle(project_dir)
    lang = b.languages[code][0]
    cat = b.catalogs[code]
    return cat.strings, cat.missing, cat.stale, lang.language


def test_po_export_import_is_lossless_for_every_shipped_language(scratch_project, tmp_path):
    for code in SHIPPED:
        before = _catalog_state(scratch_project, code)
        po = tmp_path / f"{code}.po"
        ok(
            run_cli(
                "lang",
                "export",
                "--topic",
                "infant-massage",
                code,
                "--format",
                "po",
                "--out",
                str(po),
                cwd=scratch_project,
            )
        )
        ok(run_cli("lang", "import", "--topic", "infant-massage", str(po), cwd=scratch_project))
        assert _catalog_state(scratch_project, code) == before, code
        # a file written by import comes back byte for byte
        yaml_path = scratch_project / TOPIC / f"{code}.yaml"
        first = yaml_path.read_bytes()
        po2 = tmp_path / f"{code}-2.po"
        ok(
            run_cli(
                "lang",
                "export",
                "--topic",
                "infant-massage",
                code,
                "--out",
                str(po2),
                cwd=scratch_project,
            )
        )
        assert po2.read_bytes() == po.read_bytes(), code
        ok(run_cli("lang", "import", "--topic", "infant-massage", str(po2), cwd=scratch_project))
        assert yaml_path.read_bytes() == first, code


def test_po_keeps_context_fuzzy_comments_and_metadata(scratch_project, tmp_path):
    import polib

    edit(scratch_project / TOPIC / "en.yaml", "title: Massage for your baby", "title: Baby massage")
    edit(
        scratch_project / TOPIC / "pl.yaml", "\ntitle:", "\n# checked with the midwife team\ntitle:"
    )
    po_path = tmp_path / "pl.po"
    ok(
        run_cli(
            "lang",
            "export",
            "--topic",
            "infant-massage",
            "pl",
            "--out",
            str(po_path),
            cwd=scratch_project,
        )
    )
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgctxt == "title")
    assert entry.msgid == "Baby massage" and entry.msgstr == "Masaż dla twojego dziecka"
    assert entry.fuzzy and entry.tcomment == "checked with the midwife team"
    step = next(e for e in po if e.msgctxt == "techniques.leg-milking.steps.2")
    assert not step.fuzzy and step.msgstr
    assert po.metadata["Language"] == "pl"
    assert po.metadata["X-Makebook-Native-Name"] == "Polski"
    assert po.metadata["X-Makebook-Status"] == "draft"
    before = _catalog_state(scratch_project, "pl")
    ok(run_cli("lang", "import", "--topic", "infant-massage", str(po_path), cwd=scratch_project))
    assert _catalog_state(scratch_project, "pl") == before
    assert status(scratch_project, "pl")["pl"]["stale"] == ["title"]
    text = (scratch_project / TOPIC / "pl.yaml").read_text(encoding="utf-8")
    assert "# checked with the midwife team\n# en: Baby massage\ntitle: >-\n" in text
    # the translator updates it in Poedit: no longer fuzzy -> current
    entry.msgstr = "Masaż niemowlęcia"
    entry.flags.remove("fuzzy")
    po.save(str(po_path))
    ok(run_cli("lang", "import", "--topic", "infant-massage", str(po_path), cwd=scratch_project))
    row = status(scratch_project, "pl")["pl"]
    assert row["stale"] == [] and row["percent_translated"] == 100
    assert bundle(scratch_project).catalogs["pl"].strings["title"] == "Masaż niemowlęcia"


def test_po_import_reports_problems_with_file_and_line(scratch_project, tmp_path):
    import polib

    po_path = tmp_path / "es.po"
    ok(
        run_cli(
            "lang",
            "export",
            "--topic",
            "infant-massage",
            "es",
            "--out",
            str(po_path),
            cwd=scratch_project,
        )
    )
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.msgctxt == "ui.page_n_of_m":
            entry.msgstr = "Página {n} de {totl}"
        if entry.msgctxt == "benefits.breathing.full":
            entry.msgstr = entry.msgstr.replace("**", "", 2)
        if entry.msgctxt == "subtitle":
            entry.msgctxt = "subtitel"
    po.save(str(po_path))
    yaml_before = (scratch_project / TOPIC / "es.yaml").read_bytes()
    result = run_cli(
        "lang", "import", "--topic", "infant-massage", str(po_path), cwd=scratch_project
    )
    assert result.returncode == 1, result.stderr
    err = result.stderr
    assert re.search(r"es\.po:\d+: unknown key 'subtitel' \(did you mean 'subtitle'\?\)", err)
    assert re.search(r"es\.po:\d+: 'ui\.page_n_of_m': placeholders .*missing \{total\}", err)
    assert re.search(r"es\.po:\d+: 'benefits\.breathing\.full': the source has 1 \*\*bold", err)
    assert "Traceback" not in err
    assert (scratch_project / TOPIC / "es.yaml").read_bytes() == yaml_before


def test_po_import_creates_a_new_language(scratch_project, tmp_path):
    ok(run_cli("lang", "new", "--topic", "infant-massage", "de", cwd=scratch_project))
    po_path = tmp_path / "de.po"
    ok(
        run_cli(
            "lang",
            "export",
            "--topic",
            "infant-massage",
            "de",
            "--out",
            str(po_path),
            cwd=scratch_project,
        )
    )
    (scratch_project / TOPIC / "de.yaml").unlink()
    text = po_path.read_text(encoding="utf-8").replace(
        'msgid "Massage for your baby"\nmsgstr ""',
        'msgid "Massage for your baby"\nmsgstr "Babymassage"',
    )
    po_path.write_text(text, encoding="utf-8")
    ok(run_cli("lang", "import", "--topic", "infant-massage", str(po_path), cwd=scratch_project))
    row = status(scratch_project, "de")["de"]
    assert row["translated"] == 1 and row["unrecorded"] == [] and row["native_name"] == "Deutsch"


# ----------------------------------------------------------------- review
def test_review_sets_status_reviewer_and_date(scratch_project):
    ok(
        run_cli(
            "lang",
            "review",
            "--topic",
            "infant-massage",
            "vi",
            "--reviewer",
            "Nguyễn Thị Lan",
            "--role",
            "midwife, native speaker",
            "--date",
            "2027-01-15",
            cwd=scratch_project,
        )
    )
    row = status(scratch_project, "vi")["vi"]
    assert row["status"] == "reviewed" and row["reviewer"] == "Nguyễn Thị Lan"
    assert row["reviewer_role"] == "midwife, native speaker"
    assert row["review_date"] == "2027-01-15"
    ok(run_cli("lang", "new", "--topic", "infant-massage", "fr", cwd=scratch_project))
    refused = run_cli(
        "lang",
        "review",
        "--topic",
        "infant-massage",
        "fr",
        "--reviewer",
        "X",
        "--role",
        "Y",
        cwd=scratch_project,
    )
    assert refused.returncode == 1 and "untranslated" in refused.stderr


# ----------------------------------------------------------------- glyphs
def test_check_fails_on_a_character_no_font_has(scratch_project):
    edit(
        scratch_project / TOPIC / "pl.yaml",
        "title: Masaż dla twojego dziecka",
        "title: Masaż dla twojego dziecka ⵣ",
    )
    result = run_cli("check", cwd=scratch_project)
    assert result.returncode == 1
    assert re.search(
        r"pl\.yaml:\d+:34: title: 1 character in Tifinagh script \(U\+2D63 'ⵣ'\) that no "
        r"bundled font covers — add a font \(docs/fonts\.md\)",
        result.stderr,
    ), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # one line per string


def test_build_refuses_a_character_no_font_has(scratch_project):
    """A new emoji beside Arabic text: a clear error with file:line, no tofu in a PDF
    (the old bidi code crashed on it with exit 2)."""
    edit(scratch_project / TOPIC / "ar.yaml", "\ntitle: تدليك طفلك", "\ntitle: تدليك طفلك 🫨")
    result = run_cli(
        "build", "--lang", "ar", "--layout", "handout-a4", "--out", "out", cwd=scratch_project
    )
    assert result.returncode == 1, result.stderr
    assert re.search(r"ar\.yaml:\d+:19: title: 1 character .*U\+1FAE8", result.stderr), (
        result.stderr
    )
    assert not (scratch_project / "out" / "infant-massage" / "ar" / "handout-a4.pdf").exists()


def test_every_shipped_string_has_glyphs():
    result = run_cli("check")
    assert result.returncode == 0, result.stderr


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
    for kind, folder, pattern in shipped:
        schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text())
        for path in sorted((ROOT / folder).glob(pattern)):
            if kind == "language" and path.name == "topic.yaml":
                continue
            data = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
            jsonschema.validate(data, schema)
