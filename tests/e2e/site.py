"""The whole site as a visitor meets it: the seeded reference and demo content, plus a
participant with something in every programme and a staff member. Used by the layout and
accessibility checks (test_layout.py) and by `make screenshots` (test_screenshots.py), so both
look at the same pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from contests.models import Edition, Juror, SubmissionState
from expeditions import services as expedition_services
from expeditions.models import Expedition
from mooc import services as mooc_services
from mooc.models import Certificate, CourseRun, Lesson
from portal.models import Notification
from tests.contests.factories import CompanyFactory, SubmissionFactory
from tests.factories import PASSWORD, UserFactory, complete_profile


@dataclass
class Site:
    participant: object
    staff: object
    public: list[str] = field(default_factory=list)
    logged_in: list[str] = field(default_factory=list)
    staff_pages: list[str] = field(default_factory=list)
    admin_pages: list[str] = field(default_factory=list)  # the project's admin templates, at 1280 px


def build_site() -> Site:
    call_command("seed", demo=True, verbosity=0)
    camille = UserFactory(first_name="Camille", last_name="Martin", email="camille.martin@example.org")
    complete_profile(camille)
    staff = UserFactory(first_name="Sam", last_name="Admin", email="staff@example.org", is_staff=True, is_superuser=True)

    # Expeditions: confirmed on one trip, on the waiting list of a full one.
    trips = {e.slug: e for e in Expedition.objects.all()}
    open_trip = trips["demo-tallinn-e-estonia"]
    billing = {"passport_name": "MARTIN Camille", "billing_organisation": "PME Exemple SAS",
               "billing_address": "1 rue de la Paix, 75002 Paris"}
    confirmed = expedition_services.registration_create(expedition_id=open_trip.pk, user=camille, **billing)
    expedition_services.registration_create(expedition_id=trips["demo-ces-las-vegas"].pk, user=camille, **billing)

    # MOOC: following the self-paced run, one lesson done; a certificate for the public page.
    run = CourseRun.objects.filter(start__isnull=True).select_related("course").first()
    enrollment = mooc_services.enrollment_create(user=camille, run=run)
    first_lesson = Lesson.objects.filter(module__course=run.course).order_by("module__position", "position", "pk").first()
    mooc_services.lesson_complete(enrollment=enrollment, lesson=first_lesson)
    certificate = Certificate.objects.create(
        user=staff, run=run, code=mooc_services.certificate_code_generate(), learner_name="Sam Admin",
        grade=80, issued_at=timezone.now(),
    )

    # Contest: a company with a draft in the open edition; a juror of it.
    edition = Edition.objects.get(slug="demo-open")
    published = Edition.objects.get(slug="demo-2016")
    company = CompanyFactory(legal_name="Capteurs d'Anjou SAS", billing_address_line1="2 rue Lenepveu",
                             billing_postal_code="49100", billing_city="Angers")
    company.memberships.create(user=camille)
    # Organisations and groups: Camille, for her company, registers two colleagues who wait together.
    group = expedition_services.group_register(
        expedition_id=trips["demo-tel-aviv-cyber"].pk, contact=camille, organisation_id=company.pk, mode="together",
        colleagues=[expedition_services.Colleague("Dominique Petit", "dominique.petit@example.org"),
                    expedition_services.Colleague("Sacha Leroy", "sacha.leroy@example.org")],
    )
    place = group.registrations.first()
    draft = SubmissionFactory(edition=edition, company=company, title="Ruche connectée", pitch="", state=SubmissionState.DRAFT,
                              created_by=camille)
    Juror.objects.create(edition=edition, email=camille.email, user=camille, accepted_at=timezone.now())

    for subject in ("Votre inscription est confirmée", "Vous êtes sur la liste d’attente"):
        Notification.objects.create(user=camille, kind="expeditions.confirmed", recipient_email=camille.email,
                                    subject=subject, body_text="…")

    site = Site(participant=camille, staff=staff)
    site.public = [
        "/", "/en/", "/expeditions/", "/expeditions/archive/", f"/expeditions/{open_trip.slug}/",
        "/en/expeditions/demo-seoul-5g/", "/contests/", f"/contests/{edition.slug}/", "/contests/archive/",
        f"/contests/{published.slug}/laureates/", "/mooc/", f"/mooc/{run.course.slug}/",
        f"/mooc/certificates/{certificate.code}/", f"/mooc/achievements/{run.course.slug}/", "/measures/", "/measures/16/",
        "/en/measures/16/", "/legal/",
        "/accessibility/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/no-such-page/",
        "/diagnostic/", "/diagnostic/barometer/", "/open-data/", "/en/open-data/",
    ]
    site.logged_in = [
        "/me/", "/en/me/", "/me/profile/", "/me/notifications/", "/me/preferences/", "/me/data/", "/me/delete/",
        "/accounts/email/", "/accounts/2fa/", "/expeditions/demo-tel-aviv-cyber/register/",
        "/contests/companies/new/", f"/contests/companies/{company.pk}/", f"/contests/projects/{draft.pk}/edit/",
        f"/contests/projects/{draft.pk}/", f"/contests/{edition.slug}/jury/",
        "/organisations/new/", f"/organisations/{company.pk}/", f"/organisations/{company.pk}/edit/",
        "/expeditions/demo-tel-aviv-cyber/group/", f"/expeditions/groups/{group.pk}/",
        f"/expeditions/group-invitations/{place.group_token}/",
        f"/mooc/{run.course.slug}/runs/{run.pk}/lessons/{first_lesson.pk}/", f"/mooc/progress/{enrollment.pk}/",
        # the second steps before giving a place or a project away
        f"/expeditions/registrations/{confirmed.pk}/cancel/", f"/contests/projects/{draft.pk}/withdraw/",
        f"/expeditions/groups/{group.pk}/places/{place.pk}/cancel/",
        # the quote form of a paid trip
        f"/billing/quote/{trips['demo-stockholm-fintech'].slug}/",
    ]
    site.staff_pages = ["/styleguide/", f"/contests/{edition.slug}/ranking/", f"/contests/{edition.slug}/publication/"]
    # Django's own change forms have known axe findings (date-time inputs without labels): only
    # pages the project templates itself (change list with counts, export page) are held to zero.
    site.admin_pages = ["/admin/expeditions/registration/", "/admin/portal/partner/export/"]
    return site


def log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
