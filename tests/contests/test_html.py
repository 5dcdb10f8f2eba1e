"""The contest's pages are valid HTML (Nu HTML Checker, shared helper of the test suite)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from contests import services
from contests.models import SubmissionState
from tests.contests.factories import EditionFactory, SubmissionFactory, assign, juror, member
from tests.factories import UserFactory

html_validation = pytest.importorskip("tests.html_validation")
pytestmark = pytest.mark.django_db


def test_contest_pages_are_valid_html(client, settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    past = EditionFactory(opens_at=timezone.now() - timedelta(days=300), closes_at=timezone.now() - timedelta(days=200),
                          published_at=timezone.now() - timedelta(days=100))
    SubmissionFactory(edition=past, state=SubmissionState.LAUREATE, rank=1, prize="Prix")
    edition = EditionFactory()
    sub = SubmissionFactory(edition=edition, state=SubmissionState.UNDER_REVIEW)
    owner = member(sub.company)
    pages = {}
    for url in [reverse("contests:index"), reverse("contests:archive"), reverse("contests:laureates", args=[past.slug]),
                reverse("contests:edition_detail", args=[edition.slug])]:
        pages[url] = client.get(url).content.decode()
    client.force_login(owner)
    for url in [reverse("contests:company_create"), reverse("contests:company_detail", args=[sub.company.pk]),
                reverse("contests:company_edit", args=[sub.company.pk]), reverse("contests:submission_detail", args=[sub.pk]),
                reverse("contests:submission_create", args=[edition.slug, sub.company.pk]), reverse("me:dashboard")]:
        pages[url] = client.get(url).content.decode()
    draft = SubmissionFactory(edition=edition, company=sub.company)
    pages["edit"] = client.get(reverse("contests:submission_edit", args=[draft.pk])).content.decode()
    j = juror(edition)
    assign(j, sub)
    client.force_login(j.user)
    with_time = timezone.now() + timedelta(days=11)
    import time_machine

    with time_machine.travel(with_time):
        for url in [reverse("contests:jury", args=[edition.slug]), reverse("contests:jury_review", args=[edition.slug, sub.pk]),
                    reverse("contests:jury_conflicts", args=[edition.slug])]:
            pages[url] = client.get(url).content.decode()
    invited = services.juror_invite(edition=edition, email="new@example.org")
    pages["accept"] = client.get(reverse("contests:jury_accept", args=[invited.token])).content.decode()
    # An anonymised review: the declaration first, then the review page with its recusal form.
    hidden = EditionFactory(anonymised_review=True)
    hidden_sub = SubmissionFactory(edition=hidden, state="under_review")
    hidden_juror = juror(hidden)
    assign(hidden_juror, hidden_sub)
    client.force_login(hidden_juror.user)
    with time_machine.travel(with_time):
        pages["declare-first"] = client.get(reverse("contests:jury", args=[hidden.slug])).content.decode()
        pages["declare"] = client.get(reverse("contests:jury_conflicts", args=[hidden.slug])).content.decode()
        services.conflicts_close(juror=hidden_juror, user=hidden_juror.user)
        pages["declared"] = client.get(reverse("contests:jury_conflicts", args=[hidden.slug])).content.decode()
        pages["hidden-review"] = client.get(reverse("contests:jury_review", args=[hidden.slug, hidden_sub.pk])).content.decode()
    # Invitations: the company page with one waiting, and the invitee's page.
    invitation = services.company_invitation_create(company=sub.company, user=owner, email="colleague@example.org")
    client.force_login(owner)
    pages["company-invited"] = client.get(reverse("contests:company_detail", args=[sub.company.pk])).content.decode()
    client.force_login(UserFactory(email="colleague@example.org"))
    pages["invitation"] = client.get(reverse("contests:invitation", args=[invitation.token])).content.decode()
    pages["me-invited"] = client.get(reverse("me:dashboard")).content.decode()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    pages["ranking"] = client.get(reverse("contests:ranking", args=[edition.slug])).content.decode()
    assert mail.outbox == []
    assert html_validation.validate_pages(pages) == []
