"""Attendance of a virtual session from the Zoom or Teams participants report (issue 15): minutes
summed over every join and leave, people matched by e-mail then name, the minimum-minutes rule,
the unmatched assigned by hand, all rows or none."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from capacity_plan.imports.meetings import meeting_report_match, meeting_report_read, parse_minutes
from capacity_plan.models import Attendance, ImportPreview
from tests.factories import ActionSessionFactory, ServantFactory

pytestmark = pytest.mark.django_db

# Zoom, Spanish interface: Informes → Uso → Participantes → Exportar (not «usuarios únicos»).
ZOOM_ES = """\ufeffID de reunión,Tema,Hora de inicio,Hora de finalización,Correo electrónico del usuario,Duración (minutos),Participantes
851 2345 6789,Taller de Liderazgo Transformacional - Sesión 1,10/04/2025 08:57:10 a. m.,10/04/2025 11:03:45 a. m.,odes.capacitacion@trabajo.gob.pe,127,6

Nombre (nombre original),Correo electrónico del usuario,Hora de ingreso,Hora de salida,Duración (minutos),Invitado,En la sala de espera
ODES Capacitación,odes.capacitacion@trabajo.gob.pe,10/04/2025 08:57:10 a. m.,10/04/2025 11:03:45 a. m.,127,No,No
Rosa Huamán,RHuaman@drtpe-cusco.gob.pe,10/04/2025 08:58:40 a. m.,10/04/2025 09:40:10 a. m.,42,Sí,No
Rosa Huamán,RHuaman@drtpe-cusco.gob.pe,10/04/2025 09:43:05 a. m.,10/04/2025 11:00:00 a. m.,77,Sí,No
Jorge Condori Mamani (Galaxy A32 de Jorge),,10/04/2025 09:05:00 a. m.,10/04/2025 09:30:00 a. m.,25,Sí,No
iPhone de Carlos,,10/04/2025 09:01:00 a. m.,10/04/2025 10:50:00 a. m.,109,Sí,No
Lucía Torres,ltorres@drtpe-piura.gob.pe,10/04/2025 09:00:30 a. m.,10/04/2025 10:00:30 a. m.,60,Sí,No
Lucía Torres,ltorres@drtpe-piura.gob.pe,10/04/2025 10:02:00 a. m.,10/04/2025 10:35:00 a. m.,33,Sí,No
"""

# Microsoft Teams: Asistencia → Descargar (UTF-16, tab separated, three sections).
TEAMS_EN = """1. Summary
Meeting title\tTaller de Liderazgo Transformacional - Sesión 2
Attended participants\t4
Start time\t4/17/25, 8:58:03 AM
End time\t4/17/25, 11:01:40 AM
Meeting duration\t2h 3m 37s
Average attendance time\t1h 20m 5s

2. Participants
Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole
ODES Capacitación\t4/17/25, 8:58:03 AM\t4/17/25, 11:01:40 AM\t2h 3m 37s\todes.capacitacion@trabajo.gob.pe\todes.capacitacion@trabajo.gob.pe\tOrganizer
Rosa Huamán (Invitado)\t4/17/25, 9:00:10 AM\t4/17/25, 11:00:00 AM\t1h 50m 20s\trhuaman@drtpe-cusco.gob.pe\t\tAttendee
Lucía Torres\t4/17/25, 9:10:00 AM\t4/17/25, 10:05:00 AM\t55m\tltorres@drtpe-piura.gob.pe\t\tAttendee
Jorge Condori Mamani\t4/17/25, 9:02:00 AM\t4/17/25, 10:45:30 AM\t1h 43m 30s\t\t\tAttendee

3. In-Meeting Activities
Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole
ODES Capacitación\t4/17/25, 8:58:03 AM\t4/17/25, 11:01:40 AM\t2h 3m 37s\todes.capacitacion@trabajo.gob.pe\tOrganizer
Rosa Huamán (Invitado)\t4/17/25, 9:00:10 AM\t4/17/25, 9:45:20 AM\t45m 10s\trhuaman@drtpe-cusco.gob.pe\tAttendee
Rosa Huamán (Invitado)\t4/17/25, 9:55:00 AM\t4/17/25, 11:00:00 AM\t1h 5m 0s\trhuaman@drtpe-cusco.gob.pe\tAttendee
Lucía Torres\t4/17/25, 9:10:00 AM\t4/17/25, 10:05:00 AM\t55m\tltorres@drtpe-piura.gob.pe\tAttendee
Jorge Condori Mamani\t4/17/25, 9:02:00 AM\t4/17/25, 9:50:00 AM\t48m\t\tAttendee
Jorge Condori Mamani\t4/17/25, 9:51:00 AM\t4/17/25, 10:45:30 AM\t54m 30s\t\tAttendee
"""


def zoom_file(text=ZOOM_ES, name="participants_85123456789.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def teams_file(text=TEAMS_EN, name="Taller de Liderazgo - Attendance report 4-17-25.csv"):
    return SimpleUploadedFile(name, text.encode("utf-16"), content_type="text/csv")


@pytest.fixture
def virtual(pfc):
    """A two-hour virtual session and three servants of the report (Jorge has no e-mail in it)."""
    session = ActionSessionFactory(action=pfc.action, duration_hours=Decimal("2"))
    rosa = ServantFactory(
        full_name="Rosa Elvira Huamán Quispe", email="rhuaman@drtpe-cusco.gob.pe", region=pfc.regions[0]
    )
    jorge = ServantFactory(full_name="Jorge Condori Mamani", region=pfc.regions[1])
    lucia = ServantFactory(full_name="Lucía Torres Vargas", email="ltorres@drtpe-piura.gob.pe", region=pfc.regions[2])
    carlos = ServantFactory(full_name="Carlos Rojas Flores", region=pfc.regions[0])
    return session, rosa, jorge, lucia, carlos


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("45", "45"),
        ("45,5", "45.5"),
        ("1h 2m 30s", "62.5"),
        ("1 h 5 min", "65"),
        ("45m 12s", "45.2"),
        ("30s", "0.5"),
        ("1:02:30", "62.5"),
    ],
)
def test_durations_are_read_as_zoom_and_teams_write_them(text, minutes):
    assert parse_minutes(text).quantize(Decimal("0.1")) == Decimal(minutes)


def test_zoom_minutes_are_summed_per_person_and_matched_by_email_then_name(virtual):
    session, rosa, jorge, lucia, carlos = virtual
    report = meeting_report_read(uploaded=zoom_file(), minimum_minutes=90)
    meeting_report_match(report=report)
    assert report.valid and report.source == "Zoom"
    people = {person.name: person for person in report.people}
    assert people["Rosa Huamán"].minutes == Decimal("119") and people["Rosa Huamán"].servant == rosa
    assert people["Lucía Torres"].minutes == Decimal("93") and people["Lucía Torres"].servant == lucia
    jorge_row = people["Jorge Condori Mamani (Galaxy A32 de Jorge)"]
    assert jorge_row.servant == jorge and jorge_row.matched_by == "nombre"
    assert [person.name for _index, person in report.unmatched] == ["ODES Capacitación", "iPhone de Carlos"]
    assert report.marks() == {rosa.pk: "present", lucia.pk: "present", jorge.pk: "absent"}


def test_teams_reads_each_join_once_and_sums_them(virtual):
    session, rosa, jorge, lucia, carlos = virtual
    report = meeting_report_read(uploaded=teams_file(), minimum_minutes=90)
    meeting_report_match(report=report)
    assert report.valid and report.source == "Teams"
    minutes = {person.name: person.minutes for person in report.people}
    # 45m 10s + 1h 5m, not added again from the «Participants» section.
    assert minutes["Rosa Huamán (Invitado)"] == Decimal("110.2")
    assert minutes["Jorge Condori Mamani"] == Decimal("102.5")
    assert report.marks() == {rosa.pk: "present", jorge.pk: "present", lucia.pk: "absent"}


def test_the_whole_journey_preview_assign_by_hand_and_confirm(client, make_user, virtual):
    session, rosa, jorge, lucia, carlos = virtual
    client.force_login(make_user("odes"))
    url = reverse("capacity_plan:meeting_import", args=[session.pk])
    assert 'value="90"' in client.get(url).content.decode()  # three quarters of two hours

    preview = client.post(url, {"file": zoom_file(), "minimum_minutes": "90"})
    page = preview.content.decode()
    assert "Reporte de Zoom: 5 personas." in page
    assert "2 personas no se reconocieron" in page
    assert not Attendance.objects.filter(session=session).exists()  # a preview writes nothing
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    carlos_index = preview.context["report"].people.index(
        next(person for person in preview.context["report"].people if person.name == "iPhone de Carlos")
    )

    response = client.post(
        url, {"confirm": "1", "token": token, "minimum_minutes": "90", f"servant-{carlos_index}": str(carlos.pk)}
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "capacity_plan:attendance", args=[session.pk]
    )
    marks = dict(Attendance.objects.filter(session=session).values_list("servant__full_name", "status"))
    assert marks == {
        "Rosa Elvira Huamán Quispe": "present",
        "Lucía Torres Vargas": "present",
        "Jorge Condori Mamani": "absent",
        "Carlos Rojas Flores": "present",
    }
    assert not ImportPreview.objects.exists()
    grid = client.get(response["Location"]).content.decode()
    assert "Carlos Rojas Flores" in grid

    # The same report again changes nothing and duplicates nothing.
    again = client.post(url, {"file": zoom_file(), "minimum_minutes": "90"})
    token = re.search(r'name="token" value="([^"]+)"', again.content.decode()).group(1)
    client.post(
        url, {"confirm": "1", "token": token, "minimum_minutes": "90", f"servant-{carlos_index}": str(carlos.pk)}
    )
    assert Attendance.objects.filter(session=session).count() == 4


def test_a_report_with_bad_rows_lists_each_one_and_writes_nothing(client, make_user, virtual):
    session = virtual[0]
    client.force_login(make_user("odes"))
    broken = ZOOM_ES.replace(",25,Sí,No", ",veinticinco,Sí,No").replace("iPhone de Carlos,,", ",,")
    response = client.post(
        reverse("capacity_plan:meeting_import", args=[session.pk]), {"file": zoom_file(broken), "minimum_minutes": "90"}
    )
    page = response.content.decode()
    assert "El archivo tiene 2 errores; no se importó nada." in page
    assert "Fila 8: Duración no válida: «veinticinco»." in page
    assert "Fila 9: Falta el nombre del participante." in page
    assert 'name="confirm"' not in page
    assert not ImportPreview.objects.exists() and not Attendance.objects.filter(session=session).exists()


def test_a_file_that_is_not_a_participants_report_gets_a_clear_message(client, make_user, virtual):
    client.force_login(make_user("odes"))
    response = client.post(
        reverse("capacity_plan:meeting_import", args=[virtual[0].pk]),
        {"file": zoom_file("Marca temporal,DNI,Región\n10/04/2025,71234567,Cusco\n"), "minimum_minutes": "90"},
    )
    assert "No se encontró la tabla de participantes" in response.content.decode()


def test_the_preview_keeps_its_queries_whatever_the_roster(
    client, make_user, virtual, pfc, django_assert_max_num_queries
):
    session = virtual[0]
    client.force_login(make_user("odes"))
    url = reverse("capacity_plan:meeting_import", args=[session.pk])
    with django_assert_max_num_queries(20):
        client.post(url, {"file": zoom_file(), "minimum_minutes": "90"})
    ServantFactory.create_batch(30, region=pfc.regions[0])
    with django_assert_max_num_queries(20):
        response = client.post(url, {"file": zoom_file(), "minimum_minutes": "90"})
    assert len(response.context["roster"]) >= 55


# Teams in Spanish: the same report, with its own headers and durations.
TEAMS_ES = """1. Resumen
Título de la reunión\tTaller de Liderazgo Transformacional - Sesión 3
Participantes asistentes\t2
Duración de la reunión\t2 h 1 min 10 s

2. Participantes
Nombre\tPrimera unión\tÚltima salida\tDuración en la reunión\tCorreo electrónico\tId. de participante (UPN)\tRol
Lucía Torres\t24/4/25, 9:00:00\t24/4/25, 11:00:00\t1 h 40 min\tltorres@drtpe-piura.gob.pe\t\tAsistente
Jorge Condori Mamani\t24/4/25, 9:00:00\t24/4/25, 9:40:00\t40 min\t\t\tAsistente

3. Actividades en la reunión
Nombre\tHora de unión\tHora de salida\tDuración\tCorreo electrónico\tRol
Lucía Torres\t24/4/25, 9:00:00\t24/4/25, 10:00:00\t1 h\tltorres@drtpe-piura.gob.pe\tAsistente
Lucía Torres\t24/4/25, 10:20:00\t24/4/25, 11:00:00\t40 min\tltorres@drtpe-piura.gob.pe\tAsistente
Jorge Condori Mamani\t24/4/25, 9:00:00\t24/4/25, 9:40:00\t40 min\t\tAsistente
"""


def test_teams_in_spanish_is_read_the_same(virtual):
    session, rosa, jorge, lucia, carlos = virtual
    report = meeting_report_read(uploaded=teams_file(TEAMS_ES, name="Informe de asistencia.csv"), minimum_minutes=90)
    meeting_report_match(report=report)
    assert report.valid and report.source == "Teams"
    assert {person.name: person.minutes for person in report.people} == {
        "Lucía Torres": Decimal("100"),
        "Jorge Condori Mamani": Decimal("40"),
    }
    assert report.marks() == {lucia.pk: "present", jorge.pk: "absent"}
