"""The language of an API answer: ``?lang=`` first, then ``Accept-Language``, French by default.

The cookie and the path never count (the API lives outside the language prefix and is the
same for everybody). An English text without a translation falls back to French, as the site
does; ``fallbacks()`` names those fields so that the answer says so.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header
from modeltranslation.utils import build_localized_fieldname
from rest_framework.exceptions import ValidationError

SUPPORTED = ("fr", "en")
DEFAULT = "fr"


def choose_language(request) -> str:
    value = request.GET.get("lang")
    if value is not None:
        if value not in SUPPORTED:
            raise ValidationError({"lang": [_("Unknown language: use fr (French) or en (English).")]})
        return value
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        primary = code.split("-")[0].lower()
        if primary in SUPPORTED:
            return primary
    return DEFAULT


def fallbacks(obj, fields) -> list[str]:
    """The translated ``fields`` of ``obj`` shown in French because the active language has no text."""
    lang = get_language()
    if lang == settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
        return []
    return [
        name for name in fields
        if not getattr(obj, build_localized_fieldname(name, lang), None)
        and getattr(obj, build_localized_fieldname(name, settings.MODELTRANSLATION_DEFAULT_LANGUAGE), None)
    ]
