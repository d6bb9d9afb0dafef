"""Typed models of the content file kinds: topic, language, site and course.

The models describe shape and values only; cross-file checks (ids a language file may
use, the texts a section kind needs, assets that must exist) live in `load`. Every
model forbids unknown keys, so a typo is caught, not ignored. Layout files have their
own module (`layouts`), because their blocks come from the block registry.

A topic is a list of sections of generic kinds (see `KINDS`); the engine knows the
kinds, never a topic's own sections, items or wording.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

# A URL of at most 84 bytes (UTF-8) is a version-5 QR code at error correction M:
# 37 modules + 2 x 4 quiet = 45 modules, i.e. 0.5 mm modules in a 22.5 mm code.
# qr.py grows a code smaller than that, so modules never drop below 0.5 mm; at the
# layouts' 21 mm design size the code grows by at most 1.5 mm (Q: 26.5 mm, H: 28.5 mm).
MAX_URL_CHARS = 84
# A QR code that opens a handout's web page (a site's `videos.landing_url`) carries the
# page's path and the technique's anchor too; at most 106 bytes is version 6 at level M:
# 41 + 2 x 4 = 49 modules, so the code grows to 24.5 mm to keep its 0.5 mm modules.
MAX_PAGE_URL_CHARS = 106
ID_PATTERN = r"^[a-z0-9]+([-_][a-z0-9]+)*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=40)]
Label = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"})


def visible(value: str) -> str:
    """Text that prints something: not only spaces, soft hyphens or zero-width marks
    (a blank ward name would print as nothing, with 'built')."""
    if not any(unicodedata.category(ch) not in _INVISIBLE for ch in value):
        raise ValueError("is blank (only spaces or invisible characters); write it or remove it")
    return value


Text = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(visible)]
AssetPath = Annotated[str, Field(min_length=1, max_length=200)]
Phone = Annotated[str, Field(min_length=1, max_length=40), AfterValidator(visible)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)


def check_url(value: str) -> str:
    """https only, printable, short enough for a scannable QR code."""
    size = len(value.encode("utf-8"))
    if size > MAX_URL_CHARS:
        raise ValueError(
            f"URL is {size} characters (UTF-8 bytes); the limit is {MAX_URL_CHARS} so its "
            "QR code stays printable; use a shorter link"
        )
    if any(ch.isspace() for ch in value):
        raise ValueError("URL contains a space; remove it or use %20")
    parts = urlsplit(value)
    if parts.scheme != "https":
        raise ValueError(f"URL must start with https:// (got {value[:40]!r})")
    if not parts.hostname or "." not in parts.hostname:
        raise ValueError(f"URL has no valid host name: {value[:60]!r}")
    if parts.username or parts.password:
        raise ValueError("URL must not contain a user name or password")
    return value


Url = Annotated[str, AfterValidator(check_url)]


def check_landing(value: str) -> str:
    """A folder's address: the handouts' paths and '#<technique>' are added to it."""
    parts = urlsplit(value)
    if parts.query or parts.fragment or "?" in value or "#" in value:
        raise ValueError("the address of a folder cannot have a '?' or '#' part; remove it")
    return value


LandingUrl = Annotated[str, AfterValidator(check_url), AfterValidator(check_landing)]

_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|in|pt)?\s*$")
_UNIT_PT = {"mm": 72 / 25.4, "cm": 720 / 25.4, "in": 72.0, "pt": 1.0, None: 1.0}


def to_points(value: Any) -> float:
    """'15mm', '0.5in', '12pt' or a bare number (points) -> points."""
    if isinstance(value, bool):
        raise ValueError("expected a length such as 15mm")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        match = _LENGTH.match(value)
        if match:
            return float(match.group(1)) * _UNIT_PT[match.group(2)]
    raise ValueError(f"expected a length such as 15mm, 0.5in or 12pt, got {value!r}")


# In JSON Schema (for editors) a length is a number of points or a text such as "15mm".
LengthText = Annotated[str, Field(pattern=_LENGTH.pattern)]
Length = Annotated[float, BeforeValidator(to_points, json_schema_input_type=float | LengthText)]


# ----------------------------------------------------------------- section kinds
@dataclass(frozen=True)
class Kind:
    """What a kind of section holds: the text fields of its items, and its parts.

    `fields`: the texts an item may have in a language file (a plain string is its
    `short` text); `required`: those the source language must give; `groups`: items
    come in named groups (cue pairs); `pictures`: items may have an illustration and a
    video (step cards), and an illustration needs its `alt` text (what the picture
    shows, read out by screen readers on the web version).
    """

    fields: frozenset[str]
    required: frozenset[str]
    groups: bool = False
    pictures: bool = False


_PLAIN = Kind(frozenset({"short"}), frozenset({"short"}))
KINDS: dict[str, Kind] = {
    "icon-list": Kind(frozenset({"title", "short", "full"}), frozenset({"short"})),
    "step-cards": Kind(
        frozenset({"title", "steps", "repeat", "tip", "alt"}),
        frozenset({"title", "steps"}),
        pictures=True,
    ),
    "cue-pairs": Kind(frozenset({"short"}), frozenset({"short"}), groups=True),
    "bullet-list": _PLAIN,
    "warning-box": _PLAIN,
    "help-box": _PLAIN,
}
KindName = Literal["icon-list", "step-cards", "cue-pairs", "bullet-list", "warning-box", "help-box"]
# The texts of a whole document that are not in a section.
DOCUMENT_TEXTS = ("title", "subtitle", "intro")


# ----------------------------------------------------------------- topic.yaml
class ItemSpec(Strict):
    """One item of a section: its id, and what it needs besides words."""

    id: Id
    icon: AssetPath | None = None
    illustration: AssetPath | None = None
    video: Url | None = None  # no video: no QR code on the card
    video_source: str | None = Field(default=None, max_length=600)  # what the page shows
    handout: bool = True  # part of the short set (step cards on a 2-page handout)
    references: list[Id] = Field(default=[], max_length=20)


def _item(value: Any) -> Any:
    """An item may be written as its bare id."""
    return {"id": value} if isinstance(value, str) else value


Items = list[Annotated[ItemSpec, BeforeValidator(_item, json_schema_input_type=Id | ItemSpec)]]


class GroupSpec(Strict):
    """A named group of items inside a section (one side of a cue pair)."""

    id: Id
    label: Label  # ui label naming the group
    icon: AssetPath | None = None
    items: Items = Field(min_length=1, max_length=40)


class SectionSpec(Strict):
    """One section of a topic: its kind, the labels that head it, its items."""

    id: Id
    kind: KindName
    heading: Label | None = None  # ui label of the section's heading
    heading_handout: Label | None = None  # heading when only the handout's items are shown
    intro: Label | None = None  # ui label of a line under the heading
    icon: AssetPath | None = None  # beside the heading
    items: Items = Field(default=[], max_length=60)
    groups: list[GroupSpec] = Field(default=[], max_length=4)
    video: Url | None = None  # the whole section in one video (a routine): a QR code on a
    # poster; only a page that was checked to show it
    video_source: str | None = Field(default=None, max_length=600)  # what the page shows


class ReferenceSpec(Strict):
    id: Id
    citation: Text
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$", max_length=200)
    pmid: str | None = Field(default=None, pattern=r"^\d{1,9}$")
    url: Url | None = None


class Topic(Strict):
    id: Id
    source_language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    art: dict[Id, AssetPath] = Field(default={}, max_length=20)  # decorative art by role
    sections: list[SectionSpec] = Field(min_length=1, max_length=40)
    references: list[ReferenceSpec] = Field(default=[], max_length=200)


# ----------------------------------------------------------------- <lang>.yaml
class LanguageMeta(Strict):
    code: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    name: Text
    native_name: Text
    direction: Literal["ltr", "rtl"] = "ltr"
    status: Literal["draft", "reviewed"] = "draft"
    reviewer: str | None = Field(default=None, max_length=120)
    reviewer_role: str | None = Field(
        default=None, max_length=120
    )  # e.g. "midwife, native speaker"
    review_date: dt.date | None = None
    # source key -> short hash of the source text a translation was made from
    translated_from: dict[str, str] = {}


class LanguageFile(BaseModel):
    """Every human-readable string of one language, keyed by the topic's ids.

    Besides the fixed keys, each section of the topic has a mapping named after its id:
    item id -> text (or item id -> {title, short, full, steps, repeat, tip, alt}); for a
    section with groups, group id -> item id -> text. `load` checks them against the
    topic, with file:line for every unknown id or field.
    """

    model_config = ConfigDict(extra="allow", frozen=True, allow_inf_nan=False, defer_build=True)

    language: LanguageMeta
    title: Text | None = None
    subtitle: Text | None = None
    intro: Text | None = None
    ui: dict[Label, Text] = {}

    def sections(self) -> dict[str, Any]:
        """Section id -> its texts (the keys that are not fixed fields)."""
        return dict(self.__pydantic_extra__ or {})


# ----------------------------------------------------------------- site file
class SiteVideos(Strict):
    base_url: Url | None = None  # <base_url>/<technique-id>
    techniques: dict[Id, Url] = Field(default={}, max_length=100)  # one technique at a time
    landing_url: LandingUrl | None = Field(
        None,
        description="where the ward publishes makebook's out/ folder: a handout's QR codes "
        "open its web page there, at the technique, instead of the video",
    )


class Site(Strict):
    """Who hands the document out: printed in headers, footers and the help box."""

    name: Annotated[str, Field(min_length=1, max_length=80), AfterValidator(visible)]
    logo: AssetPath | None = None
    phone: Phone | None = None
    emergency: Phone | None = None
    leaflet_code: (
        Annotated[
            str,
            Field(max_length=24, pattern=r"^[A-Za-z0-9._\-/ ]+$"),
            AfterValidator(visible),
        ]
        | None
    ) = None
    revision_date: dt.date | None = None
    review_date: dt.date | None = None
    videos: SiteVideos = SiteVideos()


# ----------------------------------------------------------------- course file
class Instructor(Strict):
    name: Annotated[str, Field(min_length=1, max_length=80), AfterValidator(visible)]
    organisation: str | None = Field(default=None, max_length=80)
    phone: Phone | None = None
    email: str | None = Field(default=None, max_length=80, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    website: Url | None = None


class ClassSessions(Strict):
    venue: str | None = Field(default=None, max_length=120)
    time: str | None = Field(default=None, max_length=60)  # "Tuesdays 10:00-11:00"
    dates: list[dt.date] = Field(default=[], max_length=12)


class WeekPlan(Strict):
    title: Annotated[str, Field(min_length=1, max_length=80), AfterValidator(visible)]
    techniques: list[Id] = Field(default=[], max_length=40)
    note: str | None = Field(default=None, max_length=300)


class Course(Strict):
    """An instructor's class: who teaches, when and where, which techniques in which order."""

    topic: Id | None = None  # the topic it teaches; may be left out in a one-topic project
    instructor: Instructor
    classes: ClassSessions = ClassSessions()
    techniques: list[Id] = Field(default=[], max_length=60)  # [] = every step item
    weeks: list[WeekPlan] = Field(default=[], max_length=8)
    welcome: str | None = Field(default=None, max_length=600)


class ProjectFile(Strict):
    """makebook.yaml: marks a content project (its settings are all optional)."""

    name: str | None = Field(default=None, max_length=120)
