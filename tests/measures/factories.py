"""Test data of the measures: the real reference seed, plus a few helpers."""

from __future__ import annotations

from measures import seeding, services
from measures.models import Measure, MeasureUpdate
from tests.factories import UserFactory


def seed_measures() -> None:
    seeding.seed_reference(lambda message: None)


def measure(number: int = 1) -> Measure:
    if not Measure.objects.filter(number=number).exists():
        seed_measures()
    return Measure.objects.get(number=number)


def publish(m: Measure, *, title: str = "Lancement", status: str = "", progress: int | None = None, by=None, **extra) -> MeasureUpdate:
    return services.measure_update_publish(
        update=MeasureUpdate(
            measure=m,
            title_fr=title,
            title_en=extra.pop("title_en", "Launch"),
            text_fr=extra.pop("text_fr", "Texte de la mise à jour."),
            status_after=status,
            progress_after=progress,
            **extra,
        ),
        by=by,
    )


def staff_user(**kwargs):
    return UserFactory(is_staff=True, is_superuser=True, **kwargs)
