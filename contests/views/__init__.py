"""Thin views: parse → call a service or selector → render. Bad input never raises a 500."""

from contests.views.companies import (  # noqa: F401
    company_create,
    company_detail,
    company_edit,
    company_invite,
    invitation,
    invitation_revoke,
)
from contests.views.jury import (  # noqa: F401
    jury,
    jury_accept,
    jury_conflicts,
    jury_conflicts_close,
    jury_pack,
    jury_recuse,
    jury_review,
)
from contests.views.public import archive, edition_detail, index, laureates  # noqa: F401
from contests.views.staff import (  # noqa: F401
    decide,
    deliberation_start,
    edition_action,
    publication_cancel,
    publication_detail,
    publication_email,
    publication_prepare,
    publication_release,
    ranking,
)
from contests.views.submissions import (  # noqa: F401
    attachment_delete,
    attachment_download,
    attachment_upload,
    submission_create,
    submission_detail,
    submission_edit,
    submission_submit,
    submission_withdraw,
)
