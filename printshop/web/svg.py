"""Pictures inside the page: sanitised SVG inline, raster logos as data URIs.

Every SVG goes through the same sanitiser as for the PDF (`content/assets.py`): nothing
active or external reaches the page. Inline SVGs share the page's id space, so each
picture's ids (and the references to them) get a prefix of their own; a drawing with a
<style> sheet (whose selectors would style the whole page) is embedded as an image.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

from printshop import cache
from printshop.content.document import Picture
from printshop.web.html import attrs, escape

WEB_SVG_KIND = "svg-web"
WEB_SVG_BY = (("printshop.content.assets", "printshop.web.svg"), ("lxml",))


@lru_cache(maxsize=256)
def _svg_text(path: Path, _mtime_ns: int, _size: int) -> tuple[str, bool]:
    """The sanitised drawing as text and whether it has ids (a prefix is then needed):
    from the on-disk cache when these very bytes were sanitised before (a warm build
    parses no SVG), else sanitised now."""
    data = path.read_bytes()
    key = cache.entry_key(WEB_SVG_KIND, data, cache.fingerprint(*WEB_SVG_BY))
    entry = cache.read(key) or {}
    text, has_ids = entry.get("svg"), entry.get("ids")
    if isinstance(text, str) and isinstance(has_ids, bool) and text[:4] in ("", "<svg"):
        return text, has_ids
    text, has_ids = _sanitised_text(path)
    cache.write(key, {"svg": text, "ids": has_ids})
    return text, has_ids


def _sanitised_text(path: Path) -> tuple[str, bool]:
    from lxml import etree

    from printshop.content.assets import sanitise

    root = sanitise(path)
    if any(etree.QName(node).localname == "style" for node in root.iter(tag=etree.Element)):
        return "", False  # embedded as an image instead
    has_ids = any(node.get("id") for node in root.iter(tag=etree.Element))
    for attr in ("width", "height"):  # the page's CSS sizes it; the viewBox keeps its shape
        root.attrib.pop(attr, None)
    return etree.tostring(root, encoding="unicode"), has_ids


def _prefixed(text: str, prefix: str) -> str:
    """Every id, #id reference and url(#id) in the drawing, with `prefix` in front."""
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', text)
    return re.sub(
        r'((?:href|url\()\s*=?\s*["\']?\s*#)([A-Za-z_][\w.\-:]*)',
        lambda m: m.group(1) + prefix + m.group(2),
        text,
    )


def _data_uri(picture: Picture) -> str:
    kind = {"svg": "image/svg+xml"}.get(picture.kind)
    data = picture.path.read_bytes()
    if kind is None:
        kind = "image/jpeg" if data[:3] == b"\xff\xd8\xff" else "image/png"
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def picture_html(
    picture: Picture, label: str, prefix: str, css: str, lang: str | None = None
) -> str:
    """The picture as an element of the page: described by `label` (its alt text), or
    hidden from screen readers when `label` is empty (a decoration beside words that
    say the same)."""
    described = {"role": "img", "aria_label": label} if label else {"aria_hidden": "true"}
    if picture.kind == "svg":
        stat = picture.path.stat()
        text, has_ids = _svg_text(picture.path, stat.st_mtime_ns, stat.st_size)
        if text:
            text = _prefixed(text, prefix) if has_ids else text
            extra = attrs(class_=css, focusable="false", lang=lang, **described)
            return re.sub(r"^<svg\b", "<svg" + extra, text, count=1)
    return (
        f'<img src="{escape(_data_uri(picture))}" alt="{escape(label)}"'
        f"{attrs(class_=css, lang=lang)}>"
    )
