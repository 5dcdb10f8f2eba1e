"""Every transition and deadline of the registration services (clock frozen with time-machine)."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from expeditions import services
from expeditions.models import Expedition, Registration
from expeditions.services import RegistrationError
from portal.models import Notification
from tests.factories import UserFactory, audience

from .factories import ExpeditionFactory, participant

pytestmark = pytest.mark.django_db
S = Registration.Status


def register(expedition, user, **kwargs):
    kwargs.setdefault("passport_name", f"{user.last_name} {user.first_name}")
    return services.registration_create(expedition_id=expedition.pk, user=user, **kwargs)


def reload(registration):
    registration.refresh_from_db()
    return registration


def positions(expedition):
    return list(
        Registration.objects.filter(expedition=expedition, status=S.WAITLISTED)
        .order_by("waitlist_position").values_list("waitlist_position", flat=True)
    )


def real_counts(expedition) -> tuple[int, int]:
    rows = Registration.objects.filter(expedition_id=expedition.pk)
    return rows.filter(status__in=Registration.HOLDING_A_PLACE).count(), rows.filter(status=S.WAITLISTED).count()


def counters(expedition) -> tuple[int, int]:
    row = Expedition.objects.values_list("places_held", "waitlist_length").get(pk=expedition.pk)
    return tuple(row)


@pytest.fixture(autouse=True)
def _counters_equal_the_rows_after_every_test():
    """Whatever a test did through the services, the counters on each expedition row equal
    the real counts at the end."""
    yield
    for expedition in Expedition.objects.all():
        assert counters(expedition) == real_counts(expedition), expedition.slug


def kinds_for(user):
    return list(Notification.objects.filter(user=user).order_by("created_at", "pk").values_list("kind", flat=True))


def test_registration_with_a_free_place_is_confirmed_and_notified(django_capture_on_commit_callbacks):
    expedition = ExpeditionFactory(capacity=2)
    user = participant()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(expedition, user)
    assert registration.status == S.CONFIRMED
    assert registration.waitlist_position is None
    assert kinds_for(user) == ["expeditions.confirmed"]
    assert len(mail.outbox) == 1
    assert expedition.title in mail.outbox[0].subject


def test_each_participant_is_sent_links_in_his_or_her_language(django_capture_on_commit_callbacks):
    expedition = ExpeditionFactory(capacity=1)
    english, french = participant(language="en"), participant(language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        register(expedition, english)  # confirmed
        register(expedition, french)  # waitlisted
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert f"{settings.PORTAL_BASE_URL}/en/me/#me-expeditions" in bodies[english.email]
    assert f"{settings.PORTAL_BASE_URL}/me/#me-expeditions" in bodies[french.email]
    assert Notification.objects.get(user=english).link == "/en/me/#me-expeditions"
    services.expedition_message_registrants(expedition_id=expedition.pk, subject="Programme", body="Voir la page.",
                                            statuses=[S.CONFIRMED, S.WAITLISTED])
    assert Notification.objects.get(user=english, kind="expeditions.staff_message").link == f"/en/expeditions/{expedition.slug}/"
    assert Notification.objects.get(user=french, kind="expeditions.staff_message").link == f"/expeditions/{expedition.slug}/"


def test_registration_on_approval_trip_is_pending_and_holds_a_place():
    expedition = ExpeditionFactory(capacity=1, requires_approval=True)
    first, second = participant(), participant()
    assert register(expedition, first).status == S.PENDING
    assert kinds_for(first) == ["expeditions.received"]
    assert register(expedition, second).status == S.WAITLISTED


def test_registration_when_full_goes_to_waiting_list_with_positions():
    expedition = ExpeditionFactory(capacity=1)
    register(expedition, participant())
    waiting = [register(expedition, participant()) for _ in range(3)]
    assert [r.status for r in waiting] == [S.WAITLISTED] * 3
    assert [r.waitlist_position for r in waiting] == [1, 2, 3]
    assert kinds_for(waiting[1].user) == ["expeditions.waitlisted"]
    assert "2" in Notification.objects.get(user=waiting[1].user).body_text


def test_duplicate_registration_is_refused_and_changes_nothing():
    expedition = ExpeditionFactory()
    user = participant()
    register(expedition, user)
    with pytest.raises(RegistrationError) as error:
        register(expedition, user)
    assert error.value.code == "duplicate"
    assert Registration.objects.filter(user=user).count() == 1


def test_cancel_then_register_again_creates_a_new_active_row():
    expedition = ExpeditionFactory()
    user = participant()
    first = register(expedition, user)
    services.registration_cancel(registration_id=first.pk, user=user)
    second = register(expedition, user)
    assert reload(first).status == S.CANCELLED
    assert second.status == S.CONFIRMED
    assert second.pk != first.pk


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Expedition.Status.DRAFT}, "This expedition is not published."),
        ({"status": Expedition.Status.CANCELLED}, "This expedition has been cancelled."),
        ({"status": Expedition.Status.REGISTRATION_CLOSED}, "Registration for this expedition is closed."),
        ({"status": Expedition.Status.PAST}, "This expedition has already taken place."),
    ],
)
def test_registration_refused_for_unavailable_trips(changes, message):
    expedition = ExpeditionFactory(**changes)
    with pytest.raises(RegistrationError) as error:
        register(expedition, participant())
    assert with_translation_en(lambda: str(error.value.message)) == message
    assert Registration.objects.count() == 0


def with_translation_en(fn):
    from django.utils import translation

    with translation.override("en"):
        return fn()


def test_registration_refused_outside_the_window():
    expedition = ExpeditionFactory(registration_opens_at=timezone.now() + timedelta(days=1),
                                   registration_closes_at=timezone.now() + timedelta(days=2))
    with pytest.raises(RegistrationError):
        register(expedition, participant())
    late = ExpeditionFactory(registration_opens_at=timezone.now() - timedelta(days=2),
                             registration_closes_at=timezone.now() - timedelta(days=1))
    with pytest.raises(RegistrationError):
        register(late, participant())


def test_registration_refused_for_ineligible_audience_and_incomplete_profile():
    expedition = ExpeditionFactory()
    expedition.audiences.set([audience("elected-official")])
    with pytest.raises(RegistrationError):
        register(expedition, participant(audience_code="journalist"))
    assert register(expedition, participant(audience_code="elected-official")).status == S.CONFIRMED
    with pytest.raises(RegistrationError):
        register(expedition, UserFactory())


def test_dietary_needs_need_explicit_consent():
    expedition = ExpeditionFactory()
    with pytest.raises(RegistrationError) as error:
        register(expedition, participant(), dietary_needs="Sans gluten", dietary_consent=False)
    assert error.value.code == "consent"
    kept = register(expedition, participant(), dietary_needs="Sans gluten", dietary_consent=True)
    assert (kept.dietary_needs, kept.dietary_consent) == ("Sans gluten", True)


def test_paid_trip_requires_billing_details_and_is_due():
    expedition = ExpeditionFactory(price_cents=350000)
    with pytest.raises(RegistrationError) as error:
        register(expedition, participant())
    assert error.value.code == "billing"
    registration = register(expedition, participant(), billing_organisation="PME SAS", billing_address="1 rue X, Paris")
    assert registration.payment == Registration.Payment.DUE
    assert services.registration_set_payment(registration_ids=[registration.pk], payment="paid") == 1
    assert reload(registration).payment == Registration.Payment.PAID


def test_cancellation_offers_the_place_to_the_first_waitlisted_and_closes_the_gap():
    expedition = ExpeditionFactory(capacity=1, offer_hours=48)
    holder = register(expedition, participant())
    first, second, third = (register(expedition, participant()) for _ in range(3))
    with time_machine.travel(timezone.now(), tick=False):
        services.registration_cancel(registration_id=holder.pk, user=holder.user)
        now = timezone.now()
    assert reload(holder).status == S.CANCELLED
    assert reload(first).status == S.OFFERED
    assert first.offer_expires_at == now + timedelta(hours=48)
    assert first.waitlist_position is None
    assert positions(expedition) == [1, 2]
    assert (reload(second).waitlist_position, reload(third).waitlist_position) == (1, 2)
    assert kinds_for(first.user) == ["expeditions.waitlisted", "expeditions.offered"]
    assert kinds_for(holder.user) == ["expeditions.confirmed", "expeditions.cancelled"]


def test_leaving_the_middle_of_the_waiting_list_keeps_positions_gap_free():
    expedition = ExpeditionFactory(capacity=1)
    register(expedition, participant())
    waiting = [register(expedition, participant()) for _ in range(4)]
    services.registration_cancel(registration_id=waiting[1].pk, user=waiting[1].user)
    assert positions(expedition) == [1, 2, 3]
    assert [reload(r).waitlist_position for r in (waiting[0], waiting[2], waiting[3])] == [1, 2, 3]


def _offer_setup(**kwargs):
    expedition = ExpeditionFactory(capacity=1, offer_hours=48, **kwargs)
    holder = register(expedition, participant())
    waiting = register(expedition, participant())
    services.registration_cancel(registration_id=holder.pk, user=holder.user)
    return expedition, reload(waiting)


def test_accepting_an_offer_one_second_before_the_deadline_confirms():
    _expedition, offered = _offer_setup()
    with time_machine.travel(offered.offer_expires_at - timedelta(seconds=1), tick=False):
        services.registration_offer_accept(registration_id=offered.pk, user=offered.user)
    assert reload(offered).status == S.CONFIRMED
    assert offered.offer_expires_at is None


def test_accepting_an_offer_one_second_after_the_deadline_is_refused_and_passes_the_place_on():
    expedition = ExpeditionFactory(capacity=1, offer_hours=48)
    holder = register(expedition, participant())
    offered_to = register(expedition, participant())
    next_one = register(expedition, participant())
    services.registration_cancel(registration_id=holder.pk, user=holder.user)
    offered_to = reload(offered_to)
    with time_machine.travel(offered_to.offer_expires_at + timedelta(seconds=1), tick=False):
        with pytest.raises(RegistrationError) as error:
            services.registration_offer_accept(registration_id=offered_to.pk, user=offered_to.user)
    assert error.value.code == "offer_expired"
    assert reload(offered_to).status == S.OFFER_EXPIRED
    assert reload(next_one).status == S.OFFERED
    assert "expeditions.offer_expired" in kinds_for(offered_to.user)


def test_accepting_an_offer_on_an_approval_trip_goes_to_pending():
    _expedition, offered = _offer_setup(requires_approval=True)
    services.registration_offer_accept(registration_id=offered.pk, user=offered.user)
    assert reload(offered).status == S.PENDING


def test_declining_an_offer_passes_the_place_on():
    expedition = ExpeditionFactory(capacity=1)
    holder = register(expedition, participant())
    a, b = register(expedition, participant()), register(expedition, participant())
    services.registration_cancel(registration_id=holder.pk, user=holder.user)
    services.registration_offer_decline(registration_id=a.pk, user=a.user)
    assert (reload(a).status, reload(b).status) == (S.OFFER_DECLINED, S.OFFERED)


def test_another_persons_registration_cannot_be_accepted_or_cancelled():
    _expedition, offered = _offer_setup()
    intruder = participant()
    with pytest.raises(Registration.DoesNotExist):
        services.registration_offer_accept(registration_id=offered.pk, user=intruder)
    with pytest.raises(Registration.DoesNotExist):
        services.registration_cancel(registration_id=offered.pk, user=intruder)
    assert reload(offered).status == S.OFFERED


def test_sweep_expires_due_offers_and_offers_the_next_place():
    expedition = ExpeditionFactory(capacity=1)
    holder = register(expedition, participant())
    a, b = register(expedition, participant()), register(expedition, participant())
    services.registration_cancel(registration_id=holder.pk, user=holder.user)
    deadline = reload(a).offer_expires_at
    with time_machine.travel(deadline - timedelta(seconds=1), tick=False):
        assert services.expeditions_sweep()["expired"] == 0
    with time_machine.travel(deadline + timedelta(seconds=1), tick=False):
        result = services.expeditions_sweep()
    assert (result["expired"], result["offered"]) == (1, 1)
    assert (reload(a).status, reload(b).status) == (S.OFFER_EXPIRED, S.OFFERED)


def test_offer_expiring_warning_is_sent_once_24_hours_before():
    _expedition, offered = _offer_setup()
    with time_machine.travel(offered.offer_expires_at - timedelta(hours=25), tick=False):
        assert services.expeditions_sweep()["warned"] == 0
    with time_machine.travel(offered.offer_expires_at - timedelta(hours=23), tick=False):
        assert services.expeditions_sweep()["warned"] == 1
        assert services.expeditions_sweep()["warned"] == 0
    assert kinds_for(offered.user).count("expeditions.offer_expiring") == 1


def test_reminders_go_out_once_7_days_and_1_day_before_departure():
    expedition = ExpeditionFactory()
    registration = register(expedition, participant())
    start = timezone.make_aware(timezone.datetime.combine(expedition.starts_on, timezone.datetime.min.time()))
    with time_machine.travel(start - timedelta(days=8), tick=False):
        assert services.expeditions_sweep()["reminded"] == 0
    with time_machine.travel(start - timedelta(days=7) + timedelta(hours=9), tick=False):
        assert services.expeditions_sweep()["reminded"] == 1
        assert services.expeditions_sweep()["reminded"] == 0
    with time_machine.travel(start - timedelta(days=3) + timedelta(hours=9), tick=False):
        assert services.expeditions_sweep()["reminded"] == 0
    with time_machine.travel(start - timedelta(days=1) + timedelta(hours=9), tick=False):
        assert services.expeditions_sweep()["reminded"] == 1
        assert services.expeditions_sweep()["reminded"] == 0
    assert kinds_for(registration.user).count("expeditions.reminder") == 2


def test_sweep_moves_ended_trips_to_past():
    expedition = ExpeditionFactory()
    with time_machine.travel(timezone.now() + timedelta(days=70), tick=False):
        assert services.expeditions_sweep()["past"] == 1
    expedition.refresh_from_db()
    assert expedition.status == Expedition.Status.PAST


def test_self_cancellation_until_the_cut_off_then_a_request_to_staff():
    cutoff = timezone.now() + timedelta(days=5)
    expedition = ExpeditionFactory(cancellation_cutoff=cutoff)
    registration = register(expedition, participant())
    with time_machine.travel(cutoff + timedelta(seconds=1), tick=False):
        with pytest.raises(RegistrationError) as error:
            services.registration_cancel(registration_id=registration.pk, user=registration.user)
        assert error.value.code == "cutoff"
        services.registration_request_cancellation(registration_id=registration.pk, user=registration.user)
    assert reload(registration).cancellation_requested_at == cutoff + timedelta(seconds=1)
    assert Notification.objects.filter(kind="expeditions.cancellation_requested",
                                       recipient_email="organisation@medef.example").count() == 1
    services.registration_cancel(registration_id=registration.pk, by_staff=True)
    assert reload(registration).status == S.CANCELLED
    assert registration.cancellation_requested_at is None


def test_self_cancellation_at_the_cut_off_itself_works():
    cutoff = timezone.now() + timedelta(days=5)
    registration = register(ExpeditionFactory(cancellation_cutoff=cutoff), participant())
    with time_machine.travel(cutoff - timedelta(seconds=1), tick=False):
        services.registration_cancel(registration_id=registration.pk, user=registration.user)
    assert reload(registration).status == S.CANCELLED


def test_staff_confirm_and_refuse_pending_registrations():
    expedition = ExpeditionFactory(capacity=2, requires_approval=True)
    a, b = register(expedition, participant()), register(expedition, participant())
    waiting = register(expedition, participant())
    services.registration_confirm(registration_id=a.pk)
    services.registration_refuse(registration_id=b.pk)
    assert (reload(a).status, reload(b).status, reload(waiting).status) == (S.CONFIRMED, S.REFUSED, S.OFFERED)
    assert kinds_for(b.user) == ["expeditions.received", "expeditions.refused"]
    with pytest.raises(RegistrationError):
        services.registration_confirm(registration_id=b.pk)


def test_capacity_cannot_go_below_places_taken_and_a_raise_offers_places():
    expedition = ExpeditionFactory(capacity=2)
    register(expedition, participant())
    register(expedition, participant())
    waiting = [register(expedition, participant()) for _ in range(3)]
    with pytest.raises(RegistrationError) as error:
        services.expedition_change_capacity(expedition_id=expedition.pk, capacity=1)
    assert error.value.code == "capacity"
    services.expedition_change_capacity(expedition_id=expedition.pk, capacity=4)
    assert [reload(r).status for r in waiting] == [S.OFFERED, S.OFFERED, S.WAITLISTED]
    assert reload(waiting[2]).waitlist_position == 1


def test_staff_offer_out_of_turn_only_when_a_place_is_free():
    expedition = ExpeditionFactory(capacity=1)
    holder = register(expedition, participant())
    a, b = register(expedition, participant()), register(expedition, participant())
    with pytest.raises(RegistrationError):
        services.registration_offer_place(registration_id=b.pk)
    services.expedition_change_capacity(expedition_id=expedition.pk, capacity=1)
    assert holder and reload(a).status == S.WAITLISTED


def test_cancelling_an_expedition_cancels_every_registration():
    expedition = ExpeditionFactory(capacity=1)
    regs = [register(expedition, participant()) for _ in range(3)]
    assert services.expedition_cancel(expedition_id=expedition.pk) == 3
    assert [reload(r).status for r in regs] == [S.CANCELLED] * 3


def test_staff_message_reaches_the_chosen_registrants_once_each():
    expedition = ExpeditionFactory(capacity=1)
    confirmed = register(expedition, participant())
    waiting = register(expedition, participant())
    count = services.expedition_message_registrants(expedition_id=expedition.pk, subject="Rendez-vous à Roissy",
                                                    body="RDV terminal 2E à 7 h.", statuses=[S.CONFIRMED])
    assert count == 1
    message = Notification.objects.get(kind="expeditions.staff_message")
    assert (message.user, message.subject) == (confirmed.user, "Rendez-vous à Roissy")
    assert "RDV terminal 2E à 7 h." in message.body_text
    assert "expeditions.staff_message" not in kinds_for(waiting.user)


def test_sensitive_data_is_purged_days_after_the_trip():
    expedition = ExpeditionFactory(purge_after_days=30)
    registration = register(expedition, participant(), dietary_needs="Végétarien", dietary_consent=True)
    after_trip = timezone.make_aware(timezone.datetime.combine(expedition.ends_on, timezone.datetime.min.time()))
    with time_machine.travel(after_trip + timedelta(days=30), tick=False):
        assert services.expeditions_purge_sensitive_data() == 0
    with time_machine.travel(after_trip + timedelta(days=31, hours=12), tick=False):
        assert services.expeditions_purge_sensitive_data() == 1
        assert services.expeditions_purge_sensitive_data() == 0
    registration = reload(registration)
    assert (registration.passport_name, registration.dietary_needs, registration.dietary_consent) == ("", "", False)


def test_personal_data_export_and_erasure_free_the_place():
    from portal import personal_data

    expedition = ExpeditionFactory(capacity=1)
    holder = register(expedition, participant(), remarks="Arrivée la veille")
    waiting = register(expedition, participant())
    exported = personal_data.user_data_export(holder.user)
    assert exported["expeditions"]["registrations"][0]["remarks"] == "Arrivée la veille"
    personal_data.user_account_delete(holder.user)
    assert Registration.objects.filter(pk=holder.pk).exists() is False
    assert Registration.history.filter(user_id=holder.user_id).exists() is False
    assert reload(waiting).status == S.OFFERED


def test_sweep_offers_places_freed_outside_the_services():
    expedition = ExpeditionFactory(capacity=1)
    register(expedition, participant())
    waiting = register(expedition, participant())
    Expedition.objects.filter(pk=expedition.pk).update(capacity=2)  # an import, say
    assert services.expeditions_sweep()["offered"] == 1
    assert reload(waiting).status == S.OFFERED
    assert services.expeditions_sweep()["offered"] == 0


def test_periodic_jobs_are_registered_and_run():
    from django.conf import settings

    from portal.celery import app

    app.loader.import_default_modules()
    for name in ("expeditions-sweep", "expeditions-purge-sensitive-data"):
        task = app.tasks[settings.PERIODIC_JOBS[name]["task"]]
        task.apply().get(propagate=True)
    assert app.tasks["expeditions.tasks.sweep"].apply().get() == {
        "expired": 0, "offered": 0, "warned": 0, "reminded": 0, "past": 0}


def test_counters_equal_the_real_counts_after_every_transition():
    expedition = ExpeditionFactory(capacity=2, requires_approval=True)

    def check():
        assert counters(expedition) == real_counts(expedition)

    a, b, c, d = (register(expedition, participant()) for _ in range(4))  # a, b pending; c, d waiting
    check()
    assert counters(expedition) == (2, 2)
    services.registration_confirm(registration_id=a.pk)
    check()
    services.registration_refuse(registration_id=b.pk)  # c is offered the place
    check()
    assert reload(c).status == S.OFFERED and counters(expedition) == (2, 1)
    services.registration_offer_decline(registration_id=c.pk, user=c.user)  # d is offered
    check()
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        services.expeditions_sweep()  # d's offer expires
    check()
    assert counters(expedition) == (1, 0)
    e = register(expedition, participant())  # pending
    check()
    f = register(expedition, participant())  # waitlisted
    check()
    services.expedition_change_capacity(expedition_id=expedition.pk, capacity=3)  # f offered
    check()
    services.registration_offer_accept(registration_id=f.pk, user=f.user)  # pending
    check()
    assert counters(expedition) == (3, 0)
    g = register(expedition, participant())
    services.registration_cancel(registration_id=e.pk, user=e.user)  # g offered
    check()
    services.registration_cancel(registration_id=reload(g).pk, by_staff=True)
    check()
    from portal import personal_data

    personal_data.user_account_delete(f.user)
    check()
    a.user.delete()  # an account deleted in the admin: the rows go by cascade
    check()
    assert counters(expedition) == (0, 0)
    register(expedition, participant())
    register(expedition, participant())
    services.expedition_cancel(expedition_id=expedition.pk)
    check()
    assert counters(expedition) == (0, 0)


def test_a_plain_save_of_a_stale_instance_never_writes_the_counters():
    expedition = ExpeditionFactory(capacity=3)
    stale = Expedition.objects.get(pk=expedition.pk)  # loaded by the admin form, say
    register(expedition, participant())
    stale.city = "Espoo"
    stale.save()
    assert counters(expedition) == (1, 0)
    assert Expedition.objects.get(pk=expedition.pk).city == "Espoo"


def test_the_database_refuses_more_places_held_than_the_capacity():
    from django.db import IntegrityError, transaction

    expedition = ExpeditionFactory(capacity=1)
    register(expedition, participant())
    with pytest.raises(IntegrityError), transaction.atomic():
        Expedition.objects.filter(pk=expedition.pk).update(capacity=0)


def test_deleting_a_waitlisted_persons_account_closes_the_gap_and_a_holders_passes_the_place_on():
    expedition = ExpeditionFactory(capacity=1)
    holder = register(expedition, participant())
    first, second, third = (register(expedition, participant()) for _ in range(3))
    second.user.delete()
    assert positions(expedition) == [1, 2]
    holder.user.delete()
    assert reload(first).status == S.OFFERED
    assert reload(third).waitlist_position == 1


def test_a_registration_after_an_offer_s_deadline_expires_it_and_takes_the_place_before_the_sweep():
    """The offer past its deadline is looked for before the lock and expired under it: the place
    it held goes to the newcomer when nobody else waits, without waiting for the sweep."""
    expedition = ExpeditionFactory(capacity=1, offer_hours=48)
    holder = register(expedition, participant())
    offered_to = reload(register(expedition, participant()))
    services.registration_cancel(registration_id=holder.pk, user=holder.user)
    offered_to = reload(offered_to)
    assert offered_to.status == S.OFFERED
    with time_machine.travel(offered_to.offer_expires_at + timedelta(seconds=1), tick=False):
        newcomer = services.registration_create(expedition_id=expedition.pk, user=participant(), passport_name="N")
    assert reload(offered_to).status == S.OFFER_EXPIRED
    assert newcomer.status == S.CONFIRMED
    expedition.refresh_from_db()
    assert (expedition.places_held, expedition.waitlist_length) == (1, 0)


def test_a_running_offer_keeps_its_place_from_a_newcomer():
    expedition = ExpeditionFactory(capacity=1, offer_hours=48)
    holder = register(expedition, participant())
    offered_to = register(expedition, participant())
    services.registration_cancel(registration_id=holder.pk, user=holder.user)
    assert reload(offered_to).status == S.OFFERED
    newcomer = services.registration_create(expedition_id=expedition.pk, user=participant(), passport_name="N")
    assert newcomer.status == S.WAITLISTED and newcomer.waitlist_position == 1
    assert reload(offered_to).status == S.OFFERED
