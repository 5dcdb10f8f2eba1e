import pytest
from django.urls import reverse

from measures import services
from measures.models import Follow, MeasureStatus, Support, UpdateLink
from portal import personal_data
from tests.factories import UserFactory
from tests.measures.factories import measure, publish, seed_measures

pytestmark = pytest.mark.django_db


def test_overview_groups_the_19_measures_by_origin_with_status_progress_and_source(client):
    seed_measures()
    m = measure(16)
    publish(m, title="Kit en ligne", status=MeasureStatus.IN_PROGRESS, progress=40)
    services.measure_support(measure=m, user=UserFactory())
    html = client.get("/measures/").content.decode()
    for n in range(1, 20):
        assert f'href="/measures/{n}/"' in html
    for name in ["Marseille", "Bordeaux", "Nantes", "Paris, groupe 1", "Paris, groupe 2", "Paris, groupe 3"]:
        assert f">{name}</h3>" in html
    assert "Susciter toutes les vocations avec le numérique : du stage à la création d’emplois et d’entreprises" in html
    assert html.index("Marseille</h3>") < html.index("Bordeaux</h3>") < html.index("Paris, groupe 3</h3>")
    assert '<progress id="progress-16" value="40" max="100">' in html
    assert "measure-status-in_progress\">en cours<" in html
    assert "1 soutien" in html
    assert "Renaissance numérique à l’Assemblée nationale" in html  # source credited
    assert '<svg class="measures-chart" role="img"' in html
    assert "<th scope=\"row\">En cours</th><td>1</td>" in html
    assert "<th scope=\"row\">Proposée</th><td>18</td>" in html


def test_overview_filters_by_origin_and_status(client):
    seed_measures()
    publish(measure(8), status=MeasureStatus.COMMITTED)
    html = client.get("/measures/", {"origin": "nantes"}).content.decode()
    assert [n for n in range(1, 20) if f'href="/measures/{n}/"' in html] == [7, 8, 9]
    html = client.get("/measures/", {"status": "committed"}).content.decode()
    assert [n for n in range(1, 20) if f'href="/measures/{n}/"' in html] == [8]


@pytest.mark.parametrize("query", [{"origin": "atlantis"}, {"status": "42"}, {"origin": ["a", "b"]}])
def test_overview_with_bad_filters_shows_all_without_error(client, query):
    seed_measures()
    response = client.get("/measures/", query)
    assert response.status_code == 200
    assert response.content.decode().count('class="measure-item"') == 19


@pytest.mark.parametrize("path", ["/measures/0/", "/measures/20/", "/measures/999999999999999999999/", "/measures/abc/"])
def test_unknown_measure_is_404(client, path):
    seed_measures()
    assert client.get(path).status_code == 404
    assert client.post(path.replace("/measures/", "/measures/") + "support/").status_code == 404


def test_detail_shows_full_text_status_progress_links_and_timeline(client):
    m = measure(3)
    update = publish(m, title="Étude lancée", status=MeasureStatus.UNDER_STUDY, progress=10, text_fr="Cahier des charges.")
    UpdateLink.objects.create(update=update, label_fr="Compte rendu", url="https://example.org/cr.pdf")
    m.related_links.create(label_fr="Observatoire du numérique", url="https://example.org/observatoire")
    m.related_links.create(kind="mooc.course", key="universite-du-numerique")  # unresolvable: hidden
    html = client.get("/measures/3/").content.decode()
    assert "Créer un baromètre du niveau de numérisation des entreprises." in html
    assert "à l&#x27;étude" in html
    assert '<progress id="measure-progress" value="10" max="100">' in html
    assert "Étude lancée" in html and "Cahier des charges." in html
    assert "proposée → <strong>à l&#x27;étude</strong>" in html
    assert "0 % → <strong>10 %</strong>" in html
    assert 'href="https://example.org/cr.pdf"' in html
    assert 'href="https://example.org/observatoire"' in html
    assert "mooc.course" not in html
    assert "Pas encore désignées." in html


def test_detail_in_english_shows_the_translation(client):
    measure(17)
    html = client.get("/en/measures/17/").content.decode()
    assert "Adapt the status of teleworking (review it, simplify it)." in html
    assert "Adapter le statut du télétravail (revoir, simplifier)." in html  # the original, in a <details>


def test_support_while_logged_out_goes_to_login_then_back_with_support_offered(client, user, password):
    measure(5)
    response = client.post("/measures/5/support/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/measures/5/%3Fsupport%3Doffer"
    response = client.post("/accounts/login/?next=/measures/5/%3Fsupport%3Doffer", {"login": user.email, "password": password})
    assert response.status_code == 302
    assert response["Location"] == "/measures/5/?support=offer"
    html = client.get(response["Location"]).content.decode()
    assert "confirmez votre soutien" in html
    response = client.post("/measures/5/support/")
    assert response["Location"] == "/measures/5/"
    assert Support.objects.filter(user=user, active=True).count() == 1


def test_double_support_post_is_idempotent(logged_in_client, user):
    measure(5)
    for _ in range(2):
        assert logged_in_client.post("/measures/5/support/").status_code == 302
    assert Support.objects.filter(user=user).count() == 1
    assert logged_in_client.post("/measures/5/withdraw/").status_code == 302
    assert logged_in_client.post("/measures/5/withdraw/").status_code == 302
    assert list(Support.objects.filter(user=user).values_list("active", flat=True)) == [False]


def test_follow_with_a_frequency_and_a_bad_frequency(logged_in_client, user):
    measure(5)
    logged_in_client.post("/measures/5/follow/", {"frequency": "weekly"})
    assert list(Follow.objects.filter(user=user).values_list("frequency", flat=True)) == ["weekly"]
    response = logged_in_client.post("/measures/5/follow/", {"frequency": "hourly"})
    assert response.status_code == 302
    assert list(Follow.objects.filter(user=user).values_list("frequency", flat=True)) == ["weekly"]
    logged_in_client.post("/measures/5/unfollow/")
    assert Follow.objects.filter(user=user).count() == 0


def test_get_on_support_never_acts(logged_in_client, user):
    measure(5)
    response = logged_in_client.get("/measures/5/support/")
    assert response["Location"] == "/measures/5/?support=offer"
    assert Support.objects.count() == 0


def test_my_space_lists_supported_and_followed_measures(logged_in_client, user):
    services.measure_support(measure=measure(2), user=user)
    services.measure_follow(measure=measure(11), user=user, frequency="weekly")
    html = logged_in_client.get(reverse("me:dashboard")).content.decode()
    assert "Les mesures que je soutiens" in html
    assert 'href="/measures/2/"' in html
    assert 'href="/measures/11/"' in html
    assert "dans un récapitulatif hebdomadaire" in html


def test_personal_data_exports_and_erases_supports_and_follows(user):
    services.measure_support(measure=measure(2), user=user)
    services.measure_follow(measure=measure(11), user=user)
    data = personal_data.user_data_export(user)["measures"]
    assert [s["measure"] for s in data["supports"]] == [2]
    assert [(f["measure"], f["frequency"]) for f in data["follows"]] == [(11, "immediate")]
    personal_data.user_account_delete(user)
    assert (Support.objects.count(), Follow.objects.count()) == (0, 0)


def _supports_and_updates(count: int) -> None:
    from portal.models import User

    for number in (1, 16):
        m = measure(number)
        for i in range(count):
            # No password hashing: these supporters never log in.
            supporter = User.objects.create(email=f"supporter-{number}-{i}@example.org")
            services.measure_support(measure=m, user=supporter)
            publish(m, title=f"Étape {i}", progress=min(100, i))


@pytest.mark.parametrize("count", [1, 30])
def test_overview_query_count_does_not_grow_with_supports_and_updates(client, django_assert_num_queries, count):
    seed_measures()
    _supports_and_updates(count)
    with django_assert_num_queries(4):
        assert client.get("/measures/").status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_detail_query_count_does_not_grow_with_supports_and_updates(client, django_assert_num_queries, count):
    seed_measures()
    _supports_and_updates(count)
    with django_assert_num_queries(5):
        assert client.get("/measures/16/").status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_detail_query_count_for_a_logged_in_person(logged_in_client, user, django_assert_num_queries, count):
    seed_measures()
    _supports_and_updates(count)
    services.measure_follow(measure=measure(16), user=user)
    with django_assert_num_queries(10):
        assert logged_in_client.get("/measures/16/").status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_pages_served_from_the_page_cache_cost_a_constant_few_queries(logged_in_client, user,
                                                                       django_assert_num_queries, count):
    from django.test import Client

    anonymous = Client()
    seed_measures()
    _supports_and_updates(count)
    for path in ("/measures/", "/measures/16/"):
        anonymous.get(path)  # renders and keeps the public parts
    with django_assert_num_queries(1):  # the origins, for the filter form
        assert anonymous.get("/measures/").status_code == 200
    with django_assert_num_queries(0):
        assert anonymous.get("/measures/16/").status_code == 200
    with django_assert_num_queries(5):  # session, user, unread notifications; own support and follow
        assert logged_in_client.get("/measures/16/").status_code == 200


def test_my_space_section_costs_one_query(user, django_assert_num_queries):
    from measures.selectors import measures_of_user

    for number in (2, 5, 9):
        services.measure_support(measure=measure(number), user=user)
        services.measure_follow(measure=measure(number + 1), user=user)
    with django_assert_num_queries(1):
        data = measures_of_user(user=user)
    assert [m.number for m in data["supported"]] == [2, 5, 9]
    assert [(f["measure"].number, str(f["frequency"])) for f in data["follows"]] == [
        (3, "à chaque mise à jour"), (6, "à chaque mise à jour"), (10, "à chaque mise à jour"),
    ]
