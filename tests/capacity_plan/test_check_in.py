"""Self check-in and its survey (issue 15): ODES open a session's link; participants without an
account check in by DNI inside the window, once, and answer the survey once (optionally
anonymously); the registers the grid and the indicators read change at once."""

import datetime
import re
import time
from decimal import Decimal

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from capacity_plan import check_in
from capacity_plan.check_in_forms import STARTED_SALT
from capacity_plan.indicators import indicator_value, load_registers
from capacity_plan.models import Attendance, CheckIn, CheckInLink, Indicator, PublicServant, SatisfactionResponse
from capacity_plan.periods import Bimester
from tests.factories import ActionSessionFactory, IndicatorFactory, ServantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_forms(settings):
    """Rate-limit counters start afresh; forms may be sent at once unless a test says otherwise."""
    cache.clear()
    settings.CHECK_IN_MINIMUM_FILL_SECONDS = 0
    settings.SITE_URL = "https://pfc.example.pe"


@pytest.fixture
def today_session(pfc):
    return ActionSessionFactory(action=pfc.action, date=timezone.localdate(), duration_hours=Decimal("2"))


@pytest.fixture
def odes(make_user):
    return make_user("odes")


def open_link(session, odes, *, opens=-60, closes=120) -> CheckInLink:
    now = timezone.now()
    return check_in.check_in_link_open(
        session=session,
        opens_at=now + datetime.timedelta(minutes=opens),
        closes_at=now + datetime.timedelta(minutes=closes),
        by=odes,
    )


def started(seconds_ago=10) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=STARTED_SALT)


def identity_of(response) -> str:
    match = re.search(r'name="identity" value="([^"]+)"', response.content.decode())
    assert match, "the page carries the signed DNI to the next step"
    return match.group(1)


def send_document(client, link, document_number, **extra):
    data = {"step": "document", "document_number": document_number, "website": "", "started": started(), **extra}
    return client.post(reverse("check_in:check_in", args=[link.token]), data)


def check_in_new(client, link, document_number="71234567", **details):
    identity = identity_of(send_document(client, link, document_number))
    data = {
        "step": "details",
        "identity": identity,
        "full_name": "Rosa Elvira Huamán Quispe",
        "email": "rhuaman@drtpe-cusco.gob.pe",
        "region": details.pop("region").pk,
        "position": "Inspectora de trabajo",
        **details,
    }
    return client.post(reverse("check_in:check_in", args=[link.token]), data)


def registers():
    return (Attendance.objects.count(), PublicServant.objects.count(), CheckIn.objects.count())


# --- ODES open, close and renew -----------------------------------------------------------------


def test_odes_opens_check_in_and_sees_the_short_link_and_its_qr_code(client, odes, today_session):
    client.force_login(odes)
    url = reverse("capacity_plan:check_in_manage", args=[today_session.pk])
    page = client.get(url)
    assert "Abrir el registro de asistencia" in page.content.decode()
    opens, closes = page.context["form"].initial["opens_at"], page.context["form"].initial["closes_at"]
    assert closes - opens == datetime.timedelta(hours=2, minutes=45)  # 15 min before, 2 h, 30 min after

    response = client.post(
        url, {"open": "1", "opens_at": f"{opens:%Y-%m-%dT%H:%M}", "closes_at": f"{closes:%Y-%m-%dT%H:%M}"}
    )
    assert response.status_code == 302
    link = CheckInLink.objects.get(session=today_session, state="active")
    page = client.get(url).content.decode()
    assert f"https://pfc.example.pe/asistencia/{link.token}/" in page
    assert len(link.token) >= 16
    qr = page.split('data-testid="check-in-qr"')[1].split("</svg>")[0]
    assert '<svg viewBox="0 0' in qr and 'class="qr-code"' in qr and "<script" not in qr


def test_a_window_that_closes_before_it_opens_is_refused(client, odes, today_session):
    client.force_login(odes)
    response = client.post(
        reverse("capacity_plan:check_in_manage", args=[today_session.pk]),
        {"open": "1", "opens_at": "2025-04-10T10:00", "closes_at": "2025-04-10T09:00"},
    )
    assert "El cierre debe ser posterior a la apertura." in response.content.decode()
    assert not CheckInLink.objects.exists()


def test_a_renewed_link_says_so_and_stores_nothing(client, odes, today_session, pfc):
    old = open_link(today_session, odes)
    new = check_in.check_in_link_renew(session=today_session, by=odes)
    assert new.token != old.token
    before = registers()
    response = send_document(Client(), old, pfc.servants[0].document_number)
    assert response.status_code == 410
    assert "Este enlace fue reemplazado por uno nuevo" in response.content.decode()
    assert registers() == before
    assert send_document(Client(), new, pfc.servants[0].document_number).status_code == 200


def test_a_closed_link_says_so(client, odes, today_session, pfc):
    link = open_link(today_session, odes)
    check_in.check_in_link_close(session=today_session, by=odes)
    response = Client().get(reverse("check_in:check_in", args=[link.token]))
    assert response.status_code == 410
    assert "está cerrado" in response.content.decode()


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [(60, 180, "aún no abre: abre el"), (-180, -60, "cerró el")],
    ids=["before-the-window", "after-the-window"],
)
def test_outside_the_window_check_in_is_refused_in_spanish_and_nothing_is_stored(
    odes, today_session, pfc, opens, closes, message
):
    link = open_link(today_session, odes, opens=opens, closes=closes)
    before = registers()
    client = Client()
    page = client.get(reverse("check_in:check_in", args=[link.token])).content.decode()
    assert message in page
    response = send_document(client, link, pfc.servants[0].document_number)
    assert message in response.content.decode()
    # Even a confirmation signed while the window was open is refused now.
    data = {
        "step": "confirm",
        "identity": signing.dumps(
            {"dni": pfc.servants[0].document_number, "link": link.pk}, salt="capacity_plan.check_in.identity"
        ),
    }
    assert message in client.post(reverse("check_in:check_in", args=[link.token]), data).content.decode()
    assert registers() == before


def test_the_service_refuses_outside_the_window_too(odes, today_session, pfc):
    link = open_link(today_session, odes)
    with pytest.raises(check_in.CheckInRefused):
        check_in.check_in_record(
            link=link,
            document_number=pfc.servants[0].document_number,
            now=link.closes_at + datetime.timedelta(seconds=1),
        )
    assert not Attendance.objects.filter(session=today_session).exists()


# --- Participants check in -----------------------------------------------------------------------


def test_a_new_participant_checks_in_once_and_a_second_time_is_told_politely(odes, today_session, pfc):
    link = open_link(today_session, odes)
    client = Client()
    response = check_in_new(client, link, region=pfc.regions[0])
    assert "Su asistencia a esta sesión quedó registrada" in response.content.decode()
    servant = PublicServant.objects.get(document_number="71234567")
    assert servant.full_name == "Rosa Elvira Huamán Quispe" and servant.region == pfc.regions[0]
    assert Attendance.objects.get(session=today_session, servant=servant).status == "present"

    before = registers()
    again = send_document(Client(), link, "71234567")  # known now: only confirms
    confirmed = Client().post(
        reverse("check_in:check_in", args=[link.token]), {"step": "confirm", "identity": identity_of(again)}
    )
    assert "Ya registró su asistencia" in confirmed.content.decode()
    assert registers() == before


def test_a_known_servant_only_confirms_and_no_personal_data_is_shown(odes, today_session, pfc):
    servant = pfc.servants[3]
    servant.email = "jcondori@drtpe-puno.gob.pe"
    servant.save()
    link = open_link(today_session, odes)
    client = Client()
    response = send_document(client, link, servant.document_number)
    page = response.content.decode()
    assert "Confirme su asistencia" in page
    for private in (servant.full_name, servant.email, str(servant.region)):
        assert private not in page
    response = client.post(
        reverse("check_in:check_in", args=[link.token]), {"step": "confirm", "identity": identity_of(response)}
    )
    assert "quedó registrada" in response.content.decode()
    assert servant.full_name not in response.content.decode()
    assert Attendance.objects.get(session=today_session, servant=servant).status == "present"
    assert PublicServant.objects.get(pk=servant.pk).full_name == servant.full_name


def test_a_servant_marked_absent_before_arriving_is_marked_present(odes, today_session, pfc):
    servant = pfc.servants[0]
    Attendance.objects.create(session=today_session, servant=servant, status="absent")
    link = open_link(today_session, odes)
    result = check_in.check_in_record(link=link, document_number=servant.document_number)
    assert not result.already
    assert Attendance.objects.get(session=today_session, servant=servant).status == "present"


def test_an_altered_identity_is_not_accepted(odes, today_session, pfc):
    link = open_link(today_session, odes)
    response = Client().post(
        reverse("check_in:check_in", args=[link.token]), {"step": "confirm", "identity": "71234567"}
    )
    assert response.status_code == 302
    assert not Attendance.objects.filter(session=today_session).exists()


def test_a_dni_of_seven_digits_is_refused_with_a_spanish_message(odes, today_session):
    link = open_link(today_session, odes)
    response = send_document(Client(), link, "1234567")
    assert "El DNI debe tener exactamente 8 dígitos" in response.content.decode()


@pytest.mark.parametrize("bot", ["honeypot", "too-fast", "no-timestamp"])
def test_bots_are_refused_and_nothing_is_stored(settings, odes, today_session, pfc, bot):
    settings.CHECK_IN_MINIMUM_FILL_SECONDS = 3
    link = open_link(today_session, odes)
    extra = {
        "honeypot": {"website": "http://spam.example"},
        "too-fast": {"started": started(seconds_ago=0)},
        "no-timestamp": {"started": "123"},
    }[bot]
    response = send_document(Client(), link, pfc.servants[0].document_number, **extra)
    assert "No se pudo enviar el formulario" in response.content.decode()
    assert "Confirme su asistencia" not in response.content.decode()
    assert not Attendance.objects.filter(session=today_session).exists()


def test_requests_past_the_rate_per_address_get_a_spanish_429(settings, odes, today_session):
    settings.CHECK_IN_RATE_PER_ADDRESS = "5/m"
    link = open_link(today_session, odes)
    client = Client(REMOTE_ADDR="203.0.113.7")
    url = reverse("check_in:check_in", args=[link.token])
    statuses = [client.get(url).status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    response = client.get(url)
    assert "Demasiadas solicitudes" in response.content.decode()
    # Another address is not held back by the first one.
    assert Client(REMOTE_ADDR="203.0.113.8").get(url).status_code == 200


def test_requests_past_the_rate_per_link_get_429_whatever_the_address(settings, odes, today_session):
    settings.CHECK_IN_RATE_PER_LINK = "6/m"
    link = open_link(today_session, odes)
    url = reverse("check_in:check_in", args=[link.token])
    statuses = [Client(REMOTE_ADDR=f"198.51.100.{n}").get(url).status_code for n in range(8)]
    assert statuses == [200] * 6 + [429] * 2


# --- The survey ----------------------------------------------------------------------------------


RATINGS = {"clarity": 5, "usefulness": 4, "materials": 3, "facilitator": 5, "applicability": 4}


def survey_url(entry: CheckIn) -> str:
    return reverse("check_in:survey", args=[entry.survey_ticket])


def test_after_check_in_the_participant_answers_the_survey_once(odes, today_session, pfc):
    link = open_link(today_session, odes)
    servant = pfc.servants[0]
    done = check_in.check_in_record(link=link, document_number=servant.document_number)
    client = Client()
    response = client.post(survey_url(done.check_in), {**RATINGS, "comments": "Muy útil para las inspecciones."})
    assert "Su respuesta quedó registrada" in response.content.decode()
    answer = SatisfactionResponse.objects.get(action=pfc.action)
    assert answer.servant == servant and answer.clarity == 5 and answer.comments == "Muy útil para las inspecciones."

    again = client.post(survey_url(done.check_in), {**RATINGS, "clarity": 1})
    assert "Ya respondió la encuesta de esta sesión" in again.content.decode()
    assert SatisfactionResponse.objects.filter(action=pfc.action).count() == 1


def test_an_anonymous_answer_is_not_linked_to_the_servant_but_counts_once(odes, today_session, pfc):
    link = open_link(today_session, odes)
    done = check_in.check_in_record(link=link, document_number=pfc.servants[0].document_number)
    Client().post(survey_url(done.check_in), {**RATINGS, "anonymous": "on"})
    answer = SatisfactionResponse.objects.get(action=pfc.action)
    assert answer.servant is None
    assert CheckIn.objects.get(pk=done.check_in.pk).survey_answered
    Client().post(survey_url(done.check_in), {**RATINGS, "anonymous": "on"})
    assert SatisfactionResponse.objects.filter(action=pfc.action).count() == 1


def test_a_survey_without_every_rating_is_refused_and_nothing_is_stored(odes, today_session, pfc):
    link = open_link(today_session, odes)
    done = check_in.check_in_record(link=link, document_number=pfc.servants[0].document_number)
    response = Client().post(survey_url(done.check_in), {**RATINGS, "materials": ""})
    assert response.status_code == 200 and "Este campo es obligatorio" in response.content.decode()
    assert not SatisfactionResponse.objects.exists()
    assert not CheckIn.objects.get(pk=done.check_in.pk).survey_answered


def test_check_in_and_survey_move_the_computed_indicators_at_once(odes, pfc):
    session = ActionSessionFactory(action=pfc.action, date=datetime.date.today(), duration_hours=Decimal("2"))
    plan = pfc.hito4.component.plan
    participants = IndicatorFactory(milestone=pfc.hito4, source=Indicator.Source.PARTICIPANTS, kind="count")
    satisfaction = IndicatorFactory(
        milestone=pfc.hito4, source=Indicator.Source.SATISFACTION, kind="scale", target=Decimal("4")
    )
    today = timezone.localdate()
    period = Bimester(today.year, (today.month + 1) // 2)

    def values():
        registers_now = load_registers(plan=plan, period=period)
        return indicator_value(participants, registers_now), indicator_value(satisfaction, registers_now)

    reached_before, _ = values()
    link = open_link(session, odes)
    newcomer = ServantFactory(region=pfc.regions[0])
    done = check_in.check_in_record(link=link, document_number=newcomer.document_number)
    check_in.survey_self_submit(check_in=done.check_in, ratings=RATINGS, comments="", anonymous=False)
    reached_after, average = values()
    assert reached_after == (reached_before or 0) + 1
    assert average == Decimal("4.20")


# --- The live counts -----------------------------------------------------------------------------


def test_the_action_page_polls_the_live_counts_in_constant_queries(
    client, odes, today_session, pfc, django_assert_max_num_queries
):
    link = open_link(today_session, odes)
    for servant in pfc.servants[:3]:
        done = check_in.check_in_record(link=link, document_number=servant.document_number)
    check_in.survey_self_submit(check_in=done.check_in, ratings=RATINGS, comments="", anonymous=True)
    client.force_login(odes)
    page = client.get(reverse("capacity_plan:action", args=[pfc.action.pk])).content.decode()
    partial_url = reverse("capacity_plan:action_registers", args=[pfc.action.pk])
    assert f'hx-get="{partial_url}"' in page and 'hx-trigger="every 10s"' in page
    with django_assert_max_num_queries(10):
        partial = client.get(partial_url)
    row = partial.content.decode().split(f'data-testid="session-registers-{today_session.pk}"')[1].split("</tr>")[0]
    cells = re.findall(r'<td class="text-end">([^<]*)</td>', row)
    assert cells == ["2", "3 / 3", "3", "1"]

    for servant in pfc.servants[3:20]:
        check_in.check_in_record(link=link, document_number=servant.document_number)
    ActionSessionFactory.create_batch(4, action=pfc.action)
    with django_assert_max_num_queries(10):
        client.get(partial_url)


def test_the_staff_page_keeps_its_queries_whatever_the_check_ins(
    client, odes, today_session, pfc, django_assert_max_num_queries
):
    link = open_link(today_session, odes)
    client.force_login(odes)
    url = reverse("capacity_plan:check_in_manage", args=[today_session.pk])
    check_in.check_in_record(link=link, document_number=pfc.servants[0].document_number)
    with django_assert_max_num_queries(12):
        client.get(url)
    for servant in pfc.servants[1:]:
        check_in.check_in_record(link=link, document_number=servant.document_number)
    with django_assert_max_num_queries(12):
        assert client.get(url).context["registers"][0].checked_in == 25


def test_the_public_page_runs_no_inline_script_and_sends_the_csp(odes, today_session):
    link = open_link(today_session, odes)
    response = Client().get(reverse("check_in:check_in", args=[link.token]))
    page = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\ssrc=)", page)
    assert 'name="viewport" content="width=device-width' in page
    assert response["Referrer-Policy"] == "same-origin"


def test_behind_the_proxy_the_rate_counts_the_address_the_proxy_saw(settings, odes, today_session):
    settings.CHECK_IN_RATE_PER_ADDRESS = "2/m"
    settings.TRUSTED_PROXY_COUNT = 1
    link = open_link(today_session, odes)
    url = reverse("check_in:check_in", args=[link.token])
    phone = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.20")
    assert [phone.get(url).status_code for _ in range(3)] == [200, 200, 429]
    # Another participant through the same proxy is counted apart.
    assert Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.21").get(url).status_code == 200


def test_a_survey_ticket_older_than_its_days_takes_no_answer(settings, odes, today_session, pfc):
    link = open_link(today_session, odes)
    done = check_in.check_in_record(link=link, document_number=pfc.servants[0].document_number)
    CheckIn.objects.filter(pk=done.check_in.pk).update(
        checked_in_at=timezone.now() - datetime.timedelta(days=settings.SURVEY_TICKET_DAYS, minutes=1)
    )
    response = Client().post(survey_url(done.check_in), RATINGS)
    assert response.status_code == 410 and "ya no recibe respuestas" in response.content.decode()
    assert not SatisfactionResponse.objects.exists()
