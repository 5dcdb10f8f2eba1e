import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from measures import services
from measures.models import MeasureStatus
from portal.models import Notification
from portal.notifications.services import notification_sweep, preference_set
from tests.factories import UserFactory
from tests.measures.factories import measure, publish

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_each_immediate_follower_is_notified_exactly_once(django_capture_on_commit_callbacks):
    m = measure(13)
    followers = [UserFactory(), UserFactory(language="en")]
    weekly = UserFactory()
    for u in followers:
        services.measure_follow(measure=m, user=u, frequency="immediate")
    services.measure_follow(measure=m, user=weekly, frequency="weekly")
    UserFactory()  # not a follower
    with django_capture_on_commit_callbacks(execute=True):
        update = publish(m, title="Option ISN généralisée", title_en="Option extended", status=MeasureStatus.COMMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.measure_update_publish(update=update, by=None)  # published twice
        assert services.measure_update_notify_followers(update=update) == 0  # fan-out twice
    notification_sweep()
    notification_sweep()
    rows = Notification.objects.filter(kind="measures.update").order_by("recipient_email")
    assert sorted(rows.values_list("recipient_email", flat=True)) == sorted(u.email for u in followers)
    assert sorted(msg.to[0] for msg in mail.outbox) == sorted(u.email for u in followers)
    english = Notification.objects.get(user=followers[1])
    assert english.subject == "Measure #13: Option extended"
    assert english.link == "/en/measures/13/"
    french = Notification.objects.get(user=followers[0])
    assert french.subject == "Mesure #13 : Option ISN généralisée"
    assert "List-Unsubscribe" in french.headers
    assert "proposée → engagée" in french.body_text


def test_a_follower_who_turned_off_update_emails_still_sees_it_in_the_inbox():
    m = measure(13)
    u = UserFactory()
    services.measure_follow(measure=m, user=u)
    preference_set(user=u, kind="measures.update", email_enabled=False)
    publish(m, status=MeasureStatus.COMMITTED)
    assert list(Notification.objects.filter(user=u).values_list("state", flat=True)) == ["suppressed"]


def test_weekly_digest_goes_once_per_person_and_week():
    m1, m2 = measure(1), measure(2)
    u = UserFactory()
    immediate = UserFactory()
    services.measure_follow(measure=m1, user=u, frequency="weekly")
    services.measure_follow(measure=m2, user=u, frequency="weekly")
    services.measure_follow(measure=m1, user=immediate, frequency="immediate")
    with time_machine.travel(dt.datetime(2026, 11, 18, 10, 0, tzinfo=PARIS), tick=False):  # Wednesday
        publish(m1, title="Campagne lancée", status=MeasureStatus.IN_PROGRESS)
        publish(m2, title="Budget formation voté")
    assert Notification.objects.filter(user=u).count() == 0  # weekly: nothing at once
    with time_machine.travel(dt.datetime(2026, 11, 22, 23, 0, tzinfo=PARIS), tick=False):  # same week
        assert services.measure_digest_send_weekly() == 0
    with time_machine.travel(dt.datetime(2026, 11, 23, 7, 0, tzinfo=PARIS), tick=False):  # next Monday
        assert services.measure_digest_send_weekly() == 1
        assert services.measure_digest_send_weekly() == 0
    digest = Notification.objects.get(user=u)
    assert digest.kind == "measures.digest"
    assert digest.dedup_key == f"measures.digest:{u.pk}:2026-W47"
    assert "Campagne lancée" in digest.body_text and "Budget formation voté" in digest.body_text
    assert Notification.objects.filter(user=immediate, kind="measures.digest").count() == 0
    with time_machine.travel(dt.datetime(2026, 11, 30, 7, 0, tzinfo=PARIS), tick=False):  # nothing new
        assert services.measure_digest_send_weekly() == 0


def test_weekly_digest_job_is_a_periodic_job():
    from django.conf import settings

    assert settings.PERIODIC_JOBS["measures-weekly-digest"]["task"] == "measures.tasks.send_weekly_digests"


def test_update_subject_is_plain_text_not_html_escaped():
    m = measure(11)
    follower = UserFactory()
    services.measure_follow(measure=m, user=follower, frequency="immediate")
    publish(m, title="Décret d'application & arrêté")
    row = Notification.objects.get(user=follower, kind="measures.update")
    assert row.subject == "Mesure #11 : Décret d'application & arrêté"
