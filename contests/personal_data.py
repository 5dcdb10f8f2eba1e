"""The contest's entries in the personal-data registry and its "Mon espace" section.

Erasing goes through :mod:`contests.services.personal` (what is deleted, what a laureate or a
colleague keeps, the history tables). A conflict declared on an anonymised project is exported
as that project, never as the company behind it (which the juror was never told).
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import Q

from contests import rules, selectors, services
from contests.models import Juror, Submission
from organisations.models import Invitation, Membership

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
                "legal_name": m.organisation.legal_name, "siret": m.organisation.siret, "role": m.role,
                "headcount": m.organisation.headcount, "turnover_eur": m.organisation.turnover_eur,
                "balance_sheet_eur": m.organisation.balance_sheet_eur, "created_on": m.organisation.created_on,
            }
            for m in Membership.objects.filter(user=user).select_related("organisation")
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
            {"company": i.organisation.legal_name, "email": i.email, "status": i.status, "created_at": i.created_at,
             "expires_at": i.expires_at}
            for i in Invitation.objects.filter(_addressed_to(user)).select_related("organisation")
        ],
        "sent": [
            {"company": i.organisation.legal_name, "email": i.email, "status": i.status, "created_at": i.created_at}
            for i in Invitation.objects.filter(invited_by=user).select_related("organisation")
        ],
    }


def erase_invitations(user) -> None:
    """Registered before the account's own entry: it needs the verified addresses still there."""
    services.invitations_erase(addressed_to=_addressed_to(user), user=user)


def erase(user) -> None:
    services.contest_data_erase(user=user)


def dashboard_context(request) -> dict:
    from contests import dashboard as contest_dashboard

    user = request.user
    return {
        "companies": selectors.companies_of(user),
        "submissions": list(selectors.submissions_of(user)[:20]),
        "jury": contest_dashboard.accepted_jurors(request),
        "invitations": selectors.invitations_waiting_for(user),
    }
