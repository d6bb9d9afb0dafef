"""Where every input lives: makebook's built-in data and, on top of it, a user's project.

The built-in topics, layouts, assets and schemas ship inside the installed package
(`printshop/builtin/`, placed there when the wheel is built) or, when makebook runs
from its own source checkout, sit at the checkout's top level. A user's content
project is a folder with a `makebook.yaml` file (`makebook init DIR` makes one): its
`handouts/` and `layouts/` add to the built-in ones, and one with the same name
overrides the built-in one. Every path the engine reads is found through `Project`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

from printshop.errors import UserError

PROJECT_FILE = "makebook.yaml"
PROJECT_ENV = "MAKEBOOK_PROJECT"
BUILTIN = "built-in"


def builtin_root() -> Path:
    """The folder holding handouts/, layouts/, assets/ and schemas/ shipped with makebook."""
    packaged = Path(str(resources.files("printshop"))) / "builtin"
    if (packaged / "handouts").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[1]  # running from the source tree
    if (checkout / "handouts").is_dir() and (checkout / "layouts").is_dir():
        return checkout
    raise RuntimeError(f"makebook's built-in data is missing (looked in {packaged})")


def find_project_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds a makebook.yaml."""
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    return None


@dataclass(frozen=True)
class Named:
    """A topic or layout by name: where its file is and whether it is built in."""

    name: str
    path: Path
    origin: str  # BUILTIN, or the project folder's name


@dataclass(frozen=True)
class Project:
    """The built-in data plus, optionally, the user's project folder (which wins)."""

    builtin: Path
    root: Path | None = None

    @classmethod
    def discover(cls, explicit: Path | None = None, cwd: Path | None = None) -> Project:
        """--project DIR, else $MAKEBOOK_PROJECT, else the nearest makebook.yaml upward."""
        chosen = explicit or (
            Path(os.environ[PROJECT_ENV]) if os.environ.get(PROJECT_ENV) else None
        )
        if chosen is not None:
            if not (chosen / PROJECT_FILE).is_file():
                raise UserError(
                    f"not a makebook project (no {PROJECT_FILE}); create one with "
                    f"`makebook init {chosen}`",
                    chosen,
                )
            return cls(builtin_root(), chosen.resolve())
        return cls(builtin_root(), find_project_root((cwd or Path.cwd()).resolve()))

    @property
    def own_root(self) -> Path | None:
        """The user's project folder, unless it is makebook's own checkout."""
        if self.root is None or self.root.resolve() == self.builtin.resolve():
            return None
        return self.root

    @property
    def roots(self) -> list[tuple[Path, str]]:
        """(folder, origin) in priority order: the project first, then the built-ins."""
        own = self.own_root
        found = [(own, own.name)] if own is not None else []
        return [*found, (self.builtin, BUILTIN)]

    # ------------------------------------------------------------- topics, layouts
    @cached_property
    def _topics(self) -> dict[str, Named]:
        found: dict[str, Named] = {}
        for folder, origin in self.roots:
            for path in sorted((folder / "handouts").glob("*/topic.yaml")):
                found.setdefault(path.parent.name, Named(path.parent.name, path, origin))
        return dict(sorted(found.items()))

    @cached_property
    def _layouts(self) -> dict[str, Named]:
        found: dict[str, Named] = {}
        for folder, origin in self.roots:
            for path in sorted((folder / "layouts").glob("*.yaml")):
                found.setdefault(path.stem, Named(path.stem, path, origin))
        return dict(sorted(found.items()))

    def topics(self) -> dict[str, Named]:
        return self._topics

    def layouts(self) -> dict[str, Named]:
        return self._layouts

    def topic_ids(self) -> list[str]:
        return list(self._topics)

    def layout_names(self) -> list[str]:
        return list(self._layouts)

    def topic_dir(self, topic: str) -> Path:
        return self.topic_file(topic).parent

    def topic_file(self, topic: str) -> Path:
        from printshop.content.load import suggest

        if topic not in self._topics:
            stray = [p for p in self.stray_files() if Path(p.path).parent.name == topic]
            if stray:
                from printshop.errors import ProblemList

                raise ProblemList(stray)
            names = self.topic_ids()
            raise UserError(
                f"unknown topic '{topic}'{suggest(topic, names)}; "
                f"topics: {', '.join(names) or 'none'}"
            )
        return self._topics[topic].path

    def layout_file(self, name: str) -> Path:
        from printshop.content.load import suggest

        if name not in self._layouts:
            names = self.layout_names()
            raise UserError(
                f"unknown layout '{name}'{suggest(name, names)}; layouts: {', '.join(names)}"
            )
        return self._layouts[name].path

    def language_dirs(self, topic: str) -> list[Path]:
        """Folders whose language files belong to a topic, the project's first.

        A project that has its own topic.yaml owns the topic; a project folder named after
        a built-in topic without one adds languages to it (or overrides some)."""
        home = self.topic_dir(topic)
        own = self.own_root
        extra = own / "handouts" / topic if own is not None else None
        if extra is not None and extra != home and extra.is_dir():
            return [extra, home]
        return [home]

    def language_files(self, topic: str) -> dict[str, Path]:
        found: dict[str, Path] = {}
        for folder in self.language_dirs(topic):
            for path in sorted(folder.glob("*.yaml")):
                if path.name != "topic.yaml":
                    found.setdefault(path.stem, path)
        return dict(sorted(found.items()))

    def writable_language_file(self, topic: str, code: str) -> Path:
        """Where a translator command may write a language file: never inside the
        installed package, only in the user's project (or makebook's own checkout)."""
        self.topic_file(topic)
        if self.own_root is not None:
            return self.ensure_writable(self.own_root / "handouts" / topic / f"{code}.yaml")
        if self.root is not None:  # makebook's own checkout is its own project
            return self.ensure_writable(self.topic_dir(topic) / f"{code}.yaml")
        raise UserError(
            "translator commands write into a content project; create one with "
            "`makebook init DIR` and run the command inside it"
        )

    def stray_files(self) -> list:
        """Content files makebook would silently skip: a language file in a folder with no
        topic.yaml (an unknown topic), or a '.yml' file beside a topic."""
        from printshop.content.load import suggest
        from printshop.errors import Problem

        topics = self.topic_ids()
        problems = []
        for folder, _origin in self.roots:
            handouts = folder / "handouts"
            for path in sorted([*handouts.glob("*/*.yaml"), *handouts.glob("*/*.yml")]):
                name = path.parent.name
                if path.suffix == ".yml":
                    problems.append(
                        Problem(f"rename to {path.stem}.yaml; '.yml' files are not read", path)
                    )
                elif not (path.parent / "topic.yaml").is_file() and name not in topics:
                    problems.append(
                        Problem(
                            f"language file for unknown topic '{name}'{suggest(name, topics)}: "
                            f"there is no handouts/{name}/topic.yaml; topics: "
                            f"{', '.join(topics) or 'none'}",
                            path,
                        )
                    )
        return problems

    def ensure_writable(self, path: Path) -> Path:
        """`path` if it is inside the user's project (or makebook's own checkout)."""
        home = self.own_root or self.root
        inside = home is not None and path.resolve().is_relative_to(home.resolve())
        if home is not None and not inside and path.absolute().is_relative_to(home.absolute()):
            raise UserError(
                f"leads outside the project (a link to {path.resolve()}); translator "
                "commands write only inside the project",
                path,
            )
        if not inside:
            raise UserError(
                "is built into makebook and is not changed in place; create your own copy "
                "in a content project (`makebook init DIR`, then `makebook lang new` there)",
                path,
            )
        return path

    @property
    def content_roots(self) -> list[Path]:
        """The folders content found through the project may live in (after links)."""
        return [folder for folder, _origin in self.roots] + ([self.root] if self.root else [])

    # ------------------------------------------------------------- assets and data
    @property
    def asset_dirs(self) -> list[Path]:
        """Where pictures named in content files are looked up: the project's, then ours."""
        return [folder / "assets" for folder, _origin in self.roots]

    def site_files(self) -> list[Path]:
        """The project's site files (sites/*.yaml)."""
        return sorted((self.root / "sites").glob("*.yaml")) if self.root else []

    def course_files(self) -> list[Path]:
        """The project's course files (courses/*.yaml)."""
        return sorted((self.root / "courses").glob("*.yaml")) if self.root else []

    @property
    def fonts_dir(self) -> Path:
        return self.builtin / "assets" / "fonts"

    @property
    def font_table_file(self) -> Path:
        own = self.own_root
        if own is not None and (own / "fonts.yaml").is_file():
            return own / "fonts.yaml"
        return self.fonts_dir / "fonts.yaml"

    @property
    def schemas_dir(self) -> Path:
        return self.builtin / "schemas"

    def default_out(self) -> Path:
        """Build output: the project's out/ folder, or out/ in the working folder."""
        return (self.root / "out") if self.root is not None else Path("out")


def init_project(folder: Path) -> list[Path]:
    """A new content project from the built-in template; never overwrites a file."""
    template = builtin_root() / "templates" / "project"
    if (folder / PROJECT_FILE).exists():
        raise UserError(f"is already a makebook project ({PROJECT_FILE} exists)", folder)
    if folder.exists() and not folder.is_dir():
        raise UserError("exists and is not a folder", folder)
    created = []
    for source in sorted(template.rglob("*")):
        target = folder / source.relative_to(template)
        if source.is_dir():
            continue
        if target.exists():
            continue  # the user's own file stays as it is
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        created.append(target)
    return created
