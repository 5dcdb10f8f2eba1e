from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from contests import services
from contests.models import (
    Assignment,
    Conflict,
    Criterion,
    Review,
    Submission,
    SubmissionStateChange,
    SubmissionVersion,
)
from contests.models import SubmissionState as S
from contests.selectors import edition_ranking, jury_assignments, review_score
from portal.models import Notification
from tests.contests.factories import CompanyFactory, EditionFactory, SubmissionFactory, assign, juror, member, publish
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader():
    return UserFactory()


@pytest.fixture
def draft(leader):
    sub = SubmissionFactory()
    member(sub.company, leader)
    sub.created_by = leader
    sub.save()
    return sub


def _after_deadline(edition):
    return time_machine.travel(edition.closes_at + timedelta(seconds=1), tick=False)


def _log(sub):
    return list(SubmissionStateChange.objects.filter(submission=sub).values_list("from_state", "to_state"))


def test_submit_moves_draft_to_submitted_logs_versions_and_sends_receipt(draft, leader):
    result = services.submission_submit(submission=draft, user=leader)
    assert result.state == S.SUBMITTED
    assert _log(draft) == [("draft", "submitted")]
    change = SubmissionStateChange.objects.get(submission=draft)
    assert change.by == leader
    assert SubmissionVersion.objects.filter(submission=draft).count() == 1
    receipt = Notification.objects.get(kind="contests.submission_received")
    assert receipt.user == leader
    assert draft.title in receipt.subject
    assert "LoRa" in receipt.body_text


def test_submit_by_a_stranger_is_refused(draft):
    with pytest.raises(PermissionDenied):
        services.submission_submit(submission=draft, user=UserFactory())


def test_submit_of_an_incomplete_draft_lists_missing_fields_and_keeps_the_draft(draft, leader):
    Submission.objects.filter(pk=draft.pk).update(business_model="")
    with pytest.raises(ValidationError) as exc:
        services.submission_submit(submission=draft, user=leader)
    assert exc.value.messages == ["Complétez ces champs avant de soumettre : modèle économique."]
    assert Submission.objects.get(pk=draft.pk).state == S.DRAFT


def test_submit_for_an_ineligible_company_is_refused(draft, leader):
    draft.company.headcount = 400
    draft.company.save()
    with pytest.raises(ValidationError):
        services.submission_submit(submission=draft, user=leader)
    assert Submission.objects.get(pk=draft.pk).state == S.DRAFT


def test_submit_is_refused_one_second_after_the_deadline_and_accepted_one_before(leader):
    early, late = SubmissionFactory(), None
    member(early.company, leader)
    late = SubmissionFactory(edition=early.edition, company=early.company)
    with time_machine.travel(early.edition.closes_at - timedelta(seconds=1), tick=False):
        assert services.submission_submit(submission=early, user=leader).state == S.SUBMITTED
    with time_machine.travel(early.edition.closes_at, tick=False):
        with pytest.raises(ValidationError):
            services.submission_submit(submission=late, user=leader)
    assert Submission.objects.get(pk=late.pk).state == S.DRAFT


def test_edit_after_submit_records_a_new_version_and_edit_after_deadline_is_refused(draft, leader):
    services.submission_submit(submission=draft, user=leader)
    services.submission_update(submission=draft, user=leader, pitch="Nouveau pitch")
    assert list(SubmissionVersion.objects.filter(submission=draft).values_list("number", "data__pitch")) == [
        (1, "Un capteur qui mesure tout."),
        (2, "Nouveau pitch"),
    ]
    with _after_deadline(draft.edition):
        with pytest.raises(ValidationError):
            services.submission_update(submission=draft, user=leader, pitch="Trop tard")
    assert Submission.objects.get(pk=draft.pk).pitch == "Nouveau pitch"


def test_duplicate_title_differing_only_by_case_is_refused(draft, leader):
    with pytest.raises(ValidationError) as exc:
        services.submission_create_draft(
            edition=draft.edition, company=draft.company, user=leader, title=draft.title.upper(), theme=draft.theme
        )
    assert exc.value.message_dict == {"title": ["Cette entreprise a déjà un projet portant ce titre dans cette édition."]}
    other = CompanyFactory()
    member(other, leader)
    same_title_other_company = services.submission_create_draft(
        edition=draft.edition, company=other, user=leader, title=draft.title, theme=draft.theme
    )
    assert same_title_other_company.pk is not None


def test_withdraw_from_draft_and_from_submitted(draft, leader):
    other = SubmissionFactory(edition=draft.edition, company=draft.company)
    services.submission_submit(submission=other, user=leader)
    assert services.submission_withdraw(submission=draft, user=leader).state == S.WITHDRAWN
    assert services.submission_withdraw(submission=other, user=leader).state == S.WITHDRAWN
    with pytest.raises(ValidationError):
        services.submission_transition(submission=draft, to_state=S.SUBMITTED, by=leader)


def test_sweep_moves_submitted_to_under_review_at_the_deadline_and_leaves_drafts(draft, leader):
    submitted = SubmissionFactory(edition=draft.edition, company=draft.company, created_by=leader)
    services.submission_submit(submission=submitted, user=leader)
    assert services.deadline_sweep(now=draft.edition.closes_at - timedelta(seconds=1)) == 0
    with _after_deadline(draft.edition):
        assert services.deadline_sweep() == 1
        assert services.deadline_sweep() == 0  # idempotent
    assert Submission.objects.get(pk=submitted.pk).state == S.UNDER_REVIEW
    assert Submission.objects.get(pk=draft.pk).state == S.DRAFT
    assert _log(submitted) == [("draft", "submitted"), ("submitted", "under_review")]


def test_under_review_before_the_deadline_is_refused(draft, leader):
    services.submission_submit(submission=draft, user=leader)
    with pytest.raises(ValidationError):
        services.submission_transition(submission=draft, to_state=S.UNDER_REVIEW)


def test_decisions_shortlist_laureate_not_retained_and_back(draft, leader):
    staff = UserFactory(is_staff=True)
    services.submission_submit(submission=draft, user=leader)
    with _after_deadline(draft.edition):
        services.deadline_sweep()
        assert services.submission_decide(submission=draft, decision=S.SHORTLISTED, by=staff).state == S.SHORTLISTED
        with pytest.raises(ValidationError):
            services.submission_decide(submission=draft, decision=S.LAUREATE, by=staff)  # no rank
        laureate = services.submission_decide(submission=draft, decision=S.LAUREATE, by=staff, rank=1, prize="Accompagnement")
        assert (laureate.state, laureate.rank, laureate.prize) == (S.LAUREATE, 1, "Accompagnement")
        back = services.submission_decide(submission=draft, decision=S.NOT_RETAINED, by=staff)
        assert (back.state, back.rank, back.prize) == (S.NOT_RETAINED, None, "")
        assert services.submission_decide(submission=draft, decision=S.SHORTLISTED, by=staff).state == S.SHORTLISTED
    assert _log(draft)[-4:] == [
        ("under_review", "shortlisted"), ("shortlisted", "laureate"), ("laureate", "not_retained"), ("not_retained", "shortlisted")
    ]


def test_decision_before_the_deadline_is_refused(draft, leader):
    with pytest.raises(ValidationError):
        services.submission_transition(submission=draft, to_state=S.SHORTLISTED)


def test_publish_notifies_every_submitter_and_freezes_decisions(draft, leader):
    staff = UserFactory(is_staff=True)
    other_leader = UserFactory()
    other = SubmissionFactory(edition=draft.edition, created_by=other_leader)
    member(other.company, other_leader)
    forgotten_draft = SubmissionFactory(edition=draft.edition, created_by=other_leader, company=other.company)
    services.submission_submit(submission=draft, user=leader)
    services.submission_submit(submission=other, user=other_leader)
    Submission.objects.filter(pk=other.pk).update(feedback="Marché trop étroit.")
    with _after_deadline(draft.edition):
        services.deadline_sweep()
        services.submission_decide(submission=draft, decision=S.LAUREATE, by=staff, rank=1, prize="Prix")
        assert _log(draft)[-2:] == [("under_review", "shortlisted"), ("shortlisted", "laureate")]
        assert publish(draft.edition, by=staff) == 2
        with pytest.raises(ValidationError):
            publish(draft.edition, by=staff)
        with pytest.raises(ValidationError):
            services.submission_decide(submission=other, decision=S.SHORTLISTED, by=staff)
    assert Submission.objects.get(pk=other.pk).state == S.NOT_RETAINED
    assert Submission.objects.get(pk=forgotten_draft.pk).state == S.DRAFT
    laureate_mail = Notification.objects.get(kind="contests.result_laureate")
    assert laureate_mail.user == leader
    not_retained = Notification.objects.get(kind="contests.result_not_retained")
    assert not_retained.user == other_leader
    assert "Marché trop étroit." in not_retained.body_text


def test_publish_without_feedback_when_the_edition_does_not_allow_it(draft, leader):
    draft.edition.feedback_to_submitters = False
    draft.edition.save()
    services.submission_submit(submission=draft, user=leader)
    Submission.objects.filter(pk=draft.pk).update(feedback="Confidentiel jury")
    with _after_deadline(draft.edition):
        publish(draft.edition)
    assert "Confidentiel jury" not in Notification.objects.get(kind="contests.result_not_retained").body_text


def test_draft_reminders_seven_days_and_one_day_before_once_each(draft):
    closes = draft.edition.closes_at
    assert services.draft_reminders_send(now=closes - timedelta(days=8)) == 0
    assert services.draft_reminders_send(now=closes - timedelta(days=7)) == 1
    assert services.draft_reminders_send(now=closes - timedelta(days=6)) == 0
    assert services.draft_reminders_send(now=closes - timedelta(hours=23)) == 1
    assert services.draft_reminders_send(now=closes - timedelta(hours=2)) == 0
    assert list(Notification.objects.filter(kind="contests.draft_reminder").order_by("pk").values_list("subject", flat=True)) == [
        "Votre brouillon n’est pas soumis : il reste 7 jours",
        "Votre brouillon n’est pas soumis : il reste 1 jour",
    ]


def test_a_draft_opened_three_days_before_the_deadline_is_told_three_days(draft):
    assert services.draft_reminders_send(now=draft.edition.closes_at - timedelta(days=2, hours=12)) == 1
    assert Notification.objects.get().subject == "Votre brouillon n’est pas soumis : il reste 3 jours"


def test_juror_invitation_is_sent_to_an_address_without_account_and_accepting_links_it(django_capture_on_commit_callbacks):
    edition = EditionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        j = services.juror_invite(edition=edition, email=" Expert@Example.org ", name="Expert")
    notification = Notification.objects.get(kind="contests.jury_invitation")
    assert notification.recipient_email == "expert@example.org"
    assert notification.user is None
    assert j.token in notification.body_text
    user = UserFactory(email="expert@example.org")  # the invited address, verified
    accepted = services.juror_accept(token=j.token, user=user)
    assert (accepted.user, accepted.accepted_at is not None) == (user, True)
    with pytest.raises(ValidationError):
        services.juror_accept(token=j.token, user=UserFactory())
    with pytest.raises(ValidationError):
        services.juror_accept(token="nope", user=user)
    assert [m.to for m in mail.outbox] == [["expert@example.org"]]


def test_conflicts_exclude_declared_and_linked_companies_everywhere(draft, leader):
    edition = draft.edition
    services.submission_submit(submission=draft, user=leader)
    linked = SubmissionFactory(edition=edition)
    clean = SubmissionFactory(edition=edition)
    for s in (linked, clean):
        m = member(s.company)
        services.submission_submit(submission=s, user=m)
    j = juror(edition)
    member(linked.company, j.user)  # the juror works for that company
    services.conflict_declare(juror=j, company=draft.company, reason="Actionnaire")
    with pytest.raises(ValidationError):
        services.assignment_create(juror=j, submission=draft)
    with pytest.raises(ValidationError):
        services.assignment_create(juror=j, submission=linked)
    # Even an assignment written behind the service's back is not shown.
    assign(j, draft)
    assign(j, clean)
    assert [a.submission for a in jury_assignments(j)] == [clean]
    services.assignments_auto_balance(edition=edition, per_submission=3)
    assert set(Assignment.objects.filter(juror=j).values_list("submission_id", flat=True)) == {draft.pk, clean.pk}
    services.conflict_declare(juror=j, company=draft.company)
    assert Conflict.objects.filter(juror=j).count() == 1
    assert list(Assignment.objects.filter(juror=j).values_list("submission_id", flat=True)) == [clean.pk]


def test_auto_assignment_is_balanced_per_theme_and_gives_n_jurors():
    edition = EditionFactory(jurors_per_submission=2)
    subs = [SubmissionFactory(edition=edition, state=S.SUBMITTED) for _ in range(6)]
    jurors = [juror(edition) for _ in range(4)]
    assert services.assignments_auto_balance(edition=edition) == 12
    assert services.assignments_auto_balance(edition=edition) == 0  # idempotent
    assert sorted(Assignment.objects.filter(juror__in=jurors).values_list("juror_id", flat=True).distinct().count() for _ in [0]) == [4]
    loads = sorted(len(Assignment.objects.filter(juror=j)) for j in jurors)
    assert loads == [3, 3, 3, 3]
    assert all(Assignment.objects.filter(submission=s).count() == 2 for s in subs)


def test_juror_restricted_to_a_theme_only_gets_that_theme():
    edition = EditionFactory(jurors_per_submission=1)
    t1, t2 = [et.theme for et in edition.edition_themes.all()[:2]]
    s1 = SubmissionFactory(edition=edition, theme=t1, state=S.SUBMITTED)
    s2 = SubmissionFactory(edition=edition, theme=t2, state=S.SUBMITTED)
    j1 = juror(edition)
    j1.themes.set([t1])
    j2 = juror(edition)
    j2.themes.set([t2])
    services.assignments_auto_balance(edition=edition)
    assert set(Assignment.objects.values_list("juror_id", "submission_id")) == {(j1.pk, s1.pk), (j2.pk, s2.pk)}


def _review(j, sub, values, submit=True):
    a = Assignment.objects.get_or_create(juror=j, submission=sub)[0]
    criteria = list(Criterion.objects.filter(edition=sub.edition).order_by("position"))
    return services.review_save(
        assignment=a, user=j.user, scores={c.pk: (v, "") for c, v in zip(criteria, values, strict=True)}, comment="", submit=submit
    )


def test_ranking_uses_weighted_means_review_count_and_spread():
    edition = EditionFactory()  # criteria weights 3, 2, 1
    theme = edition.edition_themes.first().theme
    a = SubmissionFactory(edition=edition, theme=theme, state=S.UNDER_REVIEW, title="A")
    b = SubmissionFactory(edition=edition, theme=theme, state=S.UNDER_REVIEW, title="B")
    SubmissionFactory(edition=edition, theme=theme, state=S.UNDER_REVIEW, title="C")
    j1, j2 = juror(edition), juror(edition)
    with _after_deadline(edition):
        _review(j1, a, [10, 4, 1])  # (30 + 8 + 1) / 6 = 6.5
        _review(j2, a, [6, 6, 6])  # 6.0
        _review(j1, b, [8, 8, 8])  # 8.0
        _review(j2, b, [5, 5, 5], submit=False)  # not submitted: does not count
    assert review_score([(3, 10), (2, 4), (1, 1)]) == 6.5
    rows = edition_ranking(edition)[0].rows
    assert [(r.submission.title, r.score, r.reviews, r.spread) for r in rows] == [
        ("B", 8.0, 1, 0.0),
        ("A", 6.25, 2, 0.5),
        ("C", None, 0, None),
    ]


def test_review_scores_are_bounded_and_complete_to_submit():
    edition = EditionFactory()
    sub = SubmissionFactory(edition=edition, state=S.UNDER_REVIEW)
    j = juror(edition)
    with _after_deadline(edition):
        with pytest.raises(ValidationError):
            _review(j, sub, [11, 5, 5])
        with pytest.raises(ValidationError):
            _review(j, sub, [5, None, 5])
        draft_review = _review(j, sub, [5, None, 5], submit=False)
    assert draft_review.submitted_at is None
    assert Review.objects.get().scores.count() == 2


def test_review_by_another_person_or_before_the_deadline_is_refused():
    edition = EditionFactory()
    sub = SubmissionFactory(edition=edition, state=S.SUBMITTED)
    j = juror(edition)
    a = assign(j, sub)
    with pytest.raises(ValidationError):
        services.review_save(assignment=a, user=j.user, scores={}, comment="", submit=False)
    with _after_deadline(edition):
        with pytest.raises(PermissionDenied):
            services.review_save(assignment=a, user=UserFactory(), scores={}, comment="", submit=False)


def test_deliberation_and_archive_follow_the_phases():
    edition = EditionFactory()
    staff = UserFactory(is_staff=True)
    with pytest.raises(ValidationError):
        services.edition_start_deliberation(edition=edition, by=staff)
    with _after_deadline(edition):
        assert services.edition_start_deliberation(edition=edition, by=staff).phase == "deliberation"
        with pytest.raises(ValidationError):
            services.edition_archive(edition=edition, by=staff)
        publish(edition, by=staff)
        edition.refresh_from_db()
        assert edition.phase == "published"
        assert services.edition_archive(edition=edition, by=staff).phase == "archived"


def test_phase_is_derived_from_dates():
    edition = EditionFactory()
    assert edition.phase_at(edition.opens_at - timedelta(seconds=1)) == "upcoming"
    assert edition.phase_at(edition.opens_at) == "open"
    assert edition.phase_at(edition.closes_at - timedelta(seconds=1)) == "open"
    assert edition.phase_at(edition.closes_at) == "reviewing"
    assert timezone.is_aware(edition.closes_at)


def test_publish_tells_the_colleagues_when_the_submitter_account_is_gone(draft, leader):
    colleague = member(draft.company)
    services.submission_submit(submission=draft, user=leader)
    Submission.objects.filter(pk=draft.pk).update(created_by=None)
    with _after_deadline(draft.edition):
        assert publish(draft.edition) == 2
    assert set(Notification.objects.filter(kind="contests.result_not_retained").values_list("user", flat=True)) == {
        leader.pk, colleague.pk
    }


def test_receipt_is_written_in_the_submitters_language(draft, leader):
    leader.language = "en"
    leader.save()
    services.submission_submit(submission=draft, user=leader)
    receipt = Notification.objects.get(kind="contests.submission_received")
    assert receipt.subject == f"Receipt: your project “{draft.title}” is submitted"
    assert "Summary of what you submitted" in receipt.body_text
    assert receipt.link == f"/en/contests/projects/{draft.pk}/"


def test_emails_are_plain_text_not_html_escaped(leader):
    sub = SubmissionFactory(title="Station d'air & eau", company__legal_name="Dupont & Fils", created_by=leader)
    member(sub.company, leader)
    services.submission_submit(submission=sub, user=leader)
    receipt = Notification.objects.get(kind="contests.submission_received")
    assert receipt.subject == "Accusé de réception : votre projet « Station d'air & eau » est soumis"
    assert "- Entreprise : Dupont & Fils\n" in receipt.body_text
    assert "&amp;" not in receipt.body_text
    assert "&#x27;" not in receipt.body_text


def test_a_submitted_project_cannot_be_emptied_of_a_required_field(draft, leader):
    services.submission_submit(submission=draft, user=leader)
    with pytest.raises(ValidationError) as exc:
        services.submission_update(submission=draft, user=leader, business_model="")
    assert exc.value.messages == ["Un projet soumis garde ces champs remplis : modèle économique."]
    kept = Submission.objects.get(pk=draft.pk)
    assert (kept.business_model, kept.versions.count()) == ("Abonnement", 1)
