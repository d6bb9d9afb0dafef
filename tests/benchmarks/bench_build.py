"""Speed targets, measured (not asserted in the test suite).

    python tests/benchmarks/bench_build.py          # plain figures, best of N
    pytest tests/benchmarks/bench_build.py          # the same with pytest-benchmark

Targets (2-core machine): one 2-page handout as a fresh `makebook` process < 0.3 s;
the whole catalog (7 languages x every layout) < 10 s.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def makebook(*args: str) -> float:
    """Seconds for one fresh `makebook` process."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "makebook.py"), *args, "--quiet"],
        cwd=ROOT,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return time.perf_counter() - start


def one_handout_process(out: Path) -> float:
    return makebook("build", "--lang", "en", "--layout", "handout-a4", "--out", str(out), "--force")


def whole_catalog_process(out: Path) -> float:
    return makebook("build", "--out", str(out), "--force")


def one_handout_in_process() -> float:
    from printshop.catalog.jobs import bundle_for, layout_for
    from printshop.content.document import resolve
    from printshop.content.load import Project
    from printshop.layout.compose import render

    project = Project(ROOT)
    doc = resolve(bundle_for(project, "infant-massage"), "en", project)
    layout = layout_for(project, "handout-a4")
    start = time.perf_counter()
    render(doc, layout)
    return time.perf_counter() - start


def test_one_handout_in_process(benchmark):
    benchmark(one_handout_in_process)


def test_one_handout_fresh_process(benchmark, tmp_path):
    benchmark.pedantic(one_handout_process, args=(tmp_path,), rounds=5)


def test_whole_catalog_fresh_process(benchmark, tmp_path):
    benchmark.pedantic(whole_catalog_process, args=(tmp_path,), rounds=2)


def main() -> None:
    out = Path(tempfile.mkdtemp(prefix="makebook-bench-"))
    try:
        one_handout_in_process()  # warm caches (fonts, shaping, SVG)
        warm = [one_handout_in_process() for _ in range(5)]
        fresh = [one_handout_process(out) for _ in range(5)]
        catalog = [whole_catalog_process(out) for _ in range(2)]
        rows = [
            ("one handout, in process (warm)", warm, 0.3),
            ("one handout, fresh makebook process", fresh, 0.3),
            ("whole catalog, fresh makebook process", catalog, 10.0),
        ]
        print(f"{'measure':<40} {'best':>7} {'median':>7}  target")
        for name, times, target in rows:
            best, median = min(times), statistics.median(times)
            mark = "ok" if best < target else "OVER"
            print(f"{name:<40} {best:7.3f} {median:7.3f}  < {target:g} s {mark}")
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
