"""Strings by key: what the topic needs, what each language has, what falls back.

A language file is flattened to dotted keys ("techniques.leg-milking.steps.2"), so
missing, unknown and stale strings can be found, counted and exported the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from printshop.content.load import Collector, suggest
from printshop.content.models import LanguageFile, Topic, UiText
from printshop.content.yamlsafe import YamlDoc

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


def expected_keys(topic: Topic, source_steps: dict[str, int]) -> list[str]:
    """Every key a complete language file has, in reading order."""
    keys = ["title", "subtitle", "intro"]
    for benefit in topic.benefits:
        keys += [f"benefits.{benefit.id}.{part}" for part in ("title", "short", "full")]
    keys += [f"preparation.{item.id}" for item in topic.preparation]
    for tech in topic.techniques:
        base = f"techniques.{tech.id}"
        steps = source_steps.get(tech.id, 1)
        keys += [f"{base}.name", *(f"{base}.steps.{i}" for i in range(1, steps + 1))]
        keys += [f"{base}.repeat", f"{base}.tip"]
    keys += [f"cues.engage.{cue}" for cue in topic.cues.engage]
    keys += [f"cues.disengage.{cue}" for cue in topic.cues.disengage]
    keys += [f"safety.{item}" for item in topic.safety]
    keys += [f"help_signs.{item}" for item in topic.help_signs]
    keys += [f"ui.{name}" for name in UiText.model_fields]
    return keys


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


def _id_sections(topic: Topic) -> dict[Loc, list[str]]:
    return {
        ("benefits",): [b.id for b in topic.benefits],
        ("preparation",): [p.id for p in topic.preparation],
        ("techniques",): [t.id for t in topic.techniques],
        ("cues", "engage"): list(topic.cues.engage),
        ("cues", "disengage"): list(topic.cues.disengage),
        ("safety",): list(topic.safety),
        ("help_signs",): list(topic.help_signs),
    }


def check_ids(topic: Topic, lang: LanguageFile, doc: YamlDoc, out: Collector) -> None:
    """Ids in a language file that the topic does not have are typos: name them."""
    data = lang.model_dump(exclude={"language"})
    for section, ids in _id_sections(topic).items():
        entries: Any = data
        for part in section:
            entries = entries.get(part) or {}
        for key in entries:
            if key not in ids:
                where = ".".join(section)
                out.add(f"unknown id '{key}' in {where}{suggest(key, ids)}", doc, (*section, key))


def source_steps(source: LanguageFile) -> dict[str, int]:
    return {tid: len(t.steps or []) for tid, t in source.techniques.items()}


def build_catalog(
    topic: Topic,
    source: LanguageFile,
    lang: LanguageFile,
    source_doc: YamlDoc,
    doc: YamlDoc,
    out: Collector,
) -> Catalog:
    """Resolve every expected key; missing source strings are errors, others fall back."""
    keys = expected_keys(topic, source_steps(source))
    src = flatten(source)
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
