"""The certificates part of an action's page, the job's progress, revoking, and stale jobs."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, CertificateJob, CertificateKind
from certificates.tasks import fail_stale_jobs
from tests.certificates.conftest import PRESENT, mark
from tests.factories import ActionSessionFactory, ServantFactory, TrainingActionFactory


def test_the_action_page_lists_who_qualifies_and_why_the_others_do_not(diploma, client_for):
    page = client_for("odes").get(diploma.action.get_absolute_url()).content.decode()

    panel = page[page.index('data-testid="certificates-panel"') :]
    assert "Requisitos: al menos 24 horas de asistencia y el 80 % de las sesiones." in panel
    assert "Cumplen: 1 · con certificado: 0." in panel
    # Who qualifies first, then the others with their shortfalls.
    assert panel.index("Ana Exacta") < panel.index("Bruno Corto")
    assert "23,5 h de 24 h" in panel
    assert "18 h de 24 h; 60 % de 80 %" in panel
    assert "Emitir certificados" in panel


def test_managers_read_the_list_without_the_button(diploma, client_for):
    page = client_for("manager").get(diploma.action.get_absolute_url()).content.decode()
    assert "23,5 h de 24 h" in page
    assert reverse("certificates:action_issue", args=[diploma.action.pk]) not in page


def test_the_action_page_keeps_its_queries_constant(client_for, django_assert_max_num_queries):
    action = TrainingActionFactory(minimum_attendance_percent=50)
    sessions = [ActionSessionFactory(action=action, duration_hours=Decimal("3")) for _ in range(2)]
    odes = client_for("odes")

    def add_servants(count):
        for _ in range(count):
            servant = ServantFactory()
            for session in sessions:
                mark(session, servant, PRESENT)

    add_servants(2)
    job, _ = services.training_certificates_request(action=action, by=odes.user, request_key=uuid.uuid4())
    services.certificate_job_run(job_id=job.pk)
    with django_assert_max_num_queries(40) as few:
        odes.get(action.get_absolute_url())
    add_servants(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = odes.get(action.get_absolute_url())
    assert response.content.decode().count('data-testid="eligibility-row"') == 22


def test_the_job_fragment_follows_the_progress_with_htmx(diploma, client_for):
    odes = client_for("odes")
    job = CertificateJob.objects.create(
        kind=CertificateKind.TRAINING,
        action=diploma.action,
        requested_by=odes.user,
        status=CertificateJob.Status.RUNNING,
        total=4,
        processed=1,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    url = reverse("certificates:job", args=[job.pk])

    fragment = odes.get(url, headers={"HX-Request": "true"}).content.decode()

    assert f'hx-get="{url}"' in fragment and "Emitiendo certificados: 1 de 4…" in fragment
    assert "<html" not in fragment
    assert f'hx-get="{url}"' in odes.get(diploma.action.get_absolute_url()).content.decode()
    assert client_for("oea").get(url).status_code == 403


def test_revoking_asks_for_a_reason_and_keeps_the_certificate(diploma, client_for):
    odes = client_for("odes")
    job, _ = services.training_certificates_request(action=diploma.action, by=odes.user, request_key=uuid.uuid4())
    services.certificate_job_run(job_id=job.pk)
    certificate = Certificate.objects.get()
    url = reverse("certificates:revoke", args=[certificate.pk])

    empty = odes.post(url, {"reason": "  "})

    assert empty.status_code == 200 and "Este campo es obligatorio." in empty.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_valid
    done = odes.post(url, {"reason": "Se registró a otra persona"})
    assert done["Location"] == diploma.action.get_absolute_url() + "#certificados"
    again = odes.post(url, {"reason": "Otra vez"})
    assert "Este certificado ya fue revocado." in again.content.decode()
    assert "revocado el" in odes.get(diploma.action.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", ["manager", "oea", "focal"])
def test_only_odes_revoke_a_training_certificate(diploma, client_for, role):
    odes = client_for("odes")
    job, _ = services.training_certificates_request(action=diploma.action, by=odes.user, request_key=uuid.uuid4())
    services.certificate_job_run(job_id=job.pk)
    certificate = Certificate.objects.get()
    assert (
        client_for(role).post(reverse("certificates:revoke", args=[certificate.pk]), {"reason": "x"}).status_code == 403
    )
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_beat_fails_the_jobs_whose_worker_died(diploma, make_user):
    now = timezone.now()
    old = now - datetime.timedelta(minutes=10)
    dead = CertificateJob.objects.create(
        kind=CertificateKind.TRAINING,
        action=diploma.action,
        status=CertificateJob.Status.RUNNING,
        started_at=old,
        heartbeat_at=old,
    )
    alive = CertificateJob.objects.create(
        kind=CertificateKind.TRAINING,
        action=diploma.action,
        status=CertificateJob.Status.RUNNING,
        started_at=old,
        heartbeat_at=now,
    )

    assert fail_stale_jobs() == 1

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == CertificateJob.Status.FAILED and "dejó de responder" in dead.error
    assert alive.status == CertificateJob.Status.RUNNING


def test_the_minimum_attendance_is_set_on_the_action_form(diploma, client_for):
    form = client_for("odes").get(reverse("capacity_plan:action_edit", args=[diploma.action.pk])).content.decode()
    assert 'name="minimum_attendance_percent"' in form and 'value="80"' in form
