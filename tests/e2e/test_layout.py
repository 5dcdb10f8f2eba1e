"""Every public page and the main logged-in pages, in Chromium:

- at 390 px (a phone), nothing scrolls sideways: ``document.documentElement.scrollWidth`` is
  compared with the fixed width, not with ``innerWidth`` (under mobile emulation ``innerWidth``
  grows to fit an overflowing page, so comparing with it passes on a broken page);
- at 1280 px, axe-core (vendored in tests/vendor/axe-core) finds no violation of the rules
  tagged wcag2a, wcag2aa and wcag21aa.

One test walks the whole site: seeding it once costs more than checking a page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.site import build_site, log_in
from tests.factories import UserFactory
from tests.html_validation import validate_pages

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = 390
AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id} (${v.impact}): ` + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""


def _phone(browser, base_url):
    context = browser.new_context(base_url=base_url, locale="fr-FR", viewport={"width": PHONE, "height": 844},
                                  is_mobile=True, has_touch=True, device_scale_factor=1)
    context.set_default_timeout(15_000)
    return context


def _desktop(browser, base_url):
    context = browser.new_context(base_url=base_url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    # An init script is injected by the browser itself, outside the page's Content-Security-Policy.
    context.add_init_script(path=str(AXE))
    return context


def _check(phone_page, desktop_page, path: str, problems: list[str]) -> None:
    response = phone_page.goto(path)
    assert response is not None and response.status < 500, f"{path}: {response and response.status}"
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE:
        problems.append(f"{path}: {width} px wide at {PHONE} px")
    desktop_page.goto(path)
    for violation in desktop_page.evaluate(RUN_AXE, AXE_TAGS):
        problems.append(f"{path}: axe {violation}")


def test_every_page_fits_a_phone_and_axe_finds_no_violation(browser, live_server, client):
    site = build_site()
    problems: list[str] = []
    # the same pages' HTML, as served, through the Nu checker (one run for all)
    sources = {}
    for person, paths in [(None, site.public), (site.participant, site.logged_in), (site.staff, site.staff_pages)]:
        client.logout()
        if person is not None:
            client.force_login(person)
        sources.update({f"{person or 'anonymous'}:{path}": client.get(path).content.decode() for path in paths})
    problems += validate_pages(sources)
    visitors = [(None, site.public), (site.participant, site.logged_in), (site.staff, site.staff_pages)]
    for person, paths in visitors:
        phone, desktop = _phone(browser, live_server.url), _desktop(browser, live_server.url)
        phone_page, desktop_page = phone.new_page(), desktop.new_page()
        if person is not None:
            log_in(phone_page, person.email)
            log_in(desktop_page, person.email)
        for path in paths:
            _check(phone_page, desktop_page, path, problems)
        if person is site.staff:  # the admin pages whose templates are the project's: axe at 1280 px
            for path in site.admin_pages:
                desktop_page.goto(path)
                problems += [f"{path}: axe {v}" for v in desktop_page.evaluate(RUN_AXE, AXE_TAGS)]
        if person is site.participant:
            # a form that failed: its error summary and marked fields must pass too
            for page in (phone_page, desktop_page):
                page.goto("/me/profile/")
                page.fill("#id_first_name", "")
                page.locator("main form button[type=submit]").click()
                expect(page.locator(".error-summary")).to_be_visible()
            _check(phone_page, desktop_page, "/contests/companies/new/?", problems)
        phone.close()
        desktop.close()
    assert problems == [], "\n".join(problems)


def test_the_menu_opens_without_javascript_on_a_phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": PHONE, "height": 844},
                                  is_mobile=True, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    sections = page.get_by_role("link", name="Mesures", exact=True)
    expect(sections).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(sections).to_be_visible()
    expect(page.get_by_role("link", name="Créer un compte")).to_be_visible()
    sections.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les 19 mesures")
    context.close()


def test_a_failed_form_shows_an_error_summary_that_takes_the_focus(page, live_server):
    user = UserFactory()
    log_in(page, user.email)
    page.goto("/me/profile/")
    page.fill("#id_first_name", "")
    page.locator("main form button[type=submit]").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Il y a un problème")
    summary.get_by_role("link", name="Prénom", exact=False).click()
    expect(page.locator("#id_first_name")).to_be_focused()
    expect(page.locator("#id_first_name")).to_have_attribute("aria-invalid", "true")


def test_axe_does_report_a_violation(browser):
    # the check above must be able to fail: the same set-up finds an image without alt text
    context = _desktop(browser, "http://axe.invalid")
    page = context.new_page()
    page.route("http://axe.invalid/", lambda route: route.fulfill(
        content_type="text/html", body='<!DOCTYPE html><html lang="fr"><title>t</title><main><img src="x.png"></main></html>'))
    page.goto("http://axe.invalid/")
    assert [v.split(" ")[0] for v in page.evaluate(RUN_AXE, AXE_TAGS)] == ["image-alt"]
    context.close()
