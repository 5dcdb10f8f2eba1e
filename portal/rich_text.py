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


# --- Stored HTML: Markdown rendered and sanitised once, when the content is saved -------------
#
# A field ``rules`` (translated: ``rules_fr``, ``rules_en``) keeps its HTML in ``rules_html``
# (translated too), written by the model's save() through :func:`render_stored`; pages show it
# with the ``stored_html`` filter instead of rendering Markdown per request. When the allow-list
# above changes, ``manage.py render_rich_text`` writes every stored HTML again.

STORED_HTML: dict[type, tuple[str, ...]] = {}


def register_stored_html(model: type, *fields: str) -> None:
    """Declare the Markdown fields of ``model`` whose HTML is stored (for render_rich_text)."""
    STORED_HTML[model] = fields


def _languages() -> list[str]:
    from django.conf import settings

    return [code for code, _name in settings.LANGUAGES]


def render_stored(instance, *fields: str, update_fields=None):
    """Set the stored HTML of ``fields`` from their Markdown, in every language. With
    ``update_fields`` (a partial save) only the fields being saved are rendered, and the list
    is returned with their HTML columns added; otherwise None."""
    added: list[str] = []
    for field in fields:
        sources = {field, *(f"{field}_{lang}" for lang in _languages())}
        if update_fields is not None and not sources & set(update_fields):
            continue
        for lang in _languages():
            setattr(instance, f"{field}_html_{lang}", markdown_to_html(getattr(instance, f"{field}_{lang}", "") or ""))
            added.append(f"{field}_html_{lang}")
    return None if update_fields is None else [*update_fields, *added]


def render_all_stored(log=print) -> int:
    """Write every stored HTML again (after a change of the sanitiser): returns the rows written."""
    written = 0
    for model, fields in STORED_HTML.items():
        columns = [f"{field}_html_{lang}" for field in fields for lang in _languages()]
        batch = []
        for instance in model._default_manager.order_by("pk").iterator(chunk_size=500):
            render_stored(instance, *fields)
            batch.append(instance)
            if len(batch) == 500:
                model._default_manager.bulk_update(batch, columns)
                written += len(batch)
                batch = []
        if batch:
            model._default_manager.bulk_update(batch, columns)
            written += len(batch)
        log(f"{model._meta.label}: {', '.join(fields)} rendered again")
    return written
