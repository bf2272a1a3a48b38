"""The API over real HTTP (the live server, urllib), with tokens made as the README says:
`manage.py create_api_token USERNAME` on the seed data and the demo users."""

import io
import json
import urllib.error
import urllib.request

import pytest
from django.core import management

from cooperations.models import Session

# Committed rows for the live server; the roles (groups of a data migration) restored after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SEED_COOPERATIONS = {
    "Perú – Paraguay: habilidades digitales",
    "Perú – Panamá: orientación vocacional",
    "Perú – Chile: escuelas de formación sindical",
    "Ecuador – México: servicios públicos de empleo",
}


@pytest.fixture
def seed_committed(transactional_db, seed_snapshot, monkeypatch):
    """The seed data and the demo users, committed (the live server reads them from its own connection)."""
    seed_snapshot.restore()
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pruebas-api")
    management.call_command("create_demo_users", stdout=io.StringIO())


def create_api_token(username: str) -> str:
    out = io.StringIO()
    management.call_command("create_api_token", username, stdout=out)
    return out.getvalue().strip()


def fetch(url: str, token: str | None = None, **headers: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={**headers, **({"Authorization": f"Token {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_a_managers_token_lists_the_four_seed_cooperations_and_a_focal_points_only_theirs(live_server, seed_committed):
    manager_token = create_api_token("gerente")
    focal_token = create_api_token("focal-mtps")

    status, _headers, body = fetch(f"{live_server.url}/api/v1/cooperations/", manager_token)
    assert status == 200
    listing = json.loads(body)
    assert listing["count"] == 4
    assert {row["short_name"] for row in listing["results"]} == SEED_COOPERATIONS

    status, _headers, body = fetch(f"{live_server.url}/api/v1/cooperations/", focal_token)
    assert status == 200
    assert [row["short_name"] for row in json.loads(body)["results"]] == [
        "Perú – Chile: escuelas de formación sindical"
    ]


def test_recording_access_codes_never_appear(live_server, seed_committed):
    codes = [code for code in Session.objects.values_list("recording_access_code", flat=True) if code]
    assert codes, "the seed has recordings with access codes"
    token = create_api_token("gerente")
    for path in (
        "cooperations/",
        "sessions/",
        f"sessions/{Session.objects.exclude(recording_access_code='').first().pk}/",
    ):
        status, _headers, body = fetch(f"{live_server.url}/api/v1/{path}", token)
        assert status == 200
        text = body.decode()
        assert "access_code" not in text
        assert not [code for code in codes if json.dumps(code)[1:-1] in text], path


def test_without_a_token_or_with_a_wrong_one_the_answer_is_401(live_server, seed_committed):
    token = create_api_token("gerente")
    status, headers, _body = fetch(f"{live_server.url}/api/v1/cooperations/")
    assert status == 401
    assert headers["WWW-Authenticate"] == "Token"
    status, _headers, _body = fetch(f"{live_server.url}/api/v1/cooperations/", token[:-2] + "xx")
    assert status == 401


def test_an_unchanged_collection_answers_304_to_its_etag(live_server, seed_committed):
    token = create_api_token("gerente")
    url = f"{live_server.url}/api/v1/cooperations/"
    status, headers, body = fetch(url, token)
    assert status == 200 and body
    etag, last_modified = headers["ETag"], headers["Last-Modified"]

    assert fetch(url, token, **{"If-None-Match": etag})[0] == 304
    assert fetch(url, token, **{"If-Modified-Since": last_modified})[0] == 304

    cooperation = Session.objects.first().cooperation
    cooperation.topic = "Otra temática"
    cooperation.save()
    status, headers, _body = fetch(url, token, **{"If-None-Match": etag})
    assert status == 200
    assert headers["ETag"] != etag
