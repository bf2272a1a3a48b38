"""PFC services: one row per period or identity however often, and however simultaneously, the
same thing is recorded (a double click, two people at once), and "add a participant" is one
transaction."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from capacity_plan import services
from capacity_plan.models import Attendance, Indicator, IndicatorReview, Measurement, PublicServant
from tests.factories import (
    ActionSessionFactory,
    AdministratorFactory,
    IndicatorFactory,
    RegionFactory,
    ServantFactory,
)


def record_measurement(indicator, by, value="12"):
    return services.measurement_record(
        indicator=indicator, year=2025, bimester=2, value=Decimal(value), note="Actas", evidence=None, by=by
    )


def record_review(indicator, by, explanation="Coincidió con el cierre presupuestal."):
    return services.indicator_review_record(
        indicator=indicator,
        year=2025,
        bimester=2,
        reason=IndicatorReview.Reason.BUDGET,
        explanation=explanation,
        corrective_action="Reprogramar",
        corrective_action_due=datetime.date(2025, 5, 30),
        by=by,
    )


def upsert_rosa(region):
    return services.servant_upsert(full_name="Rosa  Quispe", region=region, document_number="41234567")


# --- The same thing recorded twice, one after the other (a double click) ----------------------


@pytest.mark.django_db
def test_recording_a_measurement_twice_keeps_one_row_with_the_last_value():
    indicator, by = IndicatorFactory(source=Indicator.Source.MANUAL, kind=Indicator.Kind.COUNT), AdministratorFactory()
    first = record_measurement(indicator, by, "12")
    second = record_measurement(indicator, by, "15")
    assert first.pk == second.pk
    assert Measurement.objects.get(indicator=indicator).value == 15
    assert second.history.count() == 2  # one audit entry per recording


@pytest.mark.django_db
def test_recording_a_review_twice_keeps_one_row_with_the_last_text():
    indicator, by = IndicatorFactory(), AdministratorFactory()
    record_review(indicator, by, "Primera explicación")
    record_review(indicator, by, "Segunda explicación")
    assert IndicatorReview.objects.get(indicator=indicator).explanation == "Segunda explicación"


@pytest.mark.django_db
def test_registering_a_servant_twice_keeps_one_identity():
    region = RegionFactory()
    assert upsert_rosa(region).pk == upsert_rosa(region).pk
    assert PublicServant.objects.get().full_name == "Rosa Quispe"


@pytest.mark.django_db
def test_a_blank_position_keeps_the_known_one():
    region = RegionFactory()
    services.servant_upsert(full_name="Rosa Quispe", region=region, document_number="41234567", position="Inspectora")
    servant = upsert_rosa(region)
    assert servant.position == "Inspectora"
    assert PublicServant.objects.get().position == "Inspectora"


@pytest.mark.django_db
def test_an_invalid_measurement_writes_nothing():
    indicator, by = IndicatorFactory(source=Indicator.Source.MANUAL, kind=Indicator.Kind.COUNT), AdministratorFactory()
    with pytest.raises(ValidationError):
        services.measurement_record(
            indicator=indicator, year=2025, bimester=7, value=Decimal("1"), note="", evidence=None, by=by
        )
    assert not Measurement.objects.exists()


@pytest.mark.django_db
def test_adding_a_participant_registers_and_marks_in_one_transaction():
    session, by = ActionSessionFactory(), AdministratorFactory()
    other = ServantFactory()
    Attendance.objects.create(session=session, servant=other, status="present")
    new = {"full_name": "Rosa Quispe", "region": RegionFactory(), "document_number": "41234567"}
    # The grid showed `other` without a mark, but someone marked it meanwhile: nothing is saved,
    # not even the new participant.
    with pytest.raises(services.AttendanceConflictError):
        services.attendance_record(
            session=session, marks={other.pk: "absent"}, originals={other.pk: ""}, new_servants=[new], by=by
        )
    assert not PublicServant.objects.filter(document_number="41234567").exists()

    recorded = services.attendance_record(session=session, marks={}, new_servants=[new], by=by)
    assert [servant.document_number for servant in recorded.added] == ["41234567"]
    assert recorded.count == 2
    assert Attendance.objects.get(session=session, servant=recorded.added[0]).status == "present"


@pytest.mark.django_db
def test_every_mark_written_removed_or_changed_is_in_the_history_with_its_author():
    session, by = ActionSessionFactory(), AdministratorFactory()
    kept, changed, removed = ServantFactory(), ServantFactory(), ServantFactory()
    services.attendance_record(
        session=session, marks={kept.pk: "present", changed.pk: "present", removed.pk: "present"}, by=by
    )
    ids = dict(Attendance.objects.filter(session=session).values_list("servant_id", "pk"))

    services.attendance_record(session=session, marks={changed.pk: "absent", removed.pk: ""}, by=by)

    def history_of(servant):
        rows = Attendance.history.filter(id=ids[servant.pk]).order_by("history_date", "history_id")
        return [(row.history_type, row.status, row.history_user) for row in rows]

    assert history_of(kept) == [("+", "present", by)]
    assert history_of(changed) == [("+", "present", by), ("~", "absent", by)]
    assert history_of(removed) == [("+", "present", by), ("-", "present", by)]
    assert not Attendance.objects.filter(session=session, servant=removed).exists()


# --- The same thing recorded by two requests at the same moment --------------------------------


def while_another_transaction_writes(write):
    """Run `write` in a transaction (thread A) that stays open until `write`, called again in
    thread B, has reached the same row; then let A commit. Returns the errors of both."""
    written, release, errors = threading.Event(), threading.Event(), []

    def first():
        try:
            with transaction.atomic():
                write()
                written.set()
                release.wait(10)
        except Exception as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
            written.set()
        finally:
            connection.close()

    def second():
        try:
            write()
        except Exception as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connection.close()

    thread_a = threading.Thread(target=first)
    thread_a.start()
    assert written.wait(10)
    thread_b = threading.Thread(target=second)
    thread_b.start()
    thread_b.join(0.5)  # B now waits for A's uncommitted row
    release.set()
    thread_a.join(10)
    thread_b.join(10)
    assert not thread_a.is_alive() and not thread_b.is_alive()
    return errors


race = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@race
def test_two_simultaneous_measurements_of_a_period_make_one_row():
    indicator, by = IndicatorFactory(source=Indicator.Source.MANUAL, kind=Indicator.Kind.COUNT), AdministratorFactory()
    assert while_another_transaction_writes(lambda: record_measurement(indicator, by)) == []
    assert Measurement.objects.filter(indicator=indicator).count() == 1


@race
def test_two_simultaneous_reviews_of_a_period_make_one_row():
    indicator, by = IndicatorFactory(), AdministratorFactory()
    assert while_another_transaction_writes(lambda: record_review(indicator, by)) == []
    assert IndicatorReview.objects.filter(indicator=indicator).count() == 1


@race
def test_two_simultaneous_registrations_of_a_servant_make_one_identity():
    region = RegionFactory()
    assert while_another_transaction_writes(lambda: upsert_rosa(region)) == []
    assert PublicServant.objects.filter(document_number="41234567").count() == 1


@race
def test_two_simultaneous_marks_of_one_servant_make_one_row():
    session, servant, by = ActionSessionFactory(), ServantFactory(), AdministratorFactory()
    errors = while_another_transaction_writes(
        lambda: services.attendance_record(session=session, marks={servant.pk: "present"}, by=by)
    )
    assert errors == []
    assert Attendance.objects.filter(session=session, servant=servant).count() == 1
