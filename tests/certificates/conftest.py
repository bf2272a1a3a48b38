"""A diplomado and a workshop with sessions and attendance on the boundaries of the certificate
rules, and a cooperation with participants; certificate rows for the authorization walk."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone

from capacity_plan.models import Attendance, TrainingAction
from certificates.models import Certificate, CertificateJob, CertificateKind
from tests.cooperations.conftest import world  # noqa: F401  (fixture: two cooperations, one user per role)
from tests.factories import (
    ActionSessionFactory,
    ParticipationFactory,
    PersonFactory,
    ServantFactory,
    TrainingActionFactory,
    UnitFactory,
)
from tests.files import PDF_BYTES

PRESENT, ABSENT, JUSTIFIED = Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.JUSTIFIED


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The verification page counts requests in the default cache: each test starts at zero."""
    cache.clear()
    yield
    cache.clear()


def mark(session, servant, status=PRESENT):
    return Attendance.objects.create(session=session, servant=servant, status=status)


def build_diploma():
    """A diplomado of five sessions (6 + 6 + 6 + 5,5 + 6 = 29,5 h), 80 % minimum:
    - «Ana Exacta» attends sessions 1, 2, 3 and 5: 24 h, 80 % (qualifies, on both boundaries);
    - «Bruno Corto» attends sessions 1 to 4: 23,5 h, 80 % (misses the hours);
    - «Carla Ausente» attends 1, 2, 3 and is justified in 4 and 5: 18 h, 60 % (misses both)."""
    unit = UnitFactory(acronym="DGPE", name="Dirección General de Promoción del Empleo")
    action = TrainingActionFactory(
        kind=TrainingAction.Kind.DIPLOMA,
        title="Diplomado en Gestión Pública Regional",
        organisational_unit=unit,
        hours=Decimal("29.5"),
        planned_start=datetime.date(2025, 5, 5),
        planned_end=datetime.date(2025, 6, 2),
    )
    durations = ["6", "6", "6", "5.5", "6"]
    sessions = [
        ActionSessionFactory(
            action=action, date=datetime.date(2025, 5, 5) + datetime.timedelta(weeks=n), duration_hours=Decimal(hours)
        )
        for n, hours in enumerate(durations)
    ]
    ana = ServantFactory(full_name="Ana Exacta", document_number="41235678")
    bruno = ServantFactory(full_name="Bruno Corto", document_number="42349876")
    carla = ServantFactory(full_name="Carla Ausente", document_number="43451111")
    for index, session in enumerate(sessions):
        mark(session, ana, PRESENT if index != 3 else ABSENT)
        mark(session, bruno, PRESENT if index != 4 else ABSENT)
        mark(session, carla, PRESENT if index < 3 else JUSTIFIED)
    return SimpleNamespace(action=action, sessions=sessions, ana=ana, bruno=bruno, carla=carla, unit=unit)


@pytest.fixture
def diploma(db):
    return build_diploma()


@pytest.fixture
def cooperation_world(world):  # noqa: F811
    """The walk's world with two participants in «Perú – Paraguay» and one in the other cooperation."""
    world.participants = [
        ParticipationFactory(cooperation=world.cooperation, person=PersonFactory(full_name="Rosa Delegada")),
        ParticipationFactory(cooperation=world.cooperation, person=PersonFactory(full_name="Luis Delegado")),
    ]
    world.other_participant = ParticipationFactory(
        cooperation=world.other, person=PersonFactory(full_name="Persona De Otra Cooperación")
    )
    return world


def walk_certificates(*, action, cooperation, participation, by):
    """One certificate and one finished job of each kind (with small files), for the walk."""
    servant = ServantFactory(full_name="Servidora Del Recorrido")
    now = timezone.now()
    rows = SimpleNamespace()
    rows.training = Certificate.objects.create(
        kind=CertificateKind.TRAINING,
        action=action,
        servant=servant,
        holder_name=servant.full_name,
        title=action.title,
        subject_kind=action.get_kind_display(),
        issuer="MTPE",
        issued_at=now,
        issued_by=by,
        file_name="certificado.pdf",
    )
    rows.training.file.save("walk/training.pdf", ContentFile(PDF_BYTES))
    rows.participation = Certificate.objects.create(
        kind=CertificateKind.PARTICIPATION,
        cooperation=cooperation,
        participation=participation,
        holder_name=participation.person.full_name,
        title=cooperation.title,
        subject_kind="Cooperación bilateral RIAL",
        issuer="OEA",
        issued_at=now,
        issued_by=by,
        file_name="certificado.pdf",
    )
    rows.participation.file.save("walk/participation.pdf", ContentFile(PDF_BYTES))
    rows.training_job = CertificateJob.objects.create(
        kind=CertificateKind.TRAINING,
        action=action,
        requested_by=by,
        status=CertificateJob.Status.DONE,
        archive_name="c.zip",
    )
    rows.training_job.archive.save("walk/training.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    rows.participation_job = CertificateJob.objects.create(
        kind=CertificateKind.PARTICIPATION,
        cooperation=cooperation,
        requested_by=by,
        status=CertificateJob.Status.DONE,
        archive_name="c.zip",
    )
    rows.participation_job.archive.save("walk/participation.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    return rows
