"""Overview → detail → support (after logging in) → follow → staff publishes an update in the
admin → the follower sees it in the inbox and receives the e-mail."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from measures.models import Measure, Support
from tests.factories import PASSWORD, UserFactory
from tests.measures.factories import seed_measures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page, email: str) -> None:
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', PASSWORD)
    page.press('input[name="password"]', "Enter")


def test_follower_hears_of_the_update_staff_publish_in_the_admin(page, browser, live_server, settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    seed_measures()
    follower = UserFactory()
    staff = UserFactory(is_staff=True, is_superuser=True)
    measure = Measure.objects.get(number=16)

    # Overview → detail
    page.goto("/measures/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Les 19 mesures")
    expect(page.get_by_role("heading", name="Paris, groupe 3")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"#16 Un kit numérique")).click()
    expect(page).to_have_url(re.compile(r"/measures/16/$"))
    expect(page.get_by_text("Proposer un kit numérique créateur d’entreprise", exact=False)).to_be_visible()

    # Support while logged out → login → back to the measure, support offered → done
    page.get_by_role("link", name="Se connecter pour soutenir ou suivre cette mesure").click()
    _log_in(page, follower.email)
    expect(page).to_have_url(re.compile(r"/measures/16/\?support=offer$"))
    expect(page.get_by_text("confirmez votre soutien")).to_be_visible()
    page.get_by_role("button", name="Soutenir cette mesure").click()
    expect(page.get_by_text("Merci : vous soutenez la mesure #16.")).to_be_visible()
    expect(page.get_by_text("1 soutien", exact=True)).to_be_visible()
    assert Support.objects.filter(user=follower, measure=measure, active=True).count() == 1

    # Follow, at each update
    expect(page.get_by_label("à chaque mise à jour")).to_be_checked()
    page.get_by_role("button", name="Suivre", exact=True).click()
    expect(page.get_by_text("Vous suivez la mesure #16.")).to_be_visible()

    # Staff publish an update in the admin
    staff_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    staff_page = staff_context.new_page()
    staff_page.goto("/accounts/login/?next=/admin/measures/measureupdate/add/")
    _log_in(staff_page, staff.email)
    expect(staff_page).to_have_url(re.compile(r"/admin/measures/measureupdate/add/$"))
    staff_page.select_option('select[name="measure"]', str(measure.pk))
    staff_page.fill('input[name="title_fr"]', "Premier module du kit en ligne")
    staff_page.fill('input[name="title_en"]', "First module of the kit online")
    staff_page.fill('textarea[name="text_fr"]', "Un module de formation pour les créateurs est ouvert.")
    staff_page.select_option('select[name="status_after"]', "in_progress")
    staff_page.fill('input[name="progress_after"]', "30")
    staff_page.click('input[name="_save"]')
    expect(staff_page).to_have_url(re.compile(r"/admin/measures/measureupdate/$"))
    staff_context.close()

    # The public page shows it; the follower sees it in the inbox and has the e-mail
    page.goto("/measures/16/")
    expect(page.get_by_role("heading", name=re.compile("Premier module du kit en ligne"))).to_be_visible()
    expect(page.locator("#measure-progress")).to_have_attribute("value", "30")
    page.goto("/me/notifications/")
    expect(page.get_by_role("link", name="Mesure #16 : Premier module du kit en ligne")).to_be_visible()
    messages = [m for m in mail.outbox if m.to == [follower.email]]
    assert [m.subject for m in messages] == ["Mesure #16 : Premier module du kit en ligne"]
    assert "en cours" in messages[0].body and "/measures/16/" in messages[0].body
