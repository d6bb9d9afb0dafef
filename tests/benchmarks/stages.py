"""Where one build spends its time, inside one fresh process (run by bench_build.py).

    python tests/benchmarks/stages.py build --topic infant-massage --lang en --layout handout-a4 \
        --out DIR --force

Prints JSON: seconds to import the command, then per stage (load, resolve, compose,
draw, write) for the first build in this process (cold: imports, fonts, art) and for
the same build again (warm: what each further document of a catalog costs).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main(args: list[str]) -> None:
    start = time.perf_counter()
    import makebook
    from printshop import timing

    imported = time.perf_counter() - start
    runs = []
    for _ in range(2):
        timing.totals.clear()
        begin = time.perf_counter()
        code = makebook.run([*args, "--quiet"])
        if code:
            raise SystemExit(code)
        runs.append({"total": time.perf_counter() - begin, **timing.totals})
    print(json.dumps({"import": imported, "cold": runs[0], "warm": runs[1]}))


if __name__ == "__main__":
    main(sys.argv[1:])
