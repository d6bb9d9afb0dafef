"""Bad input ends in one clear line with file:line, exit code 1, and no traceback."""

from __future__ import annotations

import re

import pytest

from .conftest import run_cli

TOPIC = "handouts/infant-massage"


def edit(path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def assert_user_error(result, file_pattern: str, *fragments: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert re.search(rf"{file_pattern}:\d+(:\d+)?: ", result.stderr), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def build(project_dir, *extra: str):
    return run_cli(
        "build", "--lang", "en", "--layout", "handout-a4", "--out", "out", *extra, cwd=project_dir
    )


def test_unknown_key_suggests_the_right_one(scratch_project):
    edit(scratch_project / TOPIC / "en.yaml", "subtitle:", "subtitel:")
    result = build(scratch_project)
    assert_user_error(result, r"en\.yaml", "unknown key 'subtitel'", "did you mean 'subtitle'")


def test_duplicate_key_is_an_error(scratch_project):
    edit(scratch_project / TOPIC / "en.yaml", "title: Massage", "title: One\ntitle: Massage")
    result = build(scratch_project)
    assert_user_error(result, r"en\.yaml", "duplicate key 'title'")


def test_yaml_syntax_error_names_the_line(scratch_project):
    path = scratch_project / TOPIC / "topic.yaml"
    edit(path, "source_language: en", "source_language: [en")
    result = build(scratch_project)
    assert_user_error(result, r"topic\.yaml", "YAML syntax error")


def test_missing_illustration(scratch_project):
    edit(
        scratch_project / TOPIC / "topic.yaml",
        "illustrations/leg-roll.svg",
        "illustrations/leg-rol.svg",
    )
    result = build(scratch_project)
    assert_user_error(result, r"topic\.yaml", "file not found", "leg-rol.svg")


def test_http_url_is_refused(scratch_project):
    path = scratch_project / TOPIC / "topic.yaml"
    text = path.read_text(encoding="utf-8")
    first = re.search(r"video: https://", text)
    assert first
    path.write_text(
        text[: first.start()] + "video: http://" + text[first.end() :], encoding="utf-8"
    )
    result = build(scratch_project)
    assert_user_error(result, r"topic\.yaml", "https://")


def test_check_reports_every_problem_in_one_run(scratch_project):
    edit(scratch_project / TOPIC / "en.yaml", "subtitle:", "subtitel:")
    edit(
        scratch_project / TOPIC / "topic.yaml",
        "illustrations/leg-roll.svg",
        "illustrations/nope.svg",
    )
    result = run_cli("check", cwd=scratch_project)
    assert result.returncode == 1
    assert "subtitel" in result.stderr and "nope.svg" in result.stderr


def test_missing_source_string_is_named(scratch_project):
    path = scratch_project / TOPIC / "en.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\n    repeat: [^\n]*", "", text, count=1)
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", cwd=scratch_project)
    assert result.returncode == 1
    assert re.search(r"missing text 'techniques\.[a-z-]+\.repeat'", result.stderr), result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (("build", "--layout", "handout-a3"), "unknown layout 'handout-a3'"),
        (("build", "--lang", "xx"), "unknown language 'xx'"),
        (("build", "--nope"), "No such option"),
    ],
)
def test_bad_options_exit_1(args, message):
    result = run_cli(*args, "--out", "/tmp/makebook-never")
    assert result.returncode == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_failed_build_keeps_the_earlier_output(scratch_project):
    assert build(scratch_project).returncode == 0
    pdf = scratch_project / "out" / "infant-massage" / "en" / "handout-a4.pdf"
    before = pdf.read_bytes()
    edit(scratch_project / TOPIC / "en.yaml", "subtitle:", "subtitel:")
    assert build(scratch_project).returncode == 1
    assert pdf.read_bytes() == before
