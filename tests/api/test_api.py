"""The read-only API with DRF's test client and real tokens: scoping per institution, roles,
read-only, tokens, conditional requests, throttling, filters, aggregates and the schema."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from knox.models import AuthToken
from rest_framework.test import APIClient

from api.services import token_revoke
from capacity_plan import services as plan_services
from tests.factories import (
    CooperationFactory,
    ParticipationFactory,
    QuestionFactory,
    SessionFactory,
    SpecificObjectiveFactory,
    StepFactory,
)

COLLECTIONS = [
    "cooperations",
    "sessions",
    "training-actions",
    "attendance",
    "surveys",
    "indicators",
    "regions",
    "ranking",
]


def names(response) -> list[str]:
    return [row["short_name"] for row in response.json()["results"]]


# --- Scoping --------------------------------------------------------------------------------------


def test_focal_points_see_only_their_institutions_cooperations(world, api_as):
    assert names(api_as(world.users["focal_requesting"]).get("/api/v1/cooperations/")) == ["Perú – Paraguay"]
    assert names(api_as(world.users["focal_providing"]).get("/api/v1/cooperations/")) == ["Perú – Paraguay"]
    assert names(api_as(world.users["focal_other"]).get("/api/v1/cooperations/")) == ["Chile – México"]
    assert sorted(names(api_as(world.users["oea"]).get("/api/v1/cooperations/"))) == [
        "Chile – México",
        "Perú – Paraguay",
    ]


def test_another_institutions_cooperation_and_sessions_are_not_revealed(world, api_as):
    client = api_as(world.users["focal_other"])
    assert client.get(f"/api/v1/cooperations/{world.cooperation.pk}/").status_code == 404
    assert client.get(f"/api/v1/sessions/{world.session.pk}/").status_code == 404
    sessions = client.get("/api/v1/sessions/").json()["results"]
    assert world.session.pk not in [row["id"] for row in sessions]
    # Filtering by the other cooperation finds nothing either.
    assert client.get(f"/api/v1/sessions/?cooperation={world.cooperation.pk}").json()["count"] == 0


def test_a_cooperation_comes_with_its_sessions_steps_participants_and_questions(world, api_as):
    ParticipationFactory(cooperation=world.cooperation, person__full_name="Ana Quispe", institution=world.peru)
    StepFactory(cooperation=world.cooperation, responsible_institutions=[world.peru, world.paraguay], text="Enviar")
    record = api_as(world.users["focal_requesting"]).get(f"/api/v1/cooperations/{world.cooperation.pk}/").json()
    assert [session["id"] for session in record["sessions"]] == [world.session.pk]
    assert {"MTPE", "MTEySS"} in [set(step["responsible"]) for step in record["steps"]]
    assert {"name": "Ana Quispe", "institution": "MTPE", "delegation": "PE"}.items() <= record["participants"][
        0
    ].items()
    assert record["questions"][0]["written_answer"] == "Respuesta"
    assert record["questions"][0]["has_attachment"] is True
    assert "recording_access_code" not in record["sessions"][0]
    assert world.session.recording_access_code not in str(record)


def test_roles_outside_an_area_are_refused(world, api_as):
    assert api_as(world.users["odes"]).get("/api/v1/cooperations/").status_code == 403
    assert api_as(world.users["odes"]).get("/api/v1/sessions/").status_code == 403
    for role in ("oea", "focal_requesting"):
        for collection in ("training-actions", "attendance", "surveys", "indicators", "regions"):
            assert api_as(world.users[role]).get(f"/api/v1/{collection}/").status_code == 403, (role, collection)


def test_the_list_costs_the_same_queries_whatever_the_number_of_cooperations(world, api_as):
    client = api_as(world.users["manager"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/api/v1/cooperations/").status_code == 200
        return len(context.captured_queries)

    before = queries()
    for _ in range(5):
        cooperation = CooperationFactory()
        SessionFactory(cooperation=cooperation)
        StepFactory(cooperation=cooperation, responsible_institutions=[cooperation.requesting_institution])
        ParticipationFactory(cooperation=cooperation)
        QuestionFactory(objective=SpecificObjectiveFactory(cooperation=cooperation, order=1), number=1)
    assert queries() == before


# --- Read-only ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_write_method_answers_405(world, api_as, method):
    client = api_as(world.users["admin"])
    for url in ("/api/v1/cooperations/", f"/api/v1/cooperations/{world.cooperation.pk}/", "/api/v1/regions/"):
        response = getattr(client, method)(url, {"short_name": "x"}, format="json")
        assert response.status_code == 405, url
    assert names(client.get("/api/v1/cooperations/"))  # nothing was changed or deleted
    world.cooperation.refresh_from_db()
    assert world.cooperation.short_name == "Perú – Paraguay"


# --- Tokens ---------------------------------------------------------------------------------------


def test_only_the_tokens_hash_is_stored(world, token_of):
    secret = token_of(world.users["manager"])
    stored = AuthToken.objects.get(user=world.users["manager"])
    assert secret not in (stored.digest, stored.token_key)
    assert stored.personal.name == "pruebas"


def test_a_revoked_or_expired_token_answers_401(world, token_of):
    user = world.users["manager"]
    client = APIClient()
    secret = token_of(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert client.get("/api/v1/cooperations/").status_code == 200
    assert token_revoke(user=user, digest=AuthToken.objects.get(user=user).digest)
    assert client.get("/api/v1/cooperations/").status_code == 401

    expired = token_of(user, days=1)
    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    client.credentials(HTTP_AUTHORIZATION=f"Token {expired}")
    assert client.get("/api/v1/cooperations/").status_code == 401


def test_a_deactivated_users_tokens_stop_working(world, api_as):
    client = api_as(world.users["oea"])
    world.users["oea"].is_active = False
    world.users["oea"].save()
    assert client.get("/api/v1/cooperations/").status_code == 401


def test_the_token_page_shows_a_new_token_once_and_it_works(world, client_for):
    client = client_for(world.users["focal_other"])
    response = client.post(reverse("api_tokens:list"), {"name": "Power BI", "days": "30"})
    assert response.status_code == 200
    secret = response.context["created"].secret
    assert secret in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")

    page = client.get(reverse("api_tokens:list")).content.decode()
    assert "Power BI" in page and secret not in page

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert names(api.get("/api/v1/cooperations/")) == ["Chile – México"]

    digest = AuthToken.objects.get(user=world.users["focal_other"]).digest
    assert client.post(reverse("api_tokens:revoke", args=[digest])).status_code == 302
    assert api.get("/api/v1/cooperations/").status_code == 401


def test_the_token_page_refuses_a_missing_name_and_an_expiry_not_offered(world, client_for):
    client = client_for(world.users["manager"])
    response = client.post(reverse("api_tokens:list"), {"name": "  ", "days": "5000"})
    assert response.status_code == 200
    assert response.context["created"] is None
    assert set(response.context["form"].errors) == {"name", "days"}
    assert not AuthToken.objects.filter(user=world.users["manager"]).exists()


def test_nobody_revokes_another_users_token(world, token_of, client_for):
    token_of(world.users["manager"])
    digest = AuthToken.objects.get(user=world.users["manager"]).digest
    assert client_for(world.users["oea"]).post(reverse("api_tokens:revoke", args=[digest])).status_code == 404
    assert AuthToken.objects.filter(digest=digest).exists()


def test_create_api_token_refuses_an_unknown_user(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="No active user"):
        call_command("create_api_token", "nadie")


# --- Conditional requests and rate limit --------------------------------------------------------


def test_etag_and_last_modified_give_304_until_something_changes(world, api_as):
    client = api_as(world.users["manager"])
    first = client.get("/api/v1/cooperations/")
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = client.get("/api/v1/cooperations/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]

    world.other.short_name = "Chile – México (cambiado)"
    world.other.save()
    changed = client.get("/api/v1/cooperations/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "Chile – México (cambiado)" in names(changed)


def test_each_institution_gets_its_own_etag(world, api_as):
    ours = api_as(world.users["focal_requesting"]).get("/api/v1/cooperations/")
    theirs = api_as(world.users["focal_other"]).get("/api/v1/cooperations/", HTTP_IF_NONE_MATCH=ours["ETag"])
    assert theirs.status_code == 200
    assert ours["ETag"] != theirs["ETag"]


def test_requests_beyond_the_rate_limit_answer_429_per_token(world, api_as, settings):
    settings.API_RATE_LIMIT = "3/minute"
    busy, other = api_as(world.users["manager"]), api_as(world.users["manager"])
    assert [busy.get("/api/v1/regions/").status_code for _ in range(3)] == [200, 200, 200]
    refused = busy.get("/api/v1/cooperations/")  # every endpoint counts against the same token
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert other.get("/api/v1/cooperations/").status_code == 200  # another token has its own count


# --- Filters, pagination, aggregates ------------------------------------------------------------


def test_collections_are_paginated_and_filtered(world, api_as):
    client = api_as(world.users["oea"])
    for n in range(3):
        SessionFactory(cooperation=world.other, order=10 + n)
    first = client.get("/api/v1/sessions/?page_size=2").json()
    assert first["count"] == 4 and len(first["results"]) == 2 and first["next"]
    assert client.get(first["next"]).json()["results"]
    only = client.get(f"/api/v1/sessions/?cooperation={world.other.pk}").json()
    assert only["count"] == 3
    assert names(client.get("/api/v1/cooperations/?q=paraguay")) == ["Perú – Paraguay"]
    bad = client.get("/api/v1/cooperations/?year=dos-mil")
    assert bad.status_code == 400
    assert "year" in bad.json()


def test_attendance_and_survey_aggregates(pfc, api_as, make_user):
    odes = make_user("odes")
    plan_services.attendance_record(
        session=pfc.session,
        marks={pfc.servants[0].pk: "present", pfc.servants[1].pk: "present", pfc.servants[2].pk: "absent"},
        by=odes,
    )
    for clarity in (4, 5):
        plan_services.survey_response_create(
            action=pfc.action,
            servant=None,
            ratings={"clarity": clarity, "usefulness": 4, "materials": 4, "facilitator": 4, "applicability": 4},
            comments="",
            by=odes,
        )
    client = api_as(make_user("manager"))
    attendance = client.get(f"/api/v1/attendance/?action={pfc.action.pk}").json()["results"]
    assert attendance == [
        {
            "session": pfc.session.pk,
            "action": pfc.action.pk,
            "action_title": "Taller de Liderazgo Transformacional",
            "date": pfc.session.date.isoformat(),
            "records": 3,
            "present": 2,
            "absent": 1,
            "justified": 0,
            "attendance_rate": 66.67,
        }
    ]
    surveys = client.get("/api/v1/surveys/").json()["results"]
    assert [row["action"] for row in surveys] == [pfc.action.pk]
    assert surveys[0]["responses"] == 2
    assert surveys[0]["averages"]["clarity"] == 4.5
    assert surveys[0]["satisfaction"] == 4.1


def test_indicators_with_value_target_and_status_per_period(pfc, api_as, make_user):
    client = api_as(make_user("odes"))
    rows = client.get("/api/v1/indicators/?period=2025-5&milestone=4&page_size=100").json()["results"]
    assert rows and {row["milestone"] for row in rows} == {4}
    assert {row["period"] for row in rows} == {"2025-5"}
    assert {"target", "value", "status", "status_label"} <= rows[0].keys()
    assert {row["status"] for row in rows} <= {"on_track", "at_risk", "off_track", "no_data", "no_target"}
    assert client.get("/api/v1/indicators/?period=2025-9").status_code == 400
    assert "Periodo no válido" in client.get("/api/v1/indicators/?period=mayo").json()["period"][0]


def test_regions_lists_the_25_g_drtpe(seed, api_as, make_user):
    regions = api_as(make_user("manager")).get("/api/v1/regions/?page_size=100").json()
    assert regions["count"] == 25


# --- Schema and docs ------------------------------------------------------------------------------


def test_the_schema_validates_and_lists_every_collection(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    for collection in COLLECTIONS:
        assert f"/api/v1/{collection}/" in schema["paths"]
    for path, operations in schema["paths"].items():
        assert set(operations) <= {"get", "parameters"}, path


def test_the_docs_load_swagger_ui_from_our_static_files(world, client_for):
    page = client_for(world.users["manager"]).get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html  # no inline script: the start-up script is its own file
    assert "script-src 'self'" in page["Content-Security-Policy"]
