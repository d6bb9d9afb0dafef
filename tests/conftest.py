"""Shared fixtures: build the handouts once per test session and read them back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from printshop.catalog.jobs import Job, build_one
from printshop.content.load import Project

ROOT = Path(__file__).resolve().parent.parent
HANDOUT_LAYOUTS = ["handout-a4", "handout-letter"]


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def built(tmp_path_factory, project) -> dict[str, Path]:
    """English handouts in both layouts, no site file."""
    out = tmp_path_factory.mktemp("out")
    paths = {}
    for layout in HANDOUT_LAYOUTS:
        result = build_one(project, Job("infant-massage", "en", layout, out), force=True)
        assert result.status == "built", result.messages
        paths[layout] = result.job.path
    return paths


@pytest.fixture(scope="session")
def built_with_site(tmp_path_factory, project) -> Path:
    out = tmp_path_factory.mktemp("out-site")
    job = Job("infant-massage", "en", "handout-a4", out, ROOT / "sites" / "example.yaml")
    result = build_one(project, job, force=True)
    assert result.status == "built", result.messages
    return result.job.path


def run_cli(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run makebook as a user would, in a separate process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, str(ROOT / "makebook.py"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture()
def scratch_project(tmp_path) -> Path:
    """A writable copy of the content and layouts; assets are shared read-only."""
    for folder in ("handouts", "layouts", "sites"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "assets").symlink_to(ROOT / "assets")
    return tmp_path
