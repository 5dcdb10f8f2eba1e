"""A MOOC certificate as an Open Badges 3.0 credential (a W3C Verifiable Credential, VC-JWT).

What a credential holds is what the public verification page shows — the holder's name as
issued, the course, the date, the code (in the credential's ``id``, the page's address) and
whether it is revoked (through ``credentialStatus``) — plus the achievement, described at its
own public page (course, criteria, effort). Never the grade, the e-mail or anything else.

The JWT payload is the credential itself with the registered claims Open Badges 3.0 maps
(``iss`` = issuer id, ``jti`` = credential id, ``nbf`` = ``validFrom``); the JOSE header is
``alg`` RS256, ``typ`` JWT and ``kid``, the URL of the signing key's JWK (portal.credential_keys).
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import credential_keys, status_list
from portal.notifications.services import absolute_url

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ISSUER_NAME = "Medef — Université du numérique"
LINKEDIN_ADD_URL = "https://www.linkedin.com/profile/add"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def issuer_profile() -> dict:
    return {
        "id": absolute_url(reverse("mooc_public:issuer")),
        "type": ["Profile"],
        "name": ISSUER_NAME,
        "url": absolute_url("/"),
    }


def achievement_url(course) -> str:
    return absolute_url(reverse("mooc_public:achievement", args=[course.slug]))


def criteria_narrative(course) -> str:
    return _(
        "Follow the course “%(title)s” (about %(hours)s hours of study) and obtain a course grade of at least "
        "%(mark)s %% — the weighted average of the best score in each of its quizzes, graded by the platform."
    ) % {"title": course.title, "hours": course.effort_hours, "mark": course.pass_mark}


def achievement(course) -> dict:
    """The Open Badges Achievement of a course, in the active language."""
    url = achievement_url(course)
    return {
        "id": url,
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": course.title,
        "description": course.summary or course.title,
        "criteria": {"id": url, "narrative": criteria_narrative(course)},
        "inLanguage": translation.get_language() or "fr",
        "creator": issuer_profile(),
    }


def status_list_url(number: int) -> str:
    return absolute_url(reverse("mooc_public:status_list", args=[number]))


def credential(certificate) -> dict:
    """The credential of a certificate whose status entry is allocated (see services)."""
    course = certificate.run.course
    issuer = issuer_profile()
    credential_id = absolute_url(certificate.get_verification_url())
    list_url = status_list_url(certificate.status_list)
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": course.title,
        "issuer": issuer,
        "validFrom": _iso(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject", "identityHash": certificate.learner_name, "identityType": "name", "hashed": False,
            }],
            "achievement": achievement(course),
        },
        "credentialStatus": {
            "id": f"{list_url}#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": list_url,
        },
        # JWT registered claims (Open Badges 3.0, "JSON Web Token Proof Format")
        "iss": issuer["id"],
        "jti": credential_id,
        "nbf": int(certificate.issued_at.timestamp()),
    }


def credential_jwt(certificate) -> str:
    return credential_keys.sign_jwt(credential(certificate))


def status_list_credential(*, number: int, revoked_indexes: list[int], now=None) -> dict:
    """The signed list a verifier fetches: bit ``i`` set = the credential at index ``i`` is revoked."""
    now = now or timezone.now()
    url = status_list_url(number)
    issuer = issuer_profile()
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": _iso(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": status_list.encode(revoked_indexes),
        },
        "iss": issuer["id"],
        "jti": url,
        "nbf": int(now.timestamp()),
    }


def status_list_jwt(*, number: int, revoked_indexes: list[int]) -> str:
    return credential_keys.sign_jwt(status_list_credential(number=number, revoked_indexes=revoked_indexes))


def linkedin_add_url(certificate) -> str:
    """LinkedIn's "Add licence or certification" form, filled in (name, issuer, date, code, URL)."""
    issued = timezone.localtime(certificate.issued_at)
    return LINKEDIN_ADD_URL + "?" + urlencode({
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.run.course.title,
        "organizationName": ISSUER_NAME,
        "issueYear": issued.year,
        "issueMonth": issued.month,
        "certId": certificate.code,
        "certUrl": absolute_url(certificate.get_verification_url()),
    })
