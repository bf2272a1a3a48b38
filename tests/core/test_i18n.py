import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_interface_is_spanish_by_default(client):
    body = client.get(reverse("login")).content.decode()
    assert '<html lang="es">' in body
    assert "Iniciar sesión" in body


def test_english_is_available_through_the_language_switcher(client_for):
    client = client_for("manager")
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True)
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Sign out" in body
    assert "RIAL cooperations" in body


def test_spanish_date_formats(settings):
    import datetime

    from django.utils import formats, translation

    with translation.override("es"):
        assert formats.date_format(datetime.date(2023, 2, 28)) == "28 de febrero de 2023"


def test_an_english_browser_still_gets_spanish_until_the_user_switches(client):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="es">' in body
