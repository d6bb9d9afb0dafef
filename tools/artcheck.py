"""Dev tool: quality checks for the shipped artwork (sizes, viewBoxes, no words).

    python -m tools.artcheck            # every SVG under assets/: one line per problem

The engine refuses unsafe SVG wherever it comes from (printshop.content.assets); these
checks are stricter house rules for the pictures makebook ships.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lxml import etree

from printshop.content.assets import _NUMBER, sanitise
from printshop.errors import UserError
from printshop.pdf.art import load_drawing
from tools.artkit import shipped_svgs

ASSETS = Path(__file__).resolve().parents[1] / "assets"
# Expected viewBox per asset folder (or file), relative to assets/.
EXPECTED_VIEWBOX: dict[str, tuple[float, float, float, float]] = {
    "illustrations": (0, 0, 400, 300),
    "icons": (0, 0, 48, 48),
    "art/cover.svg": (0, 0, 400, 400),
    "art/header.svg": (0, 0, 600, 120),
}
MAX_SHIPPED_BYTES = 60 * 1024  # our own assets stay well under the engine's hard limit


def shipped() -> list[Path]:
    return shipped_svgs(ASSETS)


def _expected_viewbox(path: Path) -> tuple[float, ...] | None:
    try:
        rel = path.resolve().relative_to(ASSETS.resolve()).as_posix()
    except ValueError:
        return None
    if rel in EXPECTED_VIEWBOX:
        return EXPECTED_VIEWBOX[rel]
    folder, _, rest = rel.partition("/")
    return EXPECTED_VIEWBOX.get(folder) if rest and "/" not in rest else None


def check_art(path: Path) -> list[str]:
    """Problems with one artwork file (empty list = fine)."""
    try:
        root = sanitise(path)
        drawing = load_drawing(path)
    except UserError as exc:
        return [str(exc)]
    problems: list[str] = []
    where = str(path)
    if path.stat().st_size > MAX_SHIPPED_BYTES:
        problems.append(f"{where}: larger than {MAX_SHIPPED_BYTES // 1024} KB")
    for node in root.iter("{*}text", "text", "{*}tspan", "{*}textPath"):
        problems.append(f"{where}:{node.sourceline}: contains text; artwork must carry no words")
        break
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        for attr, value in node.attrib.items():
            low = value.lower()
            if "data:" in low or "http:" in low or "https:" in low or "file:" in low:
                name = etree.QName(attr).localname
                problems.append(f"{where}:{node.sourceline}: external or embedded data in {name}")
    nums = [float(n) for n in _NUMBER.findall(root.get("viewBox", ""))]
    expected = _expected_viewbox(path)
    if len(nums) != 4:
        problems.append(f"{where}: has no viewBox")
    elif expected is not None and tuple(nums) != tuple(float(v) for v in expected):
        box = " ".join(f"{v:g}" for v in expected)
        problems.append(f"{where}: viewBox should be '{box}'")
    if not drawing.contents or not drawing.getContents():
        problems.append(f"{where}: draws nothing")
    else:
        x0, y0, x1, y1 = drawing.getBounds()
        tol = 0.5
        if x1 - x0 <= 0 or y1 - y0 <= 0:
            problems.append(f"{where}: draws nothing visible")
        elif x0 < -tol or y0 < -tol or x1 > drawing.width + tol or y1 > drawing.height + tol:
            problems.append(
                f"{where}: drawing spills outside its viewBox "
                f"(bounds {x0:.1f},{y0:.1f},{x1:.1f},{y1:.1f})"
            )
    return problems


def main() -> int:
    problems = [p for path in shipped() for p in check_art(path)]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
