"""Gettext PO round trip for translators who use Poedit, Weblate or Crowdin.

One entry per key: msgctxt = key ("<section>.<item>.steps.2"), msgid = source
text, msgstr = translation ("" when not translated), `#, fuzzy` when the source changed
since the translation was made (stale), `#` translator comments = the comment lines
above the key in the YAML file, `#.` = notes written above the key in the source file.
The language block travels in the PO header (X-Makebook-* fields).

Import checks everything first (unknown keys, placeholders, **bold** markers) and
reports file:line for each problem; only then writes <lang>.yaml atomically, in the
standard form (see langfile), keys in the source file's order. A translated entry that
is not fuzzy records the hash of its msgid as what it was made from; a fuzzy one keeps
the hash it had when exported (X-Makebook-Stale), so it stays stale.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import polib

from printshop.content.i18n import flatten, is_translated, source_hash
from printshop.content.langfile import (
    FILE_NOTES,
    choose_topic,
    file_notes,
    known_language,
    meta_dict,
    save_translation,
    source_notes,
    source_strings,
)
from printshop.content.load import load_checked_bundle
from printshop.content.yamlsafe import FORBIDDEN_CHARS, MAX_STRING_CHARS, odd_code_point
from printshop.errors import Problem, ProblemList, UserError, display_path, suggest
from printshop.files import read_capped
from printshop.project import Project

PO_MARKER = b"X-Makebook-Topic"  # in the header of every PO file makebook writes
FUZZY_UNKNOWN = "fuzzy"  # recorded for a fuzzy entry whose original source is unknown
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_H = "X-Makebook-"
_META_HEADERS = {
    "code": "Language-Code",
    "name": "Language-Name",
    "native_name": "Native-Name",
    "direction": "Direction",
    "status": "Status",
    "reviewer": "Reviewer",
    "reviewer_role": "Reviewer-Role",
    "review_date": "Review-Date",
}


def export_po(project: Project, topic: str, code: str) -> str:
    """The PO text for one language of a topic."""
    bundle = load_checked_bundle(project, topic)
    lang, _doc = known_language(bundle, code)
    src_lang, src_doc = bundle.languages[bundle.source]
    source = source_strings(bundle)
    src_flat = flatten(src_lang)
    own = {key: value for key, (value, _loc) in flatten(lang).items()}
    recorded = lang.language.translated_from
    catalog = bundle.catalogs[code]
    notes = file_notes(bundle, code)
    po = polib.POFile(wrapwidth=78)
    po.header = (
        f"{lang.language.name} text for makebook topic '{topic}'.\n"
        "msgctxt is the key of each text: do not change it. Keep {placeholders} and\n"
        "**bold** markers as in the source. Import with: makebook lang import FILE.po"
    )
    meta = meta_dict(lang.language)
    po.metadata = {
        "Project-Id-Version": f"makebook {topic}",
        "Language": code.replace("-", "_"),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        f"{_H}Topic": topic,
        f"{_H}Source-Language": bundle.source,
    }
    for field, header in _META_HEADERS.items():
        if field in meta:
            value = meta[field]
            po.metadata[_H + header] = value.isoformat() if isinstance(value, dt.date) else value
    stale = [f"{key}={recorded[key]}" for key in catalog.stale]
    if stale:
        po.metadata[f"{_H}Stale"] = " ".join(stale)
    rel = display_path(src_doc.path)
    for key, src_text in source.items():
        text = own.get(key, "")
        done = key in own and is_translated(text, src_text, recorded.get(key))
        line = src_doc.where(src_flat[key][1])[0]
        po.append(
            polib.POEntry(
                msgctxt=key,
                msgid=src_text,
                msgstr=text if done else "",
                comment="\n".join(source_notes(src_doc, src_flat[key][1], bundle.source)),
                tcomment="\n".join(notes.get(key, [])),
                occurrences=[(rel, str(line))] if line else [],
                flags=["fuzzy"] if key in catalog.stale else [],
            )
        )
    return str(po)


def _header_date(value: str, path: Path) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UserError(
            f"header {_H}Review-Date: '{value}' is not a date (YYYY-MM-DD)", path
        ) from None


def hidden_characters(text: str) -> str | None:
    """The first thing a YAML file may not hold (read back, it would be refused): a
    control or bidi override character, or a private-use, unassigned or non-character
    code point."""
    found = []
    odd = odd_code_point(text)
    if odd is not None:
        found.append(odd)
    bad = FORBIDDEN_CHARS.search(text)
    if bad:
        found.append(
            (
                bad.start(),
                f"invisible control character U+{ord(bad.group()):04X}; delete it "
                "(it can change how printed text reads)",
            )
        )
    return min(found)[1] if found else None


def check_text(key: str, source: str, text: str) -> list[str]:
    """What is wrong with a translation of `source` (placeholders, bold markers, size)."""
    problems = []
    want, got = sorted(_PLACEHOLDER.findall(source)), sorted(_PLACEHOLDER.findall(text))
    if want != got:
        missing = [p for p in want if p not in got]
        extra = [p for p in got if p not in want]
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if extra:
            parts.append(f"unknown {', '.join(extra)}")
        problems.append(
            f"'{key}': placeholders must match the source ({'; '.join(parts)}); "
            "copy them exactly, e.g. {n}"
        )
    if text.count("**") % 2:
        problems.append(f"'{key}': a '**' bold marker is not closed")
    elif text.count("**") != source.count("**"):
        problems.append(
            f"'{key}': the source has {source.count('**') // 2} **bold** part(s), "
            f"the translation {text.count('**') // 2}"
        )
    if len(text) > MAX_STRING_CHARS:
        problems.append(f"'{key}': text is {len(text)} characters long")
    found = hidden_characters(text)
    if found:
        problems.append(f"'{key}': {found}")
    return problems


MAX_PO_BYTES = 5_000_000  # a whole topic's PO file is about 100 KB


def read_po(po_path: Path) -> polib.POFile:
    """A PO file read with a size cap, regular files only, as UTF-8 (or UTF-16 with a BOM)."""
    raw = read_capped(po_path, MAX_PO_BYTES, "PO file")
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = raw.decode("utf-16")
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UserError(
            f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the PO file as UTF-8", po_path, line
        ) from None
    if "\n" not in text:
        text += "\n"  # polib reads a one-line text that names a file as that file's path
    try:
        return polib.pofile(text)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        message = str(exc).replace(str(po_path), "").replace("  ", " ")
        line = re.search(r"line (\d+)", message)
        raise UserError(
            f"not a valid PO file: {message.strip()}", po_path, int(line.group(1)) if line else None
        ) from None


def po_topic(project: Project, header: str | None, chosen: str | None, po_path: Path) -> str:
    """The topic to write into: --topic, else the header's if it is one of the project's
    topics by id (never a path); a header naming another topic than --topic is refused."""
    known = project.topic_ids()
    if header and chosen and header != chosen:
        raise UserError(
            f"this PO file is for topic '{header[:60]}' (header {_H}Topic), not '{chosen}'",
            po_path,
        )
    if chosen is None and header:
        if header not in known:
            raise UserError(
                f"header {_H}Topic: '{header[:60]}' is not a topic of this project "
                f"(topics: {', '.join(known) or 'none'}); name the topic with --topic",
                po_path,
            )
        chosen = header
    return choose_topic(project, chosen)


def import_po(project: Project, po_path: Path, topic: str | None = None) -> tuple[Path, int]:
    """Write handouts/<topic>/<lang>.yaml from a PO file; returns (path, strings translated)."""
    po = read_po(po_path)
    head = po.metadata
    topic = po_topic(project, head.get(f"{_H}Topic"), topic, po_path)
    code = head.get(f"{_H}Language-Code") or head.get("Language", "").replace("_", "-")
    if not code:
        raise UserError(f"the PO header has no Language (or {_H}Language-Code)", po_path, 1)
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", code):
        raise UserError(
            f"header Language: '{code}' is not a language code (e.g. ti, pt_BR)", po_path
        )
    bundle = load_checked_bundle(project, topic)
    if code == bundle.source:
        raise UserError(f"{code} is the source language; edit its YAML file directly", po_path)
    source = source_strings(bundle)
    problems: list[Problem] = []
    values: dict[str, str] = {}
    recorded: dict[str, str] = {}
    # the file's own notes (above `language:`) have no PO entry: kept from the file
    kept = file_notes(bundle, code) if code in bundle.languages else {}
    notes = {key: kept[key] for key in kept if key == FILE_NOTES}
    old_hashes = dict(
        item.split("=", 1) for item in head.get(f"{_H}Stale", "").split() if "=" in item
    )
    seen: dict[str, int] = {}
    for entry in po:
        if entry.obsolete:
            continue
        line = entry.linenum
        key = entry.msgctxt
        if not key:
            problems.append(Problem("entry has no msgctxt (the key); keep it", po_path, line))
            continue
        if key not in source:
            problems.append(Problem(f"unknown key '{key}'{suggest(key, source)}", po_path, line))
            continue
        if key in seen:
            problems.append(Problem(f"'{key}' again (first at line {seen[key]})", po_path, line))
            continue
        seen[key] = line
        if entry.tcomment:
            notes[key] = entry.tcomment.split("\n")
            found = hidden_characters(entry.tcomment)
            problems += [Problem(f"'{key}': comment: {found}", po_path, line)] if found else []
        if not entry.msgstr:
            continue
        found = check_text(key, source[key], entry.msgstr)
        problems += [Problem(message, po_path, line) for message in found]
        values[key] = entry.msgstr
        if "fuzzy" in entry.flags:
            recorded[key] = old_hashes.get(key, FUZZY_UNKNOWN)
        else:
            recorded[key] = source_hash(entry.msgid)
    if problems:
        raise ProblemList(problems)
    meta = _meta_from_header(head, code, bundle, po_path)
    meta["translated_from"] = {key: recorded[key] for key in source if key in recorded}
    full = {key: values.get(key, text) for key, text in source.items()}
    path = project.writable_language_file(topic, code)
    save_translation(path, bundle, topic, meta, full, notes)
    return path, len(values)


def _meta_from_header(
    head: dict[str, str], code: str, bundle: Any, po_path: Path
) -> dict[str, Any]:
    """Language block: PO header first, then the existing file, then Babel's names."""
    from printshop.content.langfile import babel_names

    meta: dict[str, Any] = {"code": code}
    if code in bundle.languages:
        meta.update(meta_dict(bundle.languages[code][0].language))
        meta.pop("translated_from", None)
    else:
        meta.update(babel_names(code))
        meta.setdefault("status", "draft")
    for field, header in _META_HEADERS.items():
        value = head.get(_H + header)
        if value and field != "code":
            meta[field] = _header_date(value, po_path) if field == "review_date" else value
    if not meta.get("name") or not meta.get("native_name"):
        raise UserError(
            f"unknown language '{code}': add {_H}Language-Name and {_H}Native-Name to the "
            "PO header, or run `makebook lang new` first",
            po_path,
        )
    return meta
