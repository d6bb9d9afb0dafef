"""Blocks for class booklets: the welcome page and the class plan from a course file."""

from __future__ import annotations

import unicodedata

from printshop.content.i18n import format_date
from printshop.layout.box import Box
from printshop.layout.boxes import Column
from printshop.layout.ctx import Ctx, keep_ltr
from printshop.layout.registry import NoOptions, block


def own_text(ctx: Ctx, text: str, role: str = "body", **changes) -> Box:
    """Text from the instructor's course file, in whatever language it was written.

    Left-to-right text on a right-to-left page keeps its own order (the full stop stays
    at its end) and lines up with the page's right edge.
    """
    if ctx.rtl and not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
        return ctx.text(text, role, direction="ltr", **{"align": "end", **changes})
    return ctx.text(text, role, **changes)


def who(ctx: Ctx) -> list[str]:
    """Who hands the booklet out: instructor and organisation, else the site."""
    course, site = ctx.doc.course, ctx.doc.site
    lines = []
    if course:
        lines.append(f"**{course.instructor}**")
        if course.organisation:
            lines.append(course.organisation)
    if site.name and (not course or site.name != course.organisation):
        lines.append(site.name)
    return lines


@block(
    "welcome",
    options=NoOptions,
    labels=("welcome_heading", "welcome_text", "instructor_label"),
)
def welcome_block(ctx: Ctx, options: NoOptions) -> list[Box]:
    """Welcome, how to use the booklet, the instructor's own note and contact details."""
    doc, p = ctx.doc, ctx.layout.palette
    parts: list[Box | None] = [
        ctx.heading(doc.label("welcome_heading")),
        ctx.text(doc.label("welcome_text"), "lead"),
    ]
    course = doc.course
    if course and course.welcome:
        parts.append(own_text(ctx, course.welcome, "body", italic=True))
        parts.append(own_text(ctx, f"— {course.instructor}", "body", italic=True, align="end"))
    if course:
        reach = [course.phone, course.email, course.website.removeprefix("https://")]
        reach_line = "  ·  ".join(keep_ltr(v) for v in reach if v)
        contact = [
            ctx.text(f"**{doc.label('instructor_label')}:** {', '.join(who(ctx))}", "body"),
            ctx.text(reach_line, "body") if reach_line else None,
        ]
        parts.append(Column(contact, gap=1.5 * ctx.scale, padding=5 * ctx.scale, fill=p.tint))
    return [Column(parts, gap=4 * ctx.scale, keep_first=True)]


@block("class-plan", options=NoOptions, labels=("class_dates_label", "week_label"))
def class_plan_block(ctx: Ctx, options: NoOptions) -> list[Box]:
    """Class time, venue, dates and the week-by-week plan (only with a course file)."""
    doc = ctx.doc
    course = doc.course
    if course is None or not (course.time or course.venue or course.dates or course.weeks):
        return []
    parts: list[Box] = [ctx.heading(doc.label("class_dates_label"))]
    for value in (course.time, course.venue):
        if value:
            parts.append(own_text(ctx, f"**{value}**", "body"))
    dates = [format_date(d, doc.lang) for d in course.dates]
    names = {item.id: item.title for item in doc.step_items()}
    for i in range(max(len(dates), len(course.weeks))):
        week = course.weeks[i] if i < len(course.weeks) else None
        when = f" · {dates[i]}" if i < len(dates) else ""
        lines = [
            f"**{doc.label('week_label', n=i + 1)}{when}**" + (f" — {week.title}" if week else "")
        ]
        if week and week.technique_ids:
            lines.append(", ".join(names[t] for t in week.technique_ids))
        parts.append(ctx.text("\n".join(lines), "body"))
        if week and week.note:
            parts.append(own_text(ctx, week.note, "body"))
    return [Column(parts, gap=3 * ctx.scale, keep_first=True)]
