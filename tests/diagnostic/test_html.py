"""The diagnostic's pages pass the Nu HTML Checker (tests/html_validation.py), in French and English."""

import pytest
import time_machine

from diagnostic import selectors, services
from tests.factories import UserFactory, region

from .factories import at, completed_response, reference_version, rule, stored_result, worst
from .test_views import _take_it

html_validation = pytest.importorskip("tests.html_validation")

pytestmark = pytest.mark.django_db


def test_diagnostic_pages_are_valid_html(client):
    version = reference_version()
    region("bretagne")
    rule(dimension="strategy", kind="advice", text="Commencez petit.")
    pages = {}
    for url in ["/diagnostic/", "/en/diagnostic/"]:
        pages[url] = client.get(url).content.decode()
    client.post("/diagnostic/start/")
    for url in ["/diagnostic/step/0/", "/en/diagnostic/step/0/"]:
        pages[url] = client.get(url).content.decode()
    pages["step 0 with errors"] = client.post("/diagnostic/step/0/", {"sector": "Z"}).content.decode()
    client.post("/diagnostic/step/0/", {"sector": "C", "size_band": "small", "region": "bretagne"})
    spec = selectors.version_spec(version)
    for number in (1, 5):
        pages[f"step {number}"] = client.get(f"/diagnostic/step/{number}/").content.decode()
    pages["step 1 with errors"] = client.post("/diagnostic/step/1/", {}).content.decode()
    assert spec.step_count == 7
    client.session.flush()
    done, _spec = _take_it(client)
    pages["anonymous result"] = client.get(done.url).content.decode()

    user = UserFactory()
    completed_response(user=user, picker=worst)
    result = completed_response(user=user)
    client.force_login(user)
    for url in [result.get_absolute_url(), "/en" + result.get_absolute_url(), "/me/", "/"]:
        pages["logged in " + url] = client.get(url).content.decode()
    pages["contact without consent"] = client.post(result.get_absolute_url() + "contact/", {}).content.decode()

    for i in range(12):
        stored_result(region_code=["bretagne", "corse"][i % 2], completed_at=at(2026, 2, 1 + i))
    with time_machine.travel(at(2026, 4, 2), tick=False):
        services.snapshot_closed_quarters()
    for url in ["/diagnostic/barometer/", "/en/diagnostic/barometer/?measure=data", "/legal/"]:
        pages[url] = client.get(url).content.decode()
    assert html_validation.validate_pages(pages) == []
