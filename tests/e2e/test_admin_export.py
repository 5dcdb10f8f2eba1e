"""Staff export a list from the admin under the strict Content-Security-Policy: the export page's
"select all" toggle works and the browser reports no blocked inline script or style."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_select_all_on_the_export_page_unticks_then_ticks_every_field(page, settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    staff = UserFactory(is_staff=True, is_superuser=True)
    blocked = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None)

    page.goto("/accounts/login/?next=/admin/portal/partner/export/")
    page.fill('input[name="login"]', staff.email)
    page.fill('input[name="password"]', PASSWORD)
    page.press('input[name="password"]', "Enter")
    expect(page).to_have_url(re.compile(r"/admin/portal/partner/export/$"))

    fields = page.locator('.selectable-field-export-row input[type="checkbox"]:not(.select-toggle):visible')
    expect(fields).to_have_count(7)  # PartnerResource's fields
    toggle = page.get_by_label("Tout sélectionner")
    expect(toggle).to_be_checked()

    toggle.uncheck()
    for index in range(7):
        expect(fields.nth(index)).not_to_be_checked()
    toggle.check()
    for index in range(7):
        expect(fields.nth(index)).to_be_checked()
    assert blocked == []
