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
    families = {face.family for face in table.faces()}
    assert families == {
        "NotoSans",
        "NotoNaskhArabic",
        "NotoNastaliqUrdu",
        "NotoSansHebrew",
        "NotoSansDevanagari",
        "NotoSansBengali",
        "NotoSansGurmukhi",
        "NotoSansGujarati",
        "NotoSansTamil",
        "NotoSansSinhala",
        "NotoSansEthiopic",
        "NotoSansThai",
        "NotoLoopedLao",
        "NotoSerifKhmer",
        "NotoSansMyanmar",
        "WenQuanYiMicroHei",
    }
    # every family has a real bold face, except the CJK one (simulated)
    for family in families - {"WenQuanYiMicroHei"}:
        assert table.face(family, bold=True).key == family + "-Bold"
    assert table.face("WenQuanYiMicroHei", bold=True).fake_bold
    assert not table.face("NotoSans", bold=True).fake_bold
    assert table.fallback[0] == table.default == "NotoSans"
    for script in ("Latn", "Grek", "Cyrl"):
        assert table.scripts[script] == "NotoSans"
    assert table.scripts["Arab"] == "NotoNaskhArabic"
    for script in ("Hani", "Hira", "Kana", "Bopo", "Hang"):
        assert table.scripts[script] == "WenQuanYiMicroHei"
    for lang in ("zh-Hans", "ko", "ja"):
        assert table.language_family(lang) == "WenQuanYiMicroHei"
    # Urdu in Nastaliq, the style of its own (Naskh, the script's plain one, where a
    # layout cannot hold it: its lines are at least 1.7 em apart); Farsi and Pashto in Naskh
    assert table.script_families("ur")["Arab"] == "NotoNastaliqUrdu"
    assert table.own_styles(["ur"]) == {"NotoNastaliqUrdu": "NotoNaskhArabic"}
    assert table.face("NotoNastaliqUrdu").line_height == 1.7
    assert table.script_families("fa")["Arab"] == table.script_families("ps")["Arab"]
    assert table.script_families("ps")["Arab"] == "NotoNaskhArabic"
    assert table.language_family("ur") == "NotoNastaliqUrdu"
    assert table.language_family("fa") == "NotoNaskhArabic"
    assert table.language_family("mr") == "NotoSansDevanagari"
    assert table.language_family("as") == "NotoSansBengali"
    assert table.language_family("vi") == "NotoSans"
    assert table.language_family("am") == table.language_family("ti") == "NotoSansEthiopic"


def test_every_bundled_font_is_truetype_and_unique() -> None:
    """reportlab embeds only TrueType outlines; each file once (a second copy of a font
    under another family would embed twice), each with its licence beside it."""
    from fontTools.ttLib import TTFont

    table = load_font_table(FONTS_DIR / "fonts.yaml")
    paths = {face.path for face in table.faces()}
    assert paths == set(FONTS_DIR.glob("*.ttf"))  # no file left unused
    names = []
    for path in paths:
        font = TTFont(path, lazy=True)
        assert "glyf" in font and "CFF " not in font, path.name
        names.append(font["name"].getDebugName(6))
        licence = font["name"].getDebugName(13) or ""
        assert "Open Font License" in licence or "Apache" in licence, path.name
    assert len(names) == len(set(names))
    assert (FONTS_DIR / "OFL.txt").is_file() and (FONTS_DIR / "Apache-2.0.txt").is_file()


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
