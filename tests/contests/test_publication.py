"""Publishing the results: a deliberate step in two stages (prepare with held e-mails, then release
or cancel), refused in every phase but the deliberation and while a decision is missing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.urls import reverse

from contests import services
from contests.models import EditionTheme, ResultsPublication, Submission, SubmissionState
from portal.locking import race_test
from portal.models import Notification
from portal.notifications.services import notification_sweep
from tests.concurrency import rendezvous, run_together
from tests.contests.factories import EditionFactory, SubmissionFactory, member
from tests.factories import UserFactory

S = SubmissionState
pytestmark = pytest.mark.django_db


def _staff(*, publish: bool = True):
    user = UserFactory(is_staff=True)
    codenames = ["change_submission"] + (["publish_results"] if publish else [])
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="contests", codename__in=codenames))
    return user


def _project(edition, state=S.UNDER_REVIEW, theme_index=0, **fields):
    theme = EditionTheme.objects.filter(edition=edition).select_related("theme")[theme_index].theme
    sub = SubmissionFactory(edition=edition, theme=theme, state=state, **fields)
    sub.created_by = member(sub.company)
    sub.save()
    return sub


@pytest.fixture
def edition():
    return EditionFactory()


@pytest.fixture
def after_deadline(edition):
    with time_machine.travel(edition.closes_at + timedelta(days=1), tick=False):
        yield


def _all_themes_but(edition, *theme_indexes) -> set[int]:
    ids = list(EditionTheme.objects.filter(edition=edition).values_list("theme_id", flat=True))
    return {t for i, t in enumerate(ids) if i not in theme_indexes}


def _deliberate(edition):
    services.edition_start_deliberation(edition=edition, by=None)


def _prepared(edition, staff, **choices):
    choices.setdefault("themes_without_laureate", _all_themes_but(edition, 0))
    return services.results_prepare(edition=edition, by=staff, **choices)


# --- The defect: one click in the jury phase decided everything --------------------------------------------


def test_publication_is_refused_during_the_jury_phase_with_the_reason(edition, after_deadline):
    laureate = _project(edition, S.SHORTLISTED)
    _project(edition)
    with pytest.raises(ValidationError) as refused:
        _prepared(edition, _staff(), not_retained_for_remaining=True)
    assert refused.value.messages == [
        "Les résultats se publient pendant la délibération seulement : ouvrez la délibération une fois le jury terminé."
    ]
    assert ResultsPublication.objects.count() == 0
    assert Notification.objects.filter(kind__startswith="contests.result").count() == 0
    assert Submission.objects.get(pk=laureate.pk).state == S.SHORTLISTED


@pytest.mark.parametrize("moment", ["before_opening", "open", "published", "archived"])
def test_publication_is_refused_in_every_other_phase(edition, moment):
    staff = _staff()
    _project(edition, S.NOT_RETAINED)
    if moment == "before_opening":
        travel = edition.opens_at - timedelta(days=1)
    elif moment == "open":
        travel = edition.opens_at + timedelta(seconds=1)
    else:
        travel = edition.closes_at + timedelta(days=1)
    with time_machine.travel(travel, tick=False):
        if moment in ("published", "archived"):
            _deliberate(edition)
            services.results_release(publication=_prepared(edition, staff, themes_without_laureate=_all_themes_but(edition)),
                                     by=staff)
            if moment == "archived":
                services.edition_archive(edition=edition, by=staff)
        with pytest.raises(ValidationError):
            _prepared(edition, staff, themes_without_laureate=_all_themes_but(edition))
    assert ResultsPublication.objects.filter(status=ResultsPublication.Status.PREPARED).count() == 0


def test_old_one_click_publish_url_is_gone(client, edition, after_deadline):
    _project(edition)
    client.force_login(_staff())
    response = client.post(reverse("contests:edition_action", args=[edition.slug, "publish"]))
    assert response.status_code == 404
    assert Submission.objects.filter(state=S.NOT_RETAINED).count() == 0


# --- The checks -------------------------------------------------------------------------------------------


def test_a_project_without_final_decision_blocks_unless_staff_choose_not_retained(edition, after_deadline):
    staff = _staff()
    _project(edition, S.LAUREATE, rank=1, prize="Accompagnement")
    waiting = _project(edition, S.UNDER_REVIEW)
    _deliberate(edition)
    with pytest.raises(ValidationError) as refused:
        _prepared(edition, staff)
    assert refused.value.messages == [
        "1 projet n’a pas de décision finale (lauréat ou non retenu) : décidez, ou choisissez « non retenu » "
        "pour tous les projets restants."
    ]
    publication = _prepared(edition, staff, not_retained_for_remaining=True)
    assert publication.status == ResultsPublication.Status.PREPARED
    assert Submission.objects.get(pk=waiting.pk).state == S.UNDER_REVIEW  # preparing changes no state


def test_each_theme_needs_a_laureate_or_an_explicit_no_laureate(edition, after_deadline):
    staff = _staff()
    _project(edition, S.LAUREATE, rank=1)
    _deliberate(edition)
    names = list(EditionTheme.objects.filter(edition=edition).values_list("theme__name", flat=True))
    with pytest.raises(ValidationError) as refused:
        _prepared(edition, staff, themes_without_laureate=set())
    assert len(refused.value.messages) == 3
    assert all(f"« {name} »" in m for name, m in zip(names[1:], refused.value.messages, strict=True))
    with pytest.raises(ValidationError) as contradictory:
        _prepared(edition, staff, themes_without_laureate=_all_themes_but(edition))
    assert contradictory.value.messages == [f"Le thème « {names[0]} » a un lauréat : il ne peut pas être publié sans lauréat."]
    assert ResultsPublication.objects.count() == 0


# --- Prepare, read, release ---------------------------------------------------------------------------------


def test_preparing_holds_every_email_out_of_mailboxes_and_inboxes(client, edition, after_deadline):
    staff = _staff()
    laureate = _project(edition, S.LAUREATE, rank=1, prize="Accompagnement")
    other = _project(edition, S.UNDER_REVIEW)
    _deliberate(edition)
    publication = _prepared(edition, staff, not_retained_for_remaining=True)

    held = Notification.objects.filter(batch=publication.batch)
    assert sorted(held.values_list("kind", "user", "state")) == sorted([
        ("contests.result_laureate", laureate.created_by_id, "held"),
        ("contests.result_not_retained", other.created_by_id, "held"),
    ])
    assert notification_sweep() == 0
    assert mail.outbox == []
    client.force_login(laureate.created_by)
    inbox = client.get(reverse("me:notifications")).content.decode()
    assert "lauréat" not in inbox.lower()
    assert client.get(reverse("me:notification_open", args=[held.get(user=laureate.created_by).pk])).status_code == 404
    export = json.loads(client.post(reverse("me:data")).content)
    assert export["notifications"]["notifications"] == []
    assert Submission.objects.get(pk=other.pk).state == S.UNDER_REVIEW
    assert edition.__class__.objects.get(pk=edition.pk).published_at is None


def test_decisions_are_frozen_while_a_publication_is_prepared(edition, after_deadline):
    staff = _staff()
    _project(edition, S.LAUREATE, rank=1)
    shortlisted = _project(edition, S.SHORTLISTED)
    _deliberate(edition)
    _prepared(edition, staff, not_retained_for_remaining=True)
    with pytest.raises(ValidationError) as refused:
        services.submission_decide(submission=shortlisted, decision=S.LAUREATE, by=staff, rank=2)
    assert refused.value.messages == [
        "La publication des résultats est préparée : annulez-la avant de changer une décision."
    ]
    assert Submission.objects.get(pk=shortlisted.pk).state == S.SHORTLISTED


def test_release_applies_the_decisions_publishes_and_sends_each_email_once(client, edition, after_deadline):
    staff = _staff()
    laureate = _project(edition, S.LAUREATE, rank=1, prize="Accompagnement")
    other = _project(edition, S.SHORTLISTED, theme_index=1)
    submitted = _project(edition, S.SUBMITTED, theme_index=2)
    _deliberate(edition)
    publication = _prepared(edition, staff, not_retained_for_remaining=True)
    assert services.results_release(publication=publication, by=staff) == 3
    assert Submission.objects.get(pk=laureate.pk).state == S.LAUREATE
    assert Submission.objects.get(pk=other.pk).state == S.NOT_RETAINED
    assert Submission.objects.get(pk=submitted.pk).state == S.NOT_RETAINED
    edition.refresh_from_db()
    assert edition.phase == "published"
    assert ResultsPublication.objects.get().status == ResultsPublication.Status.RELEASED
    assert Notification.objects.filter(batch=publication.batch, state="held").count() == 0
    assert notification_sweep() == 3
    assert notification_sweep() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [laureate.created_by.email, other.created_by.email, submitted.created_by.email]
    )
    client.force_login(laureate.created_by)
    assert "lauréat" in client.get(reverse("me:notifications")).content.decode().lower()
    with pytest.raises(ValidationError) as refused:
        services.results_cancel(publication=publication, by=staff)
    assert refused.value.messages == ["Ces résultats sont déjà publiés : les e-mails sont partis."]


def test_cancel_deletes_the_held_emails_and_a_new_preparation_writes_them_again(edition, after_deadline):
    staff = _staff()
    laureate = _project(edition, S.LAUREATE, rank=1)
    _deliberate(edition)
    first = _prepared(edition, staff)
    assert services.results_cancel(publication=first, by=staff) == 1
    assert Notification.objects.filter(kind__startswith="contests.result").count() == 0
    edition.refresh_from_db()
    assert edition.phase == "deliberation"
    services.submission_decide(submission=laureate, decision=S.LAUREATE, by=staff, rank=1, prize="Nouveau prix")
    second = _prepared(edition, staff)
    assert Notification.objects.get(batch=second.batch).dedup_key == f"contests.result:{laureate.pk}:{laureate.created_by_id}"
    assert "Nouveau prix" in Notification.objects.get(batch=second.batch).body_text
    assert list(ResultsPublication.objects.order_by("pk").values_list("status", flat=True)) == ["cancelled", "prepared"]


def test_release_refuses_when_a_project_changed_behind_the_preparation(edition, after_deadline):
    staff = _staff()
    laureate = _project(edition, S.LAUREATE, rank=1)
    _deliberate(edition)
    publication = _prepared(edition, staff)
    Submission.objects.filter(pk=laureate.pk).update(rank=2)  # a write that bypassed the services
    with pytest.raises(ValidationError):
        services.results_release(publication=publication, by=staff)
    assert Notification.objects.get(batch=publication.batch).state == "held"
    edition.refresh_from_db()
    assert edition.published_at is None


# --- Concurrency --------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are only guaranteed on PostgreSQL")
@pytest.mark.parametrize("locking", [False, True])
def test_two_staff_preparing_at_once_the_lock_makes_the_second_a_clean_refusal(locking):
    """Locks off, both read "nothing prepared" and the database's one-prepared constraint refuses the
    second with an IntegrityError (the race happens); locks on, the second waits and is told why."""
    edition = EditionFactory()
    with time_machine.travel(edition.closes_at + timedelta(days=1), tick=False):
        staff = [_staff(), _staff()]
        _project(edition, S.LAUREATE, rank=1)
        _deliberate(edition)
        themes = _all_themes_but(edition, 0)
        with race_test(locking=locking, pause=rendezvous(2), at="contests.publication_checked"):
            results, errors = run_together(
                lambda who: services.results_prepare(edition=edition, by=who, themes_without_laureate=themes),
                [(s,) for s in staff],
            )
    assert len(results) == 1
    assert [type(e) for e in errors] == [ValidationError if locking else IntegrityError]
    assert ResultsPublication.objects.filter(status="prepared").count() == 1
    assert Notification.objects.filter(kind="contests.result_laureate").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are only guaranteed on PostgreSQL")
def test_two_staff_preparing_and_releasing_at_once_publish_once():
    edition = EditionFactory()
    with time_machine.travel(edition.closes_at + timedelta(days=1), tick=False):
        staff = [_staff(), _staff()]
        _project(edition, S.LAUREATE, rank=1)
        _project(edition, S.UNDER_REVIEW)
        _deliberate(edition)
        themes = _all_themes_but(edition, 0)
        results, errors = run_together(
            lambda who: services.results_prepare(edition=edition, by=who, not_retained_for_remaining=True,
                                                 themes_without_laureate=themes),
            [(s,) for s in staff],
        )
        assert len(results) == 1 and [type(e) for e in errors] == [ValidationError]
        publication = results[0]
        results, errors = run_together(lambda who: services.results_release(publication=publication, by=who),
                                       [(s,) for s in staff])
        assert results == [2] and [type(e) for e in errors] == [ValidationError]
    assert Notification.objects.filter(kind__startswith="contests.result").count() == 2
    assert ResultsPublication.objects.get().status == "released"


# --- The pages ----------------------------------------------------------------------------------------------


def test_staff_prepare_read_and_release_through_the_pages(client, edition, after_deadline):
    staff = _staff()
    laureate = _project(edition, S.LAUREATE, rank=1, prize="Accompagnement")
    _project(edition, S.UNDER_REVIEW)
    _deliberate(edition)
    client.force_login(staff)
    url = reverse("contests:publication_prepare", args=[edition.slug])
    page = client.get(url).content.decode()
    assert "1 projet n’a pas de décision finale" in page
    theme_ids = [str(t) for t in _all_themes_but(edition, 0)]
    checked = client.post(url, {"action": "check", "not_retained_for_remaining": "on", "themes_without_laureate": theme_ids})
    assert checked.status_code == 200 and ResultsPublication.objects.count() == 0
    assert "2 e-mails seront envoyés" in checked.content.decode()
    response = client.post(url, {"action": "prepare", "not_retained_for_remaining": "on", "themes_without_laureate": theme_ids})
    publication = ResultsPublication.objects.get()
    assert response.url == reverse("contests:publication_detail", args=[edition.slug, publication.pk])
    detail = client.get(response.url).content.decode()
    held = Notification.objects.get(batch=publication.batch, user=laureate.created_by)
    assert held.subject in detail
    assert laureate.title in client.get(
        reverse("contests:publication_email", args=[edition.slug, publication.pk, held.pk])).content.decode()
    assert client.get(reverse("contests:publication_release", args=[edition.slug, publication.pk])).status_code == 405
    assert Notification.objects.get(pk=held.pk).state == "held"
    client.post(reverse("contests:publication_release", args=[edition.slug, publication.pk]))
    assert Notification.objects.get(pk=held.pk).state == "pending"
    notification_sweep()
    assert Notification.objects.get(pk=held.pk).state == "sent"
    # The confirmation page of a released publication is gone.
    assert client.get(reverse("contests:publication_detail", args=[edition.slug, publication.pk])).status_code == 404


def test_stale_or_foreign_publication_ids_are_404_and_change_nothing(client, edition, after_deadline):
    staff = _staff()
    _project(edition, S.LAUREATE, rank=1)
    _deliberate(edition)
    cancelled = _prepared(edition, staff)
    services.results_cancel(publication=cancelled, by=staff)
    other = EditionFactory()
    client.force_login(staff)
    for slug, pk in [(edition.slug, cancelled.pk), (other.slug, cancelled.pk), (edition.slug, 999_999)]:
        assert client.get(reverse("contests:publication_detail", args=[slug, pk])).status_code == 404
        assert client.post(reverse("contests:publication_release", args=[slug, pk])).status_code == 404
        assert client.post(reverse("contests:publication_cancel", args=[slug, pk])).status_code == 404
    edition.refresh_from_db()
    assert edition.published_at is None
    assert ResultsPublication.objects.get().status == "cancelled"


def test_staff_without_the_publish_permission_cannot_prepare(client, edition, after_deadline):
    _project(edition, S.LAUREATE, rank=1)
    _deliberate(edition)
    client.force_login(_staff(publish=False))
    assert client.get(reverse("contests:publication_prepare", args=[edition.slug])).status_code == 403
    assert client.post(reverse("contests:publication_prepare", args=[edition.slug]), {"action": "prepare"}).status_code == 403
    assert ResultsPublication.objects.count() == 0
