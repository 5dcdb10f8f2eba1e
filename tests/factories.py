"""factory-boy factories shared by every app's tests."""

import itertools

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from portal.models import Audience, Profile, Region

_counter = itertools.count(1)
PASSWORD = "Correct-horse-battery-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A user who can log in: verified primary e-mail, known password, French."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.LazyFunction(lambda: f"person{next(_counter)}-{factory.Faker._get_faker().uuid4()[:8]}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    language = "fr"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        obj.save()
        if create:
            EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})


def audience(code: str = "business-leader") -> Audience:
    return Audience.objects.get_or_create(code=code, defaults={"name_fr": code, "name_en": code})[0]


def region(code: str = "ile-de-france") -> Region:
    return Region.objects.get_or_create(code=code, defaults={"name_fr": code, "name_en": code})[0]


def complete_profile(user, *, audience_code: str = "business-leader", region_code: str = "ile-de-france") -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.organisation = "PME Exemple SAS"
    profile.job_title = "Dirigeante"
    profile.audience = audience(audience_code)
    profile.region = region(region_code)
    profile.company_size = "small"
    profile.save()
    return profile
