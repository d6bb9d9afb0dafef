"""Load and validate topic, language, layout and site files into models.

Every problem comes back as a Problem with file:line:col; `collect` gathers all of them
so `makebook check` can report everything in one run.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from printshop.content.models import Topic
from printshop.content.yamlsafe import YamlDoc, parse_yaml
from printshop.errors import Problem, ProblemList, UserError

M = TypeVar("M", bound=BaseModel)
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def suggest(word: str, choices: typing.Iterable[str]) -> str:
    """' (did you mean 'x'?)' or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _inner_type(annotation: Any, step: Any) -> Any:
    """The type found one step down an annotation (field, dict value or list item)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _inner_type(args[0], step)
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            if arg is not type(None):
                found = _inner_type(arg, step)
                if found is not None:
                    return found
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        info = annotation.model_fields.get(str(step))
        return info.annotation if info else None
    if origin is dict:
        return args[1] if len(args) == 2 else None
    if origin is list:
        return args[0] if args else None
    return None


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    current: Any = model
    for step in loc:
        current = _inner_type(current, step)
        if current is None:
            return []
    while typing.get_origin(current) in (typing.Annotated, typing.Union, types.UnionType):
        current = next(a for a in typing.get_args(current) if a is not type(None))
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _data_loc(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """Pydantic's error location minus its own steps ('function-after[...]'), which are
    not keys of the data; a key that really contains '[' is kept."""
    kept = []
    for part in loc:
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if in_list or (isinstance(data, dict) and part in data):
            data = data[part]
        elif isinstance(part, str) and "[" in part:
            continue
        else:
            data = None
        kept.append(part)
    return tuple(kept)


def _loc_name(loc: tuple[Any, ...], data: Any) -> str:
    """'techniques.leg-roll.video' rather than 'techniques.3.video' when items have ids."""
    parts = []
    for step in loc:
        item = None
        if isinstance(data, dict):
            item = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            item = data[step]
        ident = item.get("id") if isinstance(item, dict) and isinstance(step, int) else None
        parts.append(ident if isinstance(ident, str) and ident else str(step))
        data = item
    return ".".join(parts) or "file"


def _problem_from_error(err: dict[str, Any], doc: YamlDoc, model: type[BaseModel]) -> Problem:
    loc = _data_loc(err["loc"], doc.data)
    line, col = doc.where(loc)
    kind = err["type"]
    name = _loc_name(loc, doc.data)
    if kind == "extra_forbidden" and loc:
        key = str(loc[-1])
        allowed = _allowed_keys(model, loc[:-1])
        hint = suggest(key, allowed) or (f"; allowed: {', '.join(allowed)}" if allowed else "")
        return Problem(f"unknown key '{key}'{hint}", doc.path, line, col)
    if kind == "missing" and loc:
        where = _loc_name(loc[:-1], doc.data) if len(loc) > 1 else "the file"
        return Problem(f"missing key '{loc[-1]}' (in {where})", doc.path, line, col)
    message = err["msg"].removeprefix("Value error, ")
    if kind == "literal_error":
        value = err.get("input")
        hint = suggest(
            str(value), err.get("ctx", {}).get("expected", "").replace("'", "").split(" or ")
        )
        message = f"{message}{hint}"
    return Problem(f"{name}: {message}", doc.path, line, col)


def load_model(path: Path, model: type[M]) -> tuple[M, YamlDoc]:
    """Parse and validate one file; raises ProblemList with every validation problem."""
    doc = parse_yaml(path)
    if not isinstance(doc.data, dict):
        raise UserError("expected keys and values at the top level", path, 1, 1)
    try:
        return model.model_validate(doc.data), doc
    except ValidationError as exc:
        problems = [_problem_from_error(err, doc, model) for err in exc.errors()]
        raise ProblemList(sorted(set(problems), key=_problem_order)) from None


def _problem_order(problem: Problem) -> tuple[str, int, int]:
    return (str(problem.path), problem.line or 0, problem.column or 0)


@dataclass
class Collector:
    """Gathers problems instead of stopping at the first one."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, message: str, doc: YamlDoc | None = None, loc: tuple[Any, ...] = ()) -> None:
        if doc is None:
            self.problems.append(Problem(message))
            return
        line, col = doc.where(loc)
        self.problems.append(Problem(message, doc.path, line, col))

    def run(self, func: typing.Callable[[], Any]) -> Any:
        """Call func; record its UserError(s) and return None instead of raising."""
        try:
            return func()
        except UserError as exc:
            self.problems.extend(exc.problems)
            return None

    def raise_if_any(self) -> None:
        if self.problems:
            raise ProblemList(sorted(dict.fromkeys(self.problems), key=_problem_order))


# ----------------------------------------------------------------- project files
@dataclass(frozen=True)
class Project:
    """Where the inputs live; every file path the user names is checked against it."""

    root: Path = PROJECT_ROOT

    @classmethod
    def discover(cls) -> Project:
        """The working folder when it holds content (a user's own project), else ours."""
        here = Path.cwd()
        if (here / "handouts").is_dir() and (here / "layouts").is_dir():
            return cls(here.resolve())
        return cls()

    @property
    def handouts(self) -> Path:
        return self.root / "handouts"

    @property
    def layouts_dir(self) -> Path:
        return self.root / "layouts"

    @property
    def assets(self) -> Path:
        return self.root / "assets"

    def topic_ids(self) -> list[str]:
        return sorted(p.parent.name for p in self.handouts.glob("*/topic.yaml"))

    def layout_names(self) -> list[str]:
        return sorted(p.stem for p in self.layouts_dir.glob("*.yaml"))

    def language_files(self, topic: str) -> dict[str, Path]:
        folder = self.handouts / topic
        return {p.stem: p for p in sorted(folder.glob("*.yaml")) if p.name != "topic.yaml"}

    def stray_files(self) -> list[Problem]:
        """Content files makebook would silently skip: a language file in a folder with no
        topic.yaml (an unknown topic), or a '.yml' file beside a topic."""
        topics = self.topic_ids()
        problems = []
        for path in sorted([*self.handouts.glob("*/*.yaml"), *self.handouts.glob("*/*.yml")]):
            folder = path.parent.name
            if path.suffix == ".yml":
                problems.append(
                    Problem(f"rename to {path.stem}.yaml; '.yml' files are not read", path)
                )
            elif folder not in topics:
                problems.append(
                    Problem(
                        f"language file for unknown topic '{folder}'{suggest(folder, topics)}: "
                        f"there is no handouts/{folder}/topic.yaml; topics: "
                        f"{', '.join(topics) or 'none'}",
                        path,
                    )
                )
        return problems

    def topic_file(self, topic: str) -> Path:
        path = self.handouts / topic / "topic.yaml"
        if not path.is_file():
            if "/" not in topic and "\\" not in topic and topic not in (".", ".."):
                stray = [p for p in self.stray_files() if Path(p.path).parent.name == topic]
                if stray:
                    raise ProblemList(stray)
            raise UserError(
                f"unknown topic '{topic}'{suggest(topic, self.topic_ids())}; "
                f"topics: {', '.join(self.topic_ids()) or 'none'}"
            )
        return path

    def layout_file(self, name: str) -> Path:
        path = self.layouts_dir / f"{name}.yaml"
        if "/" in name or "\\" in name or not path.is_file():
            names = self.layout_names()
            raise UserError(
                f"unknown layout '{name}'{suggest(name, names)}; layouts: {', '.join(names)}"
            )
        return path


def safe_asset(base: Path, relative: str, doc: YamlDoc, loc: tuple[Any, ...]) -> Path:
    """Resolve a path inside `base`; refuse absolute paths, '..' and links pointing out."""
    line, col = doc.where(loc)
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise UserError(
            f"path '{relative}' must stay inside {base.name}/ (no '..' or absolute paths)",
            doc.path,
            line,
            col,
        )
    resolved = (base / candidate).resolve()
    if not resolved.is_relative_to(base.resolve()):
        raise UserError(
            f"path '{relative}' points outside {base.name}/ (a link?); copy the file in",
            doc.path,
            line,
            col,
        )
    if not resolved.is_file():
        raise UserError(f"file not found: {base.name}/{relative}", doc.path, line, col)
    return resolved


def iter_topic_assets(topic: Topic) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(location in topic.yaml, asset path) for every file the topic refers to."""
    for i, benefit in enumerate(topic.benefits):
        yield ("benefits", i, "icon"), benefit.icon
    for i, item in enumerate(topic.preparation):
        yield ("preparation", i, "icon"), item.icon
    for i, technique in enumerate(topic.techniques):
        yield ("techniques", i, "illustration"), technique.illustration


def check_topic(topic: Topic, doc: YamlDoc, project: Project, out: Collector) -> None:
    """Cross-checks a schema cannot express: unique ids, known references, assets exist."""
    for section in ("benefits", "preparation", "techniques", "references"):
        seen: set[str] = set()
        for i, item in enumerate(getattr(topic, section)):
            if item.id in seen:
                out.add(f"duplicate id '{item.id}' in {section}", doc, (section, i, "id"))
            seen.add(item.id)
    known_refs = {ref.id for ref in topic.references}
    for i, benefit in enumerate(topic.benefits):
        for j, ref in enumerate(benefit.references):
            if ref not in known_refs:
                out.add(
                    f"unknown reference '{ref}'{suggest(ref, known_refs)}; add it under references",
                    doc,
                    ("benefits", i, "references", j),
                )
    for loc, relative in iter_topic_assets(topic):
        out.run(lambda loc=loc, relative=relative: safe_asset(project.assets, relative, doc, loc))
