"""Public keys of the verifiable credentials (outside the language prefix, open to any origin)."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from portal import credential_keys


def _json(data: dict, content_type: str) -> HttpResponse:
    response = HttpResponse(json.dumps(data, indent=2), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"  # verifiers run in other sites' pages too
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def jwks(request: HttpRequest) -> HttpResponse:
    """The current signing key and every retired one (RFC 7517 JWK Set)."""
    return _json(credential_keys.jwks(), "application/jwk-set+json")


@require_GET
def key(request: HttpRequest, thumbprint: str) -> HttpResponse:
    """One published key: what a credential's ``kid`` dereferences to."""
    found = credential_keys.key_by_thumbprint(thumbprint)
    if found is None:
        raise Http404
    return _json(found.jwk(), "application/jwk+json")
