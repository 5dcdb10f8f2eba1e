"""Who may see or do what with the diagnostic (one place; views, templates and the admin ask here).

Predicates about a person and a result are ``rules`` predicates (user first, then the object);
the checks of a version alone are plain functions.
"""

from __future__ import annotations

import rules
from django.db.models import Q

from diagnostic.models import QuestionnaireVersion, Response, ResponseStatus, VersionStatus


@rules.predicate
def is_respondent(user, response: Response) -> bool:
    return bool(user.is_authenticated and user.is_active and response.user_id == user.pk)


@rules.predicate
def can_see_result(user, response: Response) -> bool:
    """A result is its respondent's alone (staff read responses in the admin)."""
    return is_respondent(user, response)


@rules.predicate
def can_request_contact(user, response: Response) -> bool:
    return is_respondent(user, response) and response.status == ResponseStatus.COMPLETED


@rules.predicate
def can_preview(user) -> bool:
    """"Preview as a respondent" is staff work on questionnaires, drafts included."""
    return bool(user.is_authenticated and user.is_active and user.is_staff and user.has_perm("diagnostic.view_questionnaireversion"))


def version_is_editable(version: QuestionnaireVersion | None) -> bool:
    """Questions, options, dimensions and bands change only on a draft: a published (or
    retired) version is what past answers refer to."""
    return version is None or version.pk is None or version.status == VersionStatus.DRAFT


def version_can_be_answered(version: QuestionnaireVersion) -> bool:
    """A new diagnostic starts only on the published version (one in progress keeps its own)."""
    return version.status == VersionStatus.PUBLISHED


def counts_in_barometer() -> Q:
    """Which responses the public barometer counts: completed, not demo, not from a staff
    account (staff try the questionnaire out) and from an active account."""
    return Q(status=ResponseStatus.COMPLETED, is_demo=False, user__is_staff=False, user__is_active=True)
