"""Factories for the expeditions tests."""

import itertools
from datetime import timedelta

import factory
from django.utils import timezone

from expeditions.models import Destination, Expedition, ProgrammeItem
from tests.factories import UserFactory, complete_profile

_n = itertools.count(1)


def destination(slug: str = "finlande") -> Destination:
    return Destination.objects.get_or_create(slug=slug, defaults={"country_fr": slug.title(), "country_en": slug.title(),
                                                                  "country_code": "FI"})[0]


class ExpeditionFactory(factory.django.DjangoModelFactory):
    """A published trip two months ahead, registration open now, 20 places."""

    class Meta:
        model = Expedition
        skip_postgeneration_save = True

    destination = factory.LazyFunction(destination)
    slug = factory.LazyFunction(lambda: f"expedition-{next(_n)}")
    city = "Helsinki"
    time_zone = "Europe/Helsinki"
    title_fr = factory.LazyAttribute(lambda o: f"Expédition {o.slug}")
    title_en = factory.LazyAttribute(lambda o: f"Expedition {o.slug}")
    summary_fr = "Écosystème numérique finlandais."
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=4))
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    registration_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    capacity = 20
    status = Expedition.Status.PUBLISHED
    offer_hours = 48
    organiser_email = "organisation@medef.example"


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    expedition = factory.SubFactory(ExpeditionFactory)
    day = factory.LazyAttribute(lambda o: o.expedition.starts_on)
    start_time = factory.LazyFunction(lambda: timezone.datetime(2000, 1, 1, 9, 30).time())
    end_time = factory.LazyFunction(lambda: timezone.datetime(2000, 1, 1, 11, 0).time())
    title_fr = "Visite de Slush"
    host_organisation = "Slush"


def participant(**kwargs):
    """A user with a verified e-mail and a complete profile."""
    audience_code = kwargs.pop("audience_code", "business-leader")
    user = UserFactory(**kwargs)
    complete_profile(user, audience_code=audience_code)
    return user


def admin_form_data(form, expedition, **changes) -> dict:
    """What the admin's change form of ``expedition`` posts back unchanged (dates split as its
    widgets split them, no programme item), with ``changes`` on top."""
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update({
        "audiences": [], "partners": [], "tags": [],
        "registration_opens_at_0": expedition.registration_opens_at.strftime("%d/%m/%Y"),
        "registration_opens_at_1": "00:00:00",
        "registration_closes_at_0": expedition.registration_closes_at.strftime("%d/%m/%Y"),
        "registration_closes_at_1": "00:00:00",
        "starts_on": expedition.starts_on.strftime("%d/%m/%Y"), "ends_on": expedition.ends_on.strftime("%d/%m/%Y"),
        "cancellation_cutoff_0": "", "cancellation_cutoff_1": "",
        "programme_items-TOTAL_FORMS": "0", "programme_items-INITIAL_FORMS": "0",
        "programme_items-MIN_NUM_FORMS": "0", "programme_items-MAX_NUM_FORMS": "1000",
    })
    data.update(changes)
    return data
