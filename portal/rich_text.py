"""Staff-written Markdown (contest rules, lessons, transcripts) rendered as safe HTML: the one
sanitiser of the portal. Markdown first, then nh3 keeps only the allow-list below: no script,
style, iframe, image or form; no event or style attribute; links only to http(s) and mailto,
opened with ``rel="noopener noreferrer nofollow"``. Templates use the ``markdown`` filter
(``{% load portal_tags %}``); nothing else in the portal marks Markdown safe."""

from __future__ import annotations

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "blockquote",
    "code", "pre", "a", "abbr", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def markdown_to_html(text: str | None) -> SafeString:
    """Markdown → HTML holding only the allow-list (an empty string for no text)."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just kept only the allow-list
