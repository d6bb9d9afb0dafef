"""Small HTML helpers shared by the web version and the catalog page: escaping, the
content's one markup (`**bold**`), elements with attributes."""

from __future__ import annotations

import html
import re

# Bidi embedding controls the PDF's text layer adds (an English fallback kept in its
# direction inside Arabic): on a web page `dir` attributes do that job.
_EMBEDDING = re.compile("[\u202a-\u202e]")


def escape(text: str) -> str:
    """Text as HTML text or attribute value (quotes escaped too)."""
    return html.escape(_EMBEDDING.sub("", text), quote=True)


def markup(text: str) -> str:
    """Content text as HTML: `**bold**` becomes <strong>, everything else is escaped."""
    parts = escape(text).split("**")
    if len(parts) % 2 == 0:  # an unpaired ** prints as written, as in the PDF
        parts[-2:] = [parts[-2] + "**" + parts[-1]]
    return "".join(f"<strong>{part}</strong>" if n % 2 else part for n, part in enumerate(parts))


def attrs(**values: str | int | bool | None) -> str:
    """' name="value"' for each attribute given (None and False left out; a trailing _
    is dropped: class_ -> class; an underscore inside becomes '-': aria_label)."""
    out = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        key = name.rstrip("_").replace("_", "-")
        out.append(f" {key}" if value is True else f' {key}="{escape(str(value))}"')
    return "".join(out)


def element(tag: str, content: str = "", **values: str | int | bool | None) -> str:
    """<tag attrs>content</tag>: `content` is HTML already."""
    return f"<{tag}{attrs(**values)}>{content}</{tag}>"
