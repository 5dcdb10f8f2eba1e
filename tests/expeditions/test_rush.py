"""THE RUSH: 200 registrations at once for 20 places, on PostgreSQL.

First proves the race can happen (locking switched off by the test switch, with a pause
inside the critical section): more people than places are let through by the counting step,
and only the database's last line of defence (the check constraint ``places_held <=
capacity`` on the expedition's counter) stops the overbooking — with errors, i.e. failed
requests. Then, with locking on: exactly 20 confirmed, 180 waitlisted at positions 1..180,
no exception.
"""

import pytest
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, connection

from expeditions import services
from expeditions.models import Registration
from portal.locking import race_test
from portal.models import Profile, User
from tests.concurrency import run_together
from tests.factories import audience, region

from .factories import ExpeditionFactory

pytestmark = pytest.mark.django_db(transaction=True)

ATTEMPTS = 200
WORKERS = 32
CAPACITY = 20


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("The rush needs PostgreSQL row locks (SQLite serialises writers).")


def _participants(prefix: str) -> list[User]:
    password = make_password(None)
    users = User.objects.bulk_create(
        User(email=f"{prefix}{i}@rush.example", first_name="Rush", last_name=f"P{i}", password=password)
        for i in range(ATTEMPTS)
    )
    aud, reg = audience(), region()
    Profile.objects.bulk_create(
        Profile(user=u, organisation="PME", job_title="Dirigeant", audience=aud, region=reg) for u in users
    )
    return list(User.objects.filter(email__startswith=prefix).order_by("pk"))


def _rush(expedition_id: int, users: list[User]) -> list[BaseException]:
    def attempt(user: User) -> None:
        services.registration_create(expedition_id=expedition_id, user=user, passport_name=user.last_name)

    # 200 attempts from a pool of 32 workers that wait at a barrier before their first attempt:
    # they start together; each attempt closes its own connection.
    return run_together(attempt, [(user,) for user in users], workers=WORKERS).errors


def _statuses(expedition) -> dict[str, int]:
    rows = Registration.objects.filter(expedition=expedition).values_list("status", flat=True)
    return {s: list(rows).count(s) for s in set(rows)}


def test_the_rush_overbooks_without_the_lock_and_never_with_it():
    # Part 1: locking switched off (test-only hook) + a pause in the critical section.
    unlocked = ExpeditionFactory(capacity=CAPACITY)
    with race_test(locking=False, pause=0.05):
        errors = _rush(unlocked.pk, _participants("unlocked"))
    confirmed_without_lock = Registration.objects.filter(expedition=unlocked, status="confirmed").count()
    overbookings_refused = [e for e in errors
                            if isinstance(e, IntegrityError) and "expedition_places_within_capacity" in str(e)]
    print(f"without the lock: {confirmed_without_lock} confirmed for {CAPACITY} places, "
          f"{len(overbookings_refused)} overbookings refused by the check constraint")
    assert overbookings_refused, "the race did not happen: this test would prove nothing"
    assert len(overbookings_refused) == len(errors)
    assert confirmed_without_lock <= CAPACITY
    unlocked.refresh_from_db()
    assert unlocked.places_held == confirmed_without_lock

    # Part 2: the real service.
    locked = ExpeditionFactory(capacity=CAPACITY)
    errors = _rush(locked.pk, _participants("locked"))
    assert errors == []
    assert _statuses(locked) == {"confirmed": CAPACITY, "waitlisted": ATTEMPTS - CAPACITY}
    positions = sorted(
        Registration.objects.filter(expedition=locked, status="waitlisted").values_list("waitlist_position", flat=True)
    )
    assert positions == list(range(1, ATTEMPTS - CAPACITY + 1))


GROUPS = 8
GROUP_SIZE = 3
SINGLES = 24
GROUP_CAPACITY = 10


def _group_rush(expedition_id: int, contact, organisation_id: int, singles: list[User], mode_of) -> list[BaseException]:
    from expeditions.services import Colleague

    def attempt(kind, value) -> None:
        if kind == "single":
            services.registration_create(expedition_id=expedition_id, user=value, passport_name=value.last_name)
        else:
            services.group_register(
                expedition_id=expedition_id, contact=contact, organisation_id=organisation_id, mode=mode_of(value),
                colleagues=[Colleague(name=f"G{value} C{i}", email=f"g{value}-{i}-{expedition_id}@rush.example")
                            for i in range(GROUP_SIZE)],
            )

    calls = [("group", g) for g in range(GROUPS)] + [("single", u) for u in singles]
    calls = [calls[i] for i in sorted(range(len(calls)), key=lambda i: (i * 7) % len(calls))]  # groups among singles
    return run_together(attempt, calls, workers=WORKERS).errors


def test_groups_and_singles_racing_for_the_last_places_never_overbook_nor_split_a_group_waiting_together():
    from expeditions.models import GroupRegistration
    from tests.organisations.factories import OrganisationFactory, membership

    contact = User.objects.create(email="contact@rush.example", password=make_password(None))
    organisation = OrganisationFactory()
    membership(organisation, contact)
    users = _participants("grouprush")

    def mode_of(g: int) -> str:
        return GroupRegistration.Mode.TOGETHER if g % 2 == 0 else GroupRegistration.Mode.TAKE_AND_WAIT

    # Without the lock the race happens: more places are let through than exist and only the
    # check constraint on the counter stops it (failed requests).
    unlocked = ExpeditionFactory(capacity=GROUP_CAPACITY)
    with race_test(locking=False, pause=0.05):
        errors = _group_rush(unlocked.pk, contact, organisation.pk, users[:SINGLES], mode_of)
    assert any(isinstance(e, IntegrityError) and "expedition_places_within_capacity" in str(e) for e in errors), \
        "the race did not happen: this test would prove nothing"

    # With it: no error, never more places held than exist, every group waiting together in one piece.
    locked = ExpeditionFactory(capacity=GROUP_CAPACITY)
    errors = _group_rush(locked.pk, contact, organisation.pk, users[SINGLES:2 * SINGLES], mode_of)
    assert errors == []
    locked.refresh_from_db()
    holding = Registration.objects.filter(expedition=locked, status__in=Registration.HOLDING_A_PLACE).count()
    waiting = Registration.objects.filter(expedition=locked, status="waitlisted").count()
    assert (holding, waiting) == (GROUP_CAPACITY, GROUPS * GROUP_SIZE + SINGLES - GROUP_CAPACITY)
    assert (locked.places_held, locked.waitlist_length) == (holding, waiting)
    positions = sorted(Registration.objects.filter(expedition=locked, status="waitlisted")
                       .values_list("waitlist_position", flat=True))
    assert positions == list(range(1, waiting + 1))
    for group in GroupRegistration.objects.filter(expedition=locked, mode=GroupRegistration.Mode.TOGETHER):
        assert len(set(group.registrations.values_list("status", flat=True))) == 1, "a group waiting together was split"
