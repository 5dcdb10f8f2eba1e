"""Factories of the contest's tests."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import factory
from django.utils import timezone

from contests.models import (
    Assignment,
    Company,
    Criterion,
    Edition,
    EditionTheme,
    Juror,
    Submission,
    SubmissionState,
    Theme,
)
from contests.seeding import siret_with_check_digit
from organisations.models import Membership
from tests.factories import UserFactory, region

_n = itertools.count(1)


def valid_siret() -> str:
    from contests.validators import luhn_ok

    while True:
        base = f"{next(_n) + 800000000:09d}"
        if luhn_ok(base):
            return siret_with_check_digit(base + "0001")


def themes() -> list[Theme]:
    from contests.seeding import seed_reference

    seed_reference(lambda _msg: None)
    return list(Theme.objects.all())


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"edition-{n}")
    title = factory.Sequence(lambda n: f"Concours {n}")
    rules = "1. **Soyez** une PME."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=10)).replace(microsecond=0))
    results_on = factory.LazyFunction(lambda: date.today() + timedelta(days=40))
    jurors_per_submission = 2

    @factory.post_generation
    def with_themes(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        for i, theme in enumerate(themes()):
            EditionTheme.objects.create(edition=obj, theme=theme, prize=f"Prix {theme.name}", position=i)
        for i, (name, weight) in enumerate([("Innovation", 3), ("Marché", 2), ("Équipe", 1)]):
            Criterion.objects.create(edition=obj, name=name, weight=weight, position=i)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    legal_name = factory.Sequence(lambda n: f"PME {n} SAS")
    siret = factory.LazyFunction(valid_siret)
    region = factory.LazyFunction(region)
    headcount = 12
    turnover_eur = 1_500_000
    balance_sheet_eur = None
    created_on = date(2015, 1, 1)
    independence_declared = True


def member(company: Company, user=None):
    user = user or UserFactory()
    Membership.objects.create(organisation=company, user=user)
    return user


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    edition = factory.SubFactory(EditionFactory)
    company = factory.SubFactory(CompanyFactory)
    theme = factory.LazyAttribute(lambda o: o.edition.edition_themes.first().theme)
    title = factory.Sequence(lambda n: f"Objet connecté {n}")
    pitch = "Un capteur qui mesure tout."
    description = "Description complète."
    object_function = "Mesure la température."
    connectivity = "LoRa"
    target_market = "PME industrielles"
    business_model = "Abonnement"
    state = SubmissionState.DRAFT


def juror(edition: Edition, user=None) -> Juror:
    user = user or UserFactory()
    return Juror.objects.create(edition=edition, email=user.email, user=user, accepted_at=timezone.now())


def assign(juror_obj: Juror, submission: Submission) -> Assignment:
    return Assignment.objects.create(juror=juror_obj, submission=submission)


def publish(edition, *, by=None, remaining_not_retained: bool = True) -> int:
    """Publish the way staff do: the deliberation started, then prepare (every theme without a
    laureate confirmed as such, the remaining projects not retained) and release."""
    from contests import services
    from contests.models import Phase, SubmissionState

    edition.refresh_from_db()
    if edition.phase == Phase.REVIEWING:
        services.edition_start_deliberation(edition=edition, by=by)
    with_laureate = set(
        Submission.objects.filter(edition=edition, state=SubmissionState.LAUREATE).values_list("theme_id", flat=True)
    )
    themes = set(EditionTheme.objects.filter(edition=edition).values_list("theme_id", flat=True)) - with_laureate
    publication = services.results_prepare(
        edition=edition, by=by, not_retained_for_remaining=remaining_not_retained, themes_without_laureate=themes
    )
    return services.results_release(publication=publication, by=by)
