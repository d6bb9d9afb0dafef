"""Shared fixtures: build the handouts once per test session and read them back."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

import makebook
from printshop.cache import CACHE_ENV
from printshop.catalog.jobs import Job, Result, build_one
from printshop.project import Project, builtin_root

ROOT = Path(__file__).resolve().parent.parent
HANDOUT_LAYOUTS = ["handout-a4", "handout-letter"]
# The suite's own content project (tests/project): a small made-up topic whose wording,
# section ids and counts differ from the shipped one. Tests of structure, errors,
# hostile input, translator commands, fitting and imposition use it, so an edit to the
# shipped content breaks only the tests about the shipped content.
SMALL_PROJECT = ROOT / "tests" / "project"
SMALL_TOPIC = "desk-breaks"


@pytest.fixture(scope="session", autouse=True)
def own_cache(tmp_path_factory) -> Iterator[Path]:
    """The engine's on-disk cache (compiled art, checked files) in a folder of the
    session's own: never the user's, and filled by the suite itself."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(folder))
        yield folder


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(builtin_root(), ROOT)


@pytest.fixture(scope="session")
def small_project() -> Project:
    """The test project (read only): its topic, layout, site and course on top of the
    built-in data."""
    return Project(builtin_root(), SMALL_PROJECT)


@pytest.fixture(scope="session")
def small_built(tmp_path_factory, small_project) -> dict[tuple[str, str], Result]:
    """The test topic in English and Persian: A4 handout, A5 and half-Letter booklets
    (with the test project's course) and the project's own one-page layout; what each
    build reported. Built once per worker; read, never written."""
    out = tmp_path_factory.mktemp("test-topic")
    course = SMALL_PROJECT / "courses" / "class.yaml"
    results = {}
    for lang in ("en", "fa"):
        for layout in ("handout-a4", "booklet-a5", "booklet-letter", "reminder-a5"):
            job = Job(
                SMALL_TOPIC, lang, layout, out, course=course if "booklet" in layout else None
            )
            result = build_one(small_project, job, force=True)
            assert result.status == "built", result.messages
            results[(lang, layout)] = result
    return results


@pytest.fixture(scope="session")
def small_booklets(tmp_path_factory, small_project) -> dict[str, Path]:
    """The test topic's A5 booklet without a course, in English and Persian."""
    out = tmp_path_factory.mktemp("test-topic-booklets")
    paths = {}
    for lang in ("en", "fa"):
        result = build_one(small_project, Job(SMALL_TOPIC, lang, "booklet-a5", out), force=True)
        assert result.status == "built", result.messages
        paths[lang] = result.job.path
    return paths


@pytest.fixture(scope="session")
def built_results(tmp_path_factory, project) -> dict[str, Result]:
    """English handouts in both layouts, no site file: what each build reported."""
    out = tmp_path_factory.mktemp("out")
    results = {}
    for layout in HANDOUT_LAYOUTS:
        result = build_one(project, Job("infant-massage", "en", layout, out), force=True)
        assert result.status == "built", result.messages
        results[layout] = result
    return results


@pytest.fixture(scope="session")
def built(built_results) -> dict[str, Path]:
    """English handouts in both layouts, no site file."""
    return {layout: result.job.path for layout, result in built_results.items()}


@pytest.fixture(scope="session")
def built_with_site(tmp_path_factory, project) -> Path:
    out = tmp_path_factory.mktemp("out-site")
    job = Job("infant-massage", "en", "handout-a4", out, ROOT / "sites" / "example.yaml")
    result = build_one(project, job, force=True)
    assert result.status == "built", result.messages
    return result.job.path


@dataclass(frozen=True)
class CliResult:
    """What a user sees of one run: exit code, stdout, stderr (as subprocess.run gives)."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _working_dir(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def _forget_loaded_inputs() -> None:
    """Empty the engine's per-process caches, as a fresh process would start.

    Tests edit files between runs in one scratch folder; a cache keyed by project and
    name (topic bundles, layouts) would otherwise hand the next run the old content.
    """
    for name, module in list(sys.modules.items()):
        if name != "printshop" and not name.startswith("printshop."):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()


def _exit_code(exc: SystemExit, err) -> int:
    """The exit code the interpreter would give for this SystemExit."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    err.write(f"{exc.code}\n".encode())
    return 1


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> CliResult:
    """Run makebook as a user would, in this process: the same exit code (0, 1 or 2),
    stdout and stderr as the `makebook` command, from `cwd`, with `env` added."""
    runner = CliRunner()
    with _working_dir(cwd), runner.isolation(env=env) as (out, err, _output):
        _forget_loaded_inputs()
        try:
            code = makebook.run(list(args), prog_name="makebook")
        except SystemExit as exc:
            code = _exit_code(exc, err)
        sys.stdout.flush()
        sys.stderr.flush()
        stdout, stderr = out.getvalue(), err.getvalue()
    return CliResult(args, code, stdout.decode("utf-8"), stderr.decode("utf-8"))


def run_process(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, entry_point: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run makebook in a process of its own (exit codes, signals, the installed command).

    `entry_point`: the `makebook` command the package installs, else `python makebook.py`.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    command = (
        [str(Path(sys.executable).with_name("makebook"))]
        if entry_point
        else [
            sys.executable,
            str(ROOT / "makebook.py"),
        ]
    )
    return subprocess.run(
        [*command, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture()
def scratch_small(tmp_path) -> Path:
    """A writable copy of the test project (the built-in data stays shared, read only)."""
    target = tmp_path / "project"
    shutil.copytree(SMALL_PROJECT, target)
    return target


@pytest.fixture()
def scratch_project(tmp_path) -> Path:
    """A writable copy of the content and layouts; assets are shared read-only."""
    for folder in ("handouts", "layouts", "sites", "courses"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "makebook.yaml", tmp_path / "makebook.yaml")
    (tmp_path / "assets").symlink_to(ROOT / "assets")
    return tmp_path


def reported_output(project: Path, result: CliResult) -> tuple[Path, dict]:
    """The one document a `build --json` run in `project` built: its PDF, where the report
    says it went (so a change of file names does not matter to a test), and the report."""
    assert result.returncode == 0, (result.stdout, result.stderr)
    (report,) = json.loads(result.stdout)
    assert report["status"] == "built", report
    return project / report["output"], report


@pytest.fixture()
def built_small(scratch_small) -> tuple[Path, Path, bytes]:
    """A scratch test project with the English A4 handout already built in out/: the
    project, the PDF and its bytes, to show that a failed build left it untouched."""
    args = ["build", "--topic", SMALL_TOPIC, "--lang", "en", "--layout", "handout-a4"]
    result = run_cli(*args, "--out", "out", "--json", cwd=scratch_small)
    pdf, _report = reported_output(scratch_small, result)
    return scratch_small, pdf, pdf.read_bytes()
