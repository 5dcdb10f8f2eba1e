"""The MOOC's section of Mon espace: courses in progress with their bars, certificates."""

from mooc import selectors


def me_context(request) -> dict:
    enrollments = selectors.learner_enrollments(user=request.user)
    progress = selectors.enrollments_progress_bulk(enrollments)
    return {
        "courses": [{"enrollment": e, "progress": progress[e.pk]} for e in enrollments],
        "certificates": selectors.learner_certificates(user=request.user),
    }
