"""Language files for translators: create, rewrite, mark, review, report, check glyphs.

A language file written by makebook (`lang new`, `lang import`, `lang update`) has every
key of the source language, in the source file's order. Each text sits in a folded
block (`>-`) on its own indented line(s), so colons, quotes, `#` and `**bold**` need no
escaping, and the source text is shown above it as `# en:` comment lines. A key whose
text is still the source text counts as not translated (it prints in the source
language), unless `translated_from` records it as deliberately the same.

`language.translated_from` maps each key to a short hash of the source text the
translation was made from (`i18n.source_hash`); when the source text changes, the key
is stale. Hand-written files are edited in place (only the `language:` block changes),
so their strings, comments and layout are kept byte for byte.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from printshop.content.i18n import Catalog, flatten, source_hash
from printshop.content.load import TopicBundle, load_checked_bundle
from printshop.content.models import LanguageFile, LanguageMeta
from printshop.content.yamlsafe import (
    YamlDoc,
    entry_lines,
    folds_back,
    key_text,
    parse_yaml,
    quoted_text,
    read_yaml_text,
)
from printshop.errors import Collector, Problem, ProblemList, UserError, suggest
from printshop.pdf.write import write_atomic
from printshop.project import Project

SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/language.schema.json"
META_ORDER = [
    "code",
    "name",
    "native_name",
    "direction",
    "status",
    "reviewer",
    "reviewer_role",
    "review_date",
    "translated_from",
]
_MARK_COMMENT = "# written by makebook (lang mark, lang import): do not edit by hand"
_NO_WRAP_LANGS = {"zh", "ja", "ko"}  # a folded line break would add a space between characters
_WIDTH = 88


# ----------------------------------------------------------------- loading
def choose_topic(project: Project, topic: str | None, code: str | None = None) -> str:
    """The topic a translator command works on: --topic, else the only topic, else the
    only topic that has a `code` language file."""
    topics = project.topic_ids()
    if topic is not None:
        project.topic_file(topic)  # raises with a suggestion
        return topic
    if len(topics) == 1:
        return topics[0]
    having = [t for t in topics if code in project.language_files(t)] if code else []
    if len(having) == 1:
        return having[0]
    where = f"{code} is in several topics" if len(having) > 1 else "several topics"
    raise UserError(f"{where}; choose one with --topic ({', '.join(topics) or 'none'})")


def source_strings(bundle: TopicBundle) -> dict[str, str]:
    """Source language key -> text, in the order the keys appear in the source file."""
    lang, doc = bundle.languages[bundle.source]
    flat = flatten(lang)
    order = sorted(
        flat, key=lambda k: (doc.where(flat[k][1])[0] or 0, doc.where(flat[k][1])[1] or 0)
    )
    return {key: flat[key][0] for key in order}


def known_language(bundle: TopicBundle, code: str) -> tuple[LanguageFile, YamlDoc]:
    broken = getattr(bundle, "broken", {})
    if code in broken:
        raise ProblemList(broken[code])
    if code not in bundle.languages:
        known = sorted(bundle.languages)
        raise UserError(
            f"unknown language '{code}'{suggest(code, known)}; languages: {', '.join(known)}"
        )
    return bundle.languages[code]


def source_notes(doc: YamlDoc, loc: tuple[Any, ...], source_code: str) -> list[str]:
    """Comment lines directly above a key (translator or developer notes)."""
    line, _col = doc.where(loc)
    if line is None:
        return []
    lines = doc_lines(doc)
    notes: list[str] = []
    i = line - 2
    while i >= 0 and lines[i].strip().startswith("#"):
        text = lines[i].strip()
        if not text.startswith(f"# {source_code}:") and not text.startswith(
            "# yaml-language-server:"
        ):
            notes.append(text[2:] if text.startswith("# ") else text[1:])
        i -= 1
    return notes[::-1]


_lines_cache: dict[Path, tuple[str, list[str]]] = {}


def doc_lines(doc: YamlDoc) -> list[str]:
    text = read_yaml_text(doc.path)
    cached = _lines_cache.get(doc.path)
    if cached is None or cached[0] != text:
        cached = (text, text.splitlines())
        _lines_cache[doc.path] = cached
    return cached[1]


# In `notes`: the comment lines above the `language:` block (the translator's notes on
# the whole file: dialect, word choices), kept under the block's own name.
FILE_NOTES = "language"


def file_notes(bundle: TopicBundle, code: str) -> dict[str, list[str]]:
    """key -> the comment lines written above it in a language file; FILE_NOTES -> the
    file's own notes, above `language:` (not the standard header makebook writes)."""
    lang, doc = bundle.languages[code]
    flat = flatten(lang)
    top = [
        line
        for line in source_notes(doc, (FILE_NOTES,), bundle.source)
        if not _is_header_line(line)
    ]
    notes = {FILE_NOTES: top} if top else {}
    for key, (_text, loc) in flat.items():
        found = source_notes(doc, loc, bundle.source)
        if found:
            notes[key] = found
    return notes


# ----------------------------------------------------------------- writing a whole file
def _wrap(words: list[str], width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return lines


def _foldable(text: str) -> bool:
    return (
        bool(text)
        and text == text.strip()
        and "  " not in text
        and not any(ch in text for ch in "\n\r\t\x85\u2028\u2029")
    )


def scalar_lines(text: str, indent: int, wrap: bool) -> tuple[str, list[str]]:
    """(what follows 'key:' on its line, the lines under it) for one text value."""
    pad = " " * indent
    if _foldable(text):
        width = max(40, _WIDTH - indent) if wrap else 10**9
        body = [pad + line for line in _wrap(text.split(" "), width)]
        if folds_back(body, text):
            return " >-", body
    return " " + quoted_text(text), []


def _comment_lines(prefix: str, text: str, indent: int, wrap: bool) -> list[str]:
    pad = " " * indent
    out = []
    width = max(40, _WIDTH - indent - len(prefix)) if wrap else 10**9
    for para in text.split("\n"):
        words = para.split(" ") if para else [""]
        out += [f"{pad}{prefix}{line}".rstrip() for line in _wrap(words, width)]
    return out


def render_meta(meta: dict[str, Any]) -> list[str]:
    """The `language:` block, fields in the usual order."""
    lines = ["language:"]
    for name in META_ORDER:
        value = meta.get(name)
        if value is None or value == {}:
            continue
        if name == "translated_from":
            lines.append("  " + _MARK_COMMENT)
        lines += ["  " + line for line in entry_lines(name, value)]
    return lines


def _header(name: str, code: str, topic: str, source_code: str) -> list[str]:
    """The comment makebook writes at the top of every language file."""
    return [
        f"# {name} ({code}) text for handouts/{topic}, one entry per {source_code} text.",
        f"# Replace the text on the indented line(s) under each key; the '# {source_code}:' "
        "lines above",
        "# it show the source. Keep the key names and indentation. Guide: docs/translators.md",
    ]


def _is_header_line(line: str) -> bool:
    """A line of the standard header, whatever the language, topic and source named."""
    return line.startswith("Replace the text on the indented line(s) under each key;") or (
        line.startswith("it show the source. Keep the key names and indentation.")
        or (" text for handouts/" in line and ", one entry per " in line)
    )


def render_language_file(
    *,
    topic: str,
    meta: dict[str, Any],
    source: dict[str, str],
    source_code: str,
    values: dict[str, str],
    notes: dict[str, list[str]] | None = None,
) -> str:
    """A complete language file: every source key, source text as comments above it."""
    notes = notes or {}
    wrap = meta["code"].split("-")[0] not in _NO_WRAP_LANGS
    out = [
        SCHEMA_LINE,
        *_header(meta["name"], meta["code"], topic, source_code),
        "",
        *(f"# {line}".rstrip() for line in notes.get(FILE_NOTES, [])),
        *render_meta(meta),
    ]
    open_path: list[str] = []
    for key, src_text in source.items():
        parts = key.split(".")
        is_step = len(parts) >= 2 and parts[-2] == "steps" and parts[-1].isdigit()
        container = parts[:-1]
        common = 0
        while (
            common < min(len(open_path), len(container)) and open_path[common] == container[common]
        ):
            common += 1
        if common == 0:
            out.append("")
        for depth in range(common, len(container)):
            out.append("  " * depth + key_text(container[depth]) + ":")
        open_path = container
        indent = 2 * len(container)
        pad = " " * indent
        out += [
            f"{pad}# {line}".rstrip() for note in notes.get(key, []) for line in note.split("\n")
        ]
        out += _comment_lines(f"# {source_code}: ", src_text, indent, wrap)
        head = f"{pad}-" if is_step else f"{pad}{key_text(parts[-1])}:"
        after, body = scalar_lines(values.get(key, src_text), indent + 2, wrap)
        out.append(head + after)
        out += body
    return "\n".join(out) + "\n"


def verify_text(path: Path, text: str, values: dict[str, str], meta: dict[str, Any]) -> None:
    """The written file must load and say exactly what was meant; else it is our bug."""
    doc = parse_yaml(path, text)
    lang = LanguageFile.model_validate(doc.data)
    got = {key: value for key, (value, _loc) in flatten(lang).items()}
    want_meta = LanguageMeta.model_validate(meta)
    if got != values or lang.language != want_meta:
        raise RuntimeError(f"rewriting {path} would change its content; not written")


def write_language_file(
    path: Path, text: str, values: dict[str, str], meta: dict[str, Any]
) -> None:
    try:
        verify_text(path, text, values, meta)
    except (UserError, ValidationError) as exc:
        raise UserError(f"cannot write {path.name}: {str(exc).splitlines()[0]}", path) from None
    write_atomic(path, text.encode("utf-8"))


def save_translation(
    path: Path,
    bundle: TopicBundle,
    topic: str,
    meta: dict[str, Any],
    values: dict[str, str],
    notes: dict[str, list[str]] | None = None,
) -> None:
    """Render a complete language file (every source key) and write it, checked first."""
    source = source_strings(bundle)
    text = render_language_file(
        topic=topic, meta=meta, source=source, source_code=bundle.source, values=values, notes=notes
    )
    write_language_file(path, text, values, meta)


def meta_dict(meta: LanguageMeta) -> dict[str, Any]:
    data = meta.model_dump(exclude_none=True)
    return {name: data[name] for name in META_ORDER if name in data}


# ----------------------------------------------------------------- editing the language block
def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def set_meta_fields(path: Path, updates: dict[str, Any]) -> None:
    """Change fields of the `language:` block in place; every other byte stays as it was."""
    text = read_yaml_text(path)
    before = LanguageFile.model_validate(parse_yaml(path, text).data)
    lines = text.split("\n")
    for name, value in updates.items():
        start = next(
            (i for i, ln in enumerate(lines) if re.match(r"language:\s*(#.*)?$", ln)), None
        )
        if start is None:
            raise UserError("cannot find a 'language:' block written in block style", path)
        end = start + 1
        while end < len(lines) and (not lines[end].strip() or lines[end].startswith((" ", "#"))):
            end += 1
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1][0] == "#"):
            end -= 1  # blank lines and the next key's comments are not the block's
        fields = [
            i
            for i in range(start + 1, end)
            if lines[i].strip() and not lines[i].lstrip().startswith("#")
        ]
        ind = _indent(lines[fields[0]]) if fields else 2
        pad = " " * ind
        new: list[str] = []
        if value is not None and value != {}:
            if name == "translated_from":
                new.append(pad + _MARK_COMMENT)
            new += [pad + line for line in entry_lines(name, value)]
        found = next((i for i in fields if re.match(rf"{pad}{name}\s*:", lines[i])), None)
        if found is None:
            lines[end:end] = new
            continue
        stop = found + 1
        while stop < end and lines[stop].strip() and _indent(lines[stop]) > ind:
            stop += 1
        first = (
            found - 1 if found > start + 1 and lines[found - 1].strip() == _MARK_COMMENT else found
        )
        lines[first:stop] = new
    result = "\n".join(lines)
    values = {key: value for key, (value, _loc) in flatten(before).items()}
    meta = {**before.language.model_dump(), **updates}
    meta = {k: v for k, v in meta.items() if v is not None}
    write_language_file(path, result, values, meta)


# ----------------------------------------------------------------- commands
def new_language(
    project: Project,
    topic: str,
    code: str,
    name: str | None = None,
    native_name: str | None = None,
    direction: str | None = None,
    force: bool = False,
) -> tuple[Path, str | None]:
    """handouts/<topic>/<code>.yaml with every key, prefilled with the source text; and a
    warning when no bundled font covers the language's script (its native name's)."""
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", code):
        raise UserError(f"'{code}' is not a language code; use BCP 47, e.g. ti, pt-BR, zh-Hant")
    bundle = load_checked_bundle(project, topic)
    path = project.writable_language_file(topic, code)
    if os.path.lexists(path) and (path.is_symlink() or not path.is_file()):
        raise UserError("exists and is not a regular file; move it away", path)
    if path.exists() and not force:
        raise UserError(
            f"{code}.yaml already exists; see `makebook lang status {code}` "
            "(--force replaces it and its translations)",
            path,
        )
    guess = babel_names(code)
    meta = {
        "code": code,
        "name": name or guess.get("name"),
        "native_name": native_name or guess.get("native_name"),
        "direction": direction or guess.get("direction", "ltr"),
        "status": "draft",
    }
    if not meta["name"] or not meta["native_name"]:
        raise UserError(
            f"'{code}' is not a language Babel knows; give --name and --native-name "
            "(e.g. --name Tigrinya --native-name ትግርኛ)"
        )
    try:
        LanguageMeta.model_validate(meta)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise UserError(
            f"language {err['loc'][0]}: {err['msg']} (BCP 47, e.g. ti or pt-BR)"
        ) from None
    save_translation(path, bundle, topic, meta, source_strings(bundle))
    return path, script_warning(project, code, meta["native_name"])


def script_warning(project: Project, code: str, native_name: str) -> str | None:
    """Said at `lang new`: the language's own name has letters no bundled font draws, so
    its translation will not build until a font is added."""
    from printshop.content.fonttable import fonts_from

    missing = fonts_from(project.font_table_file).missing(native_name)
    if not missing:
        return None
    return (
        f"{code}: {native_name} is written in {script_words(missing)}, which no bundled font "
        "covers: its translation will not build until you add a font (docs/fonts.md)"
    )


def babel_names(code: str) -> dict[str, str]:
    from babel.core import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return {}
    names = {"name": locale.english_name or "", "native_name": locale.display_name or ""}
    names["native_name"] = names["native_name"][:1].upper() + names["native_name"][1:]
    if locale.character_order == "right-to-left":
        names["direction"] = "rtl"
    return {k: v for k, v in names.items() if v}


def update_language(project: Project, topic: str, code: str) -> Path:
    """Rewrite a language file in the standard form: add new keys, refresh source comments."""
    bundle = load_checked_bundle(project, topic)
    lang, doc = known_language(bundle, code)
    if code == bundle.source:
        raise UserError(f"{code} is the source language; edit it directly")
    source = source_strings(bundle)
    own = {key: value for key, (value, _loc) in flatten(lang).items()}
    values = {key: own.get(key, text) for key, text in source.items()}
    meta = meta_dict(lang.language)
    kept = {k: v for k, v in lang.language.translated_from.items() if k in source}
    meta["translated_from"] = kept
    save_translation(
        project.ensure_writable(doc.path), bundle, topic, meta, values, file_notes(bundle, code)
    )
    return doc.path


def mark(
    project: Project, topic: str, code: str, keys: list[str] | None = None, stale: bool = False
) -> list[str]:
    """Record the source each translation was made from; returns the keys marked.

    No keys: every translated key that has no record yet. `stale`: also the stale keys
    (after updating them). Named keys: exactly those, even if they equal the source.
    """
    bundle = load_checked_bundle(project, topic)
    lang, doc = known_language(bundle, code)
    if code == bundle.source:
        raise UserError(f"{code} is the source language; translations are marked, not it")
    source = source_strings(bundle)
    catalog = bundle.catalogs[code]
    own = flatten(lang)
    if keys:
        for key in keys:
            if key not in source:
                raise UserError(f"unknown key '{key}'{suggest(key, source)}", doc.path)
            if key not in own:
                raise UserError(f"'{key}' is not in {code}.yaml; translate it first", doc.path)
        targets = list(keys)
    else:
        targets = list(catalog.unrecorded) + (list(catalog.stale) if stale else [])
    recorded = dict(lang.language.translated_from)
    for key in targets:
        recorded[key] = source_hash(source[key])
    ordered = {key: recorded[key] for key in source if key in recorded}
    if ordered != lang.language.translated_from or list(ordered) != list(
        lang.language.translated_from
    ):
        set_meta_fields(project.ensure_writable(doc.path), {"translated_from": ordered})
    return targets


def review(
    project: Project,
    topic: str,
    code: str,
    reviewer: str,
    role: str,
    date: dt.date,
    force: bool = False,
) -> Path:
    """Sign a translation off: who reviewed it, in what role, and when."""
    bundle = load_checked_bundle(project, topic)
    _lang, doc = known_language(bundle, code)
    catalog = bundle.catalogs[code]
    if not force and (catalog.missing or catalog.stale):
        raise UserError(
            f"{code} has {len(catalog.missing)} untranslated and {len(catalog.stale)} stale "
            "strings; finish them first (or --force)"
        )
    set_meta_fields(
        project.ensure_writable(doc.path),
        {"status": "reviewed", "reviewer": reviewer, "reviewer_role": role, "review_date": date},
    )
    return doc.path


@dataclass
class LangStatus:
    code: str
    name: str
    native_name: str
    status: str
    reviewer: str | None
    reviewer_role: str | None
    review_date: str | None
    is_source: bool
    total: int
    translated: int
    missing: list[str]
    stale: list[str]
    unrecorded: list[str]
    file: str

    @property
    def percent(self) -> int:
        return int(100 * self.translated / self.total) if self.total else 100

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "native_name": self.native_name,
            "status": self.status,
            "reviewer": self.reviewer,
            "reviewer_role": self.reviewer_role,
            "review_date": self.review_date,
            "source": self.is_source,
            "percent_translated": self.percent,
            "translated": self.translated,
            "total": self.total,
            "missing": self.missing,
            "stale": self.stale,
            "unrecorded": self.unrecorded,
            "file": self.file,
        }


def status(project: Project, topic: str, codes: list[str] | None = None) -> list[LangStatus]:
    bundle = load_checked_bundle(project, topic)
    for code in codes or sorted(getattr(bundle, "broken", {})):
        known_language(bundle, code)
    rows = []
    for code, (lang, doc) in sorted(bundle.languages.items()):
        if codes and code not in codes:
            continue
        cat: Catalog = bundle.catalogs[code]
        meta = lang.language
        rows.append(
            LangStatus(
                code=code,
                name=meta.name,
                native_name=meta.native_name,
                status=meta.status,
                reviewer=meta.reviewer,
                reviewer_role=meta.reviewer_role,
                review_date=meta.review_date.isoformat() if meta.review_date else None,
                is_source=code == bundle.source,
                total=cat.total,
                translated=cat.total - len(cat.missing),
                missing=list(cat.missing),
                stale=list(cat.stale),
                unrecorded=list(cat.unrecorded),
                file=str(doc.path),
            )
        )
    return rows


def key_position(bundle: TopicBundle, code: str, key: str) -> int | None:
    lang, doc = bundle.languages[code]
    flat = flatten(lang)
    return doc.where(flat[key][1])[0] if key in flat else None


# ----------------------------------------------------------------- glyph coverage
def _char_column(doc: YamlDoc, loc: tuple[Any, ...], text: str, index: int) -> tuple[Any, Any]:
    """Exact line:col of text[index] for a one-line value, else the key's position."""
    line, col = doc.marks.get(tuple(loc), (None, None))
    if line is not None and col is not None:
        lines = doc_lines(doc)
        if line - 1 < len(lines):
            src = lines[line - 1]
            for offset in (0, 1):  # plain or quoted
                if src[col - 1 + offset : col - 1 + offset + len(text)] == text:
                    return line, col + offset + index
    return doc.where(loc)


def script_words(missing: list[tuple[int, str]]) -> str:
    """'Ethiopic script', 'Thai and Khmer script', 'symbols or emoji': what the
    characters are."""
    from fontTools.unicodedata import script, script_name

    codes = {script(ch) for _i, ch in missing}
    names = sorted(script_name(code) for code in codes - {"Zyyy", "Zinh", "Zzzz"})
    kinds = [f"{' and '.join(names)} script"] if names else []
    if codes & {"Zyyy", "Zinh", "Zzzz"}:
        kinds.append("symbols or emoji")
    return " and ".join(kinds)


def coverage_message(missing: list[tuple[int, str]], what: str) -> str:
    """One line for all the characters of one string that no font covers."""
    first = missing[0][1]
    count = len(missing)
    chars = "character" if count == 1 else "characters"
    return (
        f"{what}: {count} {chars} in {script_words(missing)} (U+{ord(first):04X} "
        f"'{first}'{'…' if count > 1 else ''}) that no bundled font covers — add a font "
        "(docs/fonts.md) or remove them"
    )


def check_file_glyphs(doc: YamlDoc, fonts, out: Collector) -> None:
    """Every text of a site or course file (a ward's name, a class venue) has glyphs."""

    def walk(value: Any, loc: tuple[Any, ...]) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, (*loc, key))
        elif isinstance(value, list):
            for i, inner in enumerate(value):
                walk(inner, (*loc, i))
        elif isinstance(value, str):
            missing = fonts.missing(value)
            if missing:
                line, col = _char_column(doc, loc, value, missing[0][0])
                what = ".".join(map(str, loc))
                out.problems.append(Problem(coverage_message(missing, what), doc.path, line, col))

    walk(doc.data, ())


def check_glyphs(
    bundle: TopicBundle, out: Collector, fonts, langs: list[str] | None = None
) -> None:
    """Every character of every string must have a glyph in a bundled font."""

    def report(text: str, doc: YamlDoc, loc: tuple[Any, ...], what: str) -> None:
        missing = fonts.missing(text)
        if missing:
            line, col = _char_column(doc, loc, text, missing[0][0])
            out.problems.append(Problem(coverage_message(missing, what), doc.path, line, col))

    for code, (lang, doc) in sorted(bundle.languages.items()):
        if langs and code not in langs:
            continue
        for key, (text, loc) in flatten(lang).items():
            if isinstance(text, str):
                report(text, doc, loc, key)
    for i, ref in enumerate(bundle.topic.references):
        report(ref.citation, bundle.topic_doc, ("references", i, "citation"), f"reference {ref.id}")


__all__ = [
    "check_glyphs",
    "choose_topic",
    "mark",
    "new_language",
    "render_language_file",
    "review",
    "set_meta_fields",
    "status",
    "update_language",
]
