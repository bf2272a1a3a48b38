"""Ministries comment on a summary version open to comments, per section and by institution; OEA
staff resolve the comments; the next version lists those resolved since the previous one (page and
PDF). The version page shows the old and new value of what changed."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import services
from reports.models import ReportJob, ReportVersion, SummaryComment, SummarySection
from reports.summary import summary_changes, summary_snapshot
from tests.factories import ParticipationFactory, SessionFactory, StepFactory, aware, focal_point_for
from tests.reports.pdf import normalise, pdf_text

pytestmark = pytest.mark.django_db


def publish(world, *, open_for_comments=False, is_final=False, label="") -> ReportVersion:
    """A new version of the world's cooperation, rendered here (what the worker does)."""
    job, _created = services.summary_request(
        cooperation=world.cooperation,
        by=world.users["oea"],
        request_key=uuid.uuid4(),
        label=label,
        is_final=is_final,
        open_for_comments=open_for_comments,
    )
    return ReportVersion.objects.get(pk=services.job_run(job_id=job.pk))


def comment(world, version, *, role="focal_requesting", section=SummarySection.SESSIONS, text="Falta la hora."):
    return services.summary_comment_create(version=version, section=section, text=text, by=world.users[role])


def post_comment(client, version, **data):
    data = {"request_key": str(uuid.uuid4()), "section": "sessions", "text": "Falta la hora.", **data}
    return client.post(reverse("reports:comment_create", args=[version.pk]), data)


def page(client, version) -> str:
    response = client.get(reverse("reports:version", args=[version.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_ministry_comments_a_section_staff_resolve_it_and_the_next_version_lists_it_on_its_page_and_pdf(
    world, client_for
):
    first = publish(world, open_for_comments=True)
    assert (first.label, first.open_for_comments) == ("abierta a comentarios", True)
    requesting = client_for(world.users["focal_requesting"])
    providing = client_for(world.users["focal_providing"])
    staff = client_for(world.users["oea"])

    response = post_comment(
        requesting, first, section="participants", text="Falta la Directora General de Formación Profesional."
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:version", args=[first.pk]) + "#comentarios"
    [sent] = SummaryComment.objects.all()
    assert (sent.institution, sent.section, sent.author) == (
        world.peru,
        SummarySection.PARTICIPANTS,
        world.users["focal_requesting"],
    )
    # The other institution and OEA staff read it under its section, with its institution.
    shown = page(providing, first)
    assert "Falta la Directora General de Formación Profesional." in shown
    assert "Participantes" in shown and "MTPE" in shown and "pendiente" in shown
    assert "Marcar como resuelto" not in shown  # focal points do not resolve
    assert "Marcar como resuelto" in page(staff, first)

    resolved = staff.post(
        reverse("reports:comment_resolve", args=[sent.pk]), {"resolution": "Añadida a la delegación peruana."}
    )
    assert resolved.status_code == 302
    sent.refresh_from_db()
    assert (sent.status, sent.resolved_by, sent.resolution) == (
        SummaryComment.Status.RESOLVED,
        world.users["oea"],
        "Añadida a la delegación peruana.",
    )
    assert sent.history.count() == 2  # sent, resolved

    second = publish(world)
    shown = page(requesting, second)
    assert "Comentarios resueltos desde la versión anterior" in shown
    assert "Falta la Directora General de Formación Profesional." in shown
    assert "Añadida a la delegación peruana." in shown
    text = normalise(pdf_text(second.file.read()))
    assert "CAMBIOS DESDE LA VERSIÓN 1" in text  # headings print in capitals
    assert "Falta la Directora General de Formación Profesional." in text
    assert "Añadida a la delegación peruana." in text
    sent.refresh_from_db()
    assert sent.listed_in == second

    # Listed once: the third version does not repeat it.
    third = publish(world)
    assert third.snapshot["resolved_comments"] == []
    assert "Comentarios resueltos desde la versión anterior" not in page(staff, third)


def test_a_comment_resolved_while_a_version_renders_is_listed_by_the_next_one(world):
    first = publish(world, open_for_comments=True)
    early, late = comment(world, first, text="Primero"), comment(world, first, text="Segundo")
    services.summary_comment_resolve(comment=early, resolution="Hecho", by=world.users["oea"])
    snapshot = summary_snapshot(world.cooperation)  # what a version rendering now freezes
    services.summary_comment_resolve(comment=late, resolution="Hecho también", by=world.users["oea"])

    assert [c["text"] for c in snapshot["resolved_comments"]] == ["Primero"]
    second = publish(world)
    assert [c["text"] for c in second.snapshot["resolved_comments"]] == ["Primero", "Segundo"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "Esta versión no está abierta a comentarios."),
        ({"is_final": True}, "Esta versión no está abierta a comentarios."),
    ],
)
def test_comments_are_refused_on_a_version_not_open_to_comments_or_final(world, client_for, kwargs, message):
    version = publish(world, **kwargs)
    client = client_for(world.users["focal_providing"])

    assert "Comentar esta versión" not in page(client, version)
    response = post_comment(client, version, text="Mi comentario escrito")
    assert response.status_code == 409
    assert message in response.content.decode()
    assert "Mi comentario escrito" in response.content.decode()
    assert not SummaryComment.objects.exists()


def test_a_version_superseded_by_a_newer_one_takes_no_more_comments(world, client_for):
    first = publish(world, open_for_comments=True)
    publish(world, open_for_comments=True)
    with pytest.raises(ValidationError, match="Ya se publicó la versión 2"):
        comment(world, first)
    response = post_comment(client_for(world.users["focal_requesting"]), first)
    assert response.status_code == 409
    assert "Ya se publicó la versión 2" in response.content.decode()


def test_a_final_version_cannot_be_published_open_to_comments(world, client_for):
    response = client_for(world.users["oea"]).post(
        reverse("reports:summary_publish", args=[world.cooperation.pk]),
        {"request_key": str(uuid.uuid4()), "is_final": "on", "open_for_comments": "on", "label": "cierre"},
    )
    assert response.status_code == 400
    assert "Una versión final no se abre a comentarios." in response.content.decode()
    assert 'value="cierre"' in response.content.decode()
    assert not ReportJob.objects.exists()
    with pytest.raises(ValidationError):
        publish(world, is_final=True, open_for_comments=True)


def test_an_empty_or_overlong_comment_is_refused_with_a_message_and_keeps_what_was_typed(world, client_for):
    version = publish(world, open_for_comments=True)
    client = client_for(world.users["focal_requesting"])

    empty = post_comment(client, version, section="questions", text="   ")
    assert empty.status_code == 400
    assert "Escriba el comentario." in empty.content.decode()
    assert '<option value="questions" selected>' in empty.content.decode()

    long = post_comment(client, version, text="x" * 4001)
    assert long.status_code == 400
    assert "4000" in long.content.decode() and "x" * 4001 in long.content.decode()
    assert not SummaryComment.objects.exists()


def test_two_clicks_on_the_comment_form_send_one_comment(world, client_for):
    version = publish(world, open_for_comments=True)
    client = client_for(world.users["focal_requesting"])
    key = str(uuid.uuid4())
    post_comment(client, version, request_key=key)
    post_comment(client, version, request_key=key)
    assert SummaryComment.objects.count() == 1


def test_resolving_needs_a_note_and_happens_once(world, client_for):
    version = publish(world, open_for_comments=True)
    sent = comment(world, version)
    staff = client_for(world.users["oea"])
    url = reverse("reports:comment_resolve", args=[sent.pk])

    empty = staff.post(url, {"resolution": ""})
    assert empty.status_code == 400
    assert "Escriba brevemente cómo se resolvió el comentario." in empty.content.decode()
    assert staff.post(url, {"resolution": "Corregido"}).status_code == 302
    again = staff.post(url, {"resolution": "Otra vez"})
    assert again.status_code == 409
    assert "Este comentario ya fue resuelto." in again.content.decode()
    sent.refresh_from_db()
    assert sent.resolution == "Corregido"


def test_a_focal_point_of_a_ministry_unit_comments_for_its_ministry(world):
    unit_user = focal_point_for(type(world.peru).objects.create(name="Dirección de Formación", parent=world.peru))
    version = publish(world, open_for_comments=True)
    sent = services.summary_comment_create(
        version=version,
        section=SummarySection.GENERAL,
        text="Ajustar el objetivo",
        by=unit_user,
    )
    assert sent.institution == world.peru
    assert comment(world, version, role="oea").institution_label == "OEA"


def test_only_the_two_institutions_and_staff_comment_and_only_staff_resolve(world):
    version = publish(world, open_for_comments=True)
    sent = comment(world, version, role="focal_providing")
    assert sent.institution == world.paraguay
    for role in ("focal_other", "manager", "odes"):
        with pytest.raises(PermissionDenied):
            comment(world, version, role=role)
    for role in ("focal_requesting", "focal_providing", "manager"):
        with pytest.raises(PermissionDenied):
            services.summary_comment_resolve(comment=sent, resolution="x", by=world.users[role])


# --- Old → new values --------------------------------------------------------------------------


def test_changes_give_the_old_and_new_value_of_each_changed_field_as_people_read_them(world):
    session = SessionFactory(cooperation=world.cooperation, order=2, title="Segunda sesión")
    step = StepFactory(cooperation=world.cooperation, after_session=world.session, text="Enviar el plan")
    before = summary_snapshot(world.cooperation)

    session.starts_at = aware(2022, 5, 17, 10)
    session.ends_at = aware(2022, 5, 17, 13)
    session.save()
    step.due_date = datetime.date(2024, 7, 2)
    step.done = True
    step.after_session = session
    step.save()
    world.cooperation.general_objective = "Conocer y adaptar la experiencia."
    world.cooperation.save()
    after = summary_snapshot(world.cooperation)

    changes = {section["title"]: section for section in summary_changes(before, after)}
    [changed_session] = changes["Sesiones"]["changed"]
    assert {v["field"]: (v["old"], v["new"]) for v in changed_session["values"]} == {
        "hora": ("17 de mayo de 2022, 09:00", "17 de mayo de 2022, 10:00"),
        "hora de fin": ("17 de mayo de 2022, 12:00", "17 de mayo de 2022, 13:00"),
    }
    [changed_step] = changes["Pasos y plazos"]["changed"]
    assert {v["field"]: (v["old"], v["new"]) for v in changed_step["values"]} == {
        "plazo": ("25 de junio de 2024", "2 de julio de 2024"),
        "cumplido": ("no", "sí"),
        "sesión": (world.session.display_title, "Segunda sesión"),
    }
    [cooperation] = changes["Datos de la cooperación"]["changed"]
    assert cooperation["values"] == [
        {"field": "objetivo general", "old": "Conocer la experiencia.", "new": "Conocer y adaptar la experiencia."}
    ]


def test_the_version_page_shows_old_and_new_values(world, client_for):
    participant = ParticipationFactory(cooperation=world.cooperation, institution=world.peru, position="Analista")
    publish(world)
    participant.position = "Directora de Formación"
    participant.save()
    second = publish(world)

    shown = page(client_for(world.users["focal_requesting"]), second)
    assert "Cambios desde la versión 1" in shown
    assert '<del class="text-muted" aria-label="antes">Analista</del>' in shown
    assert "Directora de Formación</ins>" in shown


def test_the_version_page_keeps_its_query_count_as_comments_and_changes_grow(world, client_for):
    first = publish(world, open_for_comments=True)
    comment(world, first)
    second = publish(world, open_for_comments=True)
    for role in ("focal_requesting", "focal_providing", "oea"):
        services.summary_comment_resolve(
            comment=comment(world, second, role=role), resolution="Ok", by=world.users["oea"]
        )
    client = client_for(world.users["oea"])
    url = reverse("reports:version", args=[second.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for n in range(10):
        comment(world, second, role="focal_providing", section=SummarySection.QUESTIONS, text=f"Comentario {n}")
    assert count() == few
