"""`makebook check --readability`: reading grades per topic and language."""

from __future__ import annotations

import re

from .conftest import run_cli

TOPIC = "handouts/infant-massage"


def grades(output: str, lang: str) -> dict[str, float]:
    block = output.split(f"infant-massage/{lang}:", 1)[1].split("infant-massage/", 1)[0]
    return {
        m[0]: float(m[1]) for m in re.findall(r"^  (handout|full texts)\s+([\d.]+)", block, re.M)
    }


def test_english_handout_and_full_texts_read_at_grade_six_or_lower():
    result = run_cli("check", "--readability", "--lang", "en")
    assert result.returncode == 0, result.stderr
    found = grades(result.stdout, "en")
    assert set(found) == {"handout", "full texts"}
    assert all(0 < grade <= 6 for grade in found.values()), found
    assert "Flesch–Kincaid" in result.stdout


def test_a_hard_sentence_is_flagged_and_shown(scratch_project):
    path = scratch_project / TOPIC / "en.yaml"
    hard = (
        "Notwithstanding considerable methodological heterogeneity, investigators "
        "characterised physiological improvements attributable to intervention."
    )
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^intro: .*$", f"intro: {hard}", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", "--readability", "--lang", "en", cwd=scratch_project)
    assert result.returncode == 0, result.stderr
    hardest = result.stdout.split("handout", 1)[1].splitlines()[1]
    assert "Notwithstanding" in hardest
    assert float(hardest.split()[0]) > 6


def test_languages_without_a_formula_say_so():
    result = run_cli("check", "--readability", "--lang", "pl")
    assert "infant-massage/pl: no readability formula for this language" in result.stdout
