"""Artwork: every shipped SVG is safe, small, wordless and draws inside its viewBox;
hostile SVGs are refused before svglib sees them, and nothing is ever fetched."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
import yaml
from lxml import etree

from printshop.content.assets import picture
from printshop.errors import UserError
from printshop.layout.boxes import PictureBox
from printshop.pdf.art import load_drawing
from tools.artcheck import check_art

ROOT = Path(__file__).resolve().parent.parent
ASSETS_DIR = ROOT / "assets"
SHIPPED = sorted(
    [
        *ASSETS_DIR.glob("illustrations/*.svg"),
        *ASSETS_DIR.glob("icons/*.svg"),
        *ASSETS_DIR.glob("art/*.svg"),
    ]
)
IDS = [p.relative_to(ASSETS_DIR).as_posix() for p in SHIPPED]
TOPIC_FILE = ROOT / "handouts" / "infant-massage" / "topic.yaml"


def _topic_items(kind: str) -> list[dict]:
    """The items of the sections of one kind in the shipped topic file, as written there."""
    topic = yaml.safe_load(TOPIC_FILE.read_text(encoding="utf-8"))
    items = [
        item if isinstance(item, dict) else {"id": item}
        for section in topic["sections"]
        if section["kind"] == kind
        for item in section.get("items", [])
    ]
    assert items, f"no {kind} items in {TOPIC_FILE.name}"
    return items


def test_there_is_artwork():
    assert len(SHIPPED) >= 14 + 20 + 2


def test_every_technique_has_an_illustration():
    techniques = _topic_items("step-cards")
    assert len(techniques) >= 13
    for technique in techniques:
        assert (ASSETS_DIR / technique["illustration"]).is_file(), technique["id"]
        assert technique["illustration"].startswith("illustrations/"), technique["id"]


def test_every_benefit_and_prep_item_has_an_icon():
    for item in _topic_items("icon-list"):
        assert (ASSETS_DIR / item["icon"]).is_file(), item["id"]
        assert item["icon"].startswith("icons/"), item["id"]
    for name in ("cue-yes", "cue-no", "help", "safety"):
        assert (ASSETS_DIR / "icons" / f"{name}.svg").is_file(), name
    assert (ASSETS_DIR / "art" / "cover.svg").is_file()
    assert (ASSETS_DIR / "art" / "header.svg").is_file()


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_shipped_svg_is_clean(path: Path):
    data = path.read_bytes()
    assert len(data) < 60 * 1024
    low = data.lower()
    for bad in (b"<!doctype", b"<!entity", b"<script", b"<image", b"<foreignobject"):
        assert bad not in low, bad
    # the only URI allowed is the SVG namespace on the root element
    bare = low.replace(b'xmlns="http://www.w3.org/2000/svg"', b"")
    for bad in (b"http:", b"https:", b"file:", b"data:"):
        assert bad not in bare, bad
    root = etree.fromstring(data)
    assert etree.QName(root).localname == "svg"
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        name = etree.QName(node).localname
        assert name not in ("text", "tspan", "textPath", "image", "script", "foreignObject")
        for attr, value in node.attrib.items():
            assert not etree.QName(attr).localname.startswith("on")
            if etree.QName(attr).localname == "href":
                assert value.startswith("#")


@pytest.mark.parametrize("path", SHIPPED, ids=IDS)
def test_shipped_svg_renders_inside_its_viewbox(path: Path):
    assert check_art(path) == []
    drawing = load_drawing(path)
    assert drawing.getContents()
    x0, y0, x1, y1 = drawing.getBounds()
    assert x1 > x0 and y1 > y0
    assert x0 >= -0.5 and y0 >= -0.5
    assert x1 <= drawing.width + 0.5 and y1 <= drawing.height + 0.5


def test_generated_files_are_up_to_date():
    from tools import artkit

    assert artkit.build(check=True) == artkit.BuildResult(changed=[], unlisted=[])


@pytest.fixture
def art_copy(tmp_path) -> Path:
    """The generated folders (parts, compositions.yaml and every shipped SVG) copied."""
    import shutil

    for folder in ("illustrations", "icons", "art"):
        shutil.copytree(ASSETS_DIR / folder, tmp_path / folder)
    return tmp_path


def _drop_composition_entry(assets: Path, section: str, name: str) -> None:
    composition = assets / "illustrations" / "parts" / "compositions.yaml"
    data = yaml.safe_load(composition.read_text(encoding="utf-8"))
    del data[section]["files"][name]
    composition.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_artkit_check_passes_on_an_untouched_copy(art_copy, capsys):
    from tools import artkit

    assert artkit.main(["--check", "--assets", str(art_copy)]) == 0
    assert capsys.readouterr() == ("", "")


def test_artkit_check_reports_a_shipped_svg_without_a_composition_entry(art_copy, capsys):
    """A shipped SVG the composition no longer describes fails --check by name (commit
    d39eb90 dropped 36 entries and --check passed without looking at those files)."""
    from tools import artkit

    _drop_composition_entry(art_copy, "icons", "benefit-colic")
    (art_copy / "art" / "stray.svg").write_text(
        (art_copy / "art" / "cover.svg").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert artkit.main(["--check", "--assets", str(art_copy)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    unlisted = [line.split(":")[0] for line in err.splitlines()]
    assert unlisted == [
        (art_copy / "art" / "stray.svg").as_posix(),
        (art_copy / "icons" / "benefit-colic.svg").as_posix(),
    ]
    assert "not generated; add an entry for it to" in err
    # writing cannot fix it either, so the generator fails too (and deletes nothing)
    assert artkit.main(["--assets", str(art_copy)]) == 1
    assert (art_copy / "icons" / "benefit-colic.svg").is_file()


def test_artkit_check_reports_a_shipped_svg_that_differs(art_copy, capsys):
    from tools import artkit

    edited = art_copy / "illustrations" / "i-love-you.svg"
    edited.write_text(edited.read_text(encoding="utf-8").replace("#A8380C", "#000000"))
    assert artkit.main(["--check", "--assets", str(art_copy)]) == 1
    out, err = capsys.readouterr()
    assert out == f"{edited.as_posix()}: out of date; run python -m tools.artkit\n"
    assert err == ""
    assert artkit.main(["--assets", str(art_copy)]) == 0
    assert edited.read_bytes() == (ASSETS_DIR / "illustrations" / "i-love-you.svg").read_bytes()


def test_picture_box_fits_the_box():
    box = PictureBox(picture(ASSETS_DIR / "illustrations" / "tummy-circles.svg"), 200, 100)
    height = box.measure(500)
    assert height <= 100.01
    assert box.art_width <= 200.01
    assert abs(box.art_width / box.art_height - 4 / 3) < 0.01
    assert box.width == pytest.approx(200)


def test_each_file_is_parsed_once_per_process():
    path = ASSETS_DIR / "icons" / "safety.svg"
    first = load_drawing(path)
    assert first.contents
    assert load_drawing(path) is first  # shared and read-only: no parse, no copy per use
    assert picture(path) is picture(path)


# --- hostile input ------------------------------------------------------------------------

HOSTILE = {
    "xxe": """<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><desc>&xxe;</desc></svg>""",
    "external-entity-http": """<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY e SYSTEM "http://127.0.0.1:9/x">]>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><desc>&e;</desc></svg>""",
    "billion-laughs": """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><desc>&lol3;</desc></svg>""",
    "external-href": """<svg xmlns="http://www.w3.org/2000/svg"
 xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">
<use xlink:href="http://127.0.0.1:9/evil.svg#x"/></svg>""",
    "file-href": """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
<use href="file:///etc/passwd#x"/></svg>""",
    "other-file-href": """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
<use href="other.svg#x"/></svg>""",
    "image": """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
<image href="#x" width="5" height="5"/></svg>""",
    "script": """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
<script>alert(1)</script><rect width="5" height="5"/></svg>""",
    "event-handler": """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
<rect width="5" height="5" onclick="alert(1)"/></svg>""",
    "foreign-object": """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
<foreignObject width="5" height="5"><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>
</svg>""",
    "css-url": """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
<rect width="5" height="5" style="fill:url(http://127.0.0.1:9/p.svg#g)"/></svg>""",
    "css-import": """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
<style>@import "http://127.0.0.1:9/x.css";</style><rect width="5" height="5"/></svg>""",
    "huge-viewbox": """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100000 100000">
<rect width="5" height="5"/></svg>""",
    "huge-width": """<svg xmlns="http://www.w3.org/2000/svg" width="99999" height="10"
 viewBox="0 0 10 10">
<rect width="5" height="5"/></svg>""",
    "not-svg": """<html><body/></html>""",
    "broken": """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
<rect width="5" </svg>""",
}


@pytest.fixture
def no_network(monkeypatch):
    calls: list[tuple] = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield calls
    assert calls == []


@pytest.fixture
def art_root(tmp_path):
    return tmp_path


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_svg_is_refused(name, art_root, no_network):
    path = art_root / f"{name}.svg"
    path.write_text(HOSTILE[name], encoding="utf-8")
    with pytest.raises(UserError) as info:
        picture(path)
    assert str(path) in str(info.value)
    assert check_art(path)  # reported, not raised


def test_refusal_names_the_line(art_root, no_network):
    path = art_root / "script.svg"
    path.write_text(HOSTILE["script"], encoding="utf-8")
    with pytest.raises(UserError) as info:
        picture(path)
    assert info.value.problem.line == 2


def test_too_many_elements(art_root, no_network):
    path = art_root / "many.svg"
    rects = '<rect width="1" height="1"/>' * 5001
    path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{rects}</svg>')
    with pytest.raises(UserError, match="too many elements"):
        picture(path)


def test_too_large_file(art_root, no_network):
    path = art_root / "big.svg"
    pad = "<!--" + "x" * (257 * 1024) + "-->"
    path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{pad}</svg>')
    with pytest.raises(UserError, match="too large"):
        picture(path)


@pytest.mark.parametrize(
    ("attributes", "fragment"),
    [
        ('viewBox="0 0 10 10"><rect width="1e308" height="5"/', "too large"),
        ('viewBox="0 0 10 10"><rect width="nan" height="5"/', "not finite"),
        ('viewBox="0 0 10 10"><path d="M0 0 L inf 5"/', "not finite"),
        ('width="0" height="10"><rect width="5" height="5"/', "no size"),
        ('viewBox="0 0 0 10"><rect width="5" height="5"/', "viewBox is invalid"),
    ],
)
def test_extreme_numbers_are_refused(tmp_path, attributes, fragment):
    """Numbers a PDF cannot hold (or that would divide by zero) never reach the drawing."""
    path = tmp_path / "extreme.svg"
    path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}></svg>')
    with pytest.raises(UserError, match=fragment) as caught:
        picture(path)
    assert caught.value.problem.path == path


def test_a_fifo_or_device_is_not_read(tmp_path):
    fifo = tmp_path / "pipe.svg"
    os.mkfifo(fifo)
    with pytest.raises(UserError, match="not a regular file"):
        picture(fifo)
    with pytest.raises(UserError, match="not a regular file"):
        picture(Path("/dev/zero"))


def test_internal_reference_is_fine(art_root, no_network):
    path = art_root / "ok.svg"
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 10 10"><defs><rect id="r" width="4" height="4"/></defs>'
        '<use xlink:href="#r" x="2" y="2"/></svg>'
    )
    assert picture(path).width == 10
    assert load_drawing(path).getContents()
