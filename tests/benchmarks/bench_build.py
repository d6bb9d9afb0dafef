"""makebook's speed beside Typst's, as whole processes: one command, every figure.

    .venv/bin/python tests/benchmarks/bench_build.py             # about two minutes
    .venv/bin/python tests/benchmarks/bench_build.py --rounds 5  # quicker, noisier

The yardstick is the reference script `shared/bench/typst_handout.py` beside the
checkout ($MAKEBOOK_TYPST_SCRIPT to use another): the same kind of 2-page A4 handout,
set by Typst from the project's own art. Typst is never a dependency of makebook: it
runs from a venv of its own, $MAKEBOOK_TYPST_VENV or `../anchor-venv` beside the
checkout, which this script creates on first use (`python -m venv ../anchor-venv`,
then `../anchor-venv/bin/pip install typst qrcode`). Without it, makebook's figures
print alone.

Both run as fresh processes, alternating A B A B in the same run (absolute times on a
shared machine drift; the ratio of medians much less), after one warm-up each; the
figures are medians of wall time and of CPU time (user + system, steadier when other
work shares the machine). Peak memory is each process's own maximum resident set
(`wait4`). makebook's bytecode is compiled first, as an installed wheel's is; its
on-disk cache (compiled art, QR codes) is warm after the warm-up, as on any machine
after the first build, and one row shows a build with an empty cache. Also printed:
the stages of one build inside a process (cold: the first document; warm: each one
after it), `--help`, `list` and `check`, the whole catalog (amortised per document)
and a rebuild of it when nothing changed, and the floor: a process that only imports
the libraries a build needs. Nothing here fails on a slow figure: it measures.
"""

from __future__ import annotations

import argparse
import compileall
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STAGES = ("load", "resolve", "compose", "draw", "write", "up-to-date check")
HANDOUT = ("build", "--topic", "infant-massage", "--lang", "en", "--layout", "handout-a4")
LIBRARIES = "import click, yaml, uharfbuzz, fontTools.unicodedata, reportlab.pdfgen.canvas\n"
LIBRARIES += "from pydantic import BaseModel"


@dataclass
class Runs:
    """Wall and CPU seconds and peak resident memory (MB) of repeated whole processes."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    @property
    def peak(self) -> float:
        return max(self.peak_mb)


Command = Callable[[], tuple[float, float, float]]


def process(command: list[str], env: dict[str, str] | None = None) -> Command:
    """A whole process to time: wall s, CPU s, peak MB. It must succeed."""

    def run() -> tuple[float, float, float]:
        start = time.perf_counter()
        child = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        stderr = child.stderr.read().decode() if child.stderr else ""
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"{' '.join(command)} failed:\n{stderr}")
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # KB on Linux

    return run


def alternate(commands: list[Command], rounds: int) -> list[Runs]:
    """Run the commands in turn (A B A B ...) after one warm-up each."""
    for command in commands:
        command()
    runs = [Runs() for _ in commands]
    for _ in range(rounds):
        for command, into in zip(commands, runs, strict=True):
            wall, cpu, peak = command()
            into.wall.append(wall)
            into.cpu.append(cpu)
            into.peak_mb.append(peak)
    return runs


def makebook(*args: str, env: dict[str, str] | None = None) -> Command:
    """The installed `makebook` command of this venv (else the checkout's script)."""
    installed = Path(sys.executable).with_name("makebook")
    command = [str(installed)] if installed.exists() else [sys.executable, "makebook.py"]
    return process([*command, *args], env)


def with_empty_cache(out: Path, caches: Path) -> Command:
    """The handout built with a new, empty cache folder each time."""
    count = itertools.count()

    def run() -> tuple[float, float, float]:
        cache = {"MAKEBOOK_CACHE": str(caches / str(next(count)))}
        return makebook(*HANDOUT, "--out", str(out), "--force", "--quiet", env=cache)()

    return run


# ----------------------------------------------------------------- Typst, in its own venv
def typst_python() -> Path | None:
    """Python of the venv that has Typst; created on first use. None if it cannot be."""
    venv = Path(os.environ.get("MAKEBOOK_TYPST_VENV", ROOT.parent / "anchor-venv"))
    python = venv / "bin" / "python"
    check = [str(python), "-c", "import typst, qrcode"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python
    print(f"creating {venv} for Typst (once): python -m venv, pip install typst qrcode")
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(python), "-m", "pip", "install", "-q", "typst", "qrcode"]
        subprocess.run(pip, check=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"no Typst venv ({exc}): makebook's figures only")
        return None
    return python


def typst_command(scratch: Path) -> tuple[Command, str] | None:
    """Typst compiling the reference handout (prepared in `scratch`), and its version."""
    default = ROOT.parent / "shared" / "bench" / "typst_handout.py"
    script = Path(os.environ.get("MAKEBOOK_TYPST_SCRIPT", default))
    python = typst_python() if script.is_file() else None
    if python is None:
        return None
    env = {"ANCHOR_BUILD": str(scratch / "typst")}
    prepare = [str(python), str(script), "prepare"]
    subprocess.run(prepare, cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True)
    code = "import importlib.metadata as m; print(m.version('typst'))"
    version = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    return process([str(python), str(script), "compile"], env), version.stdout.strip()


# ----------------------------------------------------------------- in-process stages
def stage_figures(out: Path, rounds: int) -> dict[str, dict[str, float]]:
    """Median seconds per stage of the handout inside fresh processes."""
    script = [sys.executable, str(ROOT / "tests" / "benchmarks" / "stages.py")]
    samples = []
    for _ in range(rounds):
        done = subprocess.run(
            [*script, *HANDOUT, "--out", str(out), "--force"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        samples.append(json.loads(done.stdout))
    figures = {"import": {"cold": statistics.median(s["import"] for s in samples)}}
    for name in (*STAGES, "total"):
        figures[name] = {
            when: statistics.median(s[when].get(name, 0.0) for s in samples)
            for when in ("cold", "warm")
        }
    return figures


def catalog_size(out: Path) -> int:
    """Documents in the catalog: one per topic x language x layout (imposed copies aside)."""
    installed = Path(sys.executable).with_name("makebook")
    done = subprocess.run(
        [str(installed), "build", "--out", str(out), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return len(json.loads(done.stdout))


# ----------------------------------------------------------------- the report
def row(name: str, ours: str, theirs: str = "", ratio: str = "", target: str = "") -> None:
    print(f"{name:<44} {ours:>16} {theirs:>16} {ratio:>12}  {target}", flush=True)


def both(runs: Runs) -> str:
    """Wall / CPU medians."""
    return f"{runs.median:.3f}/{runs.median_cpu:.3f}"


def verdict(value: float, limit: float) -> str:
    return "ok" if value <= limit else "OVER"


def report_handout(scratch: Path, rounds: int) -> float | None:
    """The single handout beside Typst; returns Typst's median (s), if it ran."""
    out = scratch / "out"
    ours = makebook(*HANDOUT, "--out", str(out), "--force", "--quiet")
    typst = typst_command(scratch)
    commands = [ours] if typst is None else [ours, typst[0]]
    version = "(Typst not run)" if typst is None else f"Typst {typst[1]}"
    print(
        f"makebook beside {version}: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"{rounds} alternating rounds; medians, wall/CPU seconds\n"
    )
    row("measure", "makebook", "Typst", "ratio", "target")
    runs = alternate(commands, rounds)
    anchor = runs[1] if len(runs) > 1 else None
    ratio = runs[0].median / anchor.median if anchor else None
    row(
        "one 2-page handout (en, handout-a4)",
        both(runs[0]),
        both(anchor) if anchor else "-",
        f"{ratio:.2f}x/{runs[0].median_cpu / anchor.median_cpu:.2f}x" if anchor else "",
        f"wall <= 2x (moonshot 1.2x) {verdict(ratio, 2.0) if ratio else ''}",
    )
    row(
        "  peak memory",
        f"{runs[0].peak:.0f} MB",
        f"{anchor.peak:.0f} MB" if anchor else "-",
        "",
        f"<= 80 MB {verdict(runs[0].peak, 80)}",
    )
    few = max(3, rounds // 2)
    (cold,) = alternate([with_empty_cache(out, scratch / "empty-caches")], few)
    row("  the same, with an empty cache", both(cold))
    floor = alternate([process([sys.executable, "-c", LIBRARIES])], few)[0]
    row("  floor: only importing the libraries", both(floor))
    chinese = makebook(
        "build",
        "--topic",
        "infant-massage",
        "--lang",
        "zh-Hans",
        "--layout",
        "handout-a4",
        "--out",
        str(out),
        "--force",
    )
    (cjk,) = alternate([chinese], few)
    row("one handout in Chinese (CJK font)", both(cjk))
    row("  peak memory", f"{cjk.peak:.0f} MB", "", "", f"<= 150 MB {verdict(cjk.peak, 150)}")
    return anchor.median if anchor else None


def report_commands(rounds: int) -> None:
    for args in (["--help"], ["list"], ["check"]):
        (runs,) = alternate([makebook(*args)], rounds)
        target = f"<= 0.3 s {verdict(runs.median, 0.3)}"
        row(f"makebook {args[0]}", both(runs), "", "", target)


def report_catalog(scratch: Path, anchor: float | None, rounds: int) -> None:
    out = scratch / "catalog"
    documents = catalog_size(out)
    (catalog,) = alternate([makebook("build", "--out", str(out), "--force", "--quiet")], rounds)
    row(f"whole catalog ({documents} documents, --force)", both(catalog))
    per_doc = catalog.median / documents
    row(
        "  amortised per document (wall)",
        f"{per_doc:.3f}",
        f"{anchor:.3f}" if anchor else "-",
        f"{per_doc / anchor:.2f}x" if anchor else "",
        f"<= Typst's handout {verdict(per_doc, anchor) if anchor else ''}",
    )
    cores = os.cpu_count() or 1
    row(f"  CPU per document / {cores} cores", f"{catalog.median_cpu / documents / cores:.3f}")
    row("  peak memory (largest process)", f"{catalog.peak:.0f} MB")
    (again,) = alternate([makebook("build", "--out", str(out), "--quiet")], max(3, rounds))
    target = f"<= 0.2 s {verdict(again.median, 0.2)}"
    row("no-change rebuild of the catalog", both(again), "", "", target)


def report_stages(scratch: Path, rounds: int) -> None:
    figures = stage_figures(scratch / "stages", rounds)
    print("\nstages of the handout inside one process, ms (cold: first document; warm: next)")
    print(f"  import of the command {figures['import']['cold'] * 1000:.0f}")
    for when in ("cold", "warm"):
        parts = "  ".join(f"{name} {figures[name][when] * 1000:.0f}" for name in STAGES)
        print(f"  {when:<5} {parts}  (build {figures['total'][when] * 1000:.0f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=11, help="handout rounds (default 11)")
    rounds = parser.parse_args().rounds
    compileall.compile_dir(ROOT / "printshop", quiet=1)
    compileall.compile_file(ROOT / "makebook.py", quiet=1)
    scratch = Path(tempfile.mkdtemp(prefix="makebook-bench-"))
    try:
        anchor = report_handout(scratch, rounds)
        report_commands(max(3, rounds // 2))
        report_catalog(scratch, anchor, 3)
        report_stages(scratch, max(3, rounds // 2))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
