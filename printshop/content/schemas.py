"""JSON Schemas for editors, generated from the pydantic models (schemas/*.schema.json).

VS Code's YAML extension (redhat.vscode-yaml) reads a first line such as
`# yaml-language-server: $schema=../../schemas/language.schema.json` and then
completes keys, flags typos and shows the allowed values while a translator types.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from printshop.content.models import LanguageFile, Layout, Site, Topic
from printshop.pdf.write import write_atomic

MODELS: dict[str, type[BaseModel]] = {
    "topic": Topic,
    "language": LanguageFile,
    "layout": Layout,
    "site": Site,
}
TITLES = {
    "topic": "makebook topic file (handouts/<topic>/topic.yaml)",
    "language": "makebook language file (handouts/<topic>/<lang>.yaml)",
    "layout": "makebook layout file (layouts/<name>.yaml)",
    "site": "makebook site file (ward name, phone numbers, videos)",
}


# A block on a page may also be written `- title` or `- techniques: {columns: 2}`.
_BLOCK_REF = {
    "anyOf": [
        {"type": "string", "description": "a block name"},
        {
            "type": "object",
            "minProperties": 1,
            "maxProperties": 1,
            "additionalProperties": {"type": ["object", "null"]},
            "description": "a block name with its options",
        },
        {"$ref": "#/$defs/BlockRef"},
    ]
}


def _short_forms(node: object) -> object:
    if isinstance(node, dict):
        if node == {"$ref": "#/$defs/BlockRef"}:
            return _BLOCK_REF
        return {key: _short_forms(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_short_forms(value) for value in node]
    return node


def schema_text(name: str) -> str:
    schema = _short_forms(MODELS[name].model_json_schema(mode="validation"))
    assert isinstance(schema, dict)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": TITLES[name],
        **{k: v for k, v in schema.items() if k != "title"},
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schema_files(out_dir: Path) -> dict[Path, str]:
    return {out_dir / f"{name}.schema.json": schema_text(name) for name in MODELS}


def write_schemas(out_dir: Path) -> list[Path]:
    """Write every schema whose text changed; returns the files written."""
    written = []
    for path, text in schema_files(out_dir).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_atomic(path, text.encode("utf-8"))
            written.append(path)
    return written


def outdated_schemas(out_dir: Path) -> list[Path]:
    return [
        path
        for path, text in schema_files(out_dir).items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
