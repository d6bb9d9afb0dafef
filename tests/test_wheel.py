"""makebook installed from its wheel, not from this checkout (issue 9, "installs anywhere").

The wheel is built once per test run (`pip wheel --no-deps`) and installed without its
dependencies into a fresh virtual environment, which borrows the dependencies already
installed for the tests (a .pth file naming this environment's site-packages), so no
download is needed. The commands run in empty temporary folders, with nothing of the
checkout on their path: they see only what the wheel carries.

    pytest -m wheel          # only this
    pytest -m "not wheel"    # everything else (the wheel takes a few seconds to build)
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import ROOT
from .pdfcheck import MM, page_texts

pytestmark = pytest.mark.wheel
fcntl = pytest.importorskip("fcntl", reason="the shared venv is locked with fcntl (POSIX)")


def _run(*args: str | Path, cwd: Path | None = None, env: dict | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


def _make_venv(root: Path) -> Path:
    """Build the wheel, install it in a new venv with this environment's packages."""
    wheels = root / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, ROOT)
    (wheel,) = wheels.glob("makebook-*.whl")
    venv = root / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "-q",
        "--no-deps",
        "--no-index",
        wheel,
    )
    purelib = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    )
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (purelib / "_makebook_test_deps.pth").write_text("".join(f"{p}\n" for p in sorted(ours)))
    return venv


@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory, request) -> Path:
    """One venv per test run, shared by the xdist workers (the first one builds it)."""
    worker = getattr(request.config, "workerinput", None)
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if worker else base) / "wheel-smoke"
    root.mkdir(exist_ok=True)
    with open(root / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "ready").exists():
            _make_venv(root)
            (root / "ready").write_text("ok")
    return root / "venv"


def user_env(venv: Path, home: Path) -> dict[str, str]:
    """A user's shell: the venv on PATH, nothing of this checkout or the test run."""
    keep = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "TMPDIR")}
    return {**keep, "PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(home)}


def test_the_installed_package_is_the_wheels(wheel_venv, tmp_path):
    """The venv imports makebook and printshop from its own site-packages, with the
    built-in data inside the package; the checkout is nowhere on its path."""
    code = (
        "import makebook, printshop, sys; from printshop.project import builtin_root;"
        "print(makebook.__file__); print(printshop.__file__); print(builtin_root());"
        "print(any(p.rstrip('/') == sys.argv[1] for p in sys.path))"
    )
    env = user_env(wheel_venv, tmp_path)
    python = wheel_venv / "bin" / "python"
    lines = _run(python, "-c", code, ROOT, cwd=tmp_path, env=env).splitlines()
    module, package, builtin, checkout_on_path = lines
    for path in (module, package, builtin):
        assert Path(path).is_relative_to(wheel_venv), path
    assert Path(builtin).name == "builtin" and (Path(builtin) / "handouts").is_dir()
    assert checkout_on_path == "False"
    assert _run("makebook", "--version", cwd=tmp_path, env=env) == "makebook, version 0.1.0\n"


def test_build_in_an_empty_folder_writes_the_two_page_handout(wheel_venv, tmp_path):
    """The English A4 handout of every built-in topic (infant massage among them), each
    two A4 pages, under ./out and nothing else written."""
    folder = tmp_path / "empty"
    folder.mkdir()
    env = user_env(wheel_venv, tmp_path)
    out = _run("makebook", "build", "--lang", "en", "--layout", "handout-a4", cwd=folder, env=env)
    topics = sorted(p.parent.name for p in (ROOT / "handouts").glob("*/en.yaml"))
    assert out.splitlines()[-1] == f"{len(topics)} built, 0 up to date, 0 failed -> out/index.html"
    pdfs = sorted((folder / "out").rglob("*.pdf"))
    assert [p.relative_to(folder / "out").parts[0] for p in pdfs] == topics
    assert "infant-massage" in topics
    for pdf in pdfs:
        reader = PdfReader(str(pdf))
        assert len(reader.pages) == 2
        size = (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height))
        assert size == pytest.approx((210 * MM, 297 * MM), abs=0.1)
        first, second = page_texts(pdf)
        assert first.startswith(reader.metadata.title) and "Page 2 of 2" in second
    assert sorted(p.name for p in folder.iterdir()) == ["out"]  # nothing else written


def test_init_then_list_shows_the_built_in_topic_and_layouts(wheel_venv, tmp_path):
    env = user_env(wheel_venv, tmp_path)
    created = _run("makebook", "init", "ward", cwd=tmp_path, env=env)
    assert created.splitlines()[-1] == "next: cd ward && makebook list"
    listed = _run("makebook", "list", cwd=tmp_path / "ward", env=env).splitlines()
    for topic in sorted(p.parent.name for p in (ROOT / "handouts").glob("*/topic.yaml")):
        assert f"topic {topic} (built-in)" in listed, topic
    layouts = [line.split() for line in listed[listed.index("layouts") + 1 :]]
    names = {words[0]: words[1] for words in layouts}
    shipped = {p.stem for p in (ROOT / "layouts").glob("*.yaml")}
    assert set(names) == shipped and set(names.values()) == {"built-in"}
    checked = _run("makebook", "check", cwd=tmp_path / "ward", env=env)
    assert checked == "ok: no problems found\n"
