"""Typed models of the four file kinds: topic, language, layout and site.

The models only describe shape and values; loading, positions and cross-file checks
live in `content`. Every model forbids unknown keys so typos are caught, not ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

# A URL of at most 84 bytes (UTF-8) is a version-5 QR code at error correction M:
# 37 modules + 2 x 4 quiet = 45 modules, i.e. 0.5 mm modules in a 22.5 mm code.
# qr.py grows a code smaller than that, so modules never drop below 0.5 mm; at the
# layouts' 21 mm design size the code grows by at most 1.5 mm (Q: 26.5 mm, H: 28.5 mm).
MAX_URL_CHARS = 84
Id = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


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


# ----------------------------------------------------------------- topic.yaml
class BenefitSpec(Strict):
    id: Id
    icon: str
    references: list[Id] = []


class PreparationSpec(Strict):
    id: Id
    icon: str


Region = Literal["legs", "feet", "tummy", "chest", "arms", "hands", "face", "back"]


class TechniqueSpec(Strict):
    id: Id
    region: Region
    illustration: str
    video: Url
    video_source: str
    handout: bool = False


class CueSpec(Strict):
    engage: list[Id]
    disengage: list[Id]


class ReferenceSpec(Strict):
    id: Id
    citation: Text
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    pmid: str | None = Field(default=None, pattern=r"^\d{1,9}$")
    url: Url | None = None


class Topic(Strict):
    id: Id
    source_language: str
    benefits: list[BenefitSpec]
    preparation: list[PreparationSpec]
    techniques: list[TechniqueSpec] = Field(min_length=1)
    cues: CueSpec
    safety: list[Id] = Field(min_length=1)
    help_signs: list[Id] = Field(min_length=1)
    references: list[ReferenceSpec] = []


# ----------------------------------------------------------------- <lang>.yaml
class LanguageMeta(Strict):
    code: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    name: Text
    native_name: Text
    direction: Literal["ltr", "rtl"] = "ltr"
    status: Literal["draft", "reviewed"] = "draft"
    reviewer: str | None = None
    review_date: dt.date | None = None
    # source key -> short hash of the source text a translation was made from
    translated_from: dict[str, str] = {}


class BenefitText(Strict):
    title: Text | None = None
    short: Text | None = None
    full: Text | None = None


class TechniqueText(Strict):
    name: Text | None = None
    steps: list[Text] | None = Field(default=None, min_length=1, max_length=6)
    repeat: Text | None = None
    tip: Text | None = None


class CueText(Strict):
    engage: dict[str, Text] = {}
    disengage: dict[str, Text] = {}


class UiText(Strict):
    """Labels the layouts print. New labels are added here and to the source language."""

    benefits_heading: Text | None = None
    preparation_heading: Text | None = None
    cues_heading: Text | None = None
    cues_engage: Text | None = None
    cues_disengage: Text | None = None
    safety_heading: Text | None = None
    techniques_heading: Text | None = None
    all_techniques_heading: Text | None = None
    help_heading: Text | None = None
    help_intro: Text | None = None
    help_emergency: Text | None = None
    help_ward: Text | None = None
    write_number_here: Text | None = None
    scan_to_watch: Text | None = None
    page_n_of_m: Text | None = None
    revised: Text | None = None
    leaflet_code: Text | None = None
    references_heading: Text | None = None
    evidence_note: Text | None = None
    draft_mark: Text | None = None
    steps_label: Text | None = None
    repeat_label: Text | None = None
    contents_heading: Text | None = None
    notes_heading: Text | None = None
    practice_log_heading: Text | None = None
    routine_heading: Text | None = None
    welcome_heading: Text | None = None
    welcome_text: Text | None = None
    tip_label: Text | None = None
    instructor_label: Text | None = None
    class_dates_label: Text | None = None
    log_day: Text | None = None
    log_time: Text | None = None
    log_strokes: Text | None = None
    log_response: Text | None = None
    week_label: Text | None = None
    more_strokes_note: Text | None = None


class LanguageFile(Strict):
    language: LanguageMeta
    title: Text | None = None
    subtitle: Text | None = None
    intro: Text | None = None
    benefits: dict[str, BenefitText] = {}
    preparation: dict[str, Text] = {}
    techniques: dict[str, TechniqueText] = {}
    cues: CueText = CueText()
    safety: dict[str, Text] = {}
    help_signs: dict[str, Text] = {}
    ui: UiText = UiText()


# ----------------------------------------------------------------- layouts/<name>.yaml
Colour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
PaperName = Literal["A4", "A5", "letter", "half-letter"]


class Margins(Strict):
    top: Length
    bottom: Length
    inner: Length
    outer: Length


class TypeScale(Strict):
    """Design sizes in pt; fitting scales them all by body/design-body."""

    body: float = Field(12.0, ge=6, le=40)
    body_min: float = Field(10.5, ge=6, le=40)
    title: float = Field(26.0, ge=8, le=96)
    heading: float = Field(15.0, ge=8, le=60)
    subheading: float = Field(12.5, ge=6, le=40)
    small: float = Field(8.5, ge=6, le=20)
    leading: float = Field(1.3, ge=1.0, le=2.0)


class Palette(Strict):
    ink: Colour = "#1a1a1a"
    accent: Colour = "#1d5c8c"
    muted: Colour = "#4d4d4d"
    tint: Colour = "#eef3f7"
    rule: Colour = "#9fb3c4"


class BlockRef(Strict):
    """One block on a page: its registered name and options for that block."""

    block: str
    options: dict[str, Any] = {}


def _block_ref(value: Any) -> Any:
    """Allow the short forms `- title` and `- techniques: {columns: 2}`."""
    if isinstance(value, str):
        return {"block": value}
    if isinstance(value, dict) and len(value) == 1 and "block" not in value:
        ((name, options),) = value.items()
        return {"block": name, "options": options or {}}
    return value


class PageSpec(Strict):
    blocks: list[Annotated[BlockRef, BeforeValidator(_block_ref)]] = Field(min_length=1)


class Footer(Strict):
    start: str = ""
    center: str = ""
    end: str = ""


class QrSpec(Strict):
    size: Length = Field(default=62.36, ge=56.69)  # >= 20 mm
    error_correction: Literal["M", "Q", "H"] = "M"


class SectionSpec(Strict):
    """One section of a booklet: its blocks and how it sits on pages."""

    id: Id
    title: str | None = None  # ui key naming it in the contents and the PDF outline
    blocks: list[Annotated[BlockRef, BeforeValidator(_block_ref)]] = Field(min_length=1)
    start: Literal["new-page", "same-page"] = "new-page"  # same-page: flow on after the last
    fit: Literal["one-page", "flow"] = "one-page"  # one-page: fitted, else an error
    each: Literal["technique"] | None = None  # one page per selected technique
    pages: int = Field(1, ge=1, le=20)  # a section repeated on this many pages (notes)
    pad: bool = False  # blank-sheet padding to a multiple of 4 adds pages here
    contents: bool = True  # listed in the contents
    page_number: bool = True  # printed page number on its pages


class Imposition(Strict):
    """Two booklet pages side by side on each side of a sheet, for saddle stitching."""

    sheet: PaperName
    bleed: Length = Field(default=8.504, ge=0, le=28.35)  # 3 mm, only with crop marks
    marks_margin: Length = Field(default=28.35, ge=14, le=72)  # room for crop marks


class Layout(Strict):
    name: Id
    description: str
    kind: Literal["handout", "booklet"]
    paper: PaperName
    margins: Margins
    type: TypeScale = TypeScale()
    palette: Palette = Palette()
    qr: QrSpec = QrSpec()
    illustration_width: Length = 96.0
    icon_size: Length = 22.0
    gutter: Length = 14.0
    pages: list[PageSpec] = []  # handouts: fixed pages
    sections: list[SectionSpec] = []  # booklets: sections that flow over pages
    imposition: Imposition | None = None  # booklets
    footer: Footer = Footer()

    @model_validator(mode="after")
    def _pages_or_sections(self) -> Layout:
        if self.kind == "handout" and not self.pages:
            raise ValueError("a handout layout needs 'pages'")
        if self.kind == "booklet" and (not self.sections or self.imposition is None):
            raise ValueError("a booklet layout needs 'sections' and 'imposition'")
        return self


# ----------------------------------------------------------------- site file
class SiteVideos(Strict):
    base_url: Url | None = None  # <base_url>/<technique-id>
    techniques: dict[str, Url] = {}


class Site(Strict):
    name: Text = Field(max_length=80)
    logo: str | None = None
    phone: str | None = Field(default=None, max_length=40)
    emergency: str | None = Field(default=None, max_length=40)
    leaflet_code: str | None = Field(default=None, max_length=40)
    revision_date: dt.date | None = None
    review_date: dt.date | None = None
    videos: SiteVideos = SiteVideos()


# ----------------------------------------------------------------- course file
class Instructor(Strict):
    name: Text = Field(max_length=80)
    organisation: str | None = Field(default=None, max_length=80)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=80, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    website: Url | None = None


class ClassSessions(Strict):
    venue: str | None = Field(default=None, max_length=120)
    time: str | None = Field(default=None, max_length=60)  # "Tuesdays 10:00-11:00"
    dates: list[dt.date] = Field(default=[], max_length=12)


class WeekPlan(Strict):
    title: Text = Field(max_length=80)  # "Legs and feet"
    techniques: list[Id] = []
    note: str | None = Field(default=None, max_length=300)


class Course(Strict):
    """An instructor's class: who teaches, when and where, which strokes in which order."""

    instructor: Instructor
    classes: ClassSessions = ClassSessions()
    techniques: list[Id] = Field(default=[], max_length=40)  # [] = every technique
    weeks: list[WeekPlan] = Field(default=[], max_length=8)
    welcome: str | None = Field(default=None, max_length=600)
