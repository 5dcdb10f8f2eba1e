"""Property-based fuzzing (hypothesis) of every public form and of every URL converter.

Properties, for any input: no HTTP 500; a refusal always says why (a field error, or a message
after the redirect); and a refused input changes no row. Each example runs in a savepoint that
is rolled back. The "ci" profile (tests/conftest.py) runs a few examples, the same on every run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import example, given, settings
from hypothesis import strategies as st

from contests.models import Company, Conflict, Review, Submission
from expeditions.models import GroupRegistration, Registration
from measures.models import Follow
from mooc.models import QuizAttempt
from organisations.models import Invitation, Organisation
from portal.models import Notification, NotificationPreference, Profile, User
from tests.expeditions.factories import participant
from tests.test_permission_matrix import MATRIX, _our_patterns
from tests.world import build_world

pytestmark = pytest.mark.django_db

EDGE_TEXT = [
    "", " ", "\x00", "a\x00b", "0", "-1", "1e308", "NaN", "99999999999999999999", "2026-02-30", "=HYPERLINK(\"x\")",
    "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%00", "\u202eevil", "😀" * 40, "é" * 300,
    "x" * 5000, "a@b", "a" * 250 + "@example.org", "\r\n", "-0", "１２", "0x10",
]
hostile_text = st.one_of(st.sampled_from(EDGE_TEXT), st.text(max_size=40), st.text(min_size=200, max_size=400))


def _hostile_or(valid: list[str]):
    """Mostly hostile text, sometimes a valid value, so that the other fields' checks run too."""
    return st.one_of(hostile_text, st.sampled_from(valid)) if valid else hostile_text


@dataclass
class FormCase:
    url: Callable[[dict], str]
    role: str  # who posts: a role of tests.world, or "anonymous", or "fresh" (a new participant)
    fields: dict[str, list[str] | Callable[[dict], list[str]]]  # name → valid values (fuzzed around)
    rows: Callable[[], tuple]  # what a refusal must leave unchanged
    examples: tuple[dict, ...] = ()  # always tried: the valid values with these overrides (the outside test's finds)


def _count(*models) -> Callable[[], tuple]:
    return lambda: tuple(model.objects.count() for model in models)


FORMS: dict[str, FormCase] = {
    "signup": FormCase(lambda v: "/accounts/signup/", "anonymous",
                       {"email": ["fuzz@example.org"], "password1": ["Correct-horse-battery-42"], "password2": ["Correct-horse-battery-42"]},
                       _count(User, Notification)),
    "login": FormCase(lambda v: "/accounts/login/", "anonymous", {"login": ["fuzz@example.org"], "password": ["x"]}, _count(User)),
    "password_reset": FormCase(lambda v: "/accounts/password/reset/", "anonymous", {"email": ["fuzz@example.org"]},
                               _count(Notification), examples=({"email": "a" * 250 + "@example.org"},)),
    "profile": FormCase(lambda v: "/me/profile/", "participant", {
        "first_name": ["Camille"], "last_name": ["Durand"], "organisation": ["PME"], "job_title": ["Gérante"],
        "audience": lambda v: [str(v["audience"])], "region": lambda v: [str(v["region"])], "company_size": ["micro", "small"],
        "language": ["fr", "en"], "next": ["/", "/me/"],
    }, lambda: tuple(Profile.objects.values_list("organisation", "job_title", "audience_id", "region_id", "company_size")),
        examples=({"next": "-1"}, {"next": "foo"}, {"organisation": "Autre PME", "next": "me:delete"})),
    "account_delete": FormCase(lambda v: "/me/delete/", "participant", {"password": ["wrong"], "confirm": ["on"]}, _count(User)),
    "unsubscribe": FormCase(lambda v: f"/unsubscribe/{quote(v['unsubscribe_token'])}/", "anonymous", {"x": []},
                            lambda: tuple(NotificationPreference.objects.values_list("kind", "email_enabled"))),
    "company_create": FormCase(lambda v: "/contests/companies/new/", "participant", {
        "legal_name": ["ACME SAS"], "siret": ["73282932000074"], "region": lambda v: [str(v["region"])], "headcount": ["12"],
        "turnover_eur": ["100000"], "balance_sheet_eur": [""], "created_on": ["2015-01-01"], "independence_declared": ["on"],
    }, _count(Company)),
    "company_invite": FormCase(lambda v: f"/contests/companies/{v['company']}/invitations/", "sme_leader",
                               {"email": ["colleague2@example.org"]}, _count(Invitation)),
    "submission_create": FormCase(lambda v: f"/contests/{v['edition_open']}/new/{v['company']}/", "sme_leader", {
        "title": ["Capteur"], "theme": lambda v: [str(v["theme"])], "stage": ["idea", "pilot"], "pitch": ["Un pitch"],
        "description": ["Une description"], "video_url": ["https://example.org/v"],
    }, _count(Submission)),
    "jury_conflict": FormCase(lambda v: f"/contests/{v['edition']}/jury/conflicts/", "juror",
                              {"company": lambda v: [str(v["company"])], "reason": ["Ancien client"]}, _count(Conflict)),
    "jury_review": FormCase(lambda v: f"/contests/{v['edition']}/jury/{v['project']}/", "juror",
                            {"comment": ["Solide"], "submit": ["1"], **{f"score_{i}": ["5", "10"] for i in range(1, 4)}},
                            _count(Review)),
    "expedition_register": FormCase(lambda v: f"/expeditions/{v['trip']}/register/", "fresh", {
        "passport_name": ["DURAND Camille"], "dietary_needs": [""], "remarks": [""], "billing_organisation": ["PME"],
        "billing_address": ["1 rue de Paris"], "billing_tax_id": ["FR00123456789"],
    }, _count(Registration)),
    "organisation_create": FormCase(lambda v: "/organisations/new/", "participant", {
        "legal_name": ["Fédération SAS"], "siret": ["73282932000074"], "vat_number": ["FR44732829320", ""],
        "legal_form": ["sas", "association"], "billing_address_line1": ["1 rue de Paris"], "billing_postal_code": ["75001"],
        "billing_city": ["Paris"], "billing_country": ["FR"], "next": ["/", "/expeditions/"],
    }, _count(Organisation)),
    "group_register": FormCase(lambda v: f"/expeditions/{v['trip']}/group/", "sme_leader", {
        "organisation": lambda v: [str(v["company"])], "name_0": ["Alex Morel"], "email_0": ["alex@pme.example"],
        "name_1": ["Sam Morel"], "email_1": ["sam@pme.example", "alex@pme.example"], "mode": ["together", "take_and_wait"],
        "po_reference": ["BC-2026-1"],
    }, _count(Registration, GroupRegistration)),
    "quiz": FormCase(lambda v: f"/mooc/{v['course']}/runs/{v['run']}/lessons/{v['quiz_lesson']}/quiz/", "participant",
                     {"q": lambda v: [str(v["quiz_choice"])]}, _count(QuizAttempt)),
    "measure_follow": FormCase(lambda v: f"/measures/{v['measure']}/follow/", "participant",
                               {"frequency": ["immediate", "weekly"]}, _count(Follow)),
    "set_language": FormCase(lambda v: "/i18n/setlang/", "anonymous", {"language": ["fr", "en"], "next": ["/", "/mooc/"]}, lambda: ()),
}

MESSAGE = re.compile(r'class="errorlist[" ]|<ul class="messages">|role="alert"|class="error-summary"')


@pytest.fixture
def fuzz_world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    people, values = build_world()
    from contests.models import Edition
    from portal.models import Audience
    from tests.contests.factories import EditionFactory

    values["edition_open"] = EditionFactory().slug
    values["audience"] = Audience.objects.first().pk if Audience.objects.exists() else 1
    values["quiz_question_field"] = f"q{values['quiz_question']}"
    people["fresh"] = participant()
    assert Edition.objects.count() >= 2
    return people, values


ERROR_PAGES = {"400.html", "403.html", "429.html"}  # a malformed request or a rate limit: the page says so


def _said_why(response) -> bool:
    html = response.content.decode(errors="replace")
    return bool(MESSAGE.search(html)) or any(getattr(t, "name", None) in ERROR_PAGES for t in response.templates)


def _post_in_savepoint(client, url: str, data: dict, rows: Callable[[], tuple]):
    cache.clear()  # allauth's rate limits: each example on its own
    with transaction.atomic():
        before = rows()
        response = client.post(url, data, follow=True)
        after = rows()
        transaction.set_rollback(True)
    return response, before != after


def test_public_forms_answer_any_input_without_500_and_a_refusal_says_why(client, fuzz_world):
    """One world for every form (building it is the slow part); each form gets its own examples."""
    people, values = fuzz_world
    for name, case in FORMS.items():
        client.logout()
        if case.role != "anonymous":
            client.force_login(people[case.role])
        _fuzz_form(client, name, case, values)


def _examples(rows: list[tuple]):
    def decorate(test):
        for row in rows:
            test = example(row, {})(test)
        return test
    return decorate


def _fuzz_form(client, name: str, case: FormCase, values: dict) -> None:
    url = case.url(values)
    names = [values["quiz_question_field"] if field == "q" else field for field in case.fields]
    valid = [spec(values) if callable(spec) else spec for spec in case.fields.values()]

    explicit = [tuple(overrides.get(n, v[0] if v else "") for n, v in zip(case.fields, valid, strict=True)) for overrides in case.examples]

    @given(st.tuples(*[_hostile_or(v) for v in valid]), st.dictionaries(hostile_text.filter(bool), hostile_text, max_size=2))
    @example(tuple("" for _ in valid), {})
    @_examples(explicit)
    def check(posted, extra):
        data = {**extra, **dict(zip(names, posted, strict=True))}
        response, changed = _post_in_savepoint(client, url, data, case.rows)
        final = response.status_code
        assert final < 500, f"{name}: {final} for {data!r}"
        if not changed and final not in (204, 404) and response.redirect_chain == []:
            # Refused: the same page again, saying why.
            assert _said_why(response), f"{name}: {final}, no message for {data!r}"
        if case.role == "anonymous":
            client.cookies.clear()  # a sign-up that went through leaves a pending login in the session

    check()


@pytest.fixture
def someone(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return participant()


EDGE_INTS = ["0", "1", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808", "1" + "0" * 40]
EDGE_SEGMENTS = ["\x00", "%00", "a\x00", "..", "é", "😀", "-", "_", "x" * 300, "%", "%25", "' OR '1'='1", "<svg>", "AAAA" * 20]


def _segment(converter: str):
    if converter == "int":
        return st.one_of(st.sampled_from(EDGE_INTS), st.integers(min_value=0, max_value=10**30).map(str))
    if converter == "slug":
        return st.one_of(st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True), st.sampled_from(["-", "_", "a" * 300]))
    return st.one_of(st.sampled_from(EDGE_SEGMENTS), st.text(min_size=1, max_size=120).filter(lambda s: "/" not in s))


_ROUTE_PART = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _routes(patterns=None, prefix: str = "", namespace: str | None = None):
    """(name, full route) of every pattern of the portal's own (as tests.test_permission_matrix sees them)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    ours = dict(_our_patterns())
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n) or None
            yield from _routes(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            if name in ours and ours[name] is entry:
                yield name, route


ROUTES = dict(_routes())
CONVERTER_PATTERNS = sorted(name for name, route in ROUTES.items() if "<" in route)


def _path_for(name: str, segments: dict[str, str]) -> str:
    return "/" + _ROUTE_PART.sub(lambda m: quote(segments[m["name"]], safe=""), ROUTES[name])


@pytest.mark.parametrize("name", CONVERTER_PATTERNS)
def test_url_converters_never_answer_500(client, someone, name):
    method = MATRIX[name][0]
    converters = {m["name"]: (m["converter"] or "str") for m in _ROUTE_PART.finditer(ROUTES[name])}
    client.force_login(someone)

    @settings(max_examples=max(4, settings().max_examples // 2))  # edge values are drawn first: few suffice
    @given(st.fixed_dictionaries({arg: _segment(conv) for arg, conv in converters.items()}))
    def check(segments):
        path = _path_for(name, segments)
        with transaction.atomic():
            response = client.post(path) if method == "POST" else client.get(path)
            transaction.set_rollback(True)
        assert response.status_code < 500, f"{response.status_code} for {path}"

    check()
