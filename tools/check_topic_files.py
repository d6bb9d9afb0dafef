"""Dev tool: check a topic folder written in the new content format (topics as data).

    python -m tools.check_topic_files handouts/<topic>

An interim stand-in for the engine's loader (`makebook check`), which is not on this
branch yet: it checks the files against the format the lead engineer is landing
(sections of generic kinds in topic.yaml, texts keyed by the topic's ids in <lang>.yaml)
so a new topic can be written and checked before the engine that reads it exists.
Remove it once `makebook check` can read the topic.

What it checks:
* every file parses; ids, labels, URLs, DOIs and PMIDs have the format's shape;
* topic.yaml: section kinds, exactly two groups for cue-pairs, pictures and videos only on
  step cards, unique ids, every cited reference listed (and every listed one cited);
* assets: every icon, illustration and art file exists under assets/, has the viewBox
  its folder or role needs, is under 60 KB and has no text;
* every language file: every id in topic.yaml has its text and no text has an id
  topic.yaml lacks; the fields each kind allows; the source language gives what each
  kind requires; ui gives every label topic.yaml names and every engine block label;
* translations: the same keys as the source, placeholders ({n}...) and numbers unchanged,
  **bold** kept, no empty strings.
Exit status 1 if anything is wrong.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"

ID = re.compile(r"^[a-z0-9]+([-_][a-z0-9]+)*$")
LABEL = re.compile(r"^[a-z][a-z0-9_]*$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^\d{1,9}$")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
MAX_URL_BYTES = 84

# Kinds: text fields an item may have, fields the source must give, groups?, pictures?
KINDS = {
    "icon-list": ({"title", "short", "full"}, {"short"}, False, False),
    "step-cards": ({"title", "steps", "repeat", "tip"}, {"title", "steps"}, False, True),
    "cue-pairs": ({"short"}, {"short"}, True, False),
    "bullet-list": ({"short"}, {"short"}, False, False),
    "warning-box": ({"short"}, {"short"}, False, False),
    "help-box": ({"short"}, {"short"}, False, False),
}
# The engine's block labels every topic's source language must give (FORMAT.md).
ENGINE_LABELS = {
    "scan_to_watch", "page_n_of_m", "revised", "leaflet_code", "draft_mark",
    "help_emergency", "emergency_number_here", "help_ward", "write_number_here",
    "references_heading", "evidence_note", "contents_heading", "notes_heading",
    "practice_log_heading", "routine_heading", "welcome_heading", "welcome_text",
    "tip_label", "instructor_label", "class_dates_label", "week_label", "log_day",
    "log_time", "log_what", "log_response", "more_note",
}
VIEWBOX = {"illustrations": (0, 0, 400, 300), "icons": (0, 0, 48, 48)}
# Numbers a language says with a word where the source has digits (Arabic duals: "two
# months" is one word, شهرين; "1 hour" is ساعة واحدة; "day 1" is اليوم الأول).
NUMBER_WORDS = {
    "ar": {"1": ("واحد", "واحدة", "الأول"), "2": ("شهرين", "شهران", "دقيقتان", "دقيقتين")},
}
ART_VIEWBOX = {"header": (0, 0, 600, 120), "cover": (0, 0, 400, 400)}
ITEM_KEYS = {"id", "icon", "illustration", "video", "video_source", "handout", "references"}
SECTION_KEYS = {"id", "kind", "heading", "heading_handout", "intro", "icon", "items", "groups"}


class Report:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, where: str, text: str) -> None:
        self.problems.append(f"{where}: {text}")


def items_of(section: dict) -> list[dict]:
    return [{"id": i} if isinstance(i, str) else i for i in section.get("items", []) or []]


def check_svg(path: Path, box: tuple | None, out: Report, where: str) -> None:
    if not path.is_file():
        out.add(where, f"file not found: {path.relative_to(ROOT)}")
        return
    data = path.read_bytes()
    if len(data) >= 60 * 1024:
        out.add(where, f"{path.name} is {len(data)} bytes (limit 60 KB)")
    text = data.decode("utf-8")
    if re.search(r"<(text|tspan|image|script|foreignObject)\b", text):
        out.add(where, f"{path.name} has text, images or scripts")
    match = re.search(r'viewBox="([^"]+)"', text)
    if not match:
        out.add(where, f"{path.name} has no viewBox")
    elif box and tuple(float(v) for v in match.group(1).split()) != box:
        out.add(where, f"{path.name} viewBox {match.group(1)} (expected {box})")


def check_topic(topic: dict, out: Report) -> tuple[dict, set[str]]:
    """Return {section id: (kind, item ids or {group: item ids})} and the ui labels named."""
    where = "topic.yaml"
    shape: dict = {}
    labels: set[str] = set()
    if not ID.match(str(topic.get("id", ""))):
        out.add(where, "id missing or not an id")
    for role, rel in (topic.get("art") or {}).items():
        check_svg(ASSETS / rel, ART_VIEWBOX.get(role), out, f"{where} art.{role}")
    refs = [r.get("id") for r in topic.get("references", [])]
    if len(refs) != len(set(refs)):
        out.add(where, "duplicate reference ids")
    for ref in topic.get("references", []):
        if set(ref) - {"id", "citation", "doi", "pmid", "url"}:
            out.add(where, f"reference {ref.get('id')}: unknown keys {set(ref) - {'id', 'citation', 'doi', 'pmid', 'url'}}")
        if not ref.get("citation"):
            out.add(where, f"reference {ref.get('id')} has no citation")
        if ref.get("doi") and not DOI.match(ref["doi"]):
            out.add(where, f"reference {ref['id']}: DOI {ref['doi']!r} is not a DOI")
        if ref.get("pmid") and not PMID.match(str(ref["pmid"])):
            out.add(where, f"reference {ref['id']}: PMID {ref['pmid']!r} is not a PMID")
    cited: set[str] = set()
    for s in topic.get("sections", []):
        sid, kind = s.get("id"), s.get("kind")
        w = f"{where} section {sid}"
        if set(s) - SECTION_KEYS:
            out.add(w, f"unknown keys {set(s) - SECTION_KEYS}")
        if not ID.match(str(sid)) or sid in shape or sid in ("title", "subtitle", "intro", "ui", "language"):
            out.add(w, "bad, reserved or duplicate section id")
        if kind not in KINDS:
            out.add(w, f"unknown kind {kind!r}")
            continue
        _, _, grouped, pictures = KINDS[kind]
        for key in ("heading", "heading_handout", "intro"):
            if s.get(key):
                if not LABEL.match(s[key]):
                    out.add(w, f"{key} {s[key]!r} is not a label")
                labels.add(s[key])
        if s.get("icon"):
            check_svg(ASSETS / s["icon"], VIEWBOX["icons"], out, f"{w} icon")
        if grouped:
            groups = s.get("groups", [])
            if len(groups) != 2:
                out.add(w, "a cue-pairs section needs exactly 2 groups")
            if s.get("items"):
                out.add(w, "a cue-pairs section lists its items under its groups")
            gshape = {}
            for g in groups:
                labels.add(g["label"])
                if g.get("icon"):
                    check_svg(ASSETS / g["icon"], VIEWBOX["icons"], out, f"{w} group {g['id']}")
                ids = [i if isinstance(i, str) else i["id"] for i in g.get("items", [])]
                if len(ids) != len(set(ids)) or not all(ID.match(i) for i in ids):
                    out.add(w, f"group {g['id']}: bad or duplicate item ids")
                gshape[g["id"]] = ids
            shape[sid] = (kind, gshape)
            continue
        if s.get("groups"):
            out.add(w, f"a {kind} section has no groups")
        items = items_of(s)
        if not items:
            out.add(w, "no items")
        ids = [i["id"] for i in items]
        if len(ids) != len(set(ids)):
            out.add(w, "duplicate item ids")
        for item in items:
            iw = f"{w} item {item['id']}"
            if not ID.match(item["id"]):
                out.add(iw, "not an id")
            if set(item) - ITEM_KEYS:
                out.add(iw, f"unknown keys {set(item) - ITEM_KEYS}")
            if not pictures and (item.get("illustration") or item.get("video")):
                out.add(iw, f"illustration/video are for step-cards, not {kind}")
            if item.get("icon"):
                check_svg(ASSETS / item["icon"], VIEWBOX["icons"], out, iw)
            if item.get("illustration"):
                check_svg(ASSETS / item["illustration"], VIEWBOX["illustrations"], out, iw)
            if item.get("video"):
                url = item["video"]
                if not url.startswith("https://") or len(url.encode()) > MAX_URL_BYTES or " " in url:
                    out.add(iw, f"video URL must be https, no spaces, <= {MAX_URL_BYTES} bytes")
                if not item.get("video_source"):
                    out.add(iw, "a video needs a video_source saying what the page shows")
            for ref in item.get("references", []):
                cited.add(ref)
                if ref not in refs:
                    out.add(iw, f"unknown reference {ref!r}")
        shape[sid] = (kind, ids)
    for ref in set(refs) - cited:
        out.add(where, f"reference {ref} is listed but no item cites it")
    return shape, labels


def check_language(code: str, lang: dict, shape: dict, labels: set[str], source: bool, out: Report) -> None:
    where = f"{code}.yaml"
    meta = lang.get("language", {})
    if meta.get("code") != code:
        out.add(where, f"language.code {meta.get('code')!r} does not match the file name")
    fixed = {"language", "title", "subtitle", "intro", "ui"}
    for key in set(lang) - fixed - set(shape):
        out.add(where, f"section {key!r} is not in topic.yaml")
    for sid, (kind, ids) in shape.items():
        allowed, required, grouped, _ = KINDS[kind]
        texts = lang.get(sid)
        if not isinstance(texts, dict):
            out.add(where, f"no texts for section {sid}")
            continue
        if grouped:
            for gid in set(texts) - set(ids):
                out.add(where, f"{sid}: group {gid!r} is not in topic.yaml")
            for gid, gids in ids.items():
                g = texts.get(gid) or {}
                for iid in set(g) - set(gids):
                    out.add(where, f"{sid}.{gid}: {iid!r} is not in topic.yaml")
                for iid in gids:
                    if not isinstance(g.get(iid), str) or not g[iid].strip():
                        out.add(where, f"{sid}.{gid}.{iid}: missing text")
            continue
        for iid in set(texts) - set(ids):
            out.add(where, f"{sid}: {iid!r} is not in topic.yaml")
        for iid in ids:
            t = texts.get(iid)
            if t is None:
                out.add(where, f"{sid}.{iid}: missing text")
                continue
            fields = {"short": t} if isinstance(t, str) else t
            for f in set(fields) - allowed:
                out.add(where, f"{sid}.{iid}: field {f!r} not allowed in a {kind} section")
            if source:
                for f in required - set(fields):
                    out.add(where, f"{sid}.{iid}: the source language must give {f!r}")
            if "steps" in fields and not (isinstance(fields["steps"], list) and fields["steps"]):
                out.add(where, f"{sid}.{iid}: steps must be a list")
    ui = lang.get("ui", {})
    needed = labels | (ENGINE_LABELS if source else set())
    for label in sorted(needed - set(ui)):
        out.add(where, f"ui.{label} missing")


def flatten(data: object, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for k, v in data.items():
            out.update(flatten(v, f"{prefix}{k}."))
    elif isinstance(data, list):
        for i, v in enumerate(data, 1):
            out.update(flatten(v, f"{prefix}{i}."))
    elif isinstance(data, str):
        out[prefix[:-1]] = data
    return out


def check_translation(code: str, lang: dict, src: dict, out: Report) -> None:
    where = f"{code}.yaml"
    a = flatten({k: v for k, v in src.items() if k != "language"})
    b = flatten({k: v for k, v in lang.items() if k != "language"})
    for key in sorted(set(a) - set(b)):
        out.add(where, f"{key}: not translated")
    for key in sorted(set(b) - set(a)):
        out.add(where, f"{key}: not in the source language")
    digits = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
    for key in sorted(set(a) & set(b)):
        s, t = a[key], b[key].translate(digits)
        if not t.strip():
            out.add(where, f"{key}: empty")
        if sorted(PLACEHOLDER.findall(s)) != sorted(PLACEHOLDER.findall(t)):
            out.add(where, f"{key}: placeholders differ from the source")
        ns = sorted(n.replace(",", "") for n in NUMBER.findall(PLACEHOLDER.sub("", s)))
        nt = sorted(n.replace(",", "").replace(".", "") if len(n) > 4 else n
                    for n in NUMBER.findall(PLACEHOLDER.sub("", t)))
        ns = [n.replace(".", "") if len(n) > 4 else n for n in ns]
        for num, words in NUMBER_WORDS.get(code, {}).items():
            said = sum(t.count(w) for w in words)
            while said and ns.count(num) > nt.count(num):
                nt = sorted([*nt, num])
                said -= 1
        if ns != nt:
            out.add(where, f"{key}: numbers {ns} in the source, {nt} here")
        if s.count("**") != t.count("**"):
            out.add(where, f"{key}: **bold** marks differ from the source")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    folder = Path(args[0]).resolve()
    out = Report()
    parsed = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            parsed[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            out.add(path.name, f"does not parse: {exc}".replace("\n", " "))
    if "topic" not in parsed:
        for text in out.problems or ["topic.yaml: missing"]:
            print(text)
        return 1
    topic = parsed.pop("topic")
    shape, labels = check_topic(topic, out)
    src_code = topic["source_language"]
    langs = parsed
    if src_code not in langs:
        out.add("topic.yaml", f"no {src_code}.yaml beside it")
    for code, lang in langs.items():
        check_language(code, lang, shape, labels, code == src_code, out)
        if code != src_code and src_code in langs:
            check_translation(code, lang, langs[src_code], out)
    for text in out.problems:
        print(text)
    n_items = sum(len(v) if isinstance(v, list) else sum(map(len, v.values())) for _, v in shape.values())
    print(f"{folder.name}: {len(shape)} sections, {n_items} items, languages {', '.join(langs)}: "
          f"{len(out.problems)} problem(s)")
    return 1 if out.problems else 0


if __name__ == "__main__":
    sys.exit(main())
