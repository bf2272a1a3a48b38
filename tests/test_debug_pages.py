"""With DEBUG on (the default `make run`), 404 and 500 answers are the app's own Spanish pages for
everyone but signed-in staff; the traceback goes to the terminal log."""

import logging
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.http import Http404
from django.test import Client
from django.urls import path

from rial_site.urls import urlpatterns as site_urlpatterns
from tests.workers import wait_until

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.django_db

TECHNICAL_PAGE = "DEBUG = True"  # every technical page says why it is shown


def broken_view(request):
    raise ZeroDivisionError("una división por cero del código")


def missing_view(request):
    raise Http404("Ninguna cooperación coincide")


urlpatterns = [path("falla/", broken_view), path("no-esta/", missing_view), *site_urlpatterns]


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    return settings


@pytest.fixture
def clients(client_for, make_user):
    return {
        "anonymous": Client(raise_request_exception=False),
        "odes": client_for("odes"),
        "manager": client_for("manager"),
    }


def staff_client():
    from tests.factories import UserFactory

    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("who", ["anonymous", "odes", "manager"])
def test_an_unknown_address_gets_the_spanish_404_page_not_the_technical_one(debug, clients, who):
    response = clients[who].get("/esta-pagina-no-existe/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Página no encontrada" in body and "Volver al inicio" in body
    assert TECHNICAL_PAGE not in body and "URLconf" not in body


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("who", ["anonymous", "odes"])
def test_a_404_raised_by_a_view_gets_the_spanish_page(debug, clients, who):
    response = clients[who].get("/no-esta/")
    body = response.content.decode()
    assert response.status_code == 404 and "Página no encontrada" in body
    assert TECHNICAL_PAGE not in body and "Ninguna cooperación coincide" not in body


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("who", ["anonymous", "odes"])
def test_a_server_error_gets_the_spanish_500_page_and_the_traceback_goes_to_the_log(debug, clients, who, caplog):
    client = clients[who]
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/falla/")
    body = response.content.decode()
    assert response.status_code == 500 and "Error del servidor" in body
    assert TECHNICAL_PAGE not in body and "ZeroDivisionError" not in body and "SECRET_KEY" not in body
    logged = [record for record in caplog.records if record.name == "django.request"]
    assert len(logged) == 1 and logged[0].exc_info[0] is ZeroDivisionError
    assert "/falla/" in logged[0].getMessage()


@pytest.mark.urls(__name__)
def test_signed_in_staff_still_get_the_technical_pages(debug):
    client = staff_client()
    error = client.get("/falla/")
    assert error.status_code == 500 and "ZeroDivisionError" in error.content.decode()
    missing = client.get("/esta-pagina-no-existe/")
    assert missing.status_code == 404 and TECHNICAL_PAGE in missing.content.decode()


def test_the_app_urls_without_trailing_slash_still_redirect(debug, clients):
    response = clients["odes"].get("/pfc/acciones")
    assert response.status_code == 301 and response["Location"] == "/pfc/acciones/"


def test_the_default_embedded_run_serves_the_spanish_404_page(tmp_path, free_port):
    """The development server as `make run` starts it: default settings (DEBUG on, SQLite)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SECRET_KEY", "DEBUG"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DJANGO_SETTINGS_MODULE="rial_site.settings")
    env.pop("DATABASE_URL_TEST", None)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{free_port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def fetch():
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{free_port}/no-existe/", timeout=2)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()  # read before the server stops
        except OSError:
            return None
        raise AssertionError("an unknown address answered 200")

    try:
        answer = wait_until(fetch, 60, "the development server", interval=0.3)
    finally:
        server.terminate()
        server.wait(timeout=20)
    status, body = answer
    assert status == 404
    assert "Página no encontrada" in body and TECHNICAL_PAGE not in body
