"""The PFC refuses nonsense values (issue 13, item 7): counts are never negative, percentages go
from 0 to 100, a corrective action is not due before the period it justifies, dates are in
order, texts have a sensible length. With a Spanish message and the typed values kept, in the
pages, the services (which imports and every other caller use) and the admin alike; the
database refuses what a bug could still write."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from zeal import zeal_ignore

from capacity_plan import services
from capacity_plan.models import Indicator, IndicatorReview, Measurement, Milestone, SatisfactionResponse

pytestmark = pytest.mark.django_db
BBPP_IDENTIFIED = 701  # «Número de BBPP identificadas y documentadas.» (Hito 7, a count)


def measure(client, indicator, value, note="Actas del comité"):
    return client.post(
        reverse("capacity_plan:measurement", args=[indicator.pk]), {"period": "2025-2", "value": value, "note": note}
    )


@pytest.mark.parametrize(
    ("indicator_pk", "value", "message"),
    [
        (BBPP_IDENTIFIED, "-3", "Un número de casos no puede ser negativo."),
        (101, "120", "Un porcentaje va de 0 a 100."),  # «Porcentaje de POI entregados en plazo»
        (101, "-1", "Un porcentaje va de 0 a 100."),
        (102, "7", "En una escala de 1 a 5 el valor debe estar entre 1 y 5."),  # «Nivel de alineamiento»
    ],
)
def test_a_measurement_out_of_its_kind_range_is_refused_and_the_form_keeps_it(
    seed, client_for, indicator_pk, value, message
):
    indicator = Indicator.objects.get(pk=indicator_pk)
    response = measure(client_for("odes"), indicator, value)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'value="{value}"' in page and "Actas del comité" in page
    assert not Measurement.objects.exists()


def test_a_count_of_zero_and_a_full_percentage_are_fine(seed, client_for):
    client = client_for("odes")
    assert measure(client, Indicator.objects.get(pk=BBPP_IDENTIFIED), "0").status_code == 302
    assert measure(client, Indicator.objects.get(pk=101), "100").status_code == 302


def test_the_service_refuses_a_negative_count_whoever_calls_it(seed, make_user):
    with pytest.raises(ValidationError) as refused:
        services.measurement_record(
            indicator=Indicator.objects.get(pk=BBPP_IDENTIFIED),
            year=2025,
            bimester=2,
            value=Decimal("-3"),
            note="",
            evidence=None,
            by=make_user("odes"),
        )
    assert refused.value.message_dict == {"value": ["Un número de casos no puede ser negativo."]}


def test_the_database_refuses_a_negative_measurement(seed, make_user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.create(
            indicator_id=BBPP_IDENTIFIED, year=2025, bimester=2, value=Decimal("-3"), recorded_by=make_user("odes")
        )


def test_the_admin_refuses_a_negative_count(seed, client_for, make_user):
    with zeal_ignore():  # the admin's add page reads each user of the «registrado por» list
        response = client_for("admin").post(
            reverse("admin:capacity_plan_measurement_add"),
            {
                "indicator": BBPP_IDENTIFIED,
                "year": "2025",
                "bimester": "2",
                "value": "-3",
                "note": "",
                "recorded_by": make_user("odes").pk,
            },
        )
    assert response.status_code == 200
    assert "Un número de casos no puede ser negativo." in response.content.decode()
    assert not Measurement.objects.exists()


def test_a_note_longer_than_2000_characters_is_refused(seed, client_for):
    response = measure(client_for("odes"), Indicator.objects.get(pk=BBPP_IDENTIFIED), "3", note="x" * 2001)
    assert response.status_code == 200
    assert "como máximo 2000 caracteres (tiene 2001)" in response.content.decode()
    assert 'maxlength="2000"' in response.content.decode()
    assert not Measurement.objects.exists()


def review(client, indicator, due, explanation="Coincidió con el cierre presupuestal."):
    return client.post(
        reverse("capacity_plan:review", args=[indicator.pk]) + "?periodo=2025-2",
        {
            "reason": "low_attendance",
            "explanation": explanation,
            "corrective_action": "Convocatoria anticipada",
            "corrective_action_due": due,
        },
    )


def test_a_corrective_action_due_before_the_period_it_justifies_is_refused(seed, client_for):
    indicator = Indicator.objects.get(pk=BBPP_IDENTIFIED)
    response = review(client_for("odes"), indicator, "2025-02-15")
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "El plazo de la acción correctiva no puede ser anterior al periodo que justifica (Mar–Abr 2025, "
        "desde el 01/03/2025)."
    ) in page
    assert 'value="2025-02-15"' in page and "Convocatoria anticipada" in page
    assert not IndicatorReview.objects.exists()
    assert review(client_for("odes"), indicator, "2025-03-01").status_code == 302


def test_a_long_explanation_is_refused(seed, client_for):
    response = review(client_for("odes"), Indicator.objects.get(pk=BBPP_IDENTIFIED), "2025-05-30", "x" * 4001)
    assert response.status_code == 200
    assert "4000 caracteres (tiene 4001)" in response.content.decode()
    assert not IndicatorReview.objects.exists()


def edit_indicator(client, indicator, **changes):
    data = {
        "name": indicator.name,
        "kind": indicator.kind,
        "unit": "",
        "baseline": "",
        "target": "",
        "direction": indicator.direction,
        "risk_margin": "10",
        "source": indicator.source,
        "scope": indicator.scope,
        **changes,
    }
    return client.post(reverse("capacity_plan:indicator_edit", args=[indicator.pk]), data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target": "-5"}, "Un número de casos no puede ser negativo."),
        ({"baseline": "-1"}, "Un número de casos no puede ser negativo."),
        ({"kind": "percentage", "target": "150"}, "Un porcentaje va de 0 a 100."),
        ({"kind": "yes_no", "target": "2"}, "Un indicador de sí / no vale 1 (sí) o 0 (no)."),
        ({"risk_margin": "150"}, "El margen de riesgo va de 0 a 100."),
    ],
)
def test_an_indicator_target_out_of_range_is_refused(seed, client_for, changes, message):
    indicator = Indicator.objects.get(pk=BBPP_IDENTIFIED)
    response = edit_indicator(client_for("odes"), indicator, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    indicator.refresh_from_db()
    assert (indicator.kind, indicator.target, indicator.baseline) == ("count", None, None)


def test_the_database_refuses_a_percentage_target_above_100(seed):
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.filter(pk=101).update(target=Decimal("150"))


def test_the_admin_refuses_a_hito_ending_before_it_starts(seed, client_for):
    hito = Milestone.objects.get(number=7)
    client = client_for("admin")
    url = reverse("admin:capacity_plan_milestone_change", args=[hito.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "regions"}
    data.update(planned_start="01/06/2025", planned_end="01/05/2025", regions=[r.pk for r in hito.regions.all()])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "El fin previsto no puede ser anterior al inicio." in response.content.decode()
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.filter(pk=hito.pk).update(
            planned_start=datetime.date(2025, 6, 1), planned_end=datetime.date(2025, 5, 1)
        )


def test_a_survey_comment_of_a_28_page_summary_is_refused(pfc, client_for):
    servant = pfc.servants[0]
    ratings = dict.fromkeys(SatisfactionResponse.DIMENSIONS, "4")
    response = client_for("odes").post(
        reverse("capacity_plan:survey_create", args=[pfc.action.pk]),
        {"servant": "", **ratings, "comments": "x" * 108_000},
    )
    assert response.status_code == 200
    assert "como máximo 4000 caracteres (tiene 108000)" in response.content.decode()
    assert not SatisfactionResponse.objects.exists()
    assert servant  # the roster is not needed for an anonymous answer
