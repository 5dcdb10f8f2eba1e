"""`make screenshots`: full-page screenshots of the main pages and journeys, at 390 px and
1280 px, in French and English, into var/screenshots/ (not part of `make test`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.site import build_site, log_in

pytestmark = [pytest.mark.screenshots, pytest.mark.django_db(transaction=True)]

OUT = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"
WIDTHS = [390, 1280]


def _name(path: str, width: int, language: str) -> str:
    slug = path.strip("/").replace("/", "_").replace("?", "").replace("=", "-") or "home"
    if slug.startswith("en_") or slug == "en":
        slug = slug[3:] or "home"
    return f"{language}-{width}-{slug}.png"


def test_screenshots(browser, live_server):
    site = build_site()
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    visitors = [(None, site.public), (site.participant, site.logged_in), (site.staff, site.staff_pages)]
    for width in WIDTHS:
        for language in ("fr", "en"):
            for person, paths in visitors:
                context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900},
                                              is_mobile=width < 768, has_touch=width < 768, device_scale_factor=1,
                                              locale="fr-FR" if language == "fr" else "en-GB")
                page = context.new_page()
                if person is not None:
                    log_in(page, person.email)
                for path in paths:
                    if path.startswith("/en/"):
                        path = path[3:]
                    url = path if language == "fr" or path.startswith("/mooc/certificates/") else "/en" + path
                    page.goto(url)
                    page.screenshot(path=str(OUT / _name(path, width, language)), full_page=True)
                if person is site.staff and width > 768:
                    for path in site.admin_pages:
                        page.goto(path)
                        page.screenshot(path=str(OUT / _name(path, width, language)), full_page=True)
                if person is site.participant:  # a form that failed, and the phone menu opened
                    page.goto("/me/profile/" if language == "fr" else "/en/me/profile/")
                    page.fill("#id_first_name", "")
                    page.locator("main form button[type=submit]").click()
                    expect(page.locator(".error-summary")).to_be_visible()
                    page.screenshot(path=str(OUT / _name("/me/profile/error", width, language)), full_page=True)
                    if width < 768:
                        page.locator(".menu-mobile > summary").click()
                        page.screenshot(path=str(OUT / _name("/menu-open", width, language)))
                context.close()
    print(f"\n{len(list(OUT.glob('*.png')))} screenshots in {OUT}")
