"""The contest's entries in the personal-data registry and its "Mon espace" section.

Erasing a person: the projects they created are deleted, except laureates, which the
contest's public record keeps — those are anonymised (creator unlinked, team list emptied) —
and projects of a company that still has other members, which are only unlinked.
Companies left with neither members nor projects are deleted. Jury records are anonymised
(the scores keep the ranking honest) and unlinked from the account.

Invitations to act for a company hold an e-mail address: those sent to one of the person's
addresses are deleted; those the person sent stay with the company, unlinked from the sender.
A conflict declared on an anonymised project is exported as that project, never as the
company behind it (which the juror was never told).
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import Count, Q
from django.utils import timezone

from contests import rules, selectors
from contests.models import (
    Company,
    CompanyInvitation,
    CompanyMember,
    Juror,
    Submission,
    SubmissionState,
    SubmissionVersion,
)

# Decisions are told at publication: until then the export says "under review", like the pages.


def _addressed_to(user) -> Q:
    # Verified addresses only: typing someone else's address into one's account must not
    # export, nor erase, the invitations sent to that person.
    query = Q(pk__in=[])
    for email in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True):
        query |= Q(email__iexact=email)
    return query


def _assignments_told(juror: Juror) -> list:
    """The assigned projects the export may name: those the jury pages show the juror, plus those
    already reviewed (the juror wrote about them). Nothing while an anonymised review's declaration
    of conflicts is open: titles vanishing as companies are named would tell who is behind them."""
    if rules.must_declare_conflicts_first(juror):
        return []
    visible = set(rules.juror_visible_assignments(juror).values_list("pk", flat=True))
    return [a for a in juror.assignments.all() if a.pk in visible or hasattr(a, "review")]


def export(user) -> dict:
    from contests.services import conflict_label

    return {
        "companies": [
            {
                "legal_name": m.company.legal_name, "siret": m.company.siret, "role": m.role,
                "headcount": m.company.headcount, "turnover_eur": m.company.turnover_eur,
                "balance_sheet_eur": m.company.balance_sheet_eur, "created_on": m.company.created_on,
            }
            for m in CompanyMember.objects.filter(user=user).select_related("company")
        ],
        "projects": [
            {
                "edition": s.edition.slug, "company": s.company.legal_name, "title": s.title, "state": rules.state_for_company(s),
                "theme": s.theme.slug, "pitch": s.pitch, "description": s.description,
                "object_function": s.object_function, "connectivity": s.connectivity, "data_handled": s.data_handled,
                "stage": s.stage, "target_market": s.target_market, "business_model": s.business_model,
                "team_members": s.team_members, "support_industrialisation": s.support_industrialisation,
                "support_export": s.support_export, "support_funding": s.support_funding, "video_url": s.video_url,
                "attachments": [a.download_name for a in s.attachments.all()],
                "submitted_at": s.submitted_at, "created_at": s.created_at,
            }
            for s in Submission.objects.filter(created_by=user).select_related("edition", "company", "theme")
            .prefetch_related("attachments")
        ],
        "jury": [
            {
                "edition": j.edition.slug, "email": j.email, "accepted_at": j.accepted_at,
                "conflicts": [conflict_label(c) for c in j.conflicts.all()],
                "reviews": [
                    {
                        "project": a.submission.title,
                        "comment": a.review.comment if hasattr(a, "review") else "",
                        "scores": {s.criterion.name: s.value for s in a.review.scores.all()} if hasattr(a, "review") else {},
                    }
                    for a in _assignments_told(j)
                ],
            }
            for j in Juror.objects.filter(user=user).select_related("edition").prefetch_related(
                "conflicts__company", "conflicts__submission", "assignments__submission",
                "assignments__review__scores__criterion",
            )
        ],
    }


def export_invitations(user) -> dict:
    return {
        "received": [
            {"company": i.company.legal_name, "email": i.email, "status": i.status, "created_at": i.created_at,
             "expires_at": i.expires_at}
            for i in CompanyInvitation.objects.filter(_addressed_to(user)).select_related("company")
        ],
        "sent": [
            {"company": i.company.legal_name, "email": i.email, "status": i.status, "created_at": i.created_at}
            for i in CompanyInvitation.objects.filter(invited_by=user).select_related("company")
        ],
    }


def erase_invitations(user) -> None:
    """Registered before the account's own entry: it needs the verified addresses still there."""
    CompanyInvitation.objects.filter(_addressed_to(user)).delete()
    CompanyInvitation.objects.filter(invited_by=user).update(invited_by=None)


def erase(user) -> None:
    now = timezone.now()
    for submission in Submission.objects.filter(created_by=user):
        colleagues = CompanyMember.objects.filter(company_id=submission.company_id).exclude(user=user).exists()
        if submission.state == SubmissionState.LAUREATE:
            Submission.objects.filter(pk=submission.pk).update(created_by=None, team_members="", anonymised_at=now)
            Submission.history.filter(id=submission.pk).update(created_by=None, team_members="")
            for version in SubmissionVersion.objects.filter(submission_id=submission.pk):
                version.data["team_members"] = ""
                version.created_by = None
                version.save(update_fields=["data", "created_by"])
        elif colleagues:
            # The project is the company's too: colleagues keep it, unlinked from the person.
            Submission.objects.filter(pk=submission.pk).update(created_by=None)
            Submission.history.filter(id=submission.pk).update(created_by=None)
        else:
            Submission.history.filter(id=submission.pk).delete()
            for attachment in submission.attachments.all():
                attachment.file.delete(save=False)
            submission.delete()
    company_ids = list(CompanyMember.objects.filter(user=user).values_list("company_id", flat=True))
    CompanyMember.objects.filter(user=user).delete()
    Company.objects.filter(pk__in=company_ids).annotate(m=Count("memberships"), s=Count("submissions")).filter(m=0, s=0).delete()
    for juror in Juror.objects.filter(user=user):
        juror.user = None
        juror.email = f"erased-juror-{juror.pk}@invalid.example"
        juror.name = ""
        juror.save(update_fields=["user", "email", "name"])
        Juror.history.filter(id=juror.pk).update(user=None, email=juror.email, name="")


def dashboard_context(request) -> dict:
    user = request.user
    return {
        "companies": selectors.companies_of(user),
        "submissions": list(selectors.submissions_of(user)[:20]),
        "jury": list(Juror.objects.filter(user=user, accepted_at__isnull=False).select_related("edition")),
        "invitations": selectors.invitations_waiting_for(user),
    }
