"""makebook in a process of its own, where the in-process runner cannot stand in: the
installed command's exit codes, Ctrl-C, and the exit-code mapping itself."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import click
import pytest

import makebook

from .conftest import ROOT, run_cli, run_process


def test_installed_command_exit_codes(tmp_path):
    version = run_process("--version", cwd=tmp_path, entry_point=True)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == "makebook, version 0.1.0"
    bad = run_process("build", "--lang", "xx", "--out", str(tmp_path), entry_point=True)
    assert bad.returncode == 1, bad.stderr
    assert bad.stderr.startswith("error: unknown language 'xx'"), bad.stderr
    assert "Traceback" not in bad.stderr
    usage = run_process("build", "--nope", cwd=tmp_path, entry_point=True)
    assert usage.returncode == 1 and usage.stderr.startswith("error: No such option '--nope'")


def test_in_process_runner_sees_what_the_command_prints(tmp_path):
    """run_cli (every other CLI test) and the real command agree, output and exit code."""
    for args in (["--version"], ["build", "--lang", "xx", "--out", str(tmp_path)], ["list"]):
        real = run_process(*args, entry_point=True)
        inside = run_cli(*args)
        assert (inside.returncode, inside.stdout, inside.stderr) == (
            real.returncode,
            real.stdout,
            real.stderr,
        ), args


def test_ctrl_c_exits_130_without_a_traceback(tmp_path):
    """SIGINT during a long build (the whole catalog, one process): exit 130, no traceback."""
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "makebook.py"), "build", "--jobs", "1", "--out", str(out)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # as from a terminal: xdist workers and background shells ignore SIGINT, and a
        # child that inherits SIG_IGN never gets a KeyboardInterrupt
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not list(out.rglob("*.pdf")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # building has begun once the first PDF is written
    assert proc.poll() is None, "the catalog finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1].startswith("interrupted:"), stderr
    assert not list(out.rglob("*.tmp"))  # nothing half-written left behind


@pytest.mark.parametrize("debug", [False, True])
def test_internal_error_exits_2(monkeypatch, debug):
    """A bug (any exception that is not a user error) is exit 2 with one line, and the
    traceback only with MAKEBOOK_DEBUG=1."""

    @click.command(name="boom")
    def boom() -> None:
        raise RuntimeError("boom")

    monkeypatch.setitem(makebook.cli.commands, "boom", boom)
    result = run_cli("boom", env={"MAKEBOOK_DEBUG": "1" if debug else None})
    assert result.returncode == 2
    assert result.stderr.endswith(
        "internal error: RuntimeError: boom (set MAKEBOOK_DEBUG=1 for details)\n"
    )
    assert ("Traceback" in result.stderr) is debug
