"""Seconds spent in each stage of a build, for the benchmark (`tests/benchmarks/`).

`stage("compose")` adds the time spent in its block to a per-process total; a stage
entered inside another (an import, a nested call) counts in both. Cheap enough to be
always on: two clock reads per stage per document.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

totals: dict[str, float] = {}


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Add the time spent in the `with` block to the total of `name`."""
    start = time.perf_counter()
    try:
        yield
    finally:
        totals[name] = totals.get(name, 0.0) + time.perf_counter() - start
