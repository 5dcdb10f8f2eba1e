"""The permission matrix, generated from the URLconf: every pattern of the portal's own URLs (and
every admin changelist) × seven roles, with the status each role must get.

A new URL pattern without a row in ``MATRIX`` fails ``test_every_url_pattern_has_a_row``: a
view cannot ship without someone deciding who may open it. Every request runs in a savepoint
that is rolled back, so that an action of one role never changes what the next one sees.

Roles: anonymous; a participant (registered on a trip, enrolled in a course, certificate);
an SME leader (a company, a draft and a submitted project with a pitch deck); a juror assigned
to that project; staff with no permission; a curator (the "Programme curators" group); a superuser.
Statuses: 302 for anonymous is the login redirect (or, on the admin, its own login page).
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.seeding import CURATORS_GROUP, curators_group_sync
from tests.world import build_world

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "participant", "sme_leader", "juror", "staff_no_perm", "curator", "superuser")

# Third-party URL trees, guarded by their libraries: the admin (its changelists are in the
# matrix below, generated from the admin's registry), allauth's account pages, Django's i18n.
LIBRARY_NAMESPACES = ("admin",)
LIBRARY_MODULES = ("allauth.", "django.views.i18n")

# name: (method, the kwargs' names in the world, statuses in ROLES order)
MATRIX: dict[str, tuple[str, tuple[str, ...], str]] = {}


def _row(name: str, method: str, args: tuple[str, ...], statuses: str) -> None:
    MATRIX[name] = (method, args, statuses)


# --- portal -------------------------------------------------------------------------------------------
_row("healthz", "GET", (), "200 200 200 200 200 200 200")
_row("home", "GET", (), "200 200 200 200 200 200 200")
_row("legal", "GET", (), "200 200 200 200 200 200 200")
_row("privacy", "GET", (), "200 200 200 200 200 200 200")
_row("me:dashboard", "GET", (), "302 200 200 200 200 200 200")
_row("me:profile", "GET", (), "302 200 200 200 200 200 200")
_row("me:notifications", "GET", (), "302 200 200 200 200 200 200")
_row("me:notifications_read_all", "POST", (), "302 302 302 302 302 302 302")
_row("me:notification_open", "POST", ("notification",), "302 200 404 404 404 404 404")
_row("me:preferences", "GET", (), "302 200 200 200 200 200 200")
_row("me:data", "GET", (), "302 200 200 200 200 200 200")
_row("me:delete", "GET", (), "302 200 200 200 200 200 200")
_row("notifications:unsubscribe", "GET", ("unsubscribe_token",), "200 200 200 200 200 200 200")
_row("accessibility", "GET", (), "200 200 200 200 200 200 200")
_row("styleguide", "GET", (), "302 302 302 302 200 200 200")
_row("favicon", "GET", (), "301 301 301 301 301 301 301")
_row("credential_jwks", "GET", (), "200 200 200 200 200 200 200")
_row("credential_key", "GET", ("key_thumbprint",), "200 200 200 200 200 200 200")
_row("set_language", "POST", (), "302 302 302 302 302 302 302")
# --- expeditions --------------------------------------------------------------------------------------
_row("billing:quote_request", "GET", ("paid_trip",), "302 200 200 200 200 200 200")
_row("billing:document_pdf", "GET", ("billing_document",), "302 200 404 404 404 404 200")
_row("expeditions:index", "GET", (), "200 200 200 200 200 200 200")
_row("expeditions:feed", "GET", (), "200 200 200 200 200 200 200")
_row("expeditions:archive", "GET", (), "200 200 200 200 200 200 200")
_row("expeditions:cancel", "POST", ("registration",), "302 302 404 404 404 404 404")
_row("expeditions:request_cancellation", "POST", ("registration",), "302 302 404 404 404 404 404")
_row("expeditions:offer_accept", "POST", ("registration",), "302 302 404 404 404 404 404")
_row("expeditions:offer_decline", "POST", ("registration",), "302 302 404 404 404 404 404")
_row("expeditions:registration_ics", "GET", ("registration",), "302 200 404 404 404 404 404")
_row("expeditions:feed_regenerate", "POST", (), "302 302 302 302 302 302 302")
_row("expeditions:detail", "GET", ("draft_trip",), "404 404 404 404 404 200 200")
_row("expeditions:register", "GET", ("trip",), "302 302 302 302 302 302 302")
_row("expeditions:delegation", "GET", ("trip",), "302 200 404 404 404 404 404")
# Groups: the contact (the SME leader, for the company) only; the invitation page to whoever holds the link
# (only the invited, verified address acts on it).
_row("expeditions:group_register", "GET", ("trip",), "302 200 200 200 200 200 200")
_row("expeditions:group_detail", "GET", ("group",), "302 404 200 404 404 404 404")
_row("expeditions:group_offer", "POST", ("group",), "302 404 302 404 404 404 404")
_row("expeditions:group_substitute", "POST", ("group", "group_place"), "302 404 302 404 404 404 404")
_row("expeditions:group_cancel", "GET", ("group", "group_place"), "302 404 200 404 404 404 404")
_row("expeditions:group_invitation", "GET", ("group_token",), "302 200 200 200 200 200 200")
_row("expeditions_public:feed", "GET", ("feed_token",), "200 200 200 200 200 200 200")
# --- contests -----------------------------------------------------------------------------------------
_row("contests:index", "GET", (), "200 200 200 200 200 200 200")
_row("contests:archive", "GET", (), "200 200 200 200 200 200 200")
_row("contests:feed", "GET", (), "200 200 200 200 200 200 200")
_row("contests:company_create", "GET", (), "302 200 200 200 200 200 200")
_row("contests:company_detail", "GET", ("company",), "302 404 200 404 404 404 404")
_row("contests:company_edit", "GET", ("company",), "302 404 200 404 404 404 404")
_row("contests:company_invite", "POST", ("company",), "302 404 400 404 404 404 404")  # 400: the empty form
_row("contests:invitation_revoke", "POST", ("company", "company_invitation"), "302 404 302 404 404 404 404")
# The secret link shows the invitation to whoever holds it; only the invited, verified address acts on it.
_row("contests:invitation", "GET", ("company_invitation_token",), "302 200 200 200 200 200 200")
# Organisations (the contest's company is one): members only, the invitation page like the contest's.
_row("organisations:create", "GET", (), "302 200 200 200 200 200 200")
_row("organisations:detail", "GET", ("company",), "302 404 200 404 404 404 404")
_row("organisations:edit", "GET", ("company",), "302 404 200 404 404 404 404")
_row("organisations:invite", "POST", ("company",), "302 404 400 404 404 404 404")  # 400: the empty form
_row("organisations:invitation_revoke", "POST", ("company", "company_invitation"), "302 404 302 404 404 404 404")
_row("organisations:invitation", "GET", ("company_invitation_token",), "302 200 200 200 200 200 200")
_row("contests:submission_detail", "GET", ("project",), "302 404 200 404 404 404 404")
_row("contests:submission_edit", "GET", ("draft",), "302 404 200 404 404 404 404")
_row("contests:submission_submit", "POST", ("draft",), "302 404 302 404 404 404 404")
_row("contests:submission_withdraw", "POST", ("project",), "302 404 302 404 404 404 404")
_row("contests:attachment_upload", "POST", ("draft",), "302 404 302 404 404 404 404")
_row("contests:attachment_download", "GET", ("attachment",), "302 404 200 200 404 200 200")
_row("contests:attachment_delete", "POST", ("attachment",), "302 404 302 404 404 404 404")
_row("contests:jury_accept", "GET", ("jury_token",), "302 200 200 200 200 200 200")
_row("contests:edition_detail", "GET", ("edition",), "200 200 200 200 200 200 200")
_row("contests:laureates", "GET", ("edition",), "404 404 404 404 404 404 404")
_row("contests:submission_create", "GET", ("edition", "company"), "302 404 200 404 404 404 404")
_row("contests:jury", "GET", ("edition",), "302 404 404 200 404 404 404")
_row("contests:jury_conflicts", "GET", ("edition",), "302 404 404 200 404 404 404")
_row("contests:jury_conflicts_close", "POST", ("edition",), "302 404 404 302 404 404 404")
_row("contests:jury_pack", "GET", ("edition",), "302 404 404 200 404 404 404")
_row("contests:jury_recuse", "POST", ("edition", "project"), "302 404 404 302 404 404 404")
_row("contests:jury_review", "GET", ("edition", "project"), "302 404 404 200 404 404 404")
_row("contests:ranking", "GET", ("edition",), "302 403 403 403 403 200 200")
_row("contests:decide", "POST", ("edition", "project"), "302 403 403 403 403 302 302")
_row("contests:edition_action", "POST", ("edition", "assign_action"), "302 403 403 403 403 302 302")
_row("contests:deliberation_start", "GET", ("edition",), "302 403 403 403 403 200 200")
_row("contests:publication_prepare", "GET", ("deliberating",), "302 403 403 403 403 302 302")  # → the one prepared
_row("contests:publication_detail", "GET", ("deliberating", "publication"), "302 403 403 403 403 200 200")
_row("contests:publication_email", "GET", ("deliberating", "publication", "held_email"), "302 403 403 403 403 200 200")
_row("contests:publication_release", "POST", ("deliberating", "publication"), "302 403 403 403 403 302 302")
_row("contests:publication_cancel", "POST", ("deliberating", "publication"), "302 403 403 403 403 302 302")
# --- MOOC ---------------------------------------------------------------------------------------------
_row("mooc:index", "GET", (), "200 200 200 200 200 200 200")
_row("mooc:progress", "GET", ("enrollment",), "302 200 404 404 404 404 404")
_row("mooc:certificate_pdf", "GET", ("certificate",), "302 200 404 404 404 200 200")
_row("mooc:certificate_credential", "GET", ("certificate",), "302 200 404 404 404 404 404")  # the holder's alone
_row("mooc_public:achievement", "GET", ("course",), "200 200 200 200 200 200 200")
_row("mooc_public:issuer", "GET", (), "200 200 200 200 200 200 200")
_row("mooc_public:status_list", "GET", ("status_list",), "200 200 200 200 200 200 200")
_row("mooc:preview", "GET", ("draft_course_pk",), "302 404 404 404 404 302 302")
_row("mooc:course_detail", "GET", ("draft_course",), "404 404 404 404 404 200 200")
_row("mooc:course_cover", "GET", ("draft_course",), "404 404 404 404 404 404 404")
_row("mooc:enroll", "POST", ("course", "run"), "302 302 302 302 302 302 302")
_row("mooc:unenroll", "POST", ("course", "run"), "302 302 302 302 302 302 302")
_row("mooc:learn", "GET", ("course", "run"), "302 302 403 403 403 302 302")
_row("mooc:certificate_request", "POST", ("course", "run"), "302 302 403 403 403 403 403")
_row("mooc:lesson", "GET", ("course", "run", "lesson"), "302 200 403 403 403 200 200")
_row("mooc:lesson_complete", "POST", ("course", "run", "lesson"), "302 302 403 403 403 403 403")
_row("mooc:quiz_submit", "POST", ("course", "run", "quiz_lesson"), "302 200 403 403 403 403 403")
_row("mooc:lesson_video", "GET", ("course", "run", "lesson"), "302 404 403 403 403 404 404")
_row("mooc:lesson_resource", "GET", ("course", "run", "resource_lesson"), "302 200 403 403 403 200 200")
_row("mooc_public:certificate_verify", "GET", ("certificate_code",), "200 200 200 200 200 200 200")
_row("mooc:certificate_verify", "GET", ("certificate_code",), "200 200 200 200 200 200 200")
# --- diagnostic ---------------------------------------------------------------------------------------
_row("diagnostic:index", "GET", (), "200 200 200 200 200 200 200")
_row("diagnostic:start", "POST", (), "302 302 302 302 302 302 302")
_row("diagnostic:step", "GET", ("step",), "302 302 302 302 302 302 302")
_row("diagnostic:result", "GET", ("result",), "404 404 200 404 404 404 404")  # a stranger, logged in or not, learns nothing
_row("diagnostic:report_pdf", "GET", ("result",), "404 404 200 404 404 404 404")
_row("diagnostic:contact", "POST", ("result",), "404 404 200 404 404 404 404")  # 200: the empty form
_row("diagnostic:barometer", "GET", (), "200 200 200 200 200 200 200")
_row("diagnostic:barometer_csv", "GET", ("quarter",), "404 404 404 404 404 404 404")
_row("diagnostic:barometer_json", "GET", ("quarter",), "404 404 404 404 404 404 404")
_row("diagnostic:preview", "GET", ("version",), "302 403 403 403 403 200 200")
# --- measures -----------------------------------------------------------------------------------------
_row("measures:index", "GET", (), "200 200 200 200 200 200 200")
_row("measures:feed", "GET", (), "200 200 200 200 200 200 200")
_row("measures:measure_feed", "GET", ("measure",), "200 200 200 200 200 200 200")
_row("measures:detail", "GET", ("measure",), "200 200 200 200 200 200 200")
_row("measures:support", "POST", ("measure",), "302 302 302 302 302 302 302")
_row("measures:withdraw", "POST", ("measure",), "302 302 302 302 302 302 302")
_row("measures:follow", "POST", ("measure",), "302 302 302 302 302 302 302")
_row("measures:unfollow", "POST", ("measure",), "302 302 302 302 302 302 302")
# --- open data (the API is the same for everyone; nothing is written: POST is not allowed) ------------
_ALL_200 = "200 200 200 200 200 200 200"
_row("opendata:index", "GET", (), _ALL_200)
_row("api:schema", "GET", (), _ALL_200)
_row("api:docs", "GET", (), _ALL_200)
_row("api:catalog", "GET", (), _ALL_200)
_row("api:dataset-csv", "GET", ("dataset",), _ALL_200)
_row("api:measure-list", "GET", (), _ALL_200)
_row("api:measure-detail", "GET", ("measure",), _ALL_200)
_row("api:expedition-list", "POST", (), "405 405 405 405 405 405 405")
_row("api:expedition-detail", "GET", ("draft_trip",), "404 404 404 404 404 404 404")
_row("api:edition-list", "GET", (), _ALL_200)
_row("api:edition-detail", "GET", ("edition",), _ALL_200)
_row("api:course-list", "GET", (), _ALL_200)
_row("api:course-detail", "GET", ("draft_course",), "404 404 404 404 404 404 404")
_row("api:barometer-list", "GET", (), _ALL_200)
_row("api:barometer-detail", "GET", ("quarter",), "404 404 404 404 404 404 404")


def _our_patterns(patterns=None, namespace: str | None = None):
    """(name, pattern) of every URL the portal itself defines (library trees left out, see above)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in LIBRARY_NAMESPACES:
                continue
            inner = ":".join(n for n in (namespace, entry.namespace) if n) or None
            yield from _our_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and not entry.callback.__module__.startswith(LIBRARY_MODULES):
            yield f"{namespace}:{entry.name}" if namespace else entry.name, entry


def test_every_url_pattern_has_a_row():
    names = [name for name, _pattern in _our_patterns()]
    assert len(names) == len(set(names)), "two URL patterns share a name"
    assert sorted(set(names) - set(MATRIX)) == [], "new URL patterns: add their rows to MATRIX"
    assert sorted(set(MATRIX) - set(names)) == [], "rows for URL patterns that no longer exist"


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def _status(client, method: str, url: str) -> int:
    cache.clear()  # rate limits and cached pages never carry from one role to the next
    with transaction.atomic():
        response = client.post(url) if method == "POST" else client.get(url)
        transaction.set_rollback(True)
    return response.status_code


def test_every_url_pattern_answers_each_role_as_the_matrix_says(client, world):
    people, values = world
    patterns = dict(_our_patterns())
    wrong = []
    for name, (method, arg_names, statuses) in MATRIX.items():
        kwargs = dict(zip(patterns[name].pattern.converters, (values[a] for a in arg_names), strict=True))
        url = reverse(name, kwargs=kwargs)
        got = []
        for role in ROLES:
            client.logout()
            if role != "anonymous":
                client.force_login(people[role])
            got.append(str(_status(client, method, url)))
        if " ".join(got) != statuses:
            wrong.append(f"{name:40s} {method:4s} expected {statuses}  got {' '.join(got)}")
    assert wrong == [], "\n" + "\n".join(wrong)


def test_every_admin_changelist_needs_the_models_permission(client, world):
    """Staff status alone opens the admin's door, not a single list; curators see what curation needs."""
    people, _values = world
    curator_perms = people["curator"].get_all_permissions()
    wrong = []
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        may_view = {f"{opts.app_label}.view_{opts.model_name}", f"{opts.app_label}.change_{opts.model_name}"} & curator_perms
        expected = ["302", "302", "302", "302", "403", "200" if may_view else "403", "200"]
        got = []
        for role in ROLES:
            client.logout()
            if role != "anonymous":
                client.force_login(people[role])
            got.append(str(_status(client, "GET", url)))
        if got != expected:
            wrong.append(f"{url:50s} expected {' '.join(expected)}  got {' '.join(got)}")
    assert wrong == [], "\n" + "\n".join(wrong)


def test_curators_get_exactly_what_curation_needs():
    curators_group_sync(lambda _m: None)
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=CURATORS_GROUP).permissions.all()}
    assert {"contests.view_submission", "contests.change_submission", "mooc.view_course", "mooc.view_certificate",
            "expeditions.view_expedition", "expeditions.change_registration", "measures.add_measureupdate"} <= granted
    assert {"contests.view_review", "mooc.view_quizattempt", "measures.view_support"} <= granted  # read only
    never = {"contests.change_review", "contests.change_score", "mooc.change_quizattempt", "measures.delete_support",
             "mooc.delete_certificate", "expeditions.view_calendarfeed", "portal.change_user", "portal.delete_notification"}
    assert granted & never == set()
    assert not [p for p in granted if ".add_historical" in p or ".change_historical" in p or ".view_historical" in p]
    # Given by hand to the group, taken back by the next seed: the group is exactly this list.
    group = Group.objects.get(name=CURATORS_GROUP)
    group.permissions.add(Permission.objects.get(codename="change_user"))
    curators_group_sync(lambda _m: None)
    assert not group.permissions.filter(codename="change_user").exists()
