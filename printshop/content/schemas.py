"""JSON Schemas for editors, generated from the pydantic models (schemas/*.schema.json).

VS Code's YAML extension (redhat.vscode-yaml) reads a first line such as
`# yaml-language-server: $schema=../../schemas/language.schema.json` and then
completes keys, flags typos and shows the allowed values while a translator types.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from printshop.content.layouts import Layout
from printshop.content.models import Course, LanguageFile, ProjectFile, Site, Topic
from printshop.pdf.write import write_atomic

MODELS: dict[str, type[BaseModel]] = {
    "topic": Topic,
    "language": LanguageFile,
    "layout": Layout,
    "site": Site,
    "course": Course,
    "project": ProjectFile,
}
TITLES = {
    "topic": "makebook topic file (handouts/<topic>/topic.yaml)",
    "language": "makebook language file (handouts/<topic>/<lang>.yaml)",
    "layout": "makebook layout file (layouts/<name>.yaml)",
    "site": "makebook site file (ward name, phone numbers, videos)",
    "course": "makebook course file (instructor, class dates, techniques)",
    "project": "makebook project file (makebook.yaml)",
}


def block_schema() -> dict:
    """A block in a layout: its name, or `name: {options}` checked against that block's
    options (from the block registry), so editors complete and check them too."""
    from printshop.layout.registry import registry

    specs = registry()
    with_options = []
    for name, spec in sorted(specs.items()):
        options = spec.options.model_json_schema()
        options.pop("title", None)
        options["description"] = spec.doc
        with_options.append(
            {
                "type": "object",
                "properties": {name: {"anyOf": [options, {"type": "null"}]}},
                "required": [name],
                "additionalProperties": False,
            }
        )
    return {"anyOf": [{"enum": sorted(specs), "description": "a block name"}, *with_options]}


def _short_forms(node: object, block: dict) -> object:
    if isinstance(node, dict):
        if node == {"$ref": "#/$defs/BlockRef"}:
            return block
        return {key: _short_forms(value, block) for key, value in node.items()}
    if isinstance(node, list):
        return [_short_forms(value, block) for value in node]
    return node


def schema_text(name: str) -> str:
    raw = MODELS[name].model_json_schema(mode="validation")
    schema = _short_forms(raw, block_schema()) if name == "layout" else raw
    if name == "layout":  # a layout that extends another needs only what it changes
        required = schema.pop("required")
        schema["if"] = {"required": ["extends"]}
        schema["then"] = {"required": ["name", "description"]}
        schema["else"] = {"required": required}
    assert isinstance(schema, dict)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": TITLES[name],
        **{k: v for k, v in schema.items() if k not in ("title", "$defs")},
        **(
            {"$defs": {k: v for k, v in schema["$defs"].items() if k != "BlockRef"}}
            if "$defs" in schema
            else {}
        ),
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
