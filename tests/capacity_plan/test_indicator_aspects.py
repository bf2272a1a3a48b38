"""A satisfaction indicator averages the survey aspects it is defined on (issue 13, item 2):
Hito 4's «Satisfacción: resultados de encuesta (escala 1-5 en claridad y utilidad)» averages
clarity and usefulness only, on the hito page, the plan page and the monitoring PDF alike."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from capacity_plan.indicators import indicator_value, load_registers
from capacity_plan.models import Indicator, SatisfactionResponse
from capacity_plan.periods import Bimester
from reports.monitoring import monitoring_pdf, monitoring_snapshot
from tests.reports.pdf import pdf_text

pytestmark = pytest.mark.django_db
MARCH_APRIL = Bimester(2025, 2)
HITO_4_SATISFACTION = 403
HITO_10_MATERIALS = 1003

# (clarity, usefulness, materials, facilitator, applicability): clarity and usefulness average
# 22 / 6 = 3,67; all five 54 / 15 = 3,6.
ANSWERS = [(4, 4, 4, 4, 3), (4, 4, 4, 3, 4), (3, 3, 3, 4, 3)]


def answer_the_survey(action):
    for n, ratings in enumerate(ANSWERS):
        SatisfactionResponse.objects.create(
            action=action,
            submitted_at=timezone.make_aware(datetime.datetime(2025, 4, 10, 12, n)),
            source_key=f"{action.pk}-{n}",
            **dict(zip(SatisfactionResponse.DIMENSIONS, ratings, strict=True)),
        )


@pytest.fixture
def hito4_satisfaction(pfc):
    """The seed indicator, with a target the five-aspect average would miss: 3,65 and a 1 %
    risk margin (3,6 is 0,05 short, beyond the 0,04 margin: off track)."""
    answer_the_survey(pfc.action)
    indicator = Indicator.objects.get(pk=HITO_4_SATISFACTION)
    indicator.target, indicator.risk_margin = Decimal("3.65"), Decimal("1")
    indicator.save()
    return indicator


def value_of(indicator):
    return indicator_value(indicator, load_registers(plan=indicator.milestone.component.plan, period=MARCH_APRIL))


def test_the_seed_indicators_that_name_aspects_average_exactly_those(seed):
    named = dict(Indicator.objects.exclude(survey_aspects=[]).values_list("pk", "survey_aspects"))
    assert named == {
        HITO_4_SATISFACTION: ["clarity", "usefulness"],  # «escala 1-5 en claridad y utilidad»
        HITO_10_MATERIALS: ["usefulness", "materials"],  # «la calidad y la utilidad de los materiales»
    }
    # The others name no aspect («con la pasantía», «con la CdP», «con los contenidos»): all five.
    others = Indicator.objects.filter(source=Indicator.Source.SATISFACTION).exclude(pk__in=named)
    assert others.count() == 3
    assert all(indicator.averaged_aspects == tuple(SatisfactionResponse.DIMENSIONS) for indicator in others)


def test_hito_4_satisfaction_is_the_average_of_clarity_and_usefulness(hito4_satisfaction):
    assert value_of(hito4_satisfaction) == Decimal("3.67")
    hito4_satisfaction.survey_aspects = []
    assert value_of(hito4_satisfaction) == Decimal("3.60")  # what it showed before: all five


def test_the_hito_and_plan_pages_show_it_on_track(hito4_satisfaction, client_for):
    client = client_for("manager")
    hito = client.get(hito4_satisfaction.milestone.get_absolute_url() + "?periodo=2025-2").content.decode()
    assert "Encuesta de satisfacción: promedio de claridad y utilidad" in hito
    assert '<span class="badge text-bg-success">3,67</span>' in hito
    plan = client.get(reverse("capacity_plan:home") + "?periodo=2025-2").content.decode()
    row = plan.split(hito4_satisfaction.name, 1)[1].split("</tr>", 1)[0]
    assert ">3,67<" in row
    assert "En camino" in row
    assert "Supera la meta de 3,65 por 0,02." in row


def test_the_monitoring_report_shows_it_on_track(hito4_satisfaction):
    plan = hito4_satisfaction.milestone.component.plan
    text = pdf_text(monitoring_pdf(monitoring_snapshot(plan=plan, period=MARCH_APRIL)))
    assert (
        "Satisfacción: resultados de encuesta (escala 1-5 en claridad y utilidad) "
        "Encuesta de satisfacción: promedio de claridad y utilidad 3,67 3,65 En camino"
    ) in text


def test_meta_y_calculo_sets_any_subset_of_aspects(hito4_satisfaction, client_for):
    indicator = hito4_satisfaction
    data = {
        "name": indicator.name,
        "kind": indicator.kind,
        "unit": "",
        "baseline": "",
        "target": "3.65",
        "direction": indicator.direction,
        "risk_margin": "1",
        "source": indicator.source,
        "scope": indicator.scope,
    }
    client = client_for("odes")
    url = reverse("capacity_plan:indicator_edit", args=[indicator.pk])
    form = client.get(url).content.decode()
    assert form.count('name="survey_aspects"') == 5
    assert form.count("checked") == 2  # clarity and usefulness, as the seed defines it

    client.post(url, {**data, "survey_aspects": ["applicability", "clarity", "facilitator"]})
    indicator.refresh_from_db()
    assert indicator.survey_aspects == ["clarity", "facilitator", "applicability"]  # in the survey's order
    assert value_of(indicator) == Decimal("3.56")  # (11 + 11 + 10) / 9

    client.post(url, data)  # none ticked: the five
    indicator.refresh_from_db()
    assert indicator.survey_aspects == []
    assert value_of(indicator) == Decimal("3.60")


def test_an_unknown_aspect_is_refused_in_spanish_and_the_form_keeps_the_input(hito4_satisfaction, client_for):
    response = client_for("odes").post(
        reverse("capacity_plan:indicator_edit", args=[hito4_satisfaction.pk]),
        {
            "name": "Satisfacción con claridad",
            "kind": "scale",
            "target": "3.65",
            "direction": "increase",
            "risk_margin": "1",
            "source": "satisfaction",
            "scope": "milestone",
            "survey_aspects": ["clarity", "puntualidad"],
        },
    )
    assert response.status_code == 200
    assert "puntualidad no es una de las opciones disponibles" in response.content.decode()
    assert 'value="Satisfacción con claridad"' in response.content.decode()
    hito4_satisfaction.refresh_from_db()
    assert hito4_satisfaction.survey_aspects == ["clarity", "usefulness"]
