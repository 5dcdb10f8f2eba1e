"""OpenAPI helpers: the statuses every operation may answer, the shared query parameters."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from api.errors import ErrorSerializer


class PortalAutoSchema(AutoSchema):
    pass


LANGUAGE_HEADER = OpenApiParameter(
    "Accept-Language", str, OpenApiParameter.HEADER, required=False,
    description="Used when `lang` is absent: the first of fr/en it names (French otherwise).",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match", str, OpenApiParameter.HEADER, required=False,
    description="The `ETag` of an earlier answer: 304 with no body if nothing changed.",
)
IF_MODIFIED_SINCE = OpenApiParameter(
    "If-Modified-Since", str, OpenApiParameter.HEADER, required=False,
    description="The `Last-Modified` of an earlier answer (HTTP date): 304 if nothing changed since.",
)
HEADERS = [LANGUAGE_HEADER, IF_NONE_MATCH, IF_MODIFIED_SINCE]


def responses(ok, *, not_found: bool = True) -> dict:
    out = {
        200: ok,
        304: OpenApiResponse(description="Not modified (conditional GET): no body."),
        400: OpenApiResponse(ErrorSerializer, description="A parameter is not valid (`errors` says which and why)."),
        429: OpenApiResponse(ErrorSerializer, description="Too many requests from this client: see `Retry-After`."),
    }
    if not_found:
        out[404] = OpenApiResponse(ErrorSerializer, description="No such public object.")
    return out
