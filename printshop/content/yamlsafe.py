"""The only YAML reader in makebook.

PyYAML silently keeps the last of two duplicate keys, expands alias bombs and loses
line numbers once data is built. This module composes the node tree itself so it can
refuse those, and returns the data together with the position of every value, so that
later validation errors can still say file:line:col.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from printshop import cache
from printshop.errors import UserError
from printshop.files import read_capped

MAX_FILE_BYTES = 2_000_000
MAX_NODES = 200_000  # after alias expansion: stops "billion laughs" before it grows
MAX_STRING_CHARS = 5_000
MAX_DEPTH = 40

# Characters that can make printed text lie (bidi overrides) or break layout (C0/C1).
FORBIDDEN_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufff9-\ufffb"
    "\ud800-\udfff\ufffe\uffff]"  # lone surrogates and non-characters (from \\u escapes)
)
# The same, minus the line breaks YAML itself understands (NEL), for the raw file text.
_FORBIDDEN_RAW = re.compile(FORBIDDEN_CHARS.pattern.replace("\x7f-\x9f", "\x7f-\x84\x86-\x9f"))


def odd_code_point(text: str) -> tuple[int, str] | None:
    """The first character that has no meaning a reader can rely on: unassigned in the
    Unicode version makebook knows, private use (each font draws something else, or
    nothing), or a non-character. (index, what is wrong with it)."""
    # Each distinct character is judged once (a language file has a few hundred), then
    # only an odd one is looked for in the text: a scan per character costs 4 ms a file.
    odd = {ch: why for ch in set(text) if not ch.isascii() and (why := _why_odd(ch))}
    if not odd:
        return None
    index = min(text.index(ch) for ch in odd)
    return index, f"character U+{ord(text[index]):04X} {odd[text[index]]}; delete it"


def _why_odd(ch: str) -> str | None:
    code = ord(ch)
    kind = unicodedata.category(ch)
    if kind == "Co":
        return "is a private-use character (it means something else in every font)"
    if (0xFDD0 <= code <= 0xFDEF) or (code & 0xFFFE) == 0xFFFE:
        return "is a Unicode non-character"
    if kind == "Cn":
        return (
            f"is not assigned in Unicode {unicodedata.unidata_version} (the version "
            "makebook knows); a newer emoji or a damaged file?"
        )
    return None


Key = tuple[Any, ...]
# libyaml's parser when PyYAML has it (10x faster); both keep line and column marks
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class YamlDoc:
    """Plain data plus where each piece came from."""

    path: Path
    data: Any
    marks: dict[Key, tuple[int, int]] = field(default_factory=dict)  # path -> (line, col), 1-based
    key_marks: dict[Key, tuple[int, int]] = field(default_factory=dict)  # mapping key positions

    def where(self, loc: Key) -> tuple[int | None, int | None]:
        """Best position for a location: the key itself, else its nearest parent."""
        loc = tuple(loc)
        while True:
            for table in (self.key_marks, self.marks):
                if loc in table:
                    return table[loc]
            if not loc:
                return None, None
            loc = loc[:-1]


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    """Turns a composed node tree into Python data, checking as it goes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self.marks: dict[Key, tuple[int, int]] = {}
        self.key_marks: dict[Key, tuple[int, int]] = {}
        self.scalars = SafeConstructor()

    def fail(self, node: Node, message: str) -> UserError:
        line, col = _mark(node)
        return UserError(message, self.path, line, col)

    def build(self, node: Node, loc: Key, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                node,
                f"file expands to more than {MAX_NODES} values (an alias bomb?); "
                "remove the repeated &anchor/*alias references",
            )
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested deeper than {MAX_DEPTH} levels")
        self.marks.setdefault(loc, _mark(node))
        if isinstance(node, MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: MappingNode, loc: Key, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "merge keys ('<<') are not supported; write the keys out")
            key = self._scalar(key_node) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise self.fail(key_node, "keys must be plain words, e.g. 'title:'")
            key = str(key)
            if key in result:
                first = self.key_marks[(*loc, key)]
                raise self.fail(
                    key_node,
                    f"duplicate key '{key}' (first at line {first[0]}); keep one of them",
                )
            self.key_marks[(*loc, key)] = _mark(key_node)
            result[key] = self.build(value_node, (*loc, key), depth + 1)
        return result

    def _scalar(self, node: Node) -> Any:
        try:
            value = self.scalars.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            raise self.fail(
                node, f"unknown YAML tag '{node.tag}'; remove it or put the value in quotes"
            ) from None
        except (ValueError, TypeError, AttributeError, OverflowError):
            # e.g. `2026-13-45` read as an impossible date, `!!int abc`
            tag = node.tag.rsplit(":", 1)[-1]
            kind = {"int": "a whole number", "float": "a number", "timestamp": "a date"}.get(
                tag, tag
            )
            raise self.fail(
                node, f"cannot read {str(node.value)[:40]!r} as {kind}; put text in quotes"
            ) from None
        if isinstance(value, bytes):
            raise self.fail(node, "binary values are not allowed here")
        if isinstance(value, str):
            self._check_text(node, value)
        return value

    def _check_text(self, node: Node, value: str) -> None:
        if len(value) > MAX_STRING_CHARS:
            raise self.fail(
                node, f"text is {len(value)} characters long; the limit is {MAX_STRING_CHARS}"
            )
        bad = FORBIDDEN_CHARS.search(value)
        if bad:
            code = f"U+{ord(bad.group()):04X}"
            raise self.fail(
                node,
                f"invisible control character {code} at character {bad.start() + 1} of this text; "
                "delete it (it can change how printed text reads)",
            )


# Byte-order marks of the encodings an editor may save in (Notepad's "Unicode" is UTF-16).
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16"),
    (b"\xff\xfe", "utf-16"),
)


def _decode(path: Path, raw: bytes) -> str:
    """UTF-8 (with or without a BOM), or UTF-16/32 that say so with a BOM."""
    encoding = next((name for bom, name in _BOMS if raw.startswith(bom)), "utf-8")
    if encoding not in ("utf-8", "utf-8-sig"):
        try:
            return _checked_text(path, raw.decode(encoding))
        except UnicodeDecodeError:
            raise UserError(
                f"the file starts with a {encoding.upper()} byte-order mark but is not "
                f"{encoding.upper()}; save it as UTF-8",
                path,
            ) from None
    if encoding == "utf-8-sig":
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise UserError(
            f"byte 0x{raw[exc.start]:02x} is not UTF-8 (Latin-1 or Windows-1252?); "
            "save the file as UTF-8",
            path,
            line,
            col,
        ) from None
    return _checked_text(path, text)


def _checked_text(path: Path, text: str) -> str:
    """The decoded text, if it has no forbidden or meaningless character and no tab
    indentation."""
    odd = odd_code_point(text)
    if odd is not None:
        index, message = odd
        line = text.count("\n", 0, index) + 1
        col = index - (text.rfind("\n", 0, index) + 1) + 1
        raise UserError(message, path, line, col)
    bad = _FORBIDDEN_RAW.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise UserError(
            f"invisible control character U+{ord(bad.group()):04X}; delete it "
            "(it can change how printed text reads)",
            path,
            line,
            col,
        )
    for number, line_text in enumerate(text.split("\n"), start=1):
        stripped = line_text.lstrip(" ")
        if stripped.startswith("\t"):
            col = len(line_text) - len(stripped) + 1
            raise UserError("tab used for indentation; indent with spaces", path, number, col)
    return text


# A file read once is kept parsed in the shared cache (printshop/cache.py), keyed by its
# bytes and this module's source: `list` and `check` read every language file, and
# parsing them is most of their time (about 0.1 s for 25 files; 0.015 s from the cache).
PARSED_KIND = "yaml-parsed"
PARSED_BY = (("printshop.content.yamlsafe",), ("yaml",))
_PLAIN_TYPES = (str, int, float, bool, type(None))


def _entry_for(doc: YamlDoc) -> dict:
    return {
        "data": doc.data,
        "marks": [[list(loc), *where] for loc, where in doc.marks.items()],
        "key_marks": [[list(loc), *where] for loc, where in doc.key_marks.items()],
    }


def _round_trips(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_round_trips(item) for item in value.values())
    if isinstance(value, list):
        return all(_round_trips(item) for item in value)
    return isinstance(value, _PLAIN_TYPES)


def _doc_from_entry(path: Path, entry: dict | None) -> YamlDoc | None:
    """The parsed file kept in `entry`, if it is one and every text in it passes the
    checks the file passed (an entry is not trusted blindly)."""
    try:
        texts: list[str] = []
        _collect_texts(entry["data"], texts)  # type: ignore[index]
        marks = {tuple(loc): (int(line), int(col)) for loc, line, col in entry["marks"]}  # type: ignore[index]
        key_marks = {tuple(loc): (int(line), int(col)) for loc, line, col in entry["key_marks"]}  # type: ignore[index]
    except (TypeError, KeyError, ValueError):
        return None
    joined = "\n".join(texts)
    if FORBIDDEN_CHARS.search(joined) or odd_code_point(joined):
        return None
    return YamlDoc(path=path, data=entry["data"], marks=marks, key_marks=key_marks)  # type: ignore[index]


def _collect_texts(value: Any, texts: list[str]) -> None:
    """Every key and text in `value` into `texts`; ValueError for a text over the limit
    or a value no YAML file gives."""
    if isinstance(value, dict):
        texts.extend(value)
        for item in value.values():
            _collect_texts(item, texts)
    elif isinstance(value, list):
        for item in value:
            _collect_texts(item, texts)
    elif isinstance(value, str):
        if len(value) > MAX_STRING_CHARS:
            raise ValueError(value[:20])
        texts.append(value)
    elif not isinstance(value, _PLAIN_TYPES):
        raise ValueError(repr(value)[:20])


def read_yaml_text(path: Path, within: Sequence[Path] = ()) -> str:
    """A YAML file's text: a regular file under the size cap (inside `within`, when
    given), in UTF-8 or a Unicode encoding with a byte-order mark."""
    return _decode(path, read_capped(path, MAX_FILE_BYTES, "YAML file", within))


def parse_yaml(path: Path, text: str | None = None, within: Sequence[Path] = ()) -> YamlDoc:
    """Read one YAML file into data + positions; every problem is a UserError with a place.

    `within`: the folders a file found in a project must stay inside (links out refused).
    A `text` given (a file about to be written) is checked as the file would be on reading.
    """
    if text is not None:
        return _parsed(path, _checked_text(path, text))
    raw = read_capped(path, MAX_FILE_BYTES, "YAML file", within)
    key = cache.entry_key(PARSED_KIND, raw, cache.fingerprint(*PARSED_BY))
    doc = _doc_from_entry(path, cache.read(key))
    if doc is None:
        doc = _parsed(path, _decode(path, raw))
        if _round_trips(doc.data):  # not when it holds a date, which JSON cannot keep
            cache.write(key, _entry_for(doc))
    return doc


def _parsed(path: Path, text: str) -> YamlDoc:
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "YAML syntax error").strip()
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        snippet = ""
        if mark is not None:
            lines = text.splitlines()
            if 0 <= mark.line < len(lines):
                snippet = f" in: {lines[mark.line].strip()[:60]!r}"
        start = exc.context_mark
        if exc.context and start is not None and mark is not None and start.line < mark.line:
            snippet += f" ({exc.context.strip()} that starts at line {start.line + 1})"
        raise UserError(f"YAML syntax error: {problem}{snippet}", path, line, col) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise UserError(
            f"character U+{exc.character:04X} is not allowed", path, line, col
        ) from None
    except yaml.YAMLError as exc:
        raise UserError(f"YAML error: {exc}", path) from None
    if node is None:
        raise UserError("file is empty", path, 1, 1)
    builder = _Builder(path)
    data = builder.build(node, ())
    return YamlDoc(path=path, data=data, marks=builder.marks, key_marks=builder.key_marks)


def dump_yaml(data: Any) -> str:
    """Write data as block-style YAML that keeps key order and Unicode readable."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=88)


# ----------------------------------------------------------------- writing
# Small writers for files that are rendered line by line (language files keep comments
# and key order that a plain dump would lose); each is checked by reading it back.
def key_text(name: str) -> str:
    """A mapping key as written: plain when YAML reads it back unchanged, else quoted."""
    try:
        plain = yaml.safe_load(f"{name}: x") == {name: "x"}
    except yaml.YAMLError:
        plain = False
    return name if plain else yaml.safe_dump(name, default_style="'").strip()


def folds_back(body: list[str], text: str) -> bool:
    """Do these indented lines, under `key: >-`, read back as exactly `text`?"""
    try:
        return yaml.safe_load("k: >-\n" + "\n".join(body) + "\n") == {"k": text}
    except yaml.YAMLError:
        return False


def quoted_text(text: str) -> str:
    """`text` as one double-quoted YAML scalar (escapes whatever needs escaping)."""
    quoted = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=10**9)
    return quoted.strip().removesuffix("...").strip()


def entry_lines(name: str, value: Any) -> list[str]:
    """`name: value` (value of any plain type) as block-style YAML lines."""
    dumped = yaml.safe_dump({name: value}, allow_unicode=True, sort_keys=False, width=10**9)
    return dumped.splitlines()
