"""Schemathesis against the API in process (its WSGI application), from the served schema.

Profile "ci": a few derandomised examples per operation (HYPOTHESIS-like, same cases on every
run) in both modes — valid parameters (every response conforms to the schema: status, content
type, body) and invalid ones (refused with a 4xx, never a 5xx). ``SCHEMATHESIS_EXAMPLES=200``
explores more. The rate limit is off in tests (``PORTAL_API_RATE`` empty): 429 is documented
and tested in test_api.py.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from portal.wsgi import application

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))
CONFIG = SchemathesisConfig.from_dict({
    "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none"},
})

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


@pytest.fixture
def _public_world(world):
    """The world, and the WSGI handler kept from closing the test's connection after each request
    (what Django's test client does for its own requests)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield world
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
def test_every_operation_conforms_and_never_fails(case, _public_world):
    if case.query and "cursor" in case.query and not (case.meta and case.meta.generation.mode.is_negative):
        # A cursor is opaque: any string fits its schema, the API accepts only those it wrote (a
        # random one is a 400, tested in test_api.py). Valid cases start from the first page.
        del case.query["cursor"]
    case.call_and_validate()
