from html.parser import HTMLParser

import pytest
import tablib
from django.core import mail
from django.test import override_settings

from measures import services
from measures.models import Measure, MeasureStatus, MeasureUpdate, Milestone, ProgressMode
from measures.resources import MeasureResource, MeasureUpdateResource
from portal.models import Notification
from tests.factories import UserFactory
from tests.measures.factories import measure, seed_measures, staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_staff_mfa")]


@pytest.fixture
def _no_staff_mfa():
    with override_settings(PORTAL_STAFF_MFA_REQUIRED=False):
        yield


@pytest.fixture
def staff(db):
    return staff_user()


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


class _FormValues(HTMLParser):
    """The values a browser would submit for the admin's main form (defaults as rendered)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") in {"checkbox", "radio"}:
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            else:
                self.values[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_values(html: str) -> dict[str, str]:
    parser = _FormValues()
    parser.feed(html)
    return {k: v for k, v in parser.values.items() if "__prefix__" not in k}


@pytest.mark.parametrize(
    "url",
    [
        "/admin/measures/measure/",
        "/admin/measures/measureupdate/",
        "/admin/measures/origin/",
        "/admin/measures/support/",
        "/admin/measures/follow/",
        "/admin/measures/measureupdate/add/",
        "/admin/measures/measureupdate/import/",
        "/admin/measures/measure/export/",
    ],
)
def test_admin_pages_render(admin_client, url):
    seed_measures()
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_measure_and_update_changelists_query_count_is_constant(admin_client, django_assert_num_queries, count):
    from portal.models import User

    seed_measures()
    m = measure(1)
    for i in range(count):
        services.measure_support(measure=m, user=User.objects.create(email=f"s{i}@example.org"))
        services.measure_update_publish(update=MeasureUpdate(measure=m, title_fr=f"Étape {i}"), by=None)
    with django_assert_num_queries(9):
        assert admin_client.get("/admin/measures/measureupdate/").status_code == 200
    with django_assert_num_queries(7):
        assert admin_client.get("/admin/measures/measure/").status_code == 200


def test_admin_add_update_publishes_through_the_service_once(admin_client, staff, django_capture_on_commit_callbacks):
    m = measure(10)
    follower = UserFactory()
    services.measure_follow(measure=m, user=follower)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/measures/measureupdate/add/",
            {
                "measure": m.pk,
                "published_on": "2026-11-20",
                "title_fr": "Émission pilote diffusée",
                "title_en": "Pilot programme aired",
                "text_fr": "Un premier numéro.",
                "text_en": "",
                "status_after": MeasureStatus.IN_PROGRESS,
                "progress_after": "20",
                "links-TOTAL_FORMS": "1",
                "links-INITIAL_FORMS": "0",
                "links-MIN_NUM_FORMS": "0",
                "links-MAX_NUM_FORMS": "1000",
                "links-0-label_fr": "Replay",
                "links-0-url": "https://example.org/replay",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    update = MeasureUpdate.objects.get()
    m.refresh_from_db()
    assert (m.status, m.progress) == (MeasureStatus.IN_PROGRESS, 20)
    assert (update.status_before, update.progress_before, update.published_by) == ("proposed", 0, staff)
    assert list(update.links.values_list("url", flat=True)) == ["https://example.org/replay"]
    assert Notification.objects.filter(kind="measures.update", user=follower).count() == 1
    assert [msg.to for msg in mail.outbox] == [[follower.email]]


@pytest.mark.parametrize("progress", ["150", "-3", "abc"])
def test_admin_add_update_with_bad_progress_shows_an_error(admin_client, progress):
    m = measure(10)
    response = admin_client.post(
        "/admin/measures/measureupdate/add/",
        {
            "measure": m.pk,
            "published_on": "2026-11-20",
            "title_fr": "x",
            "status_after": "",
            "progress_after": progress,
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
            "links-MIN_NUM_FORMS": "0",
            "links-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert MeasureUpdate.objects.count() == 0


def test_admin_inline_new_update_on_the_measure_page_publishes_once(admin_client, staff):
    m = measure(14)
    follower = UserFactory()
    services.measure_follow(measure=m, user=follower)
    url = f"/admin/measures/measure/{m.pk}/change/"
    data = form_values(admin_client.get(url).content.decode())
    prefix = next(k[: -len("-TOTAL_FORMS")] for k in data if k.endswith("-TOTAL_FORMS") and data[k] == "1")
    data.update(
        {
            f"{prefix}-0-title_fr": "Projet 1 h/1 école relancé",
            f"{prefix}-0-status_after": "committed",
            f"{prefix}-0-progress_after": "15",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    m.refresh_from_db()
    assert (m.status, m.progress) == ("committed", 15)
    assert list(m.updates.values_list("title_fr", "published_by")) == [("Projet 1 h/1 école relancé", staff.pk)]
    assert Notification.objects.filter(kind="measures.update", user=follower).count() == 1
    # Saving the page again publishes nothing more.
    data = form_values(admin_client.get(url).content.decode())
    assert admin_client.post(url, data).status_code == 302
    assert m.updates.count() == 1


def test_admin_milestone_weights_must_add_up_to_100(admin_client):
    m = measure(18)
    url = f"/admin/measures/measure/{m.pk}/change/"
    data = form_values(admin_client.get(url).content.decode())
    data.update(
        {
            "progress_mode": ProgressMode.MILESTONES,
            "milestones-TOTAL_FORMS": "2",
            "milestones-0-position": "1",
            "milestones-0-title_fr": "Désigner",
            "milestones-0-weight": "60",
            "milestones-0-done": "on",
            "milestones-1-position": "2",
            "milestones-1-title_fr": "Former",
            "milestones-1-weight": "30",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "doivent totaliser 100 %" in response.content.decode()
    assert Milestone.objects.count() == 0
    assert Measure.objects.get(pk=m.pk).progress_mode == "direct"
    data["milestones-1-weight"] = "40"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.progress_mode, m.progress) == ("milestones", 60)


def test_import_of_updates_dry_run_writes_nothing_then_publishes_each_row(staff):
    seed_measures()
    follower = UserFactory()
    services.measure_follow(measure=Measure.objects.get(number=6), user=follower)
    dataset = tablib.Dataset(
        headers=[
            "id",
            "measure",
            "published_on",
            "title_fr",
            "title_en",
            "text_fr",
            "text_en",
            "status_after",
            "progress_after",
        ]
    )
    dataset.append(["", 6, "2026-11-02", "Rencontres recherche-entreprise", "", "", "", "committed", 5])
    dataset.append(["", 7, "2026-11-03", "Convention signée", "", "", "", "", ""])
    resource = MeasureUpdateResource()
    result = resource.import_data(dataset, dry_run=True, user=staff)
    assert not result.has_errors() and not result.has_validation_errors()
    assert (MeasureUpdate.objects.count(), Notification.objects.count()) == (0, 0)
    result = resource.import_data(dataset, dry_run=False, user=staff)
    assert not result.has_errors() and not result.has_validation_errors()
    assert sorted(
        MeasureUpdate.objects.values_list("measure__number", "status_after", "progress_after", "published_by")
    ) == [
        (6, "committed", 5, staff.pk),
        (7, "proposed", 0, staff.pk),
    ]
    assert Notification.objects.filter(user=follower).count() == 1


def test_import_of_an_update_with_progress_out_of_range_is_a_row_error(staff):
    seed_measures()
    dataset = tablib.Dataset(headers=["id", "measure", "published_on", "title_fr", "status_after", "progress_after"])
    dataset.append(["", 6, "2026-11-02", "Trop", "", 180])
    result = MeasureUpdateResource().import_data(dataset, dry_run=False, user=staff)
    assert result.has_validation_errors()
    assert MeasureUpdate.objects.count() == 0


def test_export_of_measures_has_the_19_rows():
    seed_measures()
    dataset = MeasureResource().export()
    assert dataset.headers[:3] == ["number", "origin", "short_title_fr"]
    assert [int(row[0]) for row in dataset] == list(range(1, 20))


def test_measure_import_never_changes_status_or_progress():
    seed_measures()
    dataset = MeasureResource().export()
    status_col, progress_col = dataset.headers.index("status"), dataset.headers.index("progress")
    rows = [list(r) for r in dataset]
    rows[0][status_col], rows[0][progress_col] = "done", 100
    rows[0][dataset.headers.index("short_title_fr")] = "Campagne nationale (titre revu)"
    result = MeasureResource().import_data(tablib.Dataset(*rows, headers=dataset.headers), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    m = Measure.objects.get(number=1)
    assert (m.short_title_fr, m.status, m.progress) == ("Campagne nationale (titre revu)", "proposed", 0)


def test_history_keeps_who_changed_what_in_both_languages(admin_client, staff):
    m = measure(15)
    url = f"/admin/measures/measure/{m.pk}/change/"
    data = form_values(admin_client.get(url).content.decode())
    data["short_title_en"] = "An Internet degree"
    assert admin_client.post(url, data).status_code == 302
    latest = m.history.order_by("-history_id").first()
    assert (latest.short_title_en, latest.short_title_fr, latest.history_user) == ("An Internet degree", "Un diplôme d’Internet", staff)
    assert admin_client.get(f"/admin/measures/measure/{m.pk}/history/").status_code == 200
