"""Query counting for "Mon espace", whose page gathers every app's section.

An app's guard asserts the cost of *its* section: the page's queries for a person with n of
its objects minus those for a person with none, the same literal for 1 and 30 objects. The
whole page is guarded once, in tests/portal.
"""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def my_space_queries(user) -> int:
    client = Client()
    client.force_login(user)
    client.get(reverse("me:dashboard"))  # warm per-process caches (content types, site)
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("me:dashboard"))
    assert response.status_code == 200
    return len(context.captured_queries)


def section_queries(user, *, empty_user) -> int:
    """What a person's objects add to the page, compared with someone who has none."""
    return my_space_queries(user) - my_space_queries(empty_user)
