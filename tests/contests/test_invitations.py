"""Inviting a colleague to act for a company: invite, accept or decline as the invited address, revoke."""

from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from contests import rules, services
from contests.models import Assignment, Conflict, SubmissionState
from contests.selectors import jury_assignments
from organisations.models import Invitation, Membership
from portal import personal_data
from portal.models import Notification
from tests.contests.factories import CompanyFactory, EditionFactory, SubmissionFactory, assign, juror, member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return CompanyFactory()


@pytest.fixture
def leader(company):
    return member(company)


def invite(company, leader, email="collegue@example.org") -> Invitation:
    return services.company_invitation_create(company=company, user=leader, email=email)


def members_of(company) -> set:
    return set(Membership.objects.filter(organisation=company).values_list("user_id", flat=True))


# --- Services -----------------------------------------------------------------------------------


def test_invite_writes_an_open_invitation_and_queues_the_e_mail_with_the_secret_link(company, leader):
    invitation = invite(company, leader, " Collegue@Example.org ")
    assert (invitation.email, invitation.invited_by, invitation.status) == ("collegue@example.org", leader, "pending")
    assert invitation.expires_at == invitation.created_at + timedelta(days=14)
    row = Notification.objects.get()
    assert (row.kind, row.recipient_email, row.user) == ("contests.company_invitation", "collegue@example.org", None)
    assert row.link == reverse("contests:invitation", args=[invitation.token])
    assert invitation.token in row.body_text
    assert company.legal_name in row.subject
    assert members_of(company) == {leader.pk}  # nobody joins before accepting


def test_invite_of_an_address_with_an_account_is_answered_the_same_and_adds_nobody(company, leader):
    existing = UserFactory(email="deja@example.org")
    invitation = invite(company, leader, "deja@example.org")
    assert (invitation.status, members_of(company)) == ("pending", {leader.pk})
    assert Notification.objects.get().user == existing  # also in the person's inbox


def test_a_non_member_cannot_invite(company, leader):
    with pytest.raises(PermissionDenied):
        services.company_invitation_create(company=company, user=UserFactory(), email="x@example.org")
    other = CompanyFactory()
    with pytest.raises(PermissionDenied):
        services.company_invitation_create(company=other, user=leader, email="x@example.org")
    assert Invitation.objects.count() == 0


def test_accept_with_the_invited_verified_address_makes_a_team_member(company, leader):
    invitation = invite(company, leader)
    colleague = UserFactory(email="collegue@example.org")
    membership = services.company_invitation_accept(token=invitation.token, user=colleague)
    assert (membership.organisation, membership.user, membership.role) == (company, colleague, Membership.Role.MEMBER)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.accepted_by) == ("accepted", colleague)
    # The existing rules then let the colleague see and edit the company's projects.
    sub = SubmissionFactory(company=company)
    assert rules.can_edit_submission(colleague, sub) is True
    # Accepting twice is harmless.
    services.company_invitation_accept(token=invitation.token, user=colleague)
    assert Membership.objects.filter(organisation=company, user=colleague).count() == 1


def test_a_used_link_does_not_bring_back_someone_who_has_left(client, company, leader):
    invitation = invite(company, leader)
    colleague = UserFactory(email="collegue@example.org")
    services.company_invitation_accept(token=invitation.token, user=colleague)
    Membership.objects.filter(organisation=company, user=colleague).delete()  # left, or removed by the company
    with pytest.raises(ValidationError) as exc:
        services.company_invitation_accept(token=invitation.token, user=colleague)
    assert exc.value.messages == ["Ce lien d’invitation a déjà été utilisé : demandez-en un nouveau à votre collègue."]
    # Not through the page either, even long after the expiry.
    with time_machine.travel(invitation.expires_at + timedelta(days=365)):
        client.force_login(colleague)
        response = client.post(reverse("contests:invitation", args=[invitation.token]), {"action": "accept"})
    assert response.status_code == 400
    assert members_of(company) == {leader.pk}


def test_accept_with_another_account_is_refused(company, leader):
    invitation = invite(company, leader)
    intruder = UserFactory()
    with pytest.raises(ValidationError) as exc:
        services.company_invitation_accept(token=invitation.token, user=intruder)
    assert exc.value.messages == [
        "Cette invitation a été envoyée à une autre adresse. Connectez-vous avec le compte qui l’utilise "
        "(son adresse doit être confirmée)."
    ]
    assert (members_of(company), Invitation.objects.get().status) == ({leader.pk}, "pending")


def test_accept_with_the_invited_address_not_verified_is_refused(company, leader):
    invitation = invite(company, leader)
    colleague = UserFactory(email="collegue@example.org")
    EmailAddress.objects.filter(user=colleague).update(verified=False)
    with pytest.raises(ValidationError):
        services.company_invitation_accept(token=invitation.token, user=colleague)
    # A secondary address, verified, is the person's too.
    second = UserFactory()
    EmailAddress.objects.create(user=second, email="collegue@example.org", verified=True)
    EmailAddress.objects.filter(user=colleague).delete()
    services.company_invitation_accept(token=invitation.token, user=second)
    assert members_of(company) == {leader.pk, second.pk}


def test_an_expired_invitation_cannot_be_accepted(company, leader):
    invitation = invite(company, leader)
    colleague = UserFactory(email="collegue@example.org")
    with time_machine.travel(invitation.expires_at, tick=False), pytest.raises(ValidationError) as exc:
        services.company_invitation_accept(token=invitation.token, user=colleague)
    assert exc.value.messages == ["Cette invitation a expiré : demandez-en une nouvelle à votre collègue."]
    with time_machine.travel(invitation.expires_at - timedelta(seconds=1), tick=False):
        services.company_invitation_accept(token=invitation.token, user=colleague)
    assert colleague.pk in members_of(company)


def test_a_revoked_invitation_cannot_be_accepted_nor_declined(company, leader):
    invitation = invite(company, leader)
    colleague = UserFactory(email="collegue@example.org")
    services.company_invitation_revoke(invitation=invitation, user=leader)
    for answer in (services.company_invitation_accept, services.company_invitation_decline):
        with pytest.raises(ValidationError) as exc:
            answer(token=invitation.token, user=colleague)
        assert exc.value.messages == ["Cette invitation a été retirée."]
    assert members_of(company) == {leader.pk}


def test_only_a_member_revokes_and_an_answered_invitation_stays_answered(company, leader):
    invitation = invite(company, leader)
    with pytest.raises(PermissionDenied):
        services.company_invitation_revoke(invitation=invitation, user=UserFactory())
    colleague = UserFactory(email="collegue@example.org")
    services.company_invitation_accept(token=invitation.token, user=colleague)
    with pytest.raises(ValidationError):
        services.company_invitation_revoke(invitation=invitation, user=leader)
    assert Invitation.objects.get().status == "accepted"


def test_decline_closes_the_invitation_and_adds_nobody(company, leader):
    invitation = invite(company, leader)
    colleague = UserFactory(email="collegue@example.org")
    with pytest.raises(ValidationError):
        services.company_invitation_decline(token=invitation.token, user=UserFactory())
    services.company_invitation_decline(token=invitation.token, user=colleague)
    assert Invitation.objects.get().status == "declined"
    with pytest.raises(ValidationError):
        services.company_invitation_accept(token=invitation.token, user=colleague)
    assert members_of(company) == {leader.pk}
    # Declined: the address may be invited again.
    assert invite(company, leader).status == "pending"


def test_inviting_the_same_address_twice_is_refused_while_open_and_renews_an_expired_one(company, leader):
    first = invite(company, leader)
    with pytest.raises(ValidationError) as exc:
        invite(company, leader, "COLLEGUE@example.org")
    assert exc.value.message_dict == {
        "email": ["Cette adresse a déjà été invitée : retirez cette invitation pour en envoyer une nouvelle."]
    }
    assert Invitation.objects.count() == 1
    with time_machine.travel(first.expires_at + timedelta(days=1)):
        renewed = invite(company, leader)
    assert (renewed.pk, renewed.status) == (first.pk, "pending")
    assert renewed.token != first.token
    colleague = UserFactory(email="collegue@example.org")
    with pytest.raises(ValidationError):
        services.company_invitation_accept(token=first.token, user=colleague)  # the old link is dead
    services.company_invitation_accept(token=renewed.token, user=colleague)
    with pytest.raises(ValidationError) as exc:
        invite(company, leader)
    assert exc.value.message_dict == {"email": ["Cette personne agit déjà pour l’organisation."]}


def test_a_company_has_at_most_ten_open_invitations(company, leader):
    for i in range(10):
        invite(company, leader, f"c{i}@example.org")
    with pytest.raises(ValidationError):
        invite(company, leader, "c10@example.org")
    services.company_invitation_revoke(invitation=Invitation.objects.first(), user=leader)
    assert invite(company, leader, "c10@example.org").status == "pending"


def test_revoke_and_invite_again_cannot_be_used_to_send_invitations_in_bulk(company, leader):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for i in range(20):
            services.company_invitation_revoke(invitation=invite(company, leader, f"c{i}@example.org"), user=leader)
        with pytest.raises(ValidationError) as exc:
            invite(company, leader, "c20@example.org")
    assert exc.value.messages == [
        "Votre organisation a envoyé 20 invitations ces dernières 24 heures, le maximum permis : réessayez demain."
    ]
    assert Invitation.objects.count() == 20
    with time_machine.travel(start + timedelta(hours=24, seconds=1), tick=False):
        assert invite(company, leader, "c20@example.org").status == "pending"


def test_an_address_whose_invitation_was_revoked_waits_a_day(company, leader):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.company_invitation_revoke(invitation=invite(company, leader), user=leader)
    with time_machine.travel(start + timedelta(hours=23, minutes=59), tick=False), pytest.raises(ValidationError) as exc:
        invite(company, leader, "COLLEGUE@example.org")
    assert exc.value.message_dict == {
        "email": ["Une invitation à cette adresse a été retirée il y a moins de 24 heures : vous pourrez l’inviter de nouveau ensuite."]
    }
    with time_machine.travel(start + timedelta(hours=24, seconds=1), tick=False):
        assert invite(company, leader).status == "pending"
    assert Invitation.objects.count() == 2


def test_an_address_longer_than_the_column_is_a_message_not_a_500(client, company, leader):
    long_address = "a" * 60 + "@" + ("b" * 60 + ".") * 4 + "org"  # valid, 308 characters
    with pytest.raises(ValidationError) as exc:
        invite(company, leader, long_address)
    assert exc.value.message_dict == {"email": ["Une adresse électronique compte au plus 254 caractères."]}
    client.force_login(leader)
    response = client.post(reverse("contests:company_invite", args=[company.pk]), {"email": long_address})
    assert response.status_code == 400
    assert response.context["invitation_form"].errors["email"] == [
        "Assurez-vous que cette valeur comporte au plus 254 caractères (actuellement 308)."
    ]
    assert Invitation.objects.count() == 0


def test_an_unknown_token_is_refused(leader):
    with pytest.raises(ValidationError) as exc:
        services.company_invitation_accept(token="x" * 43, user=leader)
    assert exc.value.messages == ["Ce lien d’invitation n’est pas valide."]


# --- Jury conflicts: joining a company cannot be used against the jury ----------------------------


def test_a_juror_who_joins_a_company_gets_a_lasting_conflict_with_it(company, leader):
    edition = EditionFactory()
    sub = SubmissionFactory(edition=edition, company=company, state=SubmissionState.SUBMITTED)
    other = SubmissionFactory(edition=edition, state=SubmissionState.SUBMITTED)
    j = juror(edition)
    assign(j, sub)
    assign(j, other)
    # The invitation alone changes nothing for the jury.
    invitation = invite(company, leader, j.user.email)
    assert [a.submission for a in jury_assignments(j)] == sorted([sub, other], key=lambda s: s.title)
    services.company_invitation_accept(token=invitation.token, user=j.user)
    assert list(Assignment.objects.filter(juror=j).values_list("submission_id", flat=True)) == [other.pk]
    assert list(Conflict.objects.filter(juror=j).values_list("company_id", "via_project")) == [(company.pk, False)]
    # Leaving the company later does not make the conflict vanish.
    Membership.objects.filter(user=j.user).delete()
    assert rules.is_conflicted(j, company.pk) is True
    with pytest.raises(ValidationError):
        services.assignment_create(juror=j, submission=sub)


def test_a_juror_joining_during_the_deliberation_keeps_the_final_reviews_for_staff(company, leader):
    edition = EditionFactory()
    sub = SubmissionFactory(edition=edition, company=company, state=SubmissionState.UNDER_REVIEW)
    j = juror(edition)
    assign(j, sub)
    invitation = invite(company, leader, j.user.email)
    with time_machine.travel(edition.closes_at + timedelta(days=1)):
        services.edition_start_deliberation(edition=edition, by=None)
        services.company_invitation_accept(token=invitation.token, user=j.user)
    assert Assignment.objects.filter(juror=j, submission=sub).count() == 1
    assert jury_assignments(j) == []
    assert list(Conflict.objects.filter(juror=j).values_list("company_id", flat=True)) == [company.pk]


def test_nobody_but_the_invitee_can_put_a_juror_in_a_company(company, leader):
    edition = EditionFactory()
    sub = SubmissionFactory(edition=edition, company=company, state=SubmissionState.SUBMITTED)
    j = juror(edition)
    assign(j, sub)
    invitation = invite(company, leader, j.user.email)
    for someone in (leader, UserFactory()):
        with pytest.raises(ValidationError):
            services.company_invitation_accept(token=invitation.token, user=someone)
    assert [a.submission for a in jury_assignments(j)] == [sub]
    assert Conflict.objects.count() == 0


# --- Views --------------------------------------------------------------------------------------


def test_invite_page_answers_the_same_whether_or_not_an_account_exists(client, company, leader):
    UserFactory(email="deja@example.org")
    client.force_login(leader)
    url = reverse("contests:company_invite", args=[company.pk])
    answers = []
    for email in ("deja@example.org", "personne@example.org"):
        response = client.post(url, {"email": email}, follow=True)
        answers.append((response.status_code, [str(m).replace(email, "…") for m in response.context["messages"]]))
    assert answers[0] == answers[1] == (
        200, ["Une invitation a été envoyée à …. Cette personne rejoindra l’entreprise une fois l’invitation acceptée."]
    )
    page = client.get(reverse("contests:company_detail", args=[company.pk])).content.decode()
    assert "deja@example.org" in page and "personne@example.org" in page
    assert members_of(company) == {leader.pk}


def test_invite_with_a_bad_address_shows_the_form_again_without_a_500(client, company, leader):
    client.force_login(leader)
    response = client.post(reverse("contests:company_invite", args=[company.pk]), {"email": "pas-une-adresse"})
    assert response.status_code == 400
    assert response.context["invitation_form"].errors["email"] == ["Saisissez une adresse e-mail valide."]  # the portal says "e-mail" everywhere
    assert Invitation.objects.count() == 0


def test_invite_and_revoke_of_another_company_are_404(client, company, leader):
    other = CompanyFactory()
    other_leader = member(other)
    theirs = invite(other, other_leader)
    client.force_login(leader)
    assert client.post(reverse("contests:company_invite", args=[other.pk]), {"email": "x@example.org"}).status_code == 404
    # Their invitation through my company's URL, or through theirs: 404 both.
    assert client.post(reverse("contests:invitation_revoke", args=[company.pk, theirs.pk])).status_code == 404
    assert client.post(reverse("contests:invitation_revoke", args=[other.pk, theirs.pk])).status_code == 404
    assert client.get(reverse("contests:invitation_revoke", args=[company.pk, theirs.pk])).status_code == 405
    assert Invitation.objects.get().status == "pending"
    assert Invitation.objects.filter(organisation=company).count() == 0


def test_nobody_sees_another_company_s_invitations(client, company, leader):
    other = CompanyFactory()
    invite(other, member(other), "secret-colleague@example.org")
    invite(company, leader, "mine@example.org")
    client.force_login(leader)
    page = client.get(reverse("contests:company_detail", args=[company.pk])).content.decode()
    assert "mine@example.org" in page
    assert "secret-colleague@example.org" not in page
    assert client.get(reverse("contests:company_detail", args=[other.pk])).status_code == 404


def test_revoke_through_the_page(client, company, leader):
    invitation = invite(company, leader)
    client.force_login(leader)
    response = client.post(reverse("contests:invitation_revoke", args=[company.pk, invitation.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["L’invitation a été retirée : son lien ne fonctionne plus."]
    assert Invitation.objects.get().status == "revoked"


def test_accept_page_for_the_invitee_then_membership(client, company, leader):
    invitation = invite(company, leader)
    colleague = UserFactory(email="collegue@example.org")
    url = reverse("contests:invitation", args=[invitation.token])
    assert client.get(url).status_code == 302  # log in first
    client.force_login(colleague)
    page = client.get(url).content.decode()
    assert "Accepter et rejoindre l’entreprise" in page
    response = client.post(url, {"action": "accept"})
    assert response.status_code == 302
    assert response["Location"] == reverse("contests:company_detail", args=[company.pk])
    assert colleague.pk in members_of(company)


def test_accept_page_for_another_account_refuses_without_joining(client, company, leader):
    invitation = invite(company, leader)
    client.force_login(UserFactory())
    url = reverse("contests:invitation", args=[invitation.token])
    page = client.get(url).content.decode()
    assert "Accepter et rejoindre" not in page
    assert "Vous êtes connecté avec une autre adresse" in page
    assert client.post(url, {"action": "accept"}).status_code == 400
    assert members_of(company) == {leader.pk}


def test_decline_through_the_page(client, company, leader):
    invitation = invite(company, leader)
    client.force_login(UserFactory(email="collegue@example.org"))
    response = client.post(reverse("contests:invitation", args=[invitation.token]), {"action": "decline"})
    assert (response.status_code, response["Location"]) == (302, reverse("me:dashboard"))
    assert Invitation.objects.get().status == "declined"


@pytest.mark.parametrize("token", ["x" * 43, "short", "a%00b" * 10, "é" * 30, "x" * 200])
def test_bad_tokens_are_404_not_500(client, leader, token):
    client.force_login(leader)
    url = f"/contests/companies/invitations/{token}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "accept"}).status_code == 404


def test_an_unknown_action_or_an_expired_link_is_a_400_with_a_message(client, company, leader):
    invitation = invite(company, leader)
    client.force_login(UserFactory(email="collegue@example.org"))
    url = reverse("contests:invitation", args=[invitation.token])
    response = client.post(url, {"action": "maybe"})
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == ["Choisissez d’accepter ou de refuser l’invitation."]
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(url, {"action": "accept"})
    assert response.status_code == 400
    assert response.content.decode().count("Cette invitation a expiré : demandez-en une nouvelle à votre collègue.") == 2
    assert Invitation.objects.get().status == "expired"
    assert members_of(company) == {leader.pk}


def test_my_space_lists_invitations_waiting_for_me_only(client, company, leader):
    invitation = invite(company, leader)
    colleague = UserFactory(email="collegue@example.org")
    client.force_login(colleague)
    page = client.get(reverse("me:dashboard")).content.decode()
    assert reverse("contests:invitation", args=[invitation.token]) in page
    client.force_login(UserFactory())
    assert invitation.token not in client.get(reverse("me:dashboard")).content.decode()


# --- Personal data ----------------------------------------------------------------------------------


def test_export_and_erase_of_invitations(company, leader):
    invitation = invite(company, leader)
    colleague = UserFactory(email="collegue@example.org")
    received = personal_data.user_data_export(colleague)["contest_invitations"]["received"]
    assert [(i["company"], i["email"], i["status"]) for i in received] == [(company.legal_name, "collegue@example.org", "pending")]
    sent = personal_data.user_data_export(leader)["contest_invitations"]["sent"]
    assert [(i["company"], i["email"]) for i in sent] == [(company.legal_name, "collegue@example.org")]
    personal_data.user_account_delete(colleague)
    assert Invitation.objects.filter(pk=invitation.pk).exists() is False
    again = invite(company, leader, "autre@example.org")
    member(company)  # the company outlives its leader
    personal_data.user_account_delete(leader)
    again.refresh_from_db()
    assert (again.invited_by, again.email) == (None, "autre@example.org")


def test_an_unverified_address_neither_exports_nor_erases_someone_else_s_invitation(company, leader):
    invitation = invite(company, leader)
    squatter = UserFactory()
    EmailAddress.objects.create(user=squatter, email="collegue@example.org", verified=False)
    assert personal_data.user_data_export(squatter)["contest_invitations"]["received"] == []
    personal_data.user_account_delete(squatter)
    assert Invitation.objects.get().pk == invitation.pk


def test_the_invitation_e_mail_sent_before_the_account_existed_is_exported_and_erased_with_it(company, leader):
    invite(company, leader, "second@example.org")  # nobody uses this address yet: user=None
    person = UserFactory(email="first@example.org")
    EmailAddress.objects.create(user=person, email="Second@example.org", verified=True)
    squatter = UserFactory()
    EmailAddress.objects.create(user=squatter, email="second@example.org", verified=False)
    row = Notification.objects.get(kind="contests.company_invitation")
    assert (row.user, row.recipient_email) == (None, "second@example.org")

    def exported(user):
        return [n["subject"] for n in personal_data.user_data_export(user)["notifications"]["notifications"]]

    assert exported(person) == [row.subject]
    assert exported(squatter) == []
    personal_data.user_account_delete(squatter)
    assert Notification.objects.filter(pk=row.pk).exists() is True
    personal_data.user_account_delete(person)
    assert Notification.objects.filter(pk=row.pk).exists() is False
