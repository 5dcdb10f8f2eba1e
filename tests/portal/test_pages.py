import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_is_french_by_default_with_navigation(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    for label, url in [("Expéditions", "/expeditions/"), ("Concours", "/contests/"), ("MOOC", "/mooc/"), ("Mesures", "/measures/"), ("Mon espace", "/me/")]:
        assert f'href="{url}"' in html
        assert label in html
    assert 'href="#main"' in html  # skip link


def test_english_lives_under_en_prefix(client):
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert 'href="/en/expeditions/"' in html
    assert "My space" in html


def test_me_requires_login(client):
    response = client.get(reverse("me:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("path", "language", "title"), [("/", "fr", "Erreur du serveur"), ("/en/", "en", "Server error")])
def test_server_error_page_speaks_the_language_of_the_url(rf, path, language, title):
    # The 500 page stands alone (no base template, no context): its lang must still follow the URL.
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override(language):
        html = server_error(rf.get(path)).content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<title>{title}</title>" in html
