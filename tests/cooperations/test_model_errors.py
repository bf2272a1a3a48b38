"""Every model-level validation error reaches the form that was submitted: a 200 with the Spanish
message and what the user typed, never a ValueError or a lost page (issue 13, items 7 and 8)."""

import datetime

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cooperations.forms import SessionForm
from cooperations.models import Cooperation, Question, Session
from core.forms import ModelErrorsMixin
from tests.cooperations.test_editing import header_post, management, session_post

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * 108_000


def _next_year() -> str:
    return str(timezone.localdate().year + 1)


SESSION_CASES = {
    "end before start": (
        {"start_time": "14:00", "end_time": "10:00", "summary": "Lo que se escribió"},
        "El fin debe ser posterior al inicio.",
    ),
    "held without a date": (
        {"status": "held", "date": "", "start_time": "", "end_time": "", "date_label": "", "summary": "Escrito"},
        "Indique una fecha o escriba cuándo se prevé",
    ),
    "held in the future": (
        {"status": "held", "date": f"{_next_year()}-03-10", "summary": "Escrito"},
        "Una sesión con fecha futura no puede estar «Realizada»",
    ),
    "recording expires before the session": (
        {"recording_available_until": "2022-05-01", "summary": "Escrito"},
        "La grabación no puede dejar de estar disponible antes de la sesión (17/05/2022).",
    ),
    "a 108,000-character summary": ({"summary": TOO_LONG, "platform": "Zoom escrito"}, "menos de 15000 caracteres"),
}


@pytest.mark.parametrize("case", SESSION_CASES)
def test_each_session_rule_is_shown_on_the_form_with_the_typed_values(world, client_for, case):
    changes, message = SESSION_CASES[case]
    url = reverse("cooperations:session_edit", args=[world.cooperation.pk, world.session.pk])
    before = Session.objects.get(pk=world.session.pk)

    response = client_for(world.users["oea"]).post(url, session_post(world.session, **changes))

    body = response.content.decode()
    assert response.status_code == 200
    assert escape(message) in body or message in body
    for name, value in changes.items():
        if value and name not in ("status", "date", "start_time", "end_time", "recording_available_until"):
            assert escape(value)[:200] in body
        elif value:
            assert f'value="{value}"' in body or f'<option value="{value}" selected>' in body
    after = Session.objects.get(pk=world.session.pk)
    assert (after.summary, after.starts_at, after.status) == (before.summary, before.starts_at, before.status)


def test_the_end_before_the_start_says_so_under_the_end_time(world):
    form = SessionForm(
        session_post(world.session, start_time="14:00", end_time="10:00"),
        instance=world.session,
        cooperation=world.cooperation,
    )
    assert not form.is_valid()
    assert form.errors["end_time"] == ["El fin debe ser posterior al inicio."]


def test_a_model_error_on_a_field_the_form_does_not_show_becomes_an_error_of_the_form(world):
    class PlatformOnly(ModelErrorsMixin, forms.ModelForm):
        class Meta:
            model = Session
            fields = ["platform"]

    world.session.starts_at, world.session.ends_at = world.session.ends_at, world.session.starts_at
    form = PlatformOnly({"platform": "Zoom"}, instance=world.session)

    assert not form.is_valid()
    assert form.non_field_errors() == ["Fin: El fin debe ser posterior al inicio."]


COOPERATION_CASES = {
    "the same institution on both sides": (
        lambda world: {"providing_institution": world.peru.pk, "title": "Título escrito"},
        "deben ser distintas",
    ),
    "a 108,000-character description": (
        lambda world: {"description": TOO_LONG, "title": "Título escrito"},
        "menos de 5000 caracteres",
    ),
}


@pytest.mark.parametrize("case", COOPERATION_CASES)
def test_each_cooperation_rule_is_shown_on_the_form_with_the_typed_values(world, client_for, case):
    changes, message = COOPERATION_CASES[case]
    response = client_for(world.users["oea"]).post(
        reverse("cooperations:edit", args=[world.cooperation.pk]), header_post(world, **changes(world))
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert 'value="Título escrito"' in body
    assert Cooperation.objects.get(pk=world.cooperation.pk).title != "Título escrito"


def test_two_objectives_with_the_same_order_are_refused_on_the_form(world, client_for):
    data = header_post(world, title="Título escrito")
    data.update(
        {
            **management("objectives", 2, 1),
            "objectives-1-order": 1,
            "objectives-1-text": "Otro objetivo escrito",
            "objectives-1-short_label": "",
        }
    )
    response = client_for(world.users["oea"]).post(reverse("cooperations:edit", args=[world.cooperation.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Otro objetivo escrito" in body
    assert "Por favor, corrija el dato duplicado" in body


PARTS_CASES = {
    "steps": (
        "cooperations:steps",
        lambda world: {
            "parts-0-id": world.step.pk,
            "parts-0-order": 1,
            "parts-0-after_session": world.session.pk,
            "parts-0-text": "Paso escrito " + "y" * 4_000,
            "parts-0-responsible_institution": world.peru.pk,
            "parts-0-due_date": "",
        },
        1,
    ),
    "participants": (
        "cooperations:participants",
        lambda world: {
            "parts-0-order": 1,
            "parts-0-full_name": "Kelva Morales",
            "parts-0-position": "Cargo escrito " + "y" * 400,
            "parts-0-institution": world.peru.pk,
            "parts-0-delegation": world.peru.country_id,
            "parts-0-note": "",
        },
        0,
    ),
}


@pytest.mark.parametrize("case", PARTS_CASES)
def test_too_long_texts_in_the_tables_are_refused_with_the_typed_rows(world, client_for, case):
    url_name, row, initial = PARTS_CASES[case]
    data = {"expected_revision": world.cooperation.revision, **management("parts", 1, initial), **row(world)}
    response = client_for(world.users["oea"]).post(reverse(url_name, args=[world.cooperation.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "menos de" in body and "caracteres" in body
    assert "escrito yyyy" in body


def test_a_108000_character_answer_is_refused_and_kept(world, client_for):
    response = client_for(world.users["oea"]).post(
        reverse("cooperations:question_answer", args=[world.question.pk]),
        {"expected_revision": world.question.revision, "written_answer": "Respuesta escrita " + TOO_LONG},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "menos de 15000 caracteres" in body
    assert "Respuesta escrita xxx" in body
    assert Question.objects.get(pk=world.question.pk).written_answer == "Respuesta"


def test_the_answer_box_carries_a_plain_maxlength(world, client_for):
    page = client_for(world.users["oea"]).get(reverse("cooperations:question_answer", args=[world.question.pk]))
    assert 'maxlength="15000"' in page.content.decode()


def test_the_admin_refuses_a_held_session_in_the_future(world):
    session = Session.objects.get(pk=world.session.pk)
    session.status = Session.Status.HELD
    session.starts_at = timezone.now() + datetime.timedelta(days=3)
    session.ends_at = session.starts_at + datetime.timedelta(hours=2)
    with pytest.raises(Exception) as refused:
        session.full_clean()
    assert "Una sesión con fecha futura no puede estar «Realizada»" in str(refused.value)


def test_every_model_form_of_the_project_places_model_errors():
    """All apps' model forms (and the rows of their formsets) are built on core.forms.ModelForm."""
    import capacity_plan.forms
    import cooperations.forms

    model_forms = [
        value
        for module in (cooperations.forms, capacity_plan.forms)
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, forms.BaseModelForm) and value.__module__ == module.__name__
    ]
    formset_rows = [
        value.form
        for module in (cooperations.forms, capacity_plan.forms)
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, forms.BaseFormSet) and hasattr(value, "form")
    ]
    assert model_forms and formset_rows
    for form_class in [*model_forms, *formset_rows]:
        assert issubclass(form_class, ModelErrorsMixin), form_class
