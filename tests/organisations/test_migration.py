"""The contest's companies become organisations: same rows and ids, members, invitations (their
links still work) and history kept, projects and conflicts still pointing at them."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("contests", "0007_submission_text_limits"), ("organisations", None)]


def _migrate(targets, state_at):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(state_at).apps


@pytest.mark.django_db(transaction=True)
def test_companies_become_organisations_with_members_invitations_projects_and_history():
    after = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _check_companies_become_organisations(after)
    finally:
        MigrationExecutor(connection).migrate(after)  # the next tests need the schema of today


def _check_companies_become_organisations(after):
    old = _migrate(BEFORE, BEFORE[0])
    User = old.get_model("portal", "User")
    Region = old.get_model("portal", "Region")
    Company = old.get_model("contests", "Company")
    HistoricalCompany = old.get_model("contests", "HistoricalCompany")
    CompanyMember = old.get_model("contests", "CompanyMember")
    CompanyInvitation = old.get_model("contests", "CompanyInvitation")
    Edition = old.get_model("contests", "Edition")
    Theme = old.get_model("contests", "Theme")
    Submission = old.get_model("contests", "Submission")
    now = timezone.now()
    user = User.objects.create(email="leader@example.org")
    region = Region.objects.create(code="bretagne", name="Bretagne", position=1)
    company = Company.objects.create(legal_name="Capteurs SAS", siret="73282932000074", region=region, headcount=12,
                                     turnover_eur=900_000, created_on=date(2015, 1, 1), independence_declared=True)
    HistoricalCompany.objects.create(id=company.pk, legal_name="Capteurs", siret=company.siret, headcount=12,
                                     created_on=date(2015, 1, 1), history_date=now, history_type="+", region_id=region.pk)
    CompanyMember.objects.create(company=company, user=user, role="leader")
    invitation = CompanyInvitation.objects.create(company=company, email="colleague@example.org", token="t" * 43,
                                                  expires_at=now + timedelta(days=3), invited_by=user)
    edition = Edition.objects.create(slug="e", title="E", opens_at=now, closes_at=now + timedelta(days=1),
                                     results_on=date(2030, 1, 1))
    theme = Theme.objects.create(slug="maison", name="Maison", position=1)
    project = Submission.objects.create(edition=edition, company=company, theme=theme, title="Thermostat")

    new = _migrate(after, after)
    Organisation = new.get_model("organisations", "Organisation")
    organisation = Organisation.objects.get(pk=company.pk)
    assert (organisation.legal_name, organisation.siret, organisation.headcount, organisation.region_id) == (
        "Capteurs SAS", "73282932000074", 12, region.pk)
    assert (organisation.vat_number, organisation.billing_country) == ("", "FR")
    assert list(new.get_model("organisations", "Membership").objects.values_list("organisation_id", "user_id", "role")) == [
        (company.pk, user.pk, "leader")]
    moved = new.get_model("organisations", "Invitation").objects.get()
    assert (moved.pk, moved.organisation_id, moved.token, moved.email) == (invitation.pk, company.pk, "t" * 43,
                                                                           "colleague@example.org")
    assert list(new.get_model("organisations", "HistoricalOrganisation").objects.values_list("id", "legal_name")) == [
        (company.pk, "Capteurs")]
    assert new.get_model("contests", "Submission").objects.get(pk=project.pk).company_id == organisation.pk
    # A new organisation takes the next id (the sequence came with the table).
    second = Organisation.objects.create(legal_name="Autre", siret="35600000000048")
    assert second.pk > organisation.pk
