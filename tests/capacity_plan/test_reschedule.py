"""A rescheduled action is placed everywhere on its new dates and keeps its original ones
(issue 13, item 1): the demo CdP launch moved from 18/09/2025 to 04/12/2025."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from capacity_plan import services
from capacity_plan.indicators import indicator_value, load_registers
from capacity_plan.models import Indicator, Plan, TrainingAction
from capacity_plan.periods import Bimester
from tests.factories import TrainingActionFactory

pytestmark = pytest.mark.django_db
CDP_TITLE = "Sesión de lanzamiento de la CdP (demo)"
SEP_OCT, NOV_DEC = Bimester(2025, 5), Bimester(2025, 6)


@pytest.fixture
def cdp(seed):
    call_command("create_demo_training", verbosity=0)
    return TrainingAction.objects.get(title=CDP_TITLE)


@pytest.fixture
def moved(cdp, client_for):
    """The CdP launch rescheduled to 4 December 2025 through its form, and a client of ODES."""
    client = client_for("odes")
    response = client.post(
        reverse("capacity_plan:action_reschedule", args=[cdp.pk]),
        {"new_date": "2025-12-04", "reason": "La DRTPE pidió mover la sesión"},
    )
    assert response.status_code == 302
    cdp.refresh_from_db()
    return client


def catalogue(client, month):
    return client.get(reverse("capacity_plan:catalogue"), {"mes": month}).content.decode()


def test_the_reschedule_keeps_the_original_date_and_the_reason(cdp, moved):
    assert cdp.planned_start == datetime.date(2025, 12, 4)
    assert cdp.original_start == datetime.date(2025, 9, 18)
    assert (cdp.status, cdp.status_reason) == ("reprogramada", "La DRTPE pidió mover la sesión")
    page = moved.get(cdp.get_absolute_url()).content.decode()
    assert "4 de diciembre de 2025" in page
    assert "Programada originalmente" in page and "18 de septiembre de 2025" in page
    assert "La DRTPE pidió mover la sesión" in page


def test_the_december_catalogue_lists_it_and_september_no_longer_does(cdp, moved):
    december = catalogue(moved, "2025-12")
    assert CDP_TITLE in december
    assert "reprogramada, antes 18/09/2025" in december
    assert "No hay acciones formativas ofrecidas este mes" not in december
    assert CDP_TITLE not in catalogue(moved, "2025-09")


def test_the_action_list_and_its_month_filter_use_the_new_date(cdp, moved):
    def titles(**params):
        return [action.title for action in moved.get(reverse("capacity_plan:actions"), params).context["page"]]

    assert CDP_TITLE in titles(month="2025-12")
    assert CDP_TITLE not in titles(month="2025-09")
    listing = moved.get(reverse("capacity_plan:actions")).content.decode()
    assert "04/12/2025" in listing and "reprogramada, antes 18/09/2025" in listing
    hito = moved.get(cdp.milestone.get_absolute_url()).content.decode()
    assert "4 de diciembre de 2025" in hito and "reprogramada, antes 18/09/2025" in hito


def test_the_plan_page_counts_it_in_november_december_and_as_moved_out_of_september_october(cdp, moved):
    nov_dec = moved.get(reverse("capacity_plan:home"), {"periodo": NOV_DEC.code})
    assert nov_dec.context["period_actions"]["rescheduled"] == 1
    assert 'data-testid="period-rescheduled">1<' in nov_dec.content.decode()
    sep_oct = moved.get(reverse("capacity_plan:home"), {"periodo": SEP_OCT.code})
    assert (sep_oct.context["period_actions"]["total"], sep_oct.context["period_rescheduled_out"]) == (0, 1)
    assert "y 1 del periodo movida a otro" in sep_oct.content.decode()


def test_indicators_count_the_action_in_the_period_of_its_new_date(cdp, moved):
    indicator = Indicator.objects.create(
        milestone=cdp.milestone, name="Acciones ejecutadas", source=Indicator.Source.ACTION_COUNT, target=1
    )
    TrainingAction.objects.filter(pk=cdp.pk).update(status=TrainingAction.Status.EXECUTED)
    plan = Plan.objects.get()
    assert indicator_value(indicator, load_registers(plan=plan, period=NOV_DEC)) == 1
    assert indicator_value(indicator, load_registers(plan=plan, period=SEP_OCT)) == 0


def test_a_reschedule_without_a_reason_is_refused_and_keeps_the_typed_date(cdp, client_for):
    response = client_for("odes").post(
        reverse("capacity_plan:action_reschedule", args=[cdp.pk]), {"new_date": "2025-12-04", "reason": "  "}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Este campo es obligatorio." in body or "Indique el motivo de la reprogramación." in body
    assert 'value="2025-12-04"' in body
    cdp.refresh_from_db()
    assert (cdp.planned_start, cdp.original_start, cdp.status) == (datetime.date(2025, 9, 18), None, "programada")


def test_the_service_refuses_a_blank_reason_with_a_spanish_message(cdp, make_user):
    with pytest.raises(ValidationError) as refused:
        services.action_reschedule(action=cdp, new_date=datetime.date(2025, 12, 4), reason=" ", by=make_user("odes"))
    assert refused.value.message_dict == {"status_reason": ["Indique el motivo de la reprogramación."]}


def test_a_second_reschedule_keeps_the_first_programmed_dates_and_moves_the_end(make_user, seed):
    action = TrainingActionFactory(planned_start=datetime.date(2025, 9, 18), planned_end=datetime.date(2025, 9, 19))
    odes = make_user("odes")
    services.action_reschedule(action=action, new_date=datetime.date(2025, 10, 2), reason="Feriado", by=odes)
    action = services.action_reschedule(action=action, new_date=datetime.date(2025, 12, 4), reason="Otra", by=odes)
    assert (action.planned_start, action.planned_end) == (datetime.date(2025, 12, 4), datetime.date(2025, 12, 5))
    assert (action.original_start, action.original_end) == (datetime.date(2025, 9, 18), datetime.date(2025, 9, 19))


def test_an_executed_action_is_not_rescheduled(cdp, client_for):
    TrainingAction.objects.filter(pk=cdp.pk).update(status=TrainingAction.Status.EXECUTED)
    client = client_for("odes")
    response = client.post(
        reverse("capacity_plan:action_reschedule", args=[cdp.pk]), {"new_date": "2025-12-04", "reason": "Tarde"}
    )
    assert response.status_code == 200
    assert "Una acción ejecutada no se reprograma." in response.content.decode()
    assert "Reprogramar" not in client.get(cdp.get_absolute_url()).content.decode()


def test_a_new_date_out_of_the_window_is_refused_beside_its_field(cdp, client_for):
    response = client_for("odes").post(
        reverse("capacity_plan:action_reschedule", args=[cdp.pk]), {"new_date": "2999-01-01", "reason": "x"}
    )
    assert response.status_code == 200
    assert "La fecha debe estar entre el 01/01/1990 y el 31/12/2100." in response.content.decode()
