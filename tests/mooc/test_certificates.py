import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse

from mooc import services
from mooc.models import Certificate, QuizAttempt
from portal import personal_data
from portal.locking import race_test
from portal.models import Notification
from tests.concurrency import rendezvous, run_together
from tests.factories import UserFactory
from tests.mooc.factories import course_with_lessons, single_choice_question
from tests.mooc.test_grading import _post

CODE_RE = re.compile(r"^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{12}$")


def _passed_enrollment(user=None):
    course, run, module, lessons, quiz = course_with_lessons(text_lessons=1)
    question, good, bad = single_choice_question(quiz)
    user = user or UserFactory(first_name="Camille", last_name="Martin")
    enrollment = services.enrollment_create(user=user, run=run)
    return enrollment, quiz, question, good, bad


@pytest.mark.django_db
def test_passing_the_course_issues_a_certificate_with_a_name_snapshot():
    enrollment, quiz, question, good, _ = _passed_enrollment()
    outcome = services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": good.pk}))
    certificate = outcome.certificate
    assert certificate is not None
    assert CODE_RE.match(certificate.code)
    assert (certificate.learner_name, certificate.grade) == ("Camille Martin", Decimal("100.00"))
    user = enrollment.user
    user.first_name = "Autre"
    user.save()
    certificate.refresh_from_db()
    assert certificate.learner_name == "Camille Martin"
    assert Notification.objects.filter(kind="mooc.certificate_issued", user=user).count() == 1


@pytest.mark.django_db
def test_no_certificate_below_the_pass_mark():
    enrollment, quiz, question, _, bad = _passed_enrollment()
    outcome = services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": bad.pk}))
    assert outcome.certificate is None
    with pytest.raises(services.MoocError):
        services.certificate_issue(enrollment=enrollment)
    assert Certificate.objects.count() == 0


@pytest.mark.django_db
def test_requesting_the_certificate_twice_returns_the_same_one():
    enrollment, quiz, question, good, _ = _passed_enrollment()
    services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": good.pk}))
    first = services.certificate_issue(enrollment=enrollment)
    second = services.certificate_issue(enrollment=enrollment)
    assert first.pk == second.pk
    assert Certificate.objects.count() == 1
    assert Notification.objects.filter(kind="mooc.certificate_issued").count() == 1


def test_codes_have_sixty_random_bits_of_crockford_base32():
    codes = {services.certificate_code_generate() for _ in range(200)}
    assert len(codes) == 200
    assert all(CODE_RE.match(code) for code in codes)
    assert len(services.CROCKFORD_ALPHABET) ** services.CODE_LENGTH == 2**60


# --- The race: two requests for the same certificate at once (PostgreSQL) --------------------

def _race(enrollment, *, locking: bool):
    """Two threads ask for the certificate at the same moment; returns (certificates, errors)."""
    # Without locking both threads get past "does it exist?" before either inserts.
    with race_test(locking=locking, pause=None if locking else rendezvous(2), at="mooc.certificate_checked"):
        return run_together(lambda: services.certificate_issue(enrollment=enrollment).pk, [()] * 2)


def _skip_unless_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only guaranteed on PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_without_locking_two_simultaneous_requests_collide():
    _skip_unless_postgres()
    enrollment, quiz, question, good, _ = _passed_enrollment()
    from mooc.models import QuizAttempt

    QuizAttempt.objects.create(enrollment=enrollment, quiz=quiz, number=1, score=Decimal("100"), passed=True)
    results, errors = _race(enrollment, locking=False)
    # The race happens: both passed the check; the unique constraint refused the second insert.
    assert len(results) == 1
    assert [type(e) for e in errors] == [IntegrityError]
    assert Certificate.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_with_locking_two_simultaneous_requests_get_one_certificate():
    _skip_unless_postgres()
    enrollment, quiz, question, good, _ = _passed_enrollment()
    from mooc.models import QuizAttempt

    QuizAttempt.objects.create(enrollment=enrollment, quiz=quiz, number=1, score=Decimal("100"), passed=True)
    results, errors = _race(enrollment, locking=True)
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert Certificate.objects.count() == 1
    assert Notification.objects.filter(kind="mooc.certificate_issued").count() == 1


# --- Verification page -----------------------------------------------------------------------

@pytest.fixture
def certificate(db):
    enrollment, quiz, question, good, _ = _passed_enrollment()
    return services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": good.pk})).certificate


def test_verification_page_confirms_name_course_and_date_only(client, certificate):
    response = client.get(f"/mooc/certificates/{certificate.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce certificat est valide." in html
    assert "Camille Martin" in html
    assert certificate.run.course.title in html
    assert certificate.user.email not in html
    assert "100" not in html.split("<main", 1)[1].split("</main>")[0]  # no grade on the public page


def test_verification_page_exists_in_english_and_the_french_one_links_to_it(client, certificate):
    english = client.get(f"/en/mooc/certificates/{certificate.code}/")
    assert english.status_code == 200
    html = english.content.decode()
    assert '<html lang="en">' in html and "This certificate is valid." in html
    french = client.get(f"/mooc/certificates/{certificate.code}/").content.decode()
    assert f'href="/en/mooc/certificates/{certificate.code}/"' in french
    # the printed QR code's address is outside the prefix and follows the visitor's language
    negotiated = client.get(f"/mooc/certificates/{certificate.code}/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="en">' in negotiated.content.decode()


def test_verification_accepts_lowercase_and_ambiguous_letters(client, certificate):
    response = client.get(f"/mooc/certificates/{certificate.code.lower()}/")
    assert response.status_code == 200


def test_verification_page_says_when_a_certificate_is_revoked(client, certificate):
    services.certificate_revoke(certificate=certificate, reason="Fraude")
    html = client.get(f"/mooc/certificates/{certificate.code}/").content.decode()
    assert "Ce certificat a été révoqué par l'Université du numérique." in html
    assert "Ce certificat est valide." not in html


def test_after_account_deletion_the_page_keeps_course_and_date_without_the_name(client, certificate):
    user = certificate.user
    personal_data.user_account_delete(user)
    certificate.refresh_from_db()
    assert (certificate.user_id, certificate.learner_name) == (None, "")
    from mooc.models import Enrollment, QuizAttempt

    assert (Enrollment.objects.count(), QuizAttempt.objects.count()) == (0, 0)
    assert not Certificate.history.filter(learner_name="Camille Martin").exists()
    html = client.get(f"/mooc/certificates/{certificate.code}/").content.decode()
    assert "Camille Martin" not in html
    assert certificate.run.course.title in html
    assert "Retiré à la demande du titulaire" in html


def test_unknown_code_is_a_404_with_a_message(client, db):
    response = client.get("/mooc/certificates/ZZZZZZZZZZZZ/")
    assert response.status_code == 404
    assert "Aucun certificat" in response.content.decode()


@pytest.mark.parametrize("code", ["%00", "AB%00CD", "%C3%A9t%C3%A9", "%2A%25", "A" * 300])
def test_malformed_codes_are_a_404_not_a_500(client, db, code):
    response = client.get(f"/mooc/certificates/{code}/")
    assert response.status_code == 404
    assert "Aucun certificat" in response.content.decode()


def test_verification_is_rate_limited_per_ip(client, db, settings):
    from mooc import views

    statuses = [client.get("/mooc/certificates/ZZZZZZZZZZZZ/").status_code for _ in range(views.VERIFY_LIMIT_PER_MINUTE + 1)]
    assert statuses == [404] * views.VERIFY_LIMIT_PER_MINUTE + [429]
    response = client.get("/mooc/certificates/ZZZZZZZZZZZZ/")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Trop de vérifications" in response.content.decode()


def test_certificate_pdf_is_for_its_holder_only(client, certificate):
    url = reverse("mooc:certificate_pdf", args=[certificate.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(certificate.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="certificate-{certificate.code}.pdf"'


def test_personal_data_export_lists_enrollments_and_certificates(certificate):
    data = personal_data.user_data_export(certificate.user)["mooc"]
    assert [c["code"] for c in data["certificates"]] == [certificate.code]
    assert len(data["enrollments"]) == 1
    assert data["enrollments"][0]["quiz_attempts"][0]["passed"] is True


def test_personal_data_export_includes_the_answers_given_and_the_last_activity(certificate):
    data = personal_data.user_data_export(certificate.user)["mooc"]
    enrollment = data["enrollments"][0]
    attempt = enrollment["quiz_attempts"][0]
    stored = QuizAttempt.objects.get(enrollment__user=certificate.user)
    assert attempt["answers"] == stored.answers
    assert enrollment["last_activity_at"] is not None
    assert enrollment["last_lesson"] == stored.quiz.lesson.title


def _attempt_race(enrollment, quiz, data, *, locking: bool):
    """Two submissions of the last allowed attempt at the same moment."""
    # Without locking both threads count the attempts before either records one.
    with race_test(locking=locking, pause=None if locking else rendezvous(2), at="mooc.attempts_counted"):
        return run_together(lambda: services.quiz_submit(enrollment=enrollment, quiz=quiz, data=data).attempt.number, [()] * 2)


@pytest.mark.django_db(transaction=True)
def test_without_locking_two_simultaneous_submissions_collide_on_the_attempt_number():
    _skip_unless_postgres()
    enrollment, quiz, question, good, bad = _passed_enrollment()
    quiz.max_attempts = 1
    quiz.save()
    outcomes, errors = _attempt_race(enrollment, quiz, _post(**{f"q{question.pk}": bad.pk}), locking=False)
    # The race happens: both counted no attempt yet; only the unique constraint stops the second.
    assert outcomes == [1]
    assert [type(e) for e in errors] == [IntegrityError]
    assert QuizAttempt.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_cannot_exceed_the_attempt_limit():
    _skip_unless_postgres()
    from mooc.models import QuizAttempt

    enrollment, quiz, question, good, bad = _passed_enrollment()
    quiz.max_attempts = 1
    quiz.save()
    outcomes, errors = _attempt_race(enrollment, quiz, _post(**{f"q{question.pk}": bad.pk}), locking=True)
    assert outcomes == [1]
    assert [str(e) for e in errors] == ["Vous avez utilisé toutes les tentatives autorisées pour ce quiz."]
    assert QuizAttempt.objects.count() == 1


@pytest.mark.django_db
def test_pdf_prints_names_beyond_latin_1_with_an_embedded_font():
    from mooc.pdf import certificate_pdf

    enrollment, quiz, question, good, _ = _passed_enrollment(UserFactory(first_name="Łucja", last_name="Ștefănescu"))
    certificate = services.quiz_submit(enrollment=enrollment, quiz=quiz, data=_post(**{f"q{question.pk}": good.pk})).certificate
    assert certificate.learner_name == "Łucja Ștefănescu"
    data = certificate_pdf(certificate=certificate, partners=[], verification_url="https://portal.example.org/mooc/certificates/X/")
    assert data.startswith(b"%PDF") and b"/FontFile2" in data  # a TrueType font is embedded


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_first_enrollments_make_one_active_row_and_one_confirmation():
    _skip_unless_postgres()
    from mooc.models import Enrollment

    course, run, *_ = course_with_lessons()
    user = UserFactory()
    ids, errors = run_together(lambda: services.enrollment_create(user=user, run=run).pk, [()] * 2)
    assert errors == []
    assert len(ids) == 2 and ids[0] == ids[1]
    assert Enrollment.objects.filter(user=user, run=run).count() == 1
    assert Notification.objects.filter(kind="mooc.enrollment_confirmed", user=user).count() == 1
