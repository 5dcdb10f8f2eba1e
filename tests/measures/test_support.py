import pytest
from django.db import IntegrityError, connection

from measures import services
from measures.models import Follow, Support
from portal.locking import race_test
from tests.concurrency import Outcome, run_together
from tests.factories import UserFactory
from tests.measures.factories import measure

pytestmark = pytest.mark.django_db


def test_supporting_twice_keeps_one_active_support(user):
    m = measure(2)
    first = services.measure_support(measure=m, user=user)
    second = services.measure_support(measure=m, user=user)
    assert first.pk == second.pk
    assert Support.objects.filter(measure=m, user=user).count() == 1


def test_withdraw_then_support_again_reactivates_the_same_row(user):
    m = measure(2)
    support = services.measure_support(measure=m, user=user)
    assert services.measure_support_withdraw(measure=m, user=user) is True
    assert services.measure_support_withdraw(measure=m, user=user) is False
    support.refresh_from_db()
    assert (support.active, support.withdrawn_at is not None) == (False, True)
    again = services.measure_support(measure=m, user=user)
    assert again.pk == support.pk
    assert list(Support.objects.filter(measure=m, user=user).values_list("active", flat=True)) == [True]


def test_follow_is_one_row_per_person_and_measure_with_a_frequency(user):
    m = measure(2)
    services.measure_follow(measure=m, user=user, frequency="immediate")
    services.measure_follow(measure=m, user=user, frequency="weekly")
    assert list(Follow.objects.filter(measure=m, user=user).values_list("frequency", flat=True)) == ["weekly"]
    assert services.measure_unfollow(measure=m, user=user) is True
    assert services.measure_unfollow(measure=m, user=user) is False


def _race(*, locking: bool) -> Outcome:
    m = measure(12)
    user = UserFactory()
    # Widen the window between "is there a support?" and the insert.
    with race_test(locking=locking, pause=0.3, at="measures.support_read"):
        outcome = run_together(lambda: services.measure_support(measure=m, user=user).pk, [()] * 2)
    assert Support.objects.filter(measure=m, user=user, active=True).count() == 1  # the constraint holds anyway
    return outcome


@pytest.mark.django_db(transaction=True)
def test_two_racing_support_requests_collide_without_the_lock():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only real on PostgreSQL")
    results, errors = _race(locking=False)
    assert [type(r) for r in results] == [int]
    assert [type(e) for e in errors] == [IntegrityError]


@pytest.mark.django_db(transaction=True)
def test_two_racing_support_requests_give_one_support_with_the_lock():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only real on PostgreSQL")
    results, errors = _race(locking=True)
    assert errors == []
    assert len(results) == 2 and all(isinstance(r, int) for r in results)
    assert results[0] == results[1]
