"""One window for every date the app accepts (1 January 1990 to 31 December 2100), in model forms,
plain forms, the admin and the importers, with the same Spanish message."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from capacity_plan.forms import ActionSessionForm, RescheduleForm
from capacity_plan.imports import parse_timestamp
from cooperations.forms import CooperationForm
from cooperations.models import Step
from core.validators import plausible_date, plausible_datetime
from tests.factories import CooperationFactory, StepFactory

MESSAGE = "La fecha debe estar entre el 01/01/1990 y el 31/12/2100."
# Set by the system, never typed: creation and change stamps, job times, preview expiry.
SYSTEM_SET = {
    ("capacity_plan", "importpreview", "created_at"),
    ("capacity_plan", "importpreview", "expires_at"),
    *(("capacity_plan", "importjob", name) for name in ("requested_at", "expires_at", "started_at", "finished_at")),
    ("capacity_plan", "importjob", "heartbeat_at"),  # written by the worker running the import
    ("reports", "reportjob", "started_at"),
    ("reports", "reportjob", "finished_at"),
    ("reports", "reportversion", "created_at"),
    ("reports", "summaryseries", "changed_at"),
    ("reports", "reportjob", "heartbeat_at"),  # written by the worker rendering the job
    ("cooperations", "answerversion", "answered_at"),  # the moment the answer was saved
    ("reports", "summarycomment", "created_at"),  # the moment the comment was sent
    ("reports", "summarycomment", "resolved_at"),  # the moment staff resolved it
    ("capacity_plan", "checkin", "checked_in_at"),  # the moment the participant checked in
}


@pytest.mark.parametrize("day", [datetime.date(1990, 1, 1), datetime.date(2025, 3, 17), datetime.date(2100, 12, 31)])
def test_dates_inside_the_window_are_accepted(day):
    plausible_date(day)
    plausible_datetime(datetime.datetime.combine(day, datetime.time(23, 30), tzinfo=datetime.UTC))


@pytest.mark.parametrize(
    "day",
    [datetime.date(1, 1, 1), datetime.date(1989, 12, 31), datetime.date(2101, 1, 1), datetime.date(9999, 12, 31)],
)
def test_dates_outside_the_window_are_refused_in_spanish(day):
    with pytest.raises(ValidationError) as refused:
        plausible_date(day)
    assert refused.value.messages == [MESSAGE]
    with pytest.raises(ValidationError):
        plausible_datetime(datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=datetime.UTC))


def test_every_date_users_can_fill_carries_the_window():
    missing = []
    for app in ("cooperations", "capacity_plan", "reports"):
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                if not isinstance(field, models.DateField) or not field.editable:
                    continue  # DateTimeField is a DateField; auto_now(_add) fields are not editable
                if model._meta.model_name.startswith("historical"):
                    continue  # copies of the fields below
                if (app, model._meta.model_name, field.name) in SYSTEM_SET:
                    continue
                expected = plausible_datetime if isinstance(field, models.DateTimeField) else plausible_date
                if expected not in field.validators:
                    missing.append(f"{app}.{model.__name__}.{field.name}")
    assert missing == []


@pytest.mark.django_db
def test_a_model_form_refuses_a_date_outside_the_window():
    cooperation = CooperationFactory()
    data = {
        name: getattr(cooperation, name + "_id", getattr(cooperation, name, "")) or ""
        for name in CooperationForm.Meta.fields
    }
    form = CooperationForm({**data, "version_date": "0001-01-01"}, instance=cooperation)
    assert not form.is_valid()
    assert form.errors["version_date"] == [MESSAGE]


@pytest.mark.parametrize("form_class", [RescheduleForm, ActionSessionForm])
def test_plain_forms_refuse_a_date_outside_the_window(form_class):
    name = "new_date" if form_class is RescheduleForm else "date"
    form = form_class({name: "9999-12-31", "duration_hours": "2", "reason": "x"})
    assert not form.is_valid()
    assert form.errors[name] == [MESSAGE]


@pytest.mark.django_db
def test_the_admin_refuses_a_date_outside_the_window(admin_client):
    step = StepFactory()
    url = reverse("admin:cooperations_step_change", args=[step.pk])
    response = admin_client.post(
        url,
        {
            "cooperation": step.cooperation_id,
            "order": step.order,
            "text": step.text,
            "responsible_institutions": [institution.pk for institution in step.responsible_institutions.all()],
            "due_date": "31/12/9999",
        },
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert Step.objects.get(pk=step.pk).due_date == datetime.date(2024, 6, 25)


@pytest.mark.parametrize("cell", ["31/12/1989 10:00:00", "01/01/2101 10:00:00", datetime.date(1900, 6, 1)])
def test_imports_refuse_a_timestamp_outside_the_window(cell):
    with pytest.raises(ValueError, match=r"la fecha debe estar entre el 01/01/1990 y el 31/12/2100"):
        parse_timestamp(cell)


def test_imports_accept_the_ends_of_the_window():
    assert parse_timestamp("01/01/1990 00:00:00").year == 1990
    assert parse_timestamp("31/12/2100 23:59:59").year == 2100
