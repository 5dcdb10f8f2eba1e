"""The measures' pages pass the Nu HTML Checker (tests/html_validation.py, from the foundation)."""

import pytest

from measures import services
from measures.models import MeasureStatus
from tests.factories import UserFactory
from tests.measures.factories import measure, publish, seed_measures

html_validation = pytest.importorskip("tests.html_validation")

pytestmark = pytest.mark.django_db


def test_measures_pages_are_valid_html(client):
    seed_measures()
    m = measure(16)
    publish(m, title="Kit en ligne", status=MeasureStatus.IN_PROGRESS, progress=40)
    m.related_links.create(label_fr="Observatoire", url="https://example.org/")
    urls = ["/measures/", "/measures/?origin=nantes&status=bad", "/measures/16/", "/en/measures/16/", "/measures/44/"]
    pages = {url: client.get(url).content.decode() for url in urls}
    user = UserFactory()
    services.measure_support(measure=m, user=user)
    services.measure_follow(measure=measure(3), user=user, frequency="weekly")
    client.force_login(user)
    for url in ["/measures/16/", "/measures/3/?support=offer", "/me/"]:
        pages["logged-in " + url] = client.get(url).content.decode()
    assert html_validation.validate_pages(pages) == []
