"""factory-boy factories shared by every app's tests."""

import functools
import itertools

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from portal.models import Audience, Profile, Region

_counter = itertools.count(1)
PASSWORD = "Correct-horse-battery-42"


@functools.cache
def _default_password_hash() -> str:
    # The production hasher (PBKDF2 at Django's iteration count) takes a third of a second: worked
    # out once per run for the shared test password, so that a test creating thirty people does
    # not spend ten seconds hashing. Logging in with it still goes through the real check.
    return make_password(PASSWORD)


class _SetPassword(factory.PostGenerationMethodCall):
    """``set_password()``, with the shared test password's hash computed once per run;
    ``UserFactory(password="...")`` or ``password=None`` (no usable password) as before."""

    def call(self, instance, step, context):
        if context.value_provided and context.value != PASSWORD:
            return instance.set_password(context.value)
        instance.password = _default_password_hash()


class UserFactory(factory.django.DjangoModelFactory):
    """A user who can log in: verified primary e-mail, known password, French."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.LazyFunction(lambda: f"person{next(_counter)}-{factory.Faker._get_faker().uuid4()[:8]}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    language = "fr"
    password = _SetPassword("set_password")

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
