"""The seed fixtures reproduce the four seed documents (counts taken from the documents)."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core import management

from cooperations.models import Cooperation, FocalPoint, Question

pytestmark = pytest.mark.django_db

PERU_PARAGUAY, PERU_PANAMA, PERU_CHILE, ECUADOR_MEXICO = 1, 2, 3, 4


@pytest.fixture
def seeded():
    management.call_command("load_seed_data", verbosity=0)


def delegation_counts(cooperation_id):
    cooperation = Cooperation.objects.get(pk=cooperation_id)
    return Counter(
        participation.delegation.name if participation.delegation else "OEA"
        for participation in cooperation.participations.select_related("delegation")
    )


def test_the_four_seed_cooperations_are_loaded(seeded):
    cooperations = {
        c.pk: c for c in Cooperation.objects.select_related("call", "requesting_institution", "providing_institution")
    }
    assert {
        pk: (c.requesting_institution.acronym, c.providing_institution.acronym, c.call.number, c.call.year)
        for pk, c in cooperations.items()
    } == {
        PERU_PARAGUAY: ("MTPE", "MTEySS", 15, 2022),
        PERU_PANAMA: ("MTPE", "MITRADEL", 17, 2024),
        PERU_CHILE: ("MTPE", "MTPS", 14, 2021),
        ECUADOR_MEXICO: ("MT", "STPS", 16, 2023),
    }
    assert cooperations[PERU_PARAGUAY].status == Cooperation.Status.CLOSED
    assert cooperations[PERU_PARAGUAY].website == "http://rialnet.org/es/peru_paraguay_generacion_digital"
    assert cooperations[PERU_CHILE].connection_url == "https://zoom.us/j/6458868936"


def test_sessions_per_cooperation_match_the_documents(seeded):
    counts = {c.pk: c.sessions.count() for c in Cooperation.objects.all()}
    # coordination meeting + the sessions each document lists (003 adds the intermediate one)
    assert counts == {PERU_PARAGUAY: 4, PERU_PANAMA: 4, PERU_CHILE: 4, ECUADOR_MEXICO: 6}


def test_participants_per_delegation_match_the_documents(seeded):
    assert delegation_counts(PERU_PARAGUAY) == {"Perú": 18, "Paraguay": 7, "OEA": 5}
    assert delegation_counts(PERU_PANAMA) == {"Perú": 10, "Panamá": 8, "OEA": 3}
    assert delegation_counts(PERU_CHILE) == {"Chile": 4, "Perú": 5, "OEA": 2}
    assert delegation_counts(ECUADOR_MEXICO) == {"Ecuador": 26, "México": 14, "OEA": 3}


def test_annex_1_questions_per_objective(seeded):
    per_objective = Counter(
        Question.objects.filter(cooperation_id=PERU_PARAGUAY).values_list("objective__order", flat=True)
    )
    assert per_objective == {1: 16, 2: 9, 3: 18}
    third = Question.objects.get(cooperation_id=PERU_PARAGUAY, objective__order=1, number=3)
    assert third.sub_item_list == [
        "¿Cómo identifican los cursos que se brindan?",
        "¿Cómo seleccionan a la entidad que brinda el servicio de capacitación digital?",
    ]
    assert len(Question.objects.get(cooperation_id=PERU_PARAGUAY, objective__order=3, number=3).sub_item_list) == 3
    assert set(Question.objects.values_list("sent_on", flat=True)) == {__import__("datetime").date(2022, 7, 25)}


def test_undecided_sessions_and_deadlines_of_the_documents(seeded):
    chile = Cooperation.objects.get(pk=PERU_CHILE)
    assert [s.date_label for s in chile.sessions.filter(date__isnull=True)] == [
        "Segunda quincena de agosto (por definir)",
        "Primera quincena de octubre (por definir)",
    ]
    panama_deadlines = sorted(
        str(d)
        for d in Cooperation.objects.get(pk=PERU_PANAMA).steps.exclude(due_date=None).values_list("due_date", flat=True)
    )
    assert panama_deadlines == ["2024-06-07", "2024-06-25", "2024-08-30"]


def test_recording_codes_and_expiry_dates_are_kept(seeded):
    codes = list(
        Cooperation.objects.get(pk=PERU_PARAGUAY)
        .sessions.exclude(recording_access_code="")
        .values_list("recording_access_code", flat=True)
    )
    assert codes == ["Af9U=gZ*", "p!7vB^2*", "=QQW*e56"]
    expiries = list(
        Cooperation.objects.get(pk=ECUADOR_MEXICO)
        .sessions.exclude(recording_available_until=None)
        .values_list("recording_available_until", flat=True)
    )
    assert [str(day) for day in expiries] == ["2023-08-07", "2023-08-21", "2023-08-28"]


def test_loading_twice_duplicates_nothing_and_seeds_the_history(seeded):
    before = (Cooperation.objects.count(), Question.objects.count(), Cooperation.history.count())
    management.call_command("load_seed_data", verbosity=0)
    assert (Cooperation.objects.count(), Question.objects.count(), Cooperation.history.count()) == before == (4, 43, 4)


def test_demo_users_include_one_focal_point_per_seed_ministry(seeded, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-clave-larga-2026")
    management.call_command("create_demo_users", stdout=__import__("io").StringIO())
    management.call_command("create_demo_users", stdout=__import__("io").StringIO())
    links = dict(FocalPoint.objects.values_list("user__username", "institution__acronym"))
    assert links == {
        "focal-mtpe": "MTPE",
        "focal-mteyss": "MTEySS",
        "focal-mitradel": "MITRADEL",
        "focal-mtps": "MTPS",
        "focal-mt": "MT",
        "focal-stps": "STPS",
    }
    users = get_user_model().objects
    assert users.count() == 10
    assert all(user.check_password("demo-clave-larga-2026") for user in users.all())


def test_a_step_with_a_due_date_reads_its_deadline_once(seed, client_for):
    """«A más tardar el 25 de junio» is the step's due date: its text does not say it again
    (the page printed «A más tardar el 25 de junio de 2024: A más tardar el 25 de junio: …»)."""
    from cooperations.models import Step

    assert not Step.objects.exclude(due_date=None).filter(text__startswith="A más tardar").exists()
    page = client_for("oea").get(Cooperation.objects.get(pk=PERU_PANAMA).get_absolute_url()).content.decode()
    assert page.count("A más tardar el 25 de junio") == 1
    assert 'A más tardar el 25 de junio de 2024:</strong> <span class="prewrap">El MTPE de Perú enviará' in page


def test_the_old_deadline_prefix_is_taken_out_of_stored_steps(seed):
    import importlib

    from django.apps import apps

    from cooperations.models import Step

    migration = importlib.import_module("cooperations.migrations.0005_step_text_without_deadline_prefix")
    step = Step.objects.exclude(due_date=None).first()
    Step.objects.filter(pk=step.pk).update(text="A más tardar el 30 de agosto:  Perú enviará el plan.")
    migration.strip_deadline_prefix(apps, None)
    step.refresh_from_db()
    assert step.text == "Perú enviará el plan."
