"""The container's health probe under production settings, the Permissions-Policy header, the
CSRF cookie and the Spanish error pages."""

from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.views import defaults

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

urlpatterns = [path("hola/", lambda request: HttpResponse("hola"))]  # no health check here


@pytest.fixture
def production(settings):
    """What DJANGO_ENV=production sets for requests, with a real host name."""
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["rial.example.org"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.TRUSTED_PROXY_COUNT = 1
    return settings


def test_the_containers_own_probe_gets_the_health_answer(production):
    response = Client().get("/healthz", HTTP_HOST="localhost", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert Client().get("/healthz", HTTP_HOST="localhost:8000", REMOTE_ADDR="::1").status_code == 200


@pytest.mark.urls(__name__)
def test_a_urlconf_without_the_health_check_is_served_as_usual():
    assert Client().get("/hola/", REMOTE_ADDR="127.0.0.1").content == b"hola"


def test_host_checks_and_the_https_redirect_hold_for_everything_else(production):
    client = Client(raise_request_exception=False)
    # Another page from loopback with a foreign host: refused.
    assert client.get(reverse("login"), HTTP_HOST="localhost", REMOTE_ADDR="127.0.0.1").status_code == 400
    # The health URL from elsewhere, or forwarded by a proxy on this host, is an ordinary page.
    assert client.get("/healthz", HTTP_HOST="localhost", REMOTE_ADDR="172.18.0.1").status_code == 400
    forwarded = client.get("/healthz", HTTP_HOST="evil.example", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert forwarded.status_code == 400
    # Other methods are not the probe.
    assert client.post("/healthz", HTTP_HOST="localhost", REMOTE_ADDR="127.0.0.1").status_code == 400
    # Through the proxy with the real name: plain HTTP is redirected, HTTPS answers.
    plain = client.get("/healthz", HTTP_HOST="rial.example.org", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert plain.status_code == 301 and plain["Location"] == "https://rial.example.org/healthz"
    secure = client.get(
        "/healthz", HTTP_HOST="rial.example.org", HTTP_X_FORWARDED_FOR="203.0.113.5", HTTP_X_FORWARDED_PROTO="https"
    )
    assert secure.status_code == 200


def test_a_foreign_host_gets_the_spanish_400_page(production):
    response = Client(raise_request_exception=False).get(reverse("login"), HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Solicitud incorrecta" in response.content.decode()


def test_every_page_sends_a_permissions_policy(client_for):
    response = client_for("oea").get(reverse("home"))
    policy = dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert policy[feature] == "()"


def test_the_csrf_cookie_is_http_only_and_htmx_takes_the_token_from_the_page(client_for, settings):
    assert settings.CSRF_COOKIE_HTTPONLY is True
    response = Client().get(reverse("login"))
    assert response.cookies[settings.CSRF_COOKIE_NAME]["httponly"] is True
    page = client_for("oea").get(reverse("home")).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
    assert "cookie" not in (ROOT / "static" / "js" / "app.js").read_text().lower()


def test_the_500_page_is_spanish_and_needs_no_request_context():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Error del servidor" in body and "Volver al inicio" in body


def test_an_unexpected_error_shows_the_spanish_500_page(production, monkeypatch):
    from django.contrib.auth import views as auth_views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(auth_views.LoginView, "get", broken)
    response = Client(raise_request_exception=False).get(
        reverse("login"), HTTP_HOST="rial.example.org", HTTP_X_FORWARDED_PROTO="https"
    )
    assert response.status_code == 500
    assert "Error del servidor" in response.content.decode()


def test_a_form_without_its_csrf_token_gets_the_spanish_page(db):
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Formulario vencido" in response.content.decode()


def test_404_and_403_pages_are_spanish(client_for, production):
    client = client_for("focal")
    headers = {"HTTP_HOST": "rial.example.org", "HTTP_X_FORWARDED_PROTO": "https"}
    assert "Página no encontrada" in client.get("/no-existe/", **headers).content.decode()
    denied = client.get(reverse("capacity_plan:home"), **headers)
    assert denied.status_code == 403
    assert "Acceso denegado" in denied.content.decode()
