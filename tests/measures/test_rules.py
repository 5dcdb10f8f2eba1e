import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from measures import services
from measures.models import Measure, MeasureStatus, MeasureUpdate, Milestone, ProgressMode, RelatedLink
from tests.measures.factories import measure, publish, staff_user

pytestmark = pytest.mark.django_db


def test_database_refuses_progress_outside_0_to_100():
    m = measure(1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=m.pk).update(progress=101)
    assert Measure.objects.get(pk=m.pk).progress == 0


def test_database_refuses_a_measure_number_outside_1_to_19():
    m = measure(1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(number=20, origin=m.origin, short_title_fr="x", full_text_fr="x")


def test_database_refuses_a_related_link_with_both_url_and_reference():
    m = measure(1)
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(measure=m, label_fr="x", url="https://example.org", kind="mooc.course", key="k")


def test_publishing_changes_status_and_progress_and_records_who_and_before_after():
    m = measure(4)
    staff = staff_user()
    update = publish(m, status=MeasureStatus.COMMITTED, progress=25, by=staff)
    m.refresh_from_db()
    assert (m.status, m.progress) == (MeasureStatus.COMMITTED, 25)
    update.refresh_from_db()
    assert (update.status_before, update.status_after, update.progress_before, update.progress_after) == (
        "proposed", "committed", 0, 25,
    )
    assert update.published_by == staff
    assert m.history.count() == 2  # created by the seed, changed by the update


def test_publishing_without_status_or_progress_keeps_them():
    m = measure(4)
    publish(m, status=MeasureStatus.IN_PROGRESS, progress=30)
    update = publish(m, title="Réunion d’étape")
    m.refresh_from_db()
    assert (m.status, m.progress) == (MeasureStatus.IN_PROGRESS, 30)
    assert (update.status_before, update.status_after, update.progress_before, update.progress_after) == (
        "in_progress", "in_progress", 30, 30,
    )
    assert update.status_changed is False and update.progress_changed is False


@pytest.mark.parametrize("progress", [-1, 101, 250])
def test_publishing_progress_outside_0_to_100_is_refused_and_changes_nothing(progress):
    m = measure(4)
    with pytest.raises(ValidationError):
        publish(m, status=MeasureStatus.DONE, progress=progress)
    m.refresh_from_db()
    assert (m.status, m.progress, MeasureUpdate.objects.count()) == ("proposed", 0, 0)


def test_milestone_weights_must_add_up_to_100_in_milestone_mode():
    assert services.milestone_weights_error(mode=ProgressMode.MILESTONES, weights=[50, 30]) is not None
    assert services.milestone_weights_error(mode=ProgressMode.MILESTONES, weights=[]) is not None
    assert services.milestone_weights_error(mode=ProgressMode.MILESTONES, weights=[50, 30, 20]) is None
    assert services.milestone_weights_error(mode=ProgressMode.DIRECT, weights=[10]) is None


def test_progress_in_milestone_mode_is_the_sum_of_done_weights():
    m = measure(7)
    m.progress_mode = ProgressMode.MILESTONES
    m.save()
    Milestone.objects.create(measure=m, title_fr="Étude", weight=20, done=True, position=1)
    Milestone.objects.create(measure=m, title_fr="Pilote", weight=30, done=True, position=2)
    Milestone.objects.create(measure=m, title_fr="Généralisation", weight=50, done=False, position=3)
    assert services.measure_progress_recompute(measure=m) == 50
    m.refresh_from_db()
    assert m.progress == 50
    update = publish(m, status=MeasureStatus.IN_PROGRESS)
    assert (update.progress_before, update.progress_after) == (50, 50)


def test_publishing_a_progress_on_a_milestone_measure_is_refused():
    m = measure(7)
    m.progress_mode = ProgressMode.MILESTONES
    m.save()
    with pytest.raises(ValidationError):
        publish(m, progress=40)
    assert MeasureUpdate.objects.count() == 0


def test_publishing_the_same_update_twice_creates_one_row():
    m = measure(9)
    update = publish(m, status=MeasureStatus.UNDER_STUDY)
    again = services.measure_update_publish(update=update, by=None)
    assert again.pk == update.pk
    assert MeasureUpdate.objects.filter(measure=m).count() == 1
