"""Group registration: the lock cases, the offer rules for groups, substitution, bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from expeditions import services
from expeditions.models import Expedition, GroupRegistration, Registration
from expeditions.services import Colleague, RegistrationError
from organisations.models import Organisation
from portal.models import Notification
from tests.factories import UserFactory, audience
from tests.organisations.factories import OrganisationFactory, membership

from .factories import ExpeditionFactory, participant

pytestmark = pytest.mark.django_db
S = Registration.Status
TOGETHER, TAKE = GroupRegistration.Mode.TOGETHER, GroupRegistration.Mode.TAKE_AND_WAIT


def people(n, prefix="c"):
    return [Colleague(name=f"Collègue {prefix}{i}", email=f"{prefix}{i}@pme.example") for i in range(n)]


@pytest.fixture
def contact():
    user = UserFactory()
    user.organisation = OrganisationFactory()
    membership(user.organisation, user)
    return user


def register(contact, expedition, n=3, mode="", prefix="c", **kwargs):
    return services.group_register(expedition_id=expedition.pk, contact=contact, organisation_id=contact.organisation.pk,
                                   colleagues=people(n, prefix), mode=mode, **kwargs)


def fill(expedition, n):
    for _ in range(n):
        services.registration_create(expedition_id=expedition.pk, user=participant(), passport_name="X")


def statuses(group):
    return sorted(Registration.objects.filter(group=group).values_list("status", flat=True))


def counters(expedition):
    expedition.refresh_from_db()
    held = Registration.objects.filter(expedition=expedition, status__in=Registration.HOLDING_A_PLACE).count()
    waiting = Registration.objects.filter(expedition=expedition, status=S.WAITLISTED).count()
    assert (expedition.places_held, expedition.waitlist_length) == (held, waiting)
    return held, waiting


def positions(expedition):
    return list(Registration.objects.filter(expedition=expedition, status=S.WAITLISTED)
                .order_by("waitlist_position").values_list("waitlist_position", flat=True))


def test_a_group_with_room_takes_its_places_at_once_and_each_colleague_is_invited(contact):
    expedition = ExpeditionFactory(capacity=10)
    group = register(contact, expedition, 3)
    assert statuses(group) == [S.CONFIRMED] * 3
    assert counters(expedition) == (3, 0)
    invitations = Notification.objects.filter(kind="expeditions.group_invitation").order_by("recipient_email")
    assert [n.recipient_email for n in invitations] == ["c0@pme.example", "c1@pme.example", "c2@pme.example"]
    row = Registration.objects.get(invited_email="c0@pme.example")
    assert invitations[0].link.endswith(f"/expeditions/group-invitations/{row.group_token}/")
    assert (row.user, row.billing_organisation, row.payment) == (None, contact.organisation.legal_name, "not_due")


def test_fewer_places_than_the_group_needs_asks_the_contact_to_choose_and_writes_nothing(contact):
    expedition = ExpeditionFactory(capacity=4)
    fill(expedition, 2)
    with pytest.raises(RegistrationError) as error:
        register(contact, expedition, 3)
    assert (error.value.code, "Il ne reste que 2 places pour 3 personnes" in str(error.value.message)) == (
        "mode_required", True)
    assert (GroupRegistration.objects.count(), Registration.objects.filter(group__isnull=False).count()) == (0, 0)
    assert counters(expedition) == (2, 0)


def test_take_and_wait_takes_the_places_left_and_the_rest_waits_in_turn(contact):
    expedition = ExpeditionFactory(capacity=4)
    fill(expedition, 2)
    group = register(contact, expedition, 3, mode=TAKE)
    assert statuses(group) == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED]
    assert counters(expedition) == (4, 1)
    # A place frees: the waiting colleague is offered it alone, and the contact is told.
    single = Registration.objects.filter(group__isnull=True).first()
    services.registration_cancel(registration_id=single.pk, user=single.user)
    assert statuses(group) == [S.CONFIRMED, S.CONFIRMED, S.OFFERED]
    assert Notification.objects.filter(kind="expeditions.group_offered", user=contact).count() == 1
    assert services.group_offer_respond(group_id=group.pk, contact=contact, accept=True) == 1
    assert statuses(group) == [S.CONFIRMED] * 3
    assert counters(expedition) == (4, 0)


def test_a_group_waiting_together_is_never_split_and_does_not_hold_back_singles_behind_it(contact):
    expedition = ExpeditionFactory(capacity=4)
    fill(expedition, 3)
    group = register(contact, expedition, 3, mode=TOGETHER)
    assert statuses(group) == [S.WAITLISTED] * 3
    assert positions(expedition) == [1, 2, 3]
    # One place is free, fewer than the group needs: a single person arriving after it gets it.
    late = participant()
    services.registration_create(expedition_id=expedition.pk, user=late, passport_name="Late")
    assert Registration.objects.get(user=late).status == S.CONFIRMED
    assert counters(expedition) == (4, 3)
    # Two places free (still fewer than 3): a single waiting behind the group is offered one.
    behind = participant()
    services.registration_create(expedition_id=expedition.pk, user=behind, passport_name="Behind")
    assert Registration.objects.get(user=behind).waitlist_position == 4
    first, second, third = Registration.objects.filter(group__isnull=True, status=S.CONFIRMED).exclude(
        user=late).order_by("pk")
    services.registration_cancel(registration_id=first.pk, user=first.user)
    assert Registration.objects.get(user=behind).status == S.OFFERED
    assert statuses(group) == [S.WAITLISTED] * 3
    assert positions(expedition) == [1, 2, 3]
    # Still fewer than three free: the group waits, in one piece.
    for registration in (second, third):
        services.registration_cancel(registration_id=registration.pk, user=registration.user)
    assert statuses(group) == [S.WAITLISTED] * 3
    # Enough free at last: the whole group is offered its places at once.
    late_row = Registration.objects.get(user=late)
    services.registration_cancel(registration_id=late_row.pk, user=late)
    assert statuses(group) == [S.OFFERED] * 3
    assert counters(expedition) == (4, 0)


def test_a_group_waiting_together_is_offered_before_singles_behind_it_when_it_fits(contact):
    expedition = ExpeditionFactory(capacity=3)
    fill(expedition, 3)
    group = register(contact, expedition, 2, mode=TOGETHER)
    behind = participant()
    services.registration_create(expedition_id=expedition.pk, user=behind, passport_name="Behind")
    services.expedition_change_capacity(expedition_id=expedition.pk, capacity=5)
    assert statuses(group) == [S.OFFERED] * 2
    assert Registration.objects.get(user=behind).status == S.WAITLISTED
    assert positions(expedition) == [1]


def test_a_late_answer_expires_the_group_offer_and_passes_the_places_on(contact):
    expedition = ExpeditionFactory(capacity=2)
    fill(expedition, 2)
    group = register(contact, expedition, 2, mode=TOGETHER)
    behind = participant()
    services.registration_create(expedition_id=expedition.pk, user=behind, passport_name="Behind")
    services.expedition_change_capacity(expedition_id=expedition.pk, capacity=4)
    later = timezone.now() + timedelta(hours=expedition.offer_hours + 1)
    with pytest.raises(RegistrationError) as error:
        services.group_offer_respond(group_id=group.pk, contact=contact, accept=True, now=later)
    assert error.value.code == "offer_expired"
    assert statuses(group) == [S.OFFER_EXPIRED] * 2
    assert Registration.objects.get(user=behind).status == S.OFFERED


@pytest.mark.parametrize(("colleagues", "code"), [
    ([Colleague("A", "a@pme.example"), Colleague("A bis", "A@PME.example")], "colleague_twice"),
    ([Colleague("A", "pas-une-adresse")], "colleague_email"),
    ([Colleague("", "a@pme.example")], "colleague_incomplete"),
    ([], "empty"),
])
def test_bad_colleague_lists_are_refused_with_a_reason_and_nothing_is_written(contact, colleagues, code):
    expedition = ExpeditionFactory()
    with pytest.raises(RegistrationError) as error:
        services.group_register(expedition_id=expedition.pk, contact=contact, organisation_id=contact.organisation.pk,
                                colleagues=colleagues)
    assert error.value.code == code
    assert (GroupRegistration.objects.count(), Registration.objects.count(), counters(expedition)) == (0, 0, (0, 0))


def test_a_group_larger_than_the_trip_is_refused(contact):
    expedition = ExpeditionFactory(capacity=2)
    with pytest.raises(RegistrationError) as error:
        register(contact, expedition, 3, mode=TOGETHER)
    assert error.value.code == "larger_than_capacity"
    assert "plus grand que l’expédition (2 places)" in str(error.value.message)
    assert GroupRegistration.objects.count() == 0


def test_a_colleague_already_registered_alone_or_in_another_group_is_refused(contact):
    expedition = ExpeditionFactory()
    alone = participant(email="c1@pme.example")
    services.registration_create(expedition_id=expedition.pk, user=alone, passport_name="Alone")
    with pytest.raises(RegistrationError) as error:
        register(contact, expedition, 3)
    assert (error.value.code, "c1@pme.example" in str(error.value.message)) == ("already_registered", True)
    register(contact, expedition, 2, prefix="d")
    with pytest.raises(RegistrationError) as error:
        register(contact, expedition, 1, prefix="d")
    assert error.value.code == "already_registered"
    assert GroupRegistration.objects.count() == 1


def test_only_a_member_registers_in_the_organisation_s_name_and_a_paid_trip_needs_its_billing_address(contact):
    expedition = ExpeditionFactory(price_cents=190_000)
    other = OrganisationFactory()
    with pytest.raises(RegistrationError) as error:
        services.group_register(expedition_id=expedition.pk, contact=contact, organisation_id=other.pk,
                                colleagues=people(1))
    assert error.value.code == "not_member"
    Organisation.objects.filter(pk=contact.organisation.pk).update(billing_address_line1="")
    with pytest.raises(RegistrationError) as error:
        register(contact, expedition, 1)
    assert error.value.code == "billing"
    assert Registration.objects.count() == 0


def test_a_colleague_completes_own_details_and_accepts_with_the_invited_verified_address(contact):
    expedition = ExpeditionFactory()
    group = register(contact, expedition, 2)
    row = Registration.objects.get(invited_email="c0@pme.example")
    intruder = participant()
    with pytest.raises(RegistrationError) as error:
        services.group_member_accept(token=row.group_token, user=intruder, passport_name="Intrus")
    assert error.value.code == "not_invitee"
    colleague = participant(email="c0@pme.example")
    with pytest.raises(RegistrationError) as error:
        services.group_member_accept(token=row.group_token, user=colleague, passport_name="Dupont",
                                     dietary_needs="Sans gluten")
    assert error.value.code == "consent"
    services.group_member_accept(token=row.group_token, user=colleague, passport_name="DUPONT Jean",
                                 dietary_needs="Sans gluten", dietary_consent=True)
    row.refresh_from_db()
    assert (row.user, row.passport_name, row.dietary_needs, row.status) == (colleague, "DUPONT Jean", "Sans gluten",
                                                                            S.CONFIRMED)
    assert row.accepted_at is not None and statuses(group) == [S.CONFIRMED] * 2


def test_audience_eligibility_is_checked_for_each_colleague(contact):
    expedition = ExpeditionFactory()
    expedition.audiences.add(audience("business-leader"))
    register(contact, expedition, 1)
    row = Registration.objects.get()
    student = participant(email="c0@pme.example", audience_code="student")
    with pytest.raises(RegistrationError) as error:
        services.group_member_accept(token=row.group_token, user=student, passport_name="Etudiant")
    assert error.value.code == "not_eligible"
    row.refresh_from_db()
    assert row.user is None


def test_the_contact_substitutes_a_name_before_the_cutoff_but_not_after(contact):
    expedition = ExpeditionFactory(cancellation_cutoff=timezone.now() + timedelta(days=5))
    register(contact, expedition, 2)
    row = Registration.objects.get(invited_email="c0@pme.example")
    old_token = row.group_token
    services.group_member_substitute(registration_id=row.pk, contact=contact, name="Nouvelle", email="new@pme.example")
    row.refresh_from_db()
    assert (row.invited_email, row.status, row.user) == ("new@pme.example", S.CONFIRMED, None)
    assert row.group_token != old_token
    assert Notification.objects.filter(kind="expeditions.group_invitation", recipient_email="new@pme.example").exists()
    with pytest.raises(RegistrationError) as error:
        services.group_member_substitute(registration_id=row.pk, contact=contact, name="Autre", email="c1@pme.example")
    assert error.value.code == "already_registered"
    after = expedition.cancellation_cutoff + timedelta(minutes=1)
    with pytest.raises(RegistrationError) as error:
        services.group_member_substitute(registration_id=row.pk, contact=contact, name="Tard", email="late@pme.example",
                                         now=after)
    assert error.value.code == "cutoff"
    with pytest.raises(GroupRegistration.DoesNotExist):
        services.group_member_substitute(registration_id=row.pk, contact=UserFactory(), name="X", email="x@pme.example")


def test_the_contact_cancels_a_colleague_s_place_before_the_cutoff_and_it_goes_to_the_first_waiting(contact):
    expedition = ExpeditionFactory(capacity=2, cancellation_cutoff=timezone.now() + timedelta(days=5))
    group = register(contact, expedition, 2)
    waiting = participant()
    services.registration_create(expedition_id=expedition.pk, user=waiting, passport_name="Waiting")
    row = Registration.objects.get(invited_email="c0@pme.example")
    services.group_member_cancel(registration_id=row.pk, contact=contact)
    row.refresh_from_db()
    assert row.status == S.CANCELLED
    assert Registration.objects.get(user=waiting).status == S.OFFERED
    assert statuses(group) == [S.CANCELLED, S.CONFIRMED]
    assert counters(expedition) == (2, 0)
    # The colleague hears of it at the address the contact gave; the invitation link says so.
    assert Notification.objects.filter(kind="expeditions.cancelled", recipient_email="c0@pme.example").exists()
    with pytest.raises(RegistrationError) as error:
        services.group_member_accept(token=row.group_token, user=participant(email="c0@pme.example"), passport_name="C0")
    assert error.value.code == "inactive"
    with pytest.raises(RegistrationError) as error:
        services.group_member_cancel(registration_id=row.pk, contact=contact)
    assert error.value.code == "inactive"
    # After the cut-off the organisers cancel; nobody but the contact cancels at all.
    other = Registration.objects.get(invited_email="c1@pme.example")
    with pytest.raises(RegistrationError) as error:
        services.group_member_cancel(registration_id=other.pk, contact=contact,
                                     now=expedition.cancellation_cutoff + timedelta(minutes=1))
    assert error.value.code == "cutoff"
    for someone in (UserFactory(), waiting):
        with pytest.raises(GroupRegistration.DoesNotExist):
            services.group_member_cancel(registration_id=other.pk, contact=someone)
    with pytest.raises(Registration.DoesNotExist):  # a registration of nobody's group
        services.group_member_cancel(registration_id=Registration.objects.get(user=waiting).pk, contact=contact)
    assert Registration.objects.get(pk=other.pk).status == S.CONFIRMED


def test_cancelling_a_colleague_of_a_group_waiting_together_lets_the_smaller_group_take_the_free_places(contact):
    expedition = ExpeditionFactory(capacity=4)
    fill(expedition, 2)
    group = register(contact, expedition, 3, mode=TOGETHER)
    assert statuses(group) == [S.WAITLISTED] * 3  # two places free, fewer than the group needs
    services.group_member_cancel(registration_id=Registration.objects.get(invited_email="c0@pme.example").pk,
                                 contact=contact)
    assert statuses(group) == [S.CANCELLED, S.OFFERED, S.OFFERED]
    assert positions(expedition) == []
    assert counters(expedition) == (4, 0)


def test_colleagues_who_have_not_accepted_are_reminded_once_before_the_deadline(contact):
    expedition = ExpeditionFactory()
    group = register(contact, expedition, 2)
    colleague = participant(email="c0@pme.example")
    services.group_member_accept(token=Registration.objects.get(invited_email="c0@pme.example").group_token,
                                 user=colleague, passport_name="Dupont")
    soon = group.details_due_at - timedelta(days=1)
    assert services.group_details_reminders_send(now=group.details_due_at - timedelta(days=5)) == 0
    assert services.group_details_reminders_send(now=soon) == 1
    assert services.group_details_reminders_send(now=soon + timedelta(hours=1)) == 0
    assert list(Notification.objects.filter(kind="expeditions.group_reminder").values_list("recipient_email", flat=True)) \
        == ["c1@pme.example"]


def test_a_closed_trip_refuses_groups(contact):
    expedition = ExpeditionFactory(status=Expedition.Status.REGISTRATION_CLOSED)
    with pytest.raises(RegistrationError) as error:
        register(contact, expedition, 2)
    assert error.value.code == "not_allowed"
