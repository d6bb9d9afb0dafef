"""fonts.yaml: the built-in table, and clear errors with file:line for a broken one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from printshop.content.fonttable import load_font_table
from printshop.errors import UserError

ROOT = Path(__file__).resolve().parent.parent
FONTS_DIR = ROOT / "assets" / "fonts"
SMALL = """\
families:
  NotoSans:
    regular: NotoSans-Regular.ttf
    bold: NotoSans-Regular.ttf
scripts:
  Latn: NotoSans
default: NotoSans
fallback: [NotoSans]
"""


def test_builtin_table() -> None:
    table = load_font_table(FONTS_DIR / "fonts.yaml")
    assert sorted(face.key for face in table.faces()) == [
        "DroidSansFallback",
        "NotoNaskhArabic",
        "NotoNaskhArabic-Bold",
        "NotoSans",
        "NotoSans-Bold",
        "NotoSans-BoldItalic",
        "NotoSans-Italic",
        "NotoSansBengali",
        "NotoSansBengali-Bold",
        "NotoSansDevanagari",
        "NotoSansDevanagari-Bold",
    ]
    assert table.fallback[0] == table.default == "NotoSans"
    for script in ("Latn", "Grek", "Cyrl"):
        assert table.scripts[script] == "NotoSans"
    assert table.scripts["Arab"] == "NotoNaskhArabic"
    for script in ("Hani", "Hira", "Kana", "Bopo", "Hang"):
        assert table.scripts[script] == "DroidSansFallback"
    assert table.language_family("zh-Hans") == "DroidSansFallback"
    assert table.language_family("ur") == table.language_family("fa") == "NotoNaskhArabic"
    assert table.language_family("mr") == "NotoSansDevanagari"
    assert table.language_family("as") == "NotoSansBengali"
    assert table.language_family("vi") == "NotoSans"
    assert table.face("DroidSansFallback", bold=True).fake_bold
    assert not table.face("NotoSans", bold=True).fake_bold


def write(tmp_path: Path, text: str) -> Path:
    shutil.copy(FONTS_DIR / "NotoSans-Regular.ttf", tmp_path)
    path = tmp_path / "fonts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(UserError) as caught:
        load_font_table(path)
    return [str(p) for p in caught.value.problems]


def test_small_table_loads(tmp_path) -> None:
    table = load_font_table(write(tmp_path, SMALL))
    assert table.face("NotoSans", bold=True).key == "NotoSans-Bold"


def test_typo_in_a_key_names_its_line(tmp_path) -> None:
    path = write(tmp_path, SMALL.replace("    bold:", "    bold_itallic:"))
    (found,) = problems(path)
    assert found.endswith(
        "fonts.yaml:4:5: unknown key 'bold_itallic' (did you mean 'bold_italic'?)"
    )


def test_unknown_family_and_missing_file_are_all_reported(tmp_path) -> None:
    text = (
        SMALL.replace("Latn: NotoSans", "Latn: NotoSan\n  Arab: Amiri")
        .replace("bold: NotoSans-Regular.ttf", "bold: NotoSans-Bolt.ttf")
        .replace("fallback: [NotoSans]", "fallback: [NotoSans, NotoSans]")
    )
    found = [p.split("fonts.yaml:")[1] for p in problems(write(tmp_path, text))]
    assert found == [
        f"4:5: file not found: {tmp_path.name}/NotoSans-Bolt.ttf",
        "6:3: unknown font family 'NotoSan' (did you mean 'NotoSans'?)",
        "7:3: unknown font family 'Amiri'",
        "9:22: 'NotoSans' is listed twice",
    ]


def test_bad_script_code(tmp_path) -> None:
    (found,) = problems(write(tmp_path, SMALL.replace("Latn:", "latin:")))
    assert found.endswith(
        "fonts.yaml:6:3: scripts.latin: String should match pattern '^[A-Z][a-z]{3}$'"
    )


def test_every_family_is_in_the_fallback_order(tmp_path) -> None:
    text = SMALL.replace("scripts:", "  Other:\n    regular: NotoSans-Regular.ttf\nscripts:")
    (found,) = problems(write(tmp_path, text))
    assert found.endswith("fonts.yaml:10:1: font family 'Other' is missing from fallback")


def test_font_file_must_stay_in_the_folder(tmp_path) -> None:
    text = SMALL.replace("bold: NotoSans-Regular.ttf", "bold: ../NotoSans-Regular.ttf")
    (found,) = problems(write(tmp_path, text))
    assert found.endswith(
        "fonts.yaml:4:5: path '../NotoSans-Regular.ttf' must stay inside "
        f"{tmp_path.name}/ (no '..' or absolute paths)"
    )
