"""Dev tool: build the shipped SVG artwork from shared parts.

    python -m tools.artkit            # rewrite every SVG listed in the composition
    python -m tools.artkit --check    # exit 1 if any shipped SVG is out of date

Both exit 1 if a shipped SVG (``assets/illustrations``, ``icons``, ``art``) has no entry in
the composition: such a file could not be rebuilt from the parts, and nothing would
notice when it drifted from them.

Inputs live in ``assets/illustrations/parts/``:

* ``<name>.svg`` — one part each (a baby pose piece, a hand pose, a close-up), an SVG
  fragment drawn around a meaningful origin (wrist, hip, shoulder, thumb tip...). Colours
  and stroke widths are ``$tokens`` (``$ink``, ``$skin``, ``$w``...) filled in here, so one
  palette and one set of line weights serve every picture at any placement scale.
  A part may also take numeric ``$params`` given per placement (``params: {top: 30}``),
  e.g. where a close-up cuts the baby off at the picture's edge; ``weight: 0.7`` draws a
  placed part's lines thinner (a hand inside a 48-unit icon).
* ``compositions.yaml`` — the palette, line weights, reusable poses, and one entry per
  output file: a list of layers (pose, part, arrow or a raw SVG snippet) drawn in order.

Output files are plain, self-contained SVG (groups with transforms; no <use>, no
external references, no text), so any renderer — svglib, browsers, Inkscape — draws
them the same way. Arrows are computed here (smooth curves through points, circle arcs,
arrowheads from the end tangent) so there is exactly one arrow style.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path
from string import Template
from typing import NamedTuple

from printshop.content.yamlsafe import parse_yaml

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
PARTS = ASSETS / "illustrations" / "parts"
COMPOSITION = PARTS / "compositions.yaml"

SECTION_DIRS = {"illustrations": "illustrations", "icons": "icons", "art": "art"}

Point = tuple[float, float]


def _n(v: float) -> str:
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _pt(p: Point) -> str:
    return f"{_n(p[0])} {_n(p[1])}"


class Kit:
    def __init__(self, data: dict, parts: Path = PARTS) -> None:
        self.palette: dict[str, str] = data["palette"]
        self.widths: dict[str, float] = data["widths"]
        self.poses: dict[str, list[dict]] = data.get("poses", {})
        self.parts_dir = parts
        self._parts: dict[str, str] = {}

    # -- parts ---------------------------------------------------------------------------
    def part_source(self, name: str) -> str:
        if name not in self._parts:
            text = (self.parts_dir / f"{name}.svg").read_text(encoding="utf-8")
            text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL).strip()
            self._parts[name] = text
        return self._parts[name]

    def tokens(self, scale: float, ghost: bool = False) -> dict[str, str]:
        values = dict(self.palette)
        if ghost:
            values = {k: "none" for k in values}
            values["ink"] = self.palette["ghost"]
        for key, width in self.widths.items():
            values[key] = _n(width / scale)
        return values

    def fill(
        self, snippet: str, scale: float, ghost: bool = False, params: dict | None = None
    ) -> str:
        values = self.tokens(scale, ghost)
        values.update({k: _n(float(v)) for k, v in (params or {}).items()})
        return Template(snippet).substitute(values)

    # -- layers --------------------------------------------------------------------------
    def layer(self, item: dict, outer_scale: float = 1.0) -> str:
        if "pose" in item:
            return self.pose(item, outer_scale)
        if "part" in item:
            return self.place(item, outer_scale)
        if "arrow" in item:
            return self.arrow(item["arrow"], outer_scale)
        if "svg" in item:
            return self.fill(item["svg"].strip(), outer_scale * float(item.get("scale", 1)))
        raise ValueError(f"unknown layer: {item!r}")

    @staticmethod
    def transform(item: dict) -> str:
        parts = []
        at = item.get("at")
        if at:
            parts.append(f"translate({_n(at[0])} {_n(at[1])})")
        if item.get("rotate"):
            parts.append(f"rotate({_n(item['rotate'])})")
        scale = float(item.get("scale", 1))
        if scale != 1:
            parts.append(f"scale({_n(scale)})")
        if item.get("mirror"):
            parts.append("scale(-1 1)")
        return " ".join(parts)

    def place(self, item: dict, outer_scale: float) -> str:
        scale = outer_scale * float(item.get("scale", 1))
        ghost = bool(item.get("ghost"))
        # weight < 1 draws the part's lines thinner (small icons), > 1 heavier
        line_scale = scale / float(item.get("weight", 1))
        body = self.fill(self.part_source(item["part"]), line_scale, ghost, item.get("params"))
        attrs = f' transform="{self.transform(item)}"' if self.transform(item) else ""
        if ghost:
            dash = _n(6 / scale)
            attrs += f' stroke-dasharray="{dash} {dash}"'
        return f"<g{attrs}>{body}</g>"

    def pose(self, item: dict, outer_scale: float) -> str:
        layers = [dict(layer) for layer in self.poses[item["pose"]]]
        overrides = item.get("override", {})
        hide = set(item.get("hide", []))
        out = []
        for layer in layers:
            name = layer.get("name")
            if name in hide:
                continue
            if name in overrides:
                layer.update(overrides[name])
            out.append(layer)
        scale = outer_scale * float(item.get("scale", 1))
        inner = "".join(self.layer(layer, scale) for layer in out)
        tr = self.transform({k: item[k] for k in ("at", "rotate", "scale", "mirror") if k in item})
        return f'<g transform="{tr}">{inner}</g>' if tr else f"<g>{inner}</g>"

    # -- arrows --------------------------------------------------------------------------
    def arrow(self, spec: dict, outer_scale: float = 1.0) -> str:
        size = float(spec.get("size", 1)) / outer_scale
        if "circle" in spec:
            cx, cy, r = spec["circle"]
            d, end, tangent, start = _arc_path(cx, cy, r, spec["from"], spec["sweep"])
        else:
            pts = [tuple(map(float, p)) for p in spec["pts"]]
            if spec.get("sharp"):
                d, end, tangent = _polyline_path(pts)
            else:
                d, end, tangent = _smooth_path(pts)
            start = pts[0]
        w = self.widths["arrow"] * size
        halo = self.widths["halo"] * size
        ink = self.palette["accent"]
        white = self.palette["paper"]
        dashed = bool(spec.get("dashed"))
        if dashed:
            w *= 0.7
        base = w / 0.7 if dashed else w
        head_len, head_half = 3.3 * base, 2.3 * base
        heads = [_head(end, tangent, head_len, head_half)]
        if spec.get("repeat"):
            back = (end[0] - tangent[0] * head_len * 0.8, end[1] - tangent[1] * head_len * 0.8)
            heads.insert(0, _head(back, tangent, head_len, head_half))
        dash = f' stroke-dasharray="{_n(w * 1.6)} {_n(w * 1.3)}"' if dashed else ""
        out = ['<g stroke-linecap="round" stroke-linejoin="round">']
        out.append(
            f'<path d="{d}" fill="none" stroke="{white}" stroke-width="{_n(w + 2 * halo)}"/>'
        )
        for h in heads:
            out.append(
                f'<path d="{h}" fill="{white}" stroke="{white}" stroke-width="{_n(2 * halo)}"/>'
            )
        out.append(f'<path d="{d}" fill="none" stroke="{ink}" stroke-width="{_n(w)}"{dash}/>')
        for h in heads:
            out.append(
                f'<path d="{h}" fill="{ink}" stroke="{white}" stroke-width="{_n(halo * 0.5)}"/>'
            )
        if spec.get("start_dot", True) and not dashed:
            rr = w * 0.95
            out.append(
                f'<circle cx="{_n(start[0])}" cy="{_n(start[1])}" r="{_n(rr)}" fill="{ink}" '
                f'stroke="{white}" stroke-width="{_n(halo * 0.6)}"/>'
            )
        out.append("</g>")
        return "".join(out)


def _unit(dx: float, dy: float) -> Point:
    length = math.hypot(dx, dy) or 1.0
    return dx / length, dy / length


def _head(end: Point, t: Point, length: float, half: float) -> str:
    n = (-t[1], t[0])
    tip = (end[0] + t[0] * length, end[1] + t[1] * length)
    back = (end[0] - t[0] * length * 0.15, end[1] - t[1] * length * 0.15)
    left = (back[0] + n[0] * half, back[1] + n[1] * half)
    right = (back[0] - n[0] * half, back[1] - n[1] * half)
    return f"M {_pt(tip)} L {_pt(left)} L {_pt(end)} L {_pt(right)} Z"


def _polyline_path(pts: list[Point]) -> tuple[str, Point, Point]:
    d = "M " + " L ".join(_pt(p) for p in pts)
    return d, pts[-1], _unit(pts[-1][0] - pts[-2][0], pts[-1][1] - pts[-2][1])


def _smooth_path(pts: list[Point]) -> tuple[str, Point, Point]:
    """Catmull-Rom spline through the points, as cubic Beziers."""
    if len(pts) == 2:
        return _polyline_path(pts)
    ext = [pts[0], *pts, pts[-1]]
    d = [f"M {_pt(pts[0])}"]
    c2 = pts[0]
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        d.append(f"C {_pt(c1)} {_pt(c2)} {_pt(p2)}")
    end = pts[-1]
    return " ".join(d), end, _unit(end[0] - c2[0], end[1] - c2[1])


def _arc_path(
    cx: float, cy: float, r: float, start_deg: float, sweep_deg: float
) -> tuple[str, Point, Point, Point]:
    """Circle arc as cubics; angles in screen degrees (0 = right, +90 = down, so a
    positive sweep runs clockwise as you look at the page)."""
    segments = max(1, math.ceil(abs(sweep_deg) / 60))
    step = math.radians(sweep_deg) / segments
    k = 4 / 3 * math.tan(step / 4)
    a = math.radians(start_deg)
    start = (cx + r * math.cos(a), cy + r * math.sin(a))
    d = [f"M {_pt(start)}"]
    for _ in range(segments):
        b = a + step
        p0 = (cx + r * math.cos(a), cy + r * math.sin(a))
        p3 = (cx + r * math.cos(b), cy + r * math.sin(b))
        c1 = (p0[0] - k * r * math.sin(a), p0[1] + k * r * math.cos(a))
        c2 = (p3[0] + k * r * math.sin(b), p3[1] - k * r * math.cos(b))
        d.append(f"C {_pt(c1)} {_pt(c2)} {_pt(p3)}")
        a = b
    end = (cx + r * math.cos(a), cy + r * math.sin(a))
    sign = 1 if sweep_deg > 0 else -1
    tangent = (-math.sin(a) * sign, math.cos(a) * sign)
    return " ".join(d), end, tangent, start


def render_entry(kit: Kit, entry: dict, view_box: str) -> str:
    body = "\n".join(kit.layer(layer) for layer in entry["layers"])
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}">\n'
        "<!-- generated by tools/artkit.py from assets/illustrations/parts; edit those -->\n"
        f"{body}\n</svg>\n"
    )


def shipped_svgs(assets: Path = ASSETS) -> list[Path]:
    """Every SVG the engine can ship: the files directly in the generated folders."""
    return sorted(p for folder in SECTION_DIRS.values() for p in (assets / folder).glob("*.svg"))


class BuildResult(NamedTuple):
    """What a build found: files it wrote (or, checking, that differ from the parts) and
    shipped files the composition does not describe, which it cannot check at all."""

    changed: list[Path]
    unlisted: list[Path]


def build(check: bool = False, assets: Path = ASSETS) -> BuildResult:
    """Write (or with check=True, compare) every output file under `assets`."""
    parts = assets / PARTS.relative_to(ASSETS)
    data = parse_yaml(parts / COMPOSITION.name).data
    kit = Kit(data, parts)
    changed: list[Path] = []
    generated: set[Path] = set()
    for section, folder in SECTION_DIRS.items():
        block = data.get(section, {})
        default_box = block.get("viewBox")
        for name, entry in block.get("files", {}).items():
            out = assets / folder / f"{name}.svg"
            generated.add(out)
            svg = render_entry(kit, entry, entry.get("viewBox", default_box))
            if out.exists() and out.read_text(encoding="utf-8") == svg:
                continue
            changed.append(out)
            if not check:
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(svg, encoding="utf-8")
    unlisted = [path for path in shipped_svgs(assets) if path not in generated]
    return BuildResult(changed, unlisted)


def _shown(path: Path) -> str:
    """A path as the user can click it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.artkit", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report out-of-date files")
    parser.add_argument(
        "--assets", type=Path, default=ASSETS, help="assets folder (default: the repository's)"
    )
    args = parser.parse_args(argv)
    result = build(check=args.check, assets=args.assets)
    composition = _shown(args.assets / PARTS.relative_to(ASSETS) / COMPOSITION.name)
    for path in result.changed:
        if args.check:
            print(f"{_shown(path)}: out of date; run python -m tools.artkit")
        else:
            print(f"wrote: {_shown(path)}")
    for path in result.unlisted:
        print(
            f"{_shown(path)}: not generated; add an entry for it to {composition}",
            file=sys.stderr,
        )
    return 1 if result.unlisted or (args.check and result.changed) else 0


if __name__ == "__main__":
    sys.exit(main())
