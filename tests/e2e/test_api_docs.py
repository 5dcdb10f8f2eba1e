"""The API's documentation page works in a real browser under the site's strict CSP."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_the_schema_without_a_csp_violation(page):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto("/api/v1/docs/")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/measures/" in [p.strip().replace("\u200b", "") for p in paths]
    # try one operation from the page itself (same origin, connect-src 'self')
    page.locator(".opblock-summary", has_text="/api/v1/measures/").first.click()
    page.get_by_role("button", name="Execute").first.click()
    expect(page.locator(".live-responses-table .response .response-col_status").first).to_have_text("200")
    assert problems == []
