"""A language written in a style of its own (Urdu in Nastaliq, by fonts.yaml's
`language_scripts`) is set in it wherever the layout holds it; where it does not (the
two-page handouts: Nastaliq needs about twice Naskh's line height), in the script's
plain style (Naskh), and the build says so in one line, the manifest and the catalog
page record it, and the web page, which reflows, keeps the own style."""

from __future__ import annotations

import json

from pypdf import PdfReader

from .conftest import run_cli
from .pdfcheck import fonts_embedded

NOTE = (
    "note: infant-massage/ur/handout-a4: set in NotoNaskhArabic instead of NotoNastaliqUrdu, "
    "which does not fit: "
)


def families(path) -> set[str]:
    """The font families a PDF embeds ("NotoNastaliqUrdu" for "ABCDEF+NotoNastaliqUrdu-Bold")."""
    return {name.split("+")[-1].split("-")[0].lstrip("/") for name, _e in fonts_embedded(path)}


def build_urdu(out, *options: str):
    return run_cli(
        "build", "--topic", "infant-massage", "--lang", "ur",
        "--layout", "trifold-a4", "--layout", "handout-a4", "--out", str(out), *options,
    )  # fmt: skip


def test_urdu_is_nastaliq_where_it_fits_and_naskh_where_not_said_in_one_line(tmp_path) -> None:
    out = tmp_path / "out"
    result = build_urdu(out)
    assert result.returncode == 0, result.stderr
    folder = out / "infant-massage" / "ur"
    trifold, handout = families(folder / "trifold-a4.pdf"), families(folder / "handout-a4.pdf")
    assert "NotoNastaliqUrdu" in trifold and "NotoNaskhArabic" not in trifold, trifold
    assert "NotoNaskhArabic" in handout and "NotoNastaliqUrdu" not in handout, handout
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and notes[0].startswith(NOTE), result.stderr
    assert "at the 10.5 pt minimum" in notes[0]  # why: what ran over, and by how much

    files = json.loads((out / ".makebook" / "manifest.json").read_text())["files"]
    recorded = files["infant-massage/ur/handout-a4.pdf"]["plain_style"]
    assert recorded["own"] == ["NotoNastaliqUrdu"] and recorded["plain"] == ["NotoNaskhArabic"]
    assert files["infant-massage/ur/trifold-a4.pdf"]["plain_style"] is None
    assert "Set in NotoNaskhArabic" in (out / "index.html").read_text()
    # the web version reflows: it has room for Nastaliq, and links that font only
    web = (folder / "handout-a4.html").read_text()
    assert "NotoNastaliqUrdu-Regular.ttf" in web and "NotoNaskhArabic" not in web

    again = build_urdu(out)  # nothing changed: both are current, and the note is said again
    assert again.returncode == 0 and "2 up to date" in again.stdout, again.stdout
    assert [line for line in again.stderr.splitlines() if line.startswith("note:")] == notes
    quiet = build_urdu(out, "--quiet")  # a note is not a problem: --quiet prints none
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_only_a_language_with_a_style_of_its_own_is_set_again_in_the_plain_one(tmp_path) -> None:
    """Arabic has no style of its own: its overflow stays the error naming the block
    (`plain_style` is None and the job raises it). A bilingual document falls back when
    its second language has one."""
    from printshop.catalog.jobs import Job, plain_style
    from printshop.content.fonttable import builtin_fonts
    from printshop.layout.compose import DoesNotFit

    overflow = DoesNotFit("too long", "help-box overflows page 2 by 3 mm").why
    fonts = builtin_fonts()
    assert plain_style(Job("t", "ar", "handout-a4", tmp_path), fonts, overflow) is None
    urdu = plain_style(Job("t", "en", "handout-a4", tmp_path, bilingual="ur"), fonts, overflow)
    assert urdu is not None and urdu.plain == ("NotoNaskhArabic",)


def test_a_layouts_page_goal_sets_urdu_in_naskh_when_that_is_shorter_and_warns_when_over(
    scratch_project, tmp_path
) -> None:
    """A layout's `page_goal` (large print: 4 pages) is kept where a plain style can: Urdu
    that takes more pages in Nastaliq is set in Naskh, said in a note; a document over the
    goal in any style is built, with a warning naming its pages and the goal."""
    layouts = scratch_project / "layouts"
    layouts.mkdir(exist_ok=True)
    (layouts / "handout-a4-short.yaml").write_text(
        "extends: handout-a4-large\nname: handout-a4-short\npage_goal: 3\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    args = ("--project", str(scratch_project), "build", "--topic", "infant-massage")
    result = run_cli(*args, "--lang", "ur", "--lang", "en", "--layout", "handout-a4-short",
                     "--out", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    urdu = out / "infant-massage" / "ur" / "handout-a4-short.pdf"
    ur_pages = len(PdfReader(urdu).pages)
    note = "note: infant-massage/ur/handout-a4-short: set in NotoNaskhArabic instead of "
    assert any(line.startswith(note) and "the layout is for 3" in line for line in lines), lines
    assert "NotoNaskhArabic" in families(urdu) and "NotoNastaliqUrdu" not in families(urdu)
    en_pages = len(PdfReader(out / "infant-massage" / "en" / "handout-a4-short.pdf").pages)
    for lang, pages in (("en", en_pages), ("ur", ur_pages)):
        warning = (
            f"warning: infant-massage/{lang}/handout-a4-short: {pages} pages, more than the 3 "
            "this layout is meant for"
        )
        assert (pages > 3) == any(line.startswith(warning) for line in lines), (lang, lines)
    assert en_pages > 3  # English large print takes 4: the warning is tested
