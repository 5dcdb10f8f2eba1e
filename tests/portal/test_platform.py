"""Production shape: health probe, deploy checks, static files, seed, exports, admin security."""

import csv
import datetime
import io
import os
import subprocess
import sys
import warnings
from html.parser import HTMLParser
from types import SimpleNamespace

import openpyxl
import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils.deprecation import RemovedInDjango60Warning
from import_export.fields import Field
from import_export.widgets import DateWidget, IntegerWidget

from portal.admin import PartnerResource
from portal.models import Audience, Notification, Partner, Profile, Region, User
from portal.seeding import CURATORS_GROUP
from tests.factories import UserFactory

ROOT = settings.BASE_DIR
def _signing_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "p" * 20 + "-production-secret-key-of-fifty-chars",
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "PORTAL_BASE_URL": "https://portal.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",  # not connected to by the checks
    # the seller's legal details printed on invoices (billing.W001 warns of placeholders)
    "BILLING_SELLER_NAME": "Fédération Exemple", "BILLING_SELLER_LEGAL_FORM": "Association loi 1901",
    "BILLING_SELLER_ADDRESS": "1 rue Exemple\\n75007 Paris", "BILLING_SELLER_SIREN": "732829320",
    "BILLING_SELLER_RCS": "RNA W751000000", "BILLING_SELLER_VAT_NUMBER": "FR44732829320",
    "PORTAL_CREDENTIALS_SIGNING_KEY": _signing_key_pem(),  # production refuses to start without one
}


def _manage(*args, env_extra=None, check=False):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "PORTAL_TESTING", "PORTAL_BASE_URL", "DATABASE_URL"))}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check)


@pytest.mark.django_db
def test_healthz_reports_database_and_eager_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


def test_check_deploy_is_clean_under_production_settings():
    assert len(PRODUCTION_ENV["DJANGO_SECRET_KEY"]) >= 50
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SILENCED_SYSTEM_CHECKS" not in open(ROOT / "portal" / "settings.py").read()


def test_missing_secret_key_in_production_is_a_clear_startup_error():
    result = _manage("check", env_extra={"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "portal.example.org"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required when DJANGO_DEBUG=0" in result.stderr


def test_loading_every_admin_form_raises_no_django_6_deprecation():
    # Set-up imports every admin module, so every form class is built (URLField's assume_scheme).
    script = (
        "import os, warnings; from django.utils.deprecation import RemovedInDjango60Warning;"
        "warnings.simplefilter('error', RemovedInDjango60Warning);"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings'); import django; django.setup()"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "base_url, problem",
    [
        (None, "it is not set"),
        ("http://portal.example.org", "'http://portal.example.org' is not an https:// URL"),
        ("https://portal.example.org.evil.example", "its host 'portal.example.org.evil.example' is not in DJANGO_ALLOWED_HOSTS (portal.example.org)"),
    ],
)
def test_production_refuses_to_start_without_a_public_https_base_url(base_url, problem):
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != "PORTAL_BASE_URL"}
    if base_url is not None:
        env["PORTAL_BASE_URL"] = base_url
    result = _manage("check", env_extra=env)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: PORTAL_BASE_URL is required when DJANGO_DEBUG=0 and must be "
        "the portal's public https:// address, e.g. https://portal.example.org (links in e-mails are built on it): "
        f"{problem}."
    )


def test_production_accepts_a_base_url_on_an_allowed_host_or_subdomain():
    env = {**PRODUCTION_ENV, "DJANGO_ALLOWED_HOSTS": ".example.org", "PORTAL_BASE_URL": "https://portal.example.org/"}
    result = _manage("check", env_extra=env)
    assert result.returncode == 0, result.stderr


def test_pages_render_under_the_production_static_storage_and_https_redirect(tmp_path):
    env = {**PRODUCTION_ENV, "DJANGO_STATIC_ROOT": str(tmp_path)}
    _manage("collectstatic", "--noinput", "-v0", env_extra=env, check=True)
    script = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings'); django.setup();"
        "from django.test import Client; from django.conf import settings;"
        "h = Client(HTTP_HOST='portal.example.org').get('/healthz');"
        "r = Client(HTTP_HOST='portal.example.org').get('/legal/', secure=True);"
        "print(h.status_code, Client(HTTP_HOST='portal.example.org').get('/legal/').status_code); print(r.status_code); print(r.content.decode())"
    )
    env_all = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "PORTAL_TESTING", "PORTAL_BASE_URL", "DATABASE_URL"))}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**env_all, **env}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    health_and_plain, status, html = result.stdout.split("\n", 2)
    # /healthz is exempt from the HTTPS redirect (probes speak plain HTTP); pages are not.
    assert health_and_plain == "200 301"
    assert status == "200"
    # Manifest storage: hashed, cache-busting names.
    assert "/static/css/portal." in html
    assert "/static/css/portal.css" not in html


@pytest.mark.django_db
def test_seed_is_idempotent_and_keeps_staff_edits():
    call_command("seed", stdout=io.StringIO())
    counts = (Audience.objects.count(), Region.objects.count(), Partner.objects.count())
    assert counts == (8, 19, 8)
    Partner.objects.filter(slug="cnam").update(name_fr="Le Cnam (édité)")
    call_command("seed", stdout=io.StringIO())
    assert (Audience.objects.count(), Region.objects.count(), Partner.objects.count()) == counts
    assert Partner.objects.get(slug="cnam").name_fr == "Le Cnam (édité)"
    assert Group.objects.get(name=CURATORS_GROUP).permissions.filter(codename="change_partner").exists()
    assert list(Audience.objects.values_list("name_fr", flat=True)) == [
        "Chef d'entreprise", "Élu", "Agent public", "Partenaire social", "Journaliste",
        "Président de fédération professionnelle", "Responsable de l'écosystème d'innovation", "Autre",
    ]


class _LedgerResource(PartnerResource):
    balance = Field(attribute="balance", column_name="balance", widget=IntegerWidget())
    since = Field(attribute="since", column_name="since", widget=DateWidget())

    class Meta(PartnerResource.Meta):
        fields = ("slug", "name_fr", "description_fr", "balance", "since")


def _rows():
    evil = SimpleNamespace(slug="evil", name_fr='=HYPERLINK("http://x")', description_fr="@SUM(A1)", balance=-5, since=datetime.date(2016, 4, 20))
    tab = SimpleNamespace(slug="tab", name_fr="\tcmd", description_fr="", balance=None, since=None)
    return [evil, tab]


def test_csv_export_neutralises_formulas_but_keeps_numbers_dates_and_empty_cells():
    dataset = _LedgerResource().export(queryset=_rows())
    rows = list(csv.reader(io.StringIO(dataset.export("csv"))))
    assert rows[0] == ["slug", "name_fr", "description_fr", "balance", "since"]
    assert rows[1] == ["evil", "'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "-5", "2016-04-20"]
    assert rows[2] == ["tab", "'\tcmd", "", "", ""]


def test_xlsx_export_neutralises_formulas_and_keeps_native_types():
    dataset = _LedgerResource().export(queryset=_rows(), force_native_type=True)
    sheet = openpyxl.load_workbook(io.BytesIO(dataset.export("xlsx"))).active
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert values[0][:4] == ["evil", "'=HYPERLINK(\"http://x\")", "'@SUM(A1)", -5]
    assert values[0][4].date() == datetime.date(2016, 4, 20)
    assert values[1][1] == "'\tcmd"
    assert values[1][3] is None


@pytest.mark.django_db
def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_staff_must_set_up_two_factor_in_production(client, settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = True
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_staff_without_two_factor_reach_no_staff_page_outside_the_admin_either(client, settings):
    # Staff also act outside /admin/ (contest deliberation, measure updates, MOOC drafts).
    settings.PORTAL_STAFF_MFA_REQUIRED = True
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    for path in ["/contests/", "/measures/", "/me/", "/en/mooc/"]:
        response = client.get(path)
        assert (path, response.status_code) == (path, 302)
    assert client.get("/en/me/")["Location"] == "/en/accounts/2fa/totp/activate/"
    # What setting up the second factor needs stays reachable.
    for path in ["/accounts/2fa/", "/en/accounts/2fa/", "/accounts/reauthenticate/", "/accounts/logout/", "/healthz"]:
        assert (path, client.get(path).status_code) == (path, 200)
    superuser = UserFactory(is_staff=False, is_superuser=True)  # has every permission
    client.force_login(superuser)
    assert client.get("/measures/").status_code == 302
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)
    assert client.get("/contests/").status_code == 200
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_admin_is_in_french(client, settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get("/admin/").content.decode()
    assert "Portail de la transformation numérique du Medef — administration" in html


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["audience", "region", "partner", "notification", "user"])
def test_admin_changelists_render(client, settings, model):
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    call_command("seed", stdout=io.StringIO())
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(f"/admin/portal/{model}/").status_code == 200


@pytest.mark.django_db
def test_import_needs_the_add_permission(client, settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    curator = UserFactory(is_staff=True)
    curator.user_permissions.add(Permission.objects.get(codename="view_partner"))
    client.force_login(curator)
    assert client.get("/admin/portal/partner/import/").status_code == 403


@pytest.mark.django_db
def test_a_partner_website_typed_without_a_scheme_is_saved_as_https(client, settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    data = {"slug": "cci", "name_fr": "CCI", "name_en": "", "description_fr": "", "description_en": "", "website": "www.cci.fr"}
    with warnings.catch_warnings():
        warnings.simplefilter("error", RemovedInDjango60Warning)
        response = client.post("/admin/portal/partner/add/", data)
    assert response.status_code == 302
    assert Partner.objects.get(slug="cci").website == "https://www.cci.fr"


class _InlineCode(HTMLParser):
    """What a Content-Security-Policy without 'unsafe-inline' blocks: inline scripts, handlers, styles."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"{tag} {name}=" for name in sorted(names) if name.startswith("on") or name == "style"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["export", "import"])
def test_admin_import_export_pages_have_no_inline_code_the_csp_blocks(client, settings, page):
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(f"/admin/portal/partner/{page}/")
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    parser = _InlineCode()
    parser.feed(response.content.decode())
    assert parser.found == []


@pytest.mark.django_db(transaction=True)
def test_database_probe_is_bounded_to_one_second_outside_any_transaction():
    # Under gunicorn the probe runs in autocommit, where a bare SET LOCAL is silently ignored.
    from django.db import connection

    from portal import health

    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    connection.ensure_connection()
    del connection.connection.notices[:]
    assert health.database_ok() is True
    assert connection.connection.notices == []
    with connection.cursor() as cursor:  # and it does not outlive the probe
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


@pytest.mark.django_db
def test_staff_add_a_user_in_the_admin_then_fill_in_the_profile(client, settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    formset = {"profile-TOTAL_FORMS": "1", "profile-INITIAL_FORMS": "0", "profile-MIN_NUM_FORMS": "0", "profile-MAX_NUM_FORMS": "1"}
    response = client.post(
        "/admin/portal/user/add/",
        {"email": "added@example.org", "password1": "Un-mot-de-passe-solide-7", "password2": "Un-mot-de-passe-solide-7",
         "usable_password": "true", "profile-0-organisation": "PME Exemple", "profile-0-job_title": "Gérante", **formset},
    )
    added = User.objects.get(email="added@example.org")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/portal/user/{added.pk}/change/"
    assert Profile.objects.filter(user=added).count() == 1
    change = client.get(response["Location"]).content.decode()
    assert 'name="profile-0-organisation"' in change


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["delete_view", "delete_selected"])
def test_deleting_a_user_in_the_admin_erases_through_the_personal_data_registry(client, settings, how):
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    person = UserFactory()
    # Addressed to the person's e-mail before the account existed (no user link): only the
    # registry's erase knows to remove it.
    Notification.objects.create(kind="account.unknown_account", recipient_email=person.email, subject="s", body_text="b")
    if how == "delete_view":
        response = client.post(f"/admin/portal/user/{person.pk}/delete/", {"post": "yes"})
    else:
        response = client.post(
            "/admin/portal/user/", {"action": "delete_selected", "_selected_action": [person.pk], "post": "yes"}
        )
    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()
    assert not Notification.objects.filter(recipient_email=person.email).exists()


def test_deploy_check_warns_when_the_cache_is_not_shared_between_processes(settings):
    from portal.checks import shared_cache_check

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in shared_cache_check()] == ["portal.W001"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/0"}}
    assert shared_cache_check() == []
