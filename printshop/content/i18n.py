"""Strings by key: what the topic needs, what each language has, what falls back.

A language file is flattened to dotted keys ("<section>.<item>.steps.2"), so
missing, unknown and stale strings can be found, counted and exported the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from printshop.content.models import DOCUMENT_TEXTS, KINDS, Kind, LanguageFile, SectionSpec, Topic
from printshop.content.yamlsafe import YamlDoc
from printshop.errors import Collector, suggest

Loc = tuple[Any, ...]


def flatten(lang: LanguageFile) -> dict[str, tuple[str, Loc]]:
    """Every string of a language file: key -> (text, location in the YAML)."""
    flat: dict[str, tuple[str, Loc]] = {}

    def put(loc: Loc, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, dict):
            for key, inner in value.items():
                put((*loc, key), inner)
        elif isinstance(value, list):
            for i, inner in enumerate(value):
                flat[".".join(map(str, loc)) + f".{i + 1}"] = (inner, (*loc, i))
        else:
            flat[".".join(map(str, loc))] = (value, loc)

    data = lang.model_dump(exclude={"language"}, exclude_none=True)
    for key, value in data.items():
        put((key,), value)
    return flat


ITEM_FIELDS = ("title", "short", "full", "steps", "repeat", "tip", "alt")
ALT = "alt"  # what an illustration shows, in words: the web version's alt text


def is_alt(key: str) -> bool:
    """An illustration's alt text: read out on the web version only, never printed."""
    return key.endswith(f".{ALT}")


def topic_labels(topic: Topic) -> list[str]:
    """The ui labels a topic names for its own headings, intros and groups."""
    found: list[str] = []
    for section in topic.sections:
        found += [v for v in (section.heading, section.heading_handout, section.intro) if v]
        found += [group.label for group in section.groups]
    return list(dict.fromkeys(found))


def section_keys(topic: Topic, source: dict[str, tuple[str, Loc]]) -> list[str]:
    """Every section text key a complete language file has, in reading order.

    An item's fields are the ones its source text has (a plain string is one key)."""
    keys: list[str] = []
    for section in topic.sections:
        for group in section.groups:
            keys += [f"{section.id}.{group.id}.{item.id}" for item in group.items]
        for item in section.items:
            base = f"{section.id}.{item.id}"
            if base in source:
                keys.append(base)
                continue
            for name in ITEM_FIELDS:
                if name == "steps":
                    count = sum(1 for k in source if k.startswith(f"{base}.steps."))
                    keys += [f"{base}.steps.{n}" for n in range(1, count + 1)]
                elif f"{base}.{name}" in source:
                    keys.append(f"{base}.{name}")
    return keys


def expected_keys(topic: Topic, source: dict[str, tuple[str, Loc]]) -> list[str]:
    """Every key a complete language file has: document texts, sections, then ui labels."""
    keys = [k for k in DOCUMENT_TEXTS if k in source] + section_keys(topic, source)
    return keys + [k for k in source if k.startswith("ui.")]


def check_source_texts(
    topic: Topic, source: dict[str, tuple[str, Loc]], doc: YamlDoc, out: Collector
) -> None:
    """The source language has every text each section kind needs, and every topic label."""
    for key in DOCUMENT_TEXTS:
        if key not in source:
            out.add(f"missing text '{key}' in the source language; add it", doc, ())
    for section in topic.sections:
        kind = KINDS[section.kind]
        for group in section.groups:
            for item in group.items:
                key = f"{section.id}.{group.id}.{item.id}"
                if key not in source:
                    out.add(
                        f"missing text '{key}' in the source language; add it",
                        doc,
                        (section.id, group.id),
                    )
        for item in section.items:
            base = f"{section.id}.{item.id}"
            have = (
                {"short"}
                if base in source
                else {
                    name
                    for name in ITEM_FIELDS
                    if f"{base}.{name}" in source or f"{base}.{name}.1" in source
                }
            )
            needed = kind.required | ({ALT} if item.illustration else set())
            for name in sorted(needed - have):
                why = (
                    ": a few words on what the picture shows (the web version reads it out)"
                    if name == ALT
                    else ""
                )
                out.add(
                    f"missing text '{base}.{name}' in the source language{why}; add it",
                    doc,
                    (section.id, item.id),
                )
    for label in topic_labels(topic):
        if f"ui.{label}" not in source:
            out.add(
                f"missing label 'ui.{label}' (named in topic.yaml); add it under ui", doc, ("ui",)
            )


def check_ids(
    topic: Topic, lang: LanguageFile, doc: YamlDoc, out: Collector, labels: frozenset[str]
) -> None:
    """Ids, fields and labels in a language file that the topic and layouts do not have are
    typos: name them, with a suggestion."""
    sections = {section.id: section for section in topic.sections}
    fixed = ["language", *DOCUMENT_TEXTS, "ui"]
    for key, value in lang.sections().items():
        section = sections.get(key)
        if section is None:
            out.add(f"unknown key '{key}'{suggest(key, [*fixed, *sections])}", doc, (key,))
            continue
        _check_section_texts(section, value, doc, (key,), out)
    known = labels | set(topic_labels(topic))
    for key in lang.ui:
        if key not in known:
            out.add(f"unknown label '{key}'{suggest(key, known)}", doc, ("ui", key))


def _check_section_texts(
    section: SectionSpec, value: Any, doc: YamlDoc, loc: Loc, out: Collector
) -> None:
    kind = KINDS[section.kind]
    if not isinstance(value, dict):
        out.add(f"'{section.id}' should hold one entry per item id", doc, loc)
        return
    if kind.groups:
        groups = {group.id: group for group in section.groups}
        for gid, items in value.items():
            if gid not in groups:
                out.add(
                    f"unknown group '{gid}' in {section.id}{suggest(str(gid), groups)}",
                    doc,
                    (*loc, gid),
                )
            elif not isinstance(items, dict):
                out.add(f"'{section.id}.{gid}' should hold one text per item id", doc, (*loc, gid))
            else:
                ids = [item.id for item in groups[gid].items]
                for iid, text in items.items():
                    _check_item(
                        section, kind, ids, iid, text, doc, (*loc, gid), out, plain_only=True
                    )
        return
    ids = [item.id for item in section.items]
    for iid, text in value.items():
        _check_item(section, kind, ids, iid, text, doc, loc, out, plain_only=False)


def _check_item(
    section: SectionSpec,
    kind: Kind,
    ids: list[str],
    iid: Any,
    text: Any,
    doc: YamlDoc,
    loc: Loc,
    out: Collector,
    *,
    plain_only: bool,
) -> None:
    where = (*loc, iid)
    if iid not in ids:
        out.add(
            f"unknown id '{iid}' in {'.'.join(map(str, loc))}{suggest(str(iid), ids)}", doc, where
        )
        return
    if isinstance(text, str):
        if kind.required - {"short"}:
            need = ", ".join(sorted(kind.fields))
            out.add(
                f"'{iid}' in a {section.kind} section has fields ({need}), not one text", doc, where
            )
        elif not text.strip():
            out.add(f"'{iid}' is empty; write its text or remove the key", doc, where)
        return
    if plain_only or not isinstance(text, dict):
        out.add(f"'{iid}' should be one text (put it in quotes if it contains ': ')", doc, where)
        return
    for name, field_text in text.items():
        if name not in kind.fields:
            out.add(
                f"unknown field '{name}'{suggest(str(name), kind.fields)}; a {section.kind} item "
                f"has: {', '.join(sorted(kind.fields))}",
                doc,
                (*where, name),
            )
        elif name == "steps":
            ok = isinstance(field_text, list) and 1 <= len(field_text) <= 8
            if not ok or not all(isinstance(s, str) and s.strip() for s in field_text):
                out.add("'steps' should be a list of 1 to 8 texts", doc, (*where, name))
        elif not isinstance(field_text, str) or not field_text.strip():
            out.add(f"'{name}' should be one text", doc, (*where, name))


def source_hash(text: str) -> str:
    """Short fingerprint of a source string, recorded with each translation."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def is_translated(text: str, source_text: str, recorded: str | None) -> bool:
    """A string is translated when it differs from the source text, or when a translator
    recorded it as made from the source (a text that stays the same, like a name)."""
    return recorded is not None or text != source_text


def format_date(value: dt.date, lang: str) -> str:
    """A date as the language writes it (Babel, CLDR 'medium'); ISO for unknown locales."""
    from babel.core import Locale, UnknownLocaleError
    from babel.dates import format_date as babel_format_date

    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return value.isoformat()
    return babel_format_date(value, format="medium", locale=locale)


@dataclass
class Catalog:
    """One language's strings resolved against the topic and the source language."""

    code: str
    strings: dict[str, str]  # every expected key, after fallback
    missing: list[str] = field(default_factory=list)  # fell back to the source language
    stale: list[str] = field(default_factory=list)  # source changed since translation
    total: int = 0
    # translated (differs from the source) but no record of the source it was made from
    unrecorded: list[str] = field(default_factory=list)

    @property
    def percent_done(self) -> int:
        if not self.total:
            return 100
        return int(100 * (self.total - len(self.missing)) / self.total)

    def get(self, key: str, **values: Any) -> str:
        text = self.strings.get(key, key)
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        return text


def build_catalog(
    topic: Topic,
    source: LanguageFile,
    lang: LanguageFile,
    source_doc: YamlDoc,
    doc: YamlDoc,
    out: Collector,
) -> Catalog:
    """Resolve every expected key; missing source strings are errors, others fall back."""
    src = flatten(source)
    keys = expected_keys(topic, src)
    own = flatten(lang)
    is_source = lang.language.code == source.language.code
    strings: dict[str, str] = {}
    missing: list[str] = []
    stale: list[str] = []
    unrecorded: list[str] = []
    for key in keys:
        recorded = lang.language.translated_from.get(key)
        if (
            key in own
            and key in src
            and not is_source
            and not is_translated(own[key][0], src[key][0], recorded)
        ):
            strings[key] = own[key][0]  # still the source text: counts as not translated
            missing.append(key)
        elif key in own:
            strings[key] = own[key][0]
            if not is_source and key in src:
                if recorded is None:
                    unrecorded.append(key)
                elif recorded != source_hash(src[key][0]):
                    stale.append(key)
        elif key in src:
            strings[key] = src[key][0]
            missing.append(key)
        else:
            parent = key.rsplit(".", 1)[0].split(".")
            out.add(
                f"missing text '{key}' in the source language; add it", source_doc, tuple(parent)
            )
    extra_steps = [k for k in own if ".steps." in k and k not in strings]
    for key in extra_steps:
        out.add(
            f"'{key}': the source language has fewer steps; remove this one or add it there",
            doc,
            own[key][1],
        )
    return Catalog(
        lang.language.code, strings, missing, stale, total=len(keys), unrecorded=unrecorded
    )
