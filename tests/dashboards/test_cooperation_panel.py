"""The cooperations panel: OEA staff see every cooperation, a focal point their institution's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cooperations.history import TRACKED_PARTS
from cooperations.models import AnswerVersion, Cooperation, DeliverableVersion
from dashboards import selectors
from tests.cooperations.conftest import world  # noqa: F401  (fixture)
from tests.factories import (
    CooperationFactory,
    QuestionFactory,
    SessionFactory,
    SpecificObjectiveFactory,
    StepFactory,
    aware,
    user_with_role,
)

pytestmark = pytest.mark.django_db
PANEL = reverse("dashboards:cooperations")


def groups_of(response) -> dict[str, list[int]]:
    """Institution label -> ids of its steps (overdue first), as the page groups them."""
    return {
        group.label: [step.pk for step in group.overdue + group.upcoming] for group in response.context["panel"].steps
    }


def test_oea_sees_the_overdue_seed_001_steps_under_mtpe_and_mitradel(seed, client_for):
    response = client_for("oea").get(PANEL)

    assert response.status_code == 200
    groups = groups_of(response)
    # Seed 001 (Perú – Panamá): 201 is shared by MITRADEL and the MTPE, 203 and 205 are the MTPE's.
    assert {201, 203, 205} <= set(groups["MTPE"])
    assert 201 in groups["MITRADEL"]
    assert not {203, 205} & set(groups["MITRADEL"])
    mtpe = next(group for group in response.context["panel"].steps if group.label == "MTPE")
    assert {201, 203, 205} <= {step.pk for step in mtpe.overdue}
    page = response.content.decode()
    assert page.count("#paso-201") == 2  # a link under each responsible institution
    assert "Vencido" in page


def test_a_focal_point_sees_only_its_institution(world, client):  # noqa: F811
    today = timezone.localdate()
    ours = StepFactory(cooperation=world.cooperation, due_date=today + datetime.timedelta(days=3))
    theirs = StepFactory(
        cooperation=world.cooperation,
        due_date=today - datetime.timedelta(days=2),
        responsible_institutions=[world.paraguay],
    )
    other = StepFactory(cooperation=world.other, due_date=today - datetime.timedelta(days=2))
    QuestionFactory(objective=SpecificObjectiveFactory(cooperation=world.other, order=1), number=1)

    client.force_login(world.users["focal_requesting"])
    response = client.get(PANEL)

    assert groups_of(response) == {"MTPE": [world.step.pk, ours.pk]}  # overdue first
    panel = response.context["panel"]
    assert {row.question.cooperation_id for row in panel.questions} <= {world.cooperation.pk}
    assert world.other.pk not in {row.cooperation.pk for row in panel.inactive}
    assert "Chile – México" not in response.content.decode()

    client.force_login(world.users["focal_other"])
    groups = groups_of(client.get(PANEL))
    assert groups == {"MTPS": [other.pk]}
    assert theirs.pk not in groups["MTPS"]


def test_sessions_of_the_next_30_days_show_both_countries_times(world, client_for):  # noqa: F811
    soon = timezone.localdate() + datetime.timedelta(days=20)
    later = timezone.localdate() + datetime.timedelta(days=45)
    session = SessionFactory(
        cooperation=world.cooperation, order=5, starts_at=aware(soon.year, soon.month, soon.day, 9)
    )
    SessionFactory(cooperation=world.cooperation, order=6, starts_at=aware(later.year, later.month, later.day, 9))

    response = client_for("oea").get(PANEL)

    rows = response.context["panel"].sessions
    assert [row.session.pk for row in rows] == [session.pk]
    times = {time["country"].iso_code: time["time_text"] for time in rows[0].times}
    assert times["PE"].startswith("09:00")
    assert times["PY"] != times["PE"]  # Asunción's own clock, from its IANA zone
    assert f"#sesion-{session.pk}" in response.content.decode()


def test_questions_waiting_say_for_how_long(world, client_for):  # noqa: F811
    objective = SpecificObjectiveFactory(cooperation=world.cooperation, order=2)
    QuestionFactory(objective=objective, number=2, sent_on=timezone.localdate() - datetime.timedelta(days=12))

    response = client_for("oea").get(PANEL)

    assert "espera desde hace 12 días" in response.content.decode()
    # The answered question of the world is not waiting.
    assert world.question.pk not in {row.question.pk for row in response.context["panel"].questions}


def test_recordings_expiring_within_14_days(world, client_for):  # noqa: F811
    today = timezone.localdate()
    expiring = SessionFactory(
        cooperation=world.cooperation,
        order=7,
        recording_url="https://example.org/grabacion",
        recording_available_until=today + datetime.timedelta(days=5),
    )
    SessionFactory(
        cooperation=world.cooperation,
        order=8,
        recording_url="https://example.org/otra",
        recording_available_until=today + datetime.timedelta(days=20),
    )

    response = client_for("oea").get(PANEL)

    assert [row.session.pk for row in response.context["panel"].recordings] == [expiring.pk]
    assert "quedan 5 días" in response.content.decode()
    assert "Af9U=gZ*" not in response.content.decode()  # access codes never shown here


def _age_everything(days: int) -> None:
    past = timezone.now() - datetime.timedelta(days=days)
    Cooperation.history.model.objects.update(history_date=past)
    for part in TRACKED_PARTS:
        part.history.model.objects.update(history_date=past)
    Cooperation.objects.update(updated_at=past)
    DeliverableVersion.objects.update(uploaded_at=past)
    AnswerVersion.objects.update(answered_at=past)


def test_cooperations_without_activity_for_30_days(world, client_for):  # noqa: F811
    closed = CooperationFactory(short_name="Cerrada", status=Cooperation.Status.CLOSED)
    _age_everything(40)
    StepFactory(cooperation=world.other)  # something happened in Chile – México today

    response = client_for("oea").get(PANEL)

    inactive = response.context["panel"].inactive
    assert [row.cooperation.pk for row in inactive] == [world.cooperation.pk]
    assert inactive[0].idle_days == 40
    assert closed.pk not in [row.cooperation.pk for row in inactive]


def test_the_panel_keeps_its_query_count_whatever_the_data(world, django_assert_max_num_queries):  # noqa: F811
    user = user_with_role("Personal de la OEA")
    today = timezone.localdate()
    for n in range(15):
        cooperation = CooperationFactory(
            requesting_institution=world.peru, providing_institution=world.paraguay, short_name=f"C{n}"
        )
        SessionFactory(cooperation=cooperation, order=1, starts_at=aware(today.year, today.month, today.day, 23))
        StepFactory(cooperation=cooperation, due_date=today, responsible_institutions=[world.peru, world.paraguay])
        QuestionFactory(objective=SpecificObjectiveFactory(cooperation=cooperation, order=1), number=1)

    with django_assert_max_num_queries(7):
        panel = selectors.cooperation_panel(user=user)
    assert len(panel.steps) == 2 and len(panel.steps[0].overdue + panel.steps[0].upcoming) >= 15


def test_the_panel_page_keeps_its_query_count(world, client_for, django_assert_max_num_queries):  # noqa: F811
    client = client_for("oea")
    for n in range(10):
        cooperation = CooperationFactory(short_name=f"D{n}")
        StepFactory(cooperation=cooperation, due_date=timezone.localdate())
    with django_assert_max_num_queries(13):
        assert client.get(PANEL).status_code == 200


def test_odes_specialists_are_refused_the_cooperations_panel(client_for):
    assert client_for("odes").get(PANEL).status_code == 403


def test_managers_read_every_cooperation_on_the_panel(world, client_for):  # noqa: F811
    today = timezone.localdate()
    StepFactory(cooperation=world.other, due_date=today)

    response = client_for("manager").get(PANEL)

    assert set(groups_of(response)) == {"MTPE", "MTPS"}
    assert "Chile – México" in response.content.decode()
    assert "Todas las cooperaciones RIAL." in response.content.decode()
