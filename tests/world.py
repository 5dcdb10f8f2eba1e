"""One small portal with a person in every role, for the tests that walk every URL or form
(tests/test_permission_matrix.py, tests/test_fuzz.py). Uploads go to MEDIA_ROOT: point it at a
temporary folder first.

Roles: a participant (a confirmed place on a trip, a passed course with its certificate, a
notification); an SME leader (a company, a draft and a submitted project with a pitch deck,
an invitation sent); a juror assigned to that project in an edition under review; staff with
no permission; a curator (the "Programme curators" group); a superuser.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contests import services as contest_services
from contests.models import SubmissionState
from expeditions import services as expedition_services
from expeditions.models import Expedition
from mooc import services as mooc_services
from mooc.models import LessonKind
from organisations.models import Invitation
from portal import credential_keys
from portal.models import Notification
from portal.notifications.services import unsubscribe_token
from portal.seeding import CURATORS_GROUP, curators_group_sync
from tests.contests.factories import CompanyFactory, EditionFactory, SubmissionFactory, assign, juror, member
from tests.contests.test_uploads import PDF
from tests.diagnostic.factories import completed_response
from tests.expeditions.factories import ExpeditionFactory, participant
from tests.factories import UserFactory
from tests.measures.factories import measure
from tests.mooc.factories import (
    CourseFactory,
    CourseRunFactory,
    LessonFactory,
    course_with_lessons,
    single_choice_question,
)
from tests.mooc.test_grading import _post


def build_world():
    """(people by role, values for URL arguments): see the module's docstring."""
    now = timezone.now()
    people = {
        "participant": participant(),
        "sme_leader": UserFactory(),
        "juror": UserFactory(),
        "staff_no_perm": UserFactory(is_staff=True),
        "curator": UserFactory(is_staff=True),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    curators_group_sync(lambda _m: None)
    people["curator"].groups.add(Group.objects.get(name=CURATORS_GROUP))
    you = people["participant"]
    # Expeditions: the participant holds a confirmed place; a draft trip nobody outside curation sees.
    trip = ExpeditionFactory()
    registration = expedition_services.registration_create(expedition_id=trip.pk, user=you, passport_name="Durand Camille")
    draft_trip = ExpeditionFactory(status=Expedition.Status.DRAFT)
    # Billing: a paid trip, the participant's confirmed place on it, hence an invoice.
    paid_trip = ExpeditionFactory(price_cents=190000)
    paid_registration = expedition_services.registration_create(
        expedition_id=paid_trip.pk, user=you, passport_name="Durand Camille", billing_organisation="PME Exemple SAS",
        billing_address="1 rue de la Paix\n75002 Paris")
    invoice = paid_registration.invoice_link.document
    feed = expedition_services.calendar_feed_for(user=you)
    # Contest: an edition under review; the SME leader's draft and submitted project (with a deck), assigned to the juror.
    edition = EditionFactory()
    company = CompanyFactory()
    member(company, people["sme_leader"])
    draft = SubmissionFactory(edition=edition, company=company, created_by=people["sme_leader"], title="Brouillon")
    project = SubmissionFactory(edition=edition, company=company, created_by=people["sme_leader"])
    attachment = contest_services.attachment_add(
        submission=project, user=people["sme_leader"], kind="deck", upload=SimpleUploadedFile("d.pdf", PDF)
    )
    contest_services.submission_submit(submission=project, user=people["sme_leader"])
    invitation = contest_services.company_invitation_create(company=company, user=people["sme_leader"], email="colleague@example.org")
    # Expeditions: the SME leader registers a colleague on the trip, as contact of the company (an organisation).
    group = expedition_services.group_register(
        expedition_id=trip.pk, contact=people["sme_leader"], organisation_id=company.pk,
        colleagues=[expedition_services.Colleague(name="Claude Martin", email="colleague.trip@example.org")],
    )
    group_place = group.registrations.get()
    edition.closes_at = now - timedelta(minutes=1)
    edition.review_deadline = now + timedelta(days=10)
    edition.save()
    contest_services.submission_transition(submission=project, to_state=SubmissionState.UNDER_REVIEW)
    assign(juror(edition, people["juror"]), project)
    pending_juror = contest_services.juror_invite(edition=edition, email="someone.else@example.org")
    # MOOC: the participant passed a published course (certificate); a draft course.
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=1)
    question, good, _bad = single_choice_question(quiz)
    enrollment = mooc_services.enrollment_create(user=you, run=run)
    certificate = mooc_services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": good.pk})).certificate
    resource = LessonFactory(module=module, position=5, kind=LessonKind.RESOURCE)
    resource.resource_file = SimpleUploadedFile("fiche.pdf", PDF)
    resource.save()
    draft_course = CourseFactory(is_published=False)
    CourseRunFactory(course=draft_course)
    notification = Notification.objects.create(kind="test", user=you, recipient_email=you.email, subject="Bonjour")
    # Contest: another edition in deliberation, its results prepared (one e-mail held) and not released.
    deliberating = EditionFactory(opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=30))
    laureate = SubmissionFactory(edition=deliberating, company=company, created_by=people["sme_leader"], title="Lauréat",
                                 state=SubmissionState.LAUREATE, rank=1)
    contest_services.edition_start_deliberation(edition=deliberating, by=None)
    publication = contest_services.results_prepare(
        edition=deliberating, by=None,
        themes_without_laureate=set(deliberating.edition_themes.exclude(theme=laureate.theme).values_list("theme_id", flat=True)),
    )
    held = Notification.objects.get(batch=publication.batch)
    # Diagnostic: the SME leader's result; the published questionnaire version.
    result = completed_response(user=people["sme_leader"])
    values = {
        "notification": notification.pk, "unsubscribe_token": unsubscribe_token(user=you, kind="measures.digest"),
        "registration": registration.pk, "trip": trip.slug, "draft_trip": draft_trip.slug, "feed_token": feed.token,
        "company": company.pk, "company_invitation": invitation.pk, "company_invitation_token": invitation.token,
        "draft": draft.pk, "project": project.pk, "attachment": attachment.pk, "jury_token": pending_juror.token,
        "edition": edition.slug, "assign_action": "assign",
        "enrollment": enrollment.pk, "certificate": certificate.pk, "certificate_code": certificate.code,
        "draft_course_pk": draft_course.pk, "draft_course": draft_course.slug, "course": course.slug, "run": run.pk,
        "lesson": lessons[0].pk, "quiz_lesson": quiz.lesson_id, "resource_lesson": resource.pk, "measure": measure(1).number,
        "quiz_question": question.pk, "quiz_choice": good.pk, "theme": project.theme_id, "region": company.region_id,
        "deliberating": deliberating.slug, "publication": publication.pk, "held_email": held.pk,
        "paid_trip": paid_trip.slug, "billing_document": invoice.pk,
        "group": group.pk, "group_place": group_place.pk, "group_token": group_place.group_token,
        "result": result.public_id, "version": result.version_id, "step": 0, "quarter": "2020-Q1",
        "status_list": 1, "key_thumbprint": credential_keys.current_key().thumbprint,
        "dataset": "measures",
    }
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    return people, values
