"""Every URL pattern of the project × every kind of user, as pretix tests it.

`url_pattern_keys()` walks the URL resolver (the apps, the account pages, set_language, healthz
and the whole Django admin). `TABLE` gives each pattern (by its full route name, or its route
when it has none) the requests to make, with real object ids, and what each subject must get:

- anonymous visitors are sent to the sign-in page, except on public pages (sign-in, password
  reset, healthz, set_language, the token calendar feed);
- a record of another institution answers 404 (its existence is not revealed);
- a page the role may not use answers 403;
- allowed: 200, or 302 for POST actions that redirect (forms posted empty re-render with errors).

The read-only API (/api/v1/) is walked with the same session clients (DRF accepts the session
as well as a personal token): there the refusal for anonymous visitors is 401 (`WWW-Authenticate:
Token`), not a redirect to the sign-in page; a write method answers 405 to whoever may read (403
to a role outside the area, 401 to anonymous visitors: authentication and permission come first).
tests/api/ calls it with real tokens, over HTTP too.

The Django admin lets in active staff only (`AdminSite.has_permission`): every other subject,
signed in or not, is redirected to the admin's own sign-in page (and admin:logout sends them to
the admin index). Only administrators (superusers) are staff here.

A pattern without a row, or a row without a pattern, fails `test_every_url_pattern_has_a_row`
/ `test_every_row_names_a_url_pattern`, so a new view cannot skip this walk.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from zeal import zeal_ignore

from accounts.roles import OEA_STAFF
from capacity_plan import check_in as plan_check_in
from capacity_plan import services as plan_services
from capacity_plan.imports import ImportReport
from capacity_plan.models import ImportJob, ImportKind
from cooperations.calendar import personal_feed_token
from cooperations.models import Cooperation
from exports.models import ExportJob
from notifications.models import Notification, NotificationPreference
from ranking import services as ranking_services
from ranking.models import RankingVersion
from reports.models import SummarySeries
from tests.capacity_plan.conftest import pfc  # noqa: F401  (fixture: the seed plan with a workshop)
from tests.certificates.conftest import walk_certificates
from tests.cooperations.conftest import world  # noqa: F401  (fixture: two cooperations, one user per role)
from tests.factories import ParticipationFactory, SessionFactory, StepFactory, TrainingActionFactory
from tests.files import PDF_BYTES, upload
from tests.reports.conftest import reports  # noqa: F401  (fixture: report jobs and versions)

SUBJECTS = ("anonymous", "oea", "manager", "odes", "admin", "focal_requesting", "focal_providing", "focal_other")
FOCALS = ("focal_requesting", "focal_providing", "focal_other")


# --- Expectations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Redirect:
    """A 302 whose Location starts with `to`: a URL name, or a function of the world."""

    to: str | Callable

    def target(self, site) -> str:
        return self.to(site) if callable(self.to) else reverse(self.to)


LOGIN = Redirect("login")  # the application's sign-in page
ADMIN_LOGIN = Redirect("admin:login")  # the admin's sign-in page


@dataclass(frozen=True)
class Case:
    method: str
    url: Callable  # site -> URL (with its query string, if any)
    expected: dict  # subject -> status (int) or Redirect
    data: Callable | None = None  # site -> POST data
    logs_out: bool = False  # the request ends the session: sign the subject in again afterwards


def everyone(answer) -> dict:
    return dict.fromkeys(SUBJECTS, answer)


def signed_in(answer) -> dict:
    """Sign-in required; then every role gets `answer`."""
    return {**dict.fromkeys(SUBJECTS, answer), "anonymous": LOGIN}


def admin_only(answer) -> dict:
    """Django admin: only staff (here: administrators) get in; everybody else, signed in or not,
    is redirected to the admin's sign-in page."""
    return {
        "anonymous": ADMIN_LOGIN,
        "oea": ADMIN_LOGIN,
        "manager": ADMIN_LOGIN,
        "odes": ADMIN_LOGIN,
        "admin": answer,
        "focal_requesting": ADMIN_LOGIN,
        "focal_providing": ADMIN_LOGIN,
        "focal_other": ADMIN_LOGIN,
    }


# Who may use each area (signed-in roles; anonymous visitors are sent to sign in).
# Cooperations: staff and the cooperation's two institutions read; staff edit; another
# institution's focal point is not told the cooperation exists.
COOP_VIEWERS = {
    "anonymous": LOGIN,
    "oea": 200,
    "manager": 200,
    "admin": 200,
    "focal_requesting": 200,
    "focal_providing": 200,
    "focal_other": 404,
    "odes": 403,
}
COOP_EDITORS = {
    "anonymous": LOGIN,
    "oea": 200,
    "admin": 200,
    "manager": 403,
    "focal_requesting": 403,
    "focal_providing": 403,
    "focal_other": 404,
    "odes": 403,
}
COOP_AREA = {**COOP_VIEWERS, "focal_other": 200}  # pages of the area, scoped lists: every focal point

# PFC 2025: ODES specialists and administrators work, managers read, everybody else is refused
# (not scoped by institution: every focal point alike).
PFC_READ = {"anonymous": LOGIN, "odes": 200, "admin": 200, "manager": 200, "oea": 403, **dict.fromkeys(FOCALS, 403)}
PFC_WRITE = {**PFC_READ, "manager": 403}

# Reports: a cooperation's summaries as its pages; the bimonthly monitoring report as the PFC's.
SUMMARY_READ = {**COOP_VIEWERS, "manager": 403}
SUMMARY_WRITE = {**SUMMARY_READ, "oea": 302, "admin": 302, "focal_requesting": 403, "focal_providing": 403}
MONITORING_READ = PFC_READ
MONITORING_WRITE = {role: (302 if answer == 200 else answer) for role, answer in MONITORING_READ.items()}


# The read-only API, walked with session clients: anonymous visitors get 401 (no sign-in page).
API_SIGNED_IN = {**everyone(200), "anonymous": 401}
API_COOP_VIEWERS = {**COOP_VIEWERS, "anonymous": 401}
API_COOP_AREA = {**COOP_AREA, "anonymous": 401}
API_COOP_WRITE = {role: (405 if answer in (200, 404) else answer) for role, answer in API_COOP_AREA.items()}
API_PFC = {**PFC_READ, "anonymous": 401}
API_PFC_WRITE = {role: (405 if answer == 200 else answer) for role, answer in API_PFC.items()}


def _redirected(expected: dict, *roles: str) -> dict:
    """The same expectation, with a redirect (302) instead of 200 for the given roles."""
    return {**expected, **dict.fromkeys(roles, 302)}


def get(url, expected, **kwargs) -> Case:
    return Case("get", url, expected, **kwargs)


def post(url, expected, data=None, **kwargs) -> Case:
    return Case("post", url, expected, data=data, **kwargs)


def u(name: str, *args: Callable, query: str = "") -> Callable:
    """site -> reverse(name, args=[f(site) for f in args]) + query."""
    return lambda site: reverse(name, args=[arg(site) for arg in args]) + query


# Object ids, from the fixture world.
COOP = lambda s: s.w.cooperation.pk  # noqa: E731
SESSION = lambda s: s.w.session.pk  # noqa: E731
STEP = lambda s: s.w.step.pk  # noqa: E731
QUESTION = lambda s: s.w.question.pk  # noqa: E731
QUESTION_REVISION = lambda s: type(s.w.question).objects.get(pk=s.w.question.pk).revision  # noqa: E731
ANSWER_VERSION = lambda s: s.w.question.answer_versions.get(number=1).pk  # noqa: E731
DELIVERABLE = lambda s: s.w.deliverable.pk  # noqa: E731
DELIVERABLE_VERSION = lambda s: s.w.version.pk  # noqa: E731
HITO = lambda s: s.p.hito4.pk  # noqa: E731
INDICATOR = lambda s: s.indicator.pk  # noqa: E731
MANUAL_INDICATOR = lambda s: s.manual_indicator.pk  # noqa: E731
MEASUREMENT = lambda s: s.measurement.pk  # noqa: E731
ACTION = lambda s: s.p.action.pk  # noqa: E731
ACTION_SESSION = lambda s: s.p.session.pk  # noqa: E731
IMPORT_JOB = lambda s: s.import_job.pk  # noqa: E731
REGION = lambda s: s.p.regions[0].pk  # noqa: E731
RANKING = lambda s: s.ranking.pk  # noqa: E731
RANKING_VERSION = lambda s: s.ranking_version.pk  # noqa: E731


def ADMIN_TOKEN(site) -> str:  # noqa: N802  (read like the ids above)
    """The digest (its id) of a personal API token of the administrator, made once."""
    from knox.models import AuthToken

    from api.services import token_create

    user = site.w.users["admin"]
    token = AuthToken.objects.filter(user=user).first()
    return token.digest if token else token_create(user=user, name="walk", days=30).personal.pk


def SURVEYED_ACTION(site) -> int:  # noqa: N802
    """The workshop, with one satisfaction answer (the surveys endpoint lists answered actions)."""
    if not site.p.action.survey_responses.exists():
        ratings = dict.fromkeys(("clarity", "usefulness", "materials", "facilitator", "applicability"), 4)
        plan_services.survey_response_create(
            action=site.p.action, servant=None, ratings=ratings, comments="", by=site.w.users["odes"]
        )
    return site.p.action.pk


# A record made for one request that deletes it (nothing depends on it).
DISPOSABLE_SESSION = lambda s: SessionFactory.create(cooperation=s.w.cooperation, order=9).pk  # noqa: E731
DISPOSABLE_ACTION = lambda s: TrainingActionFactory.create(milestone=s.p.hito4, organisational_unit=s.p.unit).pk  # noqa: E731


def report(name: str) -> Callable:
    return lambda s: s.r[name].pk


def new_request(site) -> dict:
    return {"request_key": str(uuid.uuid4()), "period": "2025-2"}


def new_narrative(site) -> dict:
    return {
        "executive_summary": "El periodo cerró con la CdP en marcha.",
        "analysis": "",
        "recommendations": "",
        "signer_name": "",
        "signer_role": "",
        "expected_revision": "",
        "save": "",
    }


# Certificates: training ones as the PFC (ODES issue and revoke, managers read); participation
# ones as the cooperations' staff pages (OEA issue and revoke, managers read). The verification
# page is public.
CERT_TRAINING_READ = PFC_READ
CERT_TRAINING_WRITE = PFC_WRITE
CERT_PARTICIPATION_READ = {
    "anonymous": LOGIN,
    "oea": 200,
    "admin": 200,
    "manager": 200,
    "odes": 403,
    **dict.fromkeys(FOCALS, 403),
}
CERT_PARTICIPATION_WRITE = {**CERT_PARTICIPATION_READ, "manager": 403}
CERT = lambda name: lambda s: getattr(s.certs, name).pk  # noqa: E731


def issue_request(site) -> dict:
    return {"request_key": str(uuid.uuid4())}


PLAN_YEAR = lambda s: s.p.hito4.component.plan.year  # noqa: E731
BIMESTER = lambda s: 6  # noqa: E731


def new_ranking(site) -> dict:
    return {"request_key": str(uuid.uuid4()), "year": "2031", "semester": "1"}


def new_comment(site) -> dict:
    return {"request_key": str(uuid.uuid4()), "section": "sessions", "text": "Falta la hora de Asunción."}


def feed_token(role: str, tamper: bool = False) -> Callable:
    def token(site):
        value = personal_feed_token(site.w.users[role])
        return value[:-1] + ("1" if value[-1] == "0" else "0") if tamper else value

    return token


# Exports: the lists of each area (each in one of its formats) and oea's finished job.
COOP_EXPORTS = [
    ("cooperaciones", "csv"),
    ("pasos", "xlsx"),
    ("plazos", "csv"),
    ("participantes", "csv"),
    ("preguntas", "xlsx"),
]
PFC_EXPORTS = [("acciones", "xlsx"), ("asistencia", "csv"), ("encuestas", "xlsx"), ("indicadores", "csv")]
WALK_EXPORT_KEY = uuid.UUID("9b0c6a52-3f0e-4d1c-8f57-2b1f3c1e7a10")


def new_export(site) -> dict:
    return {"request_key": str(uuid.uuid4())}


def EXPORT_JOB(site) -> int:  # an object id, named like the others
    job = ExportJob.objects.filter(request_key=WALK_EXPORT_KEY).first()
    if job is None:
        job = ExportJob.objects.create(
            request_key=WALK_EXPORT_KEY,
            list_name="cooperaciones",
            file_format="csv",
            requested_by=site.w.users["oea"],
            expires_at=timezone.now() + datetime.timedelta(days=1),
            file_name="cooperaciones.csv",
            status=ExportJob.Status.DONE,
            rows_total=1,
        )
        job.file.save("cooperaciones.csv", ContentFile(b"\xef\xbb\xbfNombre corto\r\nPer\xc3\xba\r\n"))
    return job.pk


def signed_link(which: str, tamper: bool = False) -> Callable:
    """The signed token of focal_requesting's preferences (or one-click unsubscribe) link."""
    from notifications.services import preferences_token, unsubscribe_token

    def token(site):
        user = site.w.users["focal_requesting"]
        value = (
            preferences_token(user=user) if which == "preferences" else unsubscribe_token(user=user, kind="step-due-7")
        )
        return value[:-1] + ("A" if value[-1] != "A" else "B") if tamper else value

    return token


# A signed e-mail link: its own user, signed in or not; refused to any other signed-in user.
OWN_LINK = {**everyone(403), "anonymous": 200, "focal_requesting": 200}


# --- The table: every URL pattern of the application ---------------------------------------------

TABLE: dict[str, list[Case]] = {
    # Accounts (django.contrib.auth.urls under /cuenta/), home, health probe, language switcher.
    "home": [get(u("home"), signed_in(200))],
    "healthz": [get(u("healthz"), everyone(200))],  # public: database and broker answer in tests
    "login": [get(u("login"), everyone(200)), post(u("login"), everyone(200))],  # empty form: re-rendered with errors
    "logout": [
        get(u("logout"), everyone(405)),  # Django 5: POST only
        post(u("logout"), everyone(LOGIN), logs_out=True),
    ],  # LOGOUT_REDIRECT_URL
    "password_change": [get(u("password_change"), signed_in(200)), post(u("password_change"), signed_in(200))],
    "password_change_done": [get(u("password_change_done"), signed_in(200))],
    "password_reset": [get(u("password_reset"), everyone(200)), post(u("password_reset"), everyone(200))],
    "password_reset_done": [get(u("password_reset_done"), everyone(200))],
    # A link with a wrong token shows "invalid link" (200), to anyone.
    "password_reset_confirm": [
        get(u("password_reset_confirm", lambda s: "MQ", lambda s: "no-es-un-token"), everyone(200))
    ],
    "password_reset_complete": [get(u("password_reset_complete"), everyone(200))],
    "set_language": [
        post(u("set_language"), everyone(Redirect("home")), data=lambda s: {"language": "es", "next": "/"})
    ],
    # RIAL cooperations.
    "cooperations:list": [get(u("cooperations:list"), COOP_AREA)],
    "cooperations:create": [
        get(u("cooperations:create"), {**COOP_EDITORS, "focal_other": 403}),
        post(u("cooperations:create"), {**COOP_EDITORS, "focal_other": 403}),
    ],
    # «Nueva convocatoria» on the cooperation form: staff only (the second post of the same
    # number re-renders with «ya existe»).
    "cooperations:call_create": [
        get(u("cooperations:call_create"), {**signed_in(405), "odes": 403}),  # POST only, in the area
        post(
            u("cooperations:call_create"),
            {**COOP_EDITORS, "focal_other": 403},
            data=lambda s: {"call-number": "21", "call-year": "2026"},
        ),
    ],
    "cooperations:deadlines": [get(u("cooperations:deadlines"), COOP_AREA)],
    # No sign-in: the secret token identifies the user (a calendar application cannot sign in).
    "cooperations:personal_calendar": [
        get(u("cooperations:personal_calendar", feed_token("focal_requesting")), everyone(200)),
        get(u("cooperations:personal_calendar", feed_token("focal_requesting", tamper=True)), everyone(404)),
        get(u("cooperations:personal_calendar", feed_token("odes")), everyone(404)),  # no cooperation area
    ],
    "cooperations:detail": [get(u("cooperations:detail", COOP), COOP_VIEWERS)],
    "cooperations:edit": [
        get(u("cooperations:edit", COOP), COOP_EDITORS),
        post(u("cooperations:edit", COOP), COOP_EDITORS),
    ],
    "cooperations:participants": [
        get(u("cooperations:participants", COOP), COOP_EDITORS),
        post(u("cooperations:participants", COOP), COOP_EDITORS),
    ],
    "cooperations:steps": [
        get(u("cooperations:steps", COOP), COOP_EDITORS),
        post(u("cooperations:steps", COOP), COOP_EDITORS),
    ],
    # Staff mark any step done; a focal point only the steps of their own institution (w.step is
    # the requesting institution's; the shared step is both institutions').
    "cooperations:step_toggle": [
        post(u("cooperations:step_toggle", COOP, STEP), _redirected(COOP_EDITORS, "oea", "admin", "focal_requesting")),
        post(
            u("cooperations:step_toggle", COOP, lambda s: s.shared_step.pk),
            _redirected(COOP_EDITORS, "oea", "admin", "focal_requesting", "focal_providing"),
        ),
        # A step of another cooperation, under this cooperation's address: not found.
        post(
            u("cooperations:step_toggle", COOP, lambda s: s.other_step.pk),
            {**COOP_VIEWERS, **dict.fromkeys(("oea", "admin", "manager", "focal_requesting", "focal_providing"), 404)},
        ),
    ],
    # OEA staff follow a cooperation (its notifications).
    "cooperations:follow": [
        post(
            u("cooperations:follow", COOP),
            {**COOP_EDITORS, "oea": 302, "admin": 302},
            data=lambda s: {"follow": "1"},
        )
    ],
    "cooperations:session_create": [
        get(u("cooperations:session_create", COOP), COOP_EDITORS),
        post(u("cooperations:session_create", COOP), COOP_EDITORS),
    ],
    "cooperations:session_edit": [
        get(u("cooperations:session_edit", COOP, SESSION), COOP_EDITORS),
        post(u("cooperations:session_edit", COOP, SESSION), COOP_EDITORS),
        get(
            u("cooperations:session_edit", COOP, lambda s: s.other_session.pk),
            {**COOP_EDITORS, "oea": 404, "admin": 404},
        ),
    ],
    # Deleting a session entered by mistake: staff only. The world's session has a step after it,
    # so its page names it and the deletion is refused (200); a session nothing depends on is
    # deleted (302); another cooperation's session under this address is not found.
    "cooperations:session_delete": [
        get(u("cooperations:session_delete", COOP, SESSION), COOP_EDITORS),
        post(u("cooperations:session_delete", COOP, SESSION), COOP_EDITORS),
        post(u("cooperations:session_delete", COOP, DISPOSABLE_SESSION), _redirected(COOP_EDITORS, "oea", "admin")),
        get(
            u("cooperations:session_delete", COOP, lambda s: s.other_session.pk),
            {**COOP_EDITORS, "oea": 404, "admin": 404},
        ),
    ],
    "cooperations:history": [
        get(u("cooperations:history", COOP), {**COOP_VIEWERS, "focal_requesting": 403, "focal_providing": 403})
    ],
    "cooperations:calendar": [get(u("cooperations:calendar", COOP), COOP_VIEWERS)],
    "cooperations:questions_submit": [
        get(u("cooperations:questions_submit", COOP), {**COOP_EDITORS, "focal_requesting": 200}),
        post(u("cooperations:questions_submit", COOP), {**COOP_EDITORS, "focal_requesting": 200}),
    ],
    "cooperations:question_answer": [
        get(u("cooperations:question_answer", QUESTION), {**COOP_EDITORS, "focal_providing": 200}),
        post(
            u("cooperations:question_answer", QUESTION),
            _redirected({**COOP_EDITORS, "focal_providing": 200}, "oea", "admin", "focal_providing"),
            data=lambda s: {"written_answer": "Respuesta", "expected_revision": QUESTION_REVISION(s)},
        ),
    ],
    "cooperations:question_attachment": [get(u("cooperations:question_attachment", QUESTION), COOP_VIEWERS)],
    "cooperations:answer_version_attachment": [
        get(u("cooperations:answer_version_attachment", ANSWER_VERSION), COOP_VIEWERS)
    ],
    "cooperations:deliverable_create": [
        get(
            u("cooperations:deliverable_create", COOP),
            {**COOP_EDITORS, "focal_requesting": 200, "focal_providing": 200},
        ),
        post(
            u("cooperations:deliverable_create", COOP),
            {**COOP_EDITORS, "focal_requesting": 200, "focal_providing": 200},
        ),
    ],
    "cooperations:deliverable_version_upload": [
        get(u("cooperations:deliverable_version_upload", DELIVERABLE), {**COOP_EDITORS, "focal_requesting": 200}),
        post(u("cooperations:deliverable_version_upload", DELIVERABLE), {**COOP_EDITORS, "focal_requesting": 200}),
    ],
    "cooperations:version_download": [get(u("cooperations:version_download", DELIVERABLE_VERSION), COOP_VIEWERS)],
    # PFC 2025 (not scoped by institution: every focal point is refused alike).
    "capacity_plan:home": [get(u("capacity_plan:home"), PFC_READ)],
    "capacity_plan:milestone": [get(u("capacity_plan:milestone", HITO), PFC_READ)],
    "capacity_plan:actions": [get(u("capacity_plan:actions"), PFC_READ)],
    "capacity_plan:action": [get(u("capacity_plan:action", ACTION), PFC_READ)],
    "capacity_plan:catalogue": [get(u("capacity_plan:catalogue", query="?mes=2025-04"), PFC_READ)],
    "capacity_plan:catalogue_pdf": [get(u("capacity_plan:catalogue_pdf", query="?mes=2025-04"), PFC_READ)],
    "capacity_plan:catalogue_xlsx": [get(u("capacity_plan:catalogue_xlsx", query="?mes=2025-04"), PFC_READ)],
    "capacity_plan:guidance": [get(u("capacity_plan:guidance", query="?profile=new"), PFC_READ)],
    "capacity_plan:indicator_edit": [
        get(u("capacity_plan:indicator_edit", INDICATOR), PFC_WRITE),
        post(u("capacity_plan:indicator_edit", INDICATOR), PFC_WRITE),
    ],
    "capacity_plan:measurement": [
        get(u("capacity_plan:measurement", MANUAL_INDICATOR), PFC_WRITE),
        post(u("capacity_plan:measurement", MANUAL_INDICATOR), PFC_WRITE),
    ],
    "capacity_plan:measurement_evidence": [get(u("capacity_plan:measurement_evidence", MEASUREMENT), PFC_READ)],
    "capacity_plan:review": [
        get(u("capacity_plan:review", INDICATOR), PFC_WRITE),
        post(u("capacity_plan:review", INDICATOR), PFC_WRITE),
    ],
    "capacity_plan:action_create": [
        get(u("capacity_plan:action_create"), PFC_WRITE),
        post(u("capacity_plan:action_create"), PFC_WRITE),
    ],
    "capacity_plan:action_edit": [
        get(u("capacity_plan:action_edit", ACTION), PFC_WRITE),
        post(u("capacity_plan:action_edit", ACTION), PFC_WRITE),
    ],
    "capacity_plan:action_reschedule": [
        get(u("capacity_plan:action_reschedule", ACTION), PFC_WRITE),
        post(u("capacity_plan:action_reschedule", ACTION), PFC_WRITE),
    ],
    "capacity_plan:action_cancel": [
        get(u("capacity_plan:action_cancel", ACTION), PFC_WRITE),
        post(u("capacity_plan:action_cancel", ACTION), PFC_WRITE),
    ],
    # Deleting a training action entered by mistake: ODES. The workshop has attendance, so the
    # deletion is refused (200); an action without registers is deleted (302).
    "capacity_plan:action_delete": [
        get(u("capacity_plan:action_delete", ACTION), PFC_WRITE),
        post(u("capacity_plan:action_delete", ACTION), PFC_WRITE),
        post(u("capacity_plan:action_delete", DISPOSABLE_ACTION), _redirected(PFC_WRITE, "odes", "admin")),
    ],
    "capacity_plan:session_create": [
        get(u("capacity_plan:session_create", ACTION), PFC_WRITE),
        post(u("capacity_plan:session_create", ACTION), PFC_WRITE),
    ],
    "capacity_plan:survey_create": [
        get(u("capacity_plan:survey_create", ACTION), PFC_WRITE),
        post(u("capacity_plan:survey_create", ACTION), PFC_WRITE),
    ],
    "capacity_plan:survey_import": [
        get(u("capacity_plan:survey_import", ACTION), PFC_WRITE),
        post(u("capacity_plan:survey_import", ACTION), PFC_WRITE),
    ],
    # An empty grid posted saves nothing and redirects back to the grid.
    "capacity_plan:attendance": [
        get(u("capacity_plan:attendance", ACTION_SESSION), PFC_WRITE),
        post(u("capacity_plan:attendance", ACTION_SESSION), _redirected(PFC_WRITE, "odes", "admin")),
    ],
    "capacity_plan:attendance_import": [
        get(u("capacity_plan:attendance_import", ACTION_SESSION), PFC_WRITE),
        post(u("capacity_plan:attendance_import", ACTION_SESSION), PFC_WRITE),
    ],
    "capacity_plan:participants_import": [
        get(u("capacity_plan:participants_import"), PFC_WRITE),
        post(u("capacity_plan:participants_import"), PFC_WRITE),
    ],
    # A big import's job: only who uploaded it (the ODES user here) sees and confirms it.
    "capacity_plan:import_job": [get(u("capacity_plan:import_job", IMPORT_JOB), {**PFC_WRITE, "admin": 404})],
    "capacity_plan:import_job_confirm": [
        post(u("capacity_plan:import_job_confirm", IMPORT_JOB), {**PFC_WRITE, "odes": 302, "admin": 404})
    ],
    "capacity_plan:import_job_retry": [
        post(u("capacity_plan:import_job_retry", IMPORT_JOB), {**PFC_WRITE, "odes": 302, "admin": 404})
    ],
    # Self check-in: ODES open a session's link (its QR code) and import a Zoom / Teams report;
    # managers read the live counts.
    "capacity_plan:check_in_manage": [
        get(u("capacity_plan:check_in_manage", ACTION_SESSION), PFC_WRITE),
        post(u("capacity_plan:check_in_manage", ACTION_SESSION), PFC_WRITE),  # nothing chosen: the page again
    ],
    "capacity_plan:meeting_import": [
        get(u("capacity_plan:meeting_import", ACTION_SESSION), PFC_WRITE),
        post(u("capacity_plan:meeting_import", ACTION_SESSION), PFC_WRITE),  # no file: the form with its error
    ],
    "capacity_plan:action_registers": [get(u("capacity_plan:action_registers", ACTION), PFC_READ)],
    # The public pages of self check-in: no account; the code is the key. An unknown code is not
    # found; the form posted empty comes back with its errors.
    "check_in:check_in": [
        get(u("check_in:check_in", lambda s: s.check_in_link.token), everyone(200)),
        post(u("check_in:check_in", lambda s: s.check_in_link.token), everyone(200)),
        get(u("check_in:check_in", lambda s: "no-existe"), everyone(404)),
    ],
    "check_in:survey": [
        get(u("check_in:survey", lambda s: s.check_in.survey_ticket), everyone(200)),
        post(u("check_in:survey", lambda s: s.check_in.survey_ticket), everyone(200)),
        get(u("check_in:survey", lambda s: "no-existe"), everyone(404)),
    ],
    # Reports.
    "reports:home": [get(u("reports:home"), signed_in(200))],
    "reports:summaries": [get(u("reports:summaries", COOP), SUMMARY_READ)],
    "reports:summary_publish": [post(u("reports:summary_publish", COOP), SUMMARY_WRITE, data=new_request)],
    "reports:summary_reopen": [post(u("reports:summary_reopen", COOP), SUMMARY_WRITE)],
    "reports:monitoring": [get(u("reports:monitoring"), MONITORING_READ)],
    "reports:monitoring_request": [post(u("reports:monitoring_request"), MONITORING_WRITE, data=new_request)],
    # ODES write a period's narrative (a page opened before another save is merged: still saved),
    # managers read it.
    "reports:monitoring_narrative": [
        get(u("reports:monitoring_narrative", PLAN_YEAR, BIMESTER), MONITORING_READ),
        post(
            u("reports:monitoring_narrative", PLAN_YEAR, BIMESTER),
            _redirected(PFC_WRITE, "odes", "admin"),
            data=new_narrative,
        ),
    ],
    "reports:job": [
        get(u("reports:job", report("summary_job")), SUMMARY_READ),
        get(u("reports:job", report("monitoring_job")), MONITORING_READ),
    ],
    "reports:job_retry": [
        post(u("reports:job_retry", report("failed_summary")), SUMMARY_WRITE),
        post(u("reports:job_retry", report("failed_monitoring")), MONITORING_WRITE),
    ],
    "reports:version": [
        get(u("reports:version", report("summary_version")), SUMMARY_READ),
        get(u("reports:version", report("monitoring_version")), MONITORING_READ),
    ],
    "reports:version_download": [
        get(u("reports:version_download", report("summary_version")), SUMMARY_READ),
        get(u("reports:version_download", report("monitoring_version")), MONITORING_READ),
    ],
    # Comments on a summary version open to comments: the cooperation's two institutions and OEA
    # staff (and administrators) write them; OEA staff (and administrators) resolve them. A
    # monitoring report takes no comments (404).
    "reports:comment_create": [
        post(
            u("reports:comment_create", report("summary_version")),
            {**SUMMARY_READ, "oea": 302, "admin": 302, "focal_requesting": 302, "focal_providing": 302},
            data=new_comment,
        ),
        post(u("reports:comment_create", report("monitoring_version")), signed_in(404), data=new_comment),
    ],
    "reports:comment_resolve": [
        post(
            u("reports:comment_resolve", report("summary_comment")),
            {**SUMMARY_READ, "oea": 302, "admin": 302, "focal_requesting": 403, "focal_providing": 403},
            data=lambda s: {"resolution": "Se añadió la hora de Asunción."},
        ),
    ],
    # Certificates. Issuing is POST only; the workshop has a servant present in its one session
    # (she qualifies), the cooperation has participants: a job is queued (302).
    "certificates:action_issue": [
        post(
            u("certificates:action_issue", ACTION),
            _redirected(CERT_TRAINING_WRITE, "odes", "admin"),
            data=issue_request,
        )
    ],
    "certificates:cooperation_issue": [
        post(
            u("certificates:cooperation_issue", COOP),
            _redirected(CERT_PARTICIPATION_WRITE, "oea", "admin"),
            data=issue_request,
        )
    ],
    "certificates:job": [
        get(u("certificates:job", CERT("training_job")), CERT_TRAINING_READ),
        get(u("certificates:job", CERT("participation_job")), CERT_PARTICIPATION_READ),
    ],
    "certificates:job_archive": [
        get(u("certificates:job_archive", CERT("training_job")), CERT_TRAINING_READ),
        get(u("certificates:job_archive", CERT("participation_job")), CERT_PARTICIPATION_READ),
    ],
    "certificates:download": [
        get(u("certificates:download", CERT("training")), CERT_TRAINING_READ),
        get(u("certificates:download", CERT("participation")), CERT_PARTICIPATION_READ),
    ],
    # Posted empty: re-rendered with «Este campo es obligatorio» (200), nothing revoked.
    "certificates:revoke": [
        get(u("certificates:revoke", CERT("training")), CERT_TRAINING_WRITE),
        post(u("certificates:revoke", CERT("training")), CERT_TRAINING_WRITE),
        get(u("certificates:revoke", CERT("participation")), CERT_PARTICIPATION_WRITE),
        post(u("certificates:revoke", CERT("participation")), CERT_PARTICIPATION_WRITE),
    ],
    # Public: anyone with the code; an unknown code is 404 for everyone.
    "verify_certificate": [
        get(u("verify_certificate", lambda s: s.certs.training.code), everyone(200)),
        get(u("verify_certificate", lambda s: "x" * 32), everyone(404)),
    ],
    # Panels: cooperations (OEA staff, managers, administrators all; a focal point their
    # institution's, scoped on the page); the PFC and its region pages, like the PFC.
    "dashboards:cooperations": [get(u("dashboards:cooperations"), {**COOP_AREA, "odes": 403})],
    "dashboards:plan": [
        get(u("dashboards:plan"), PFC_READ),
        get(u("dashboards:plan", query="?periodo=2025-2&orden=nivel"), PFC_READ),
    ],
    "dashboards:region": [
        get(u("dashboards:region", REGION, query="?periodo=2025-2"), PFC_READ),
        get(u("dashboards:region", lambda s: 999999), {**PFC_READ, "odes": 404, "admin": 404, "manager": 404}),
    ],
    # The regional ranking: ODES (and administrators) enter, import and publish; managers read.
    "ranking:list": [
        get(u("ranking:list"), PFC_READ),
        post(u("ranking:list"), _redirected(PFC_WRITE, "odes", "admin"), data=new_ranking),
    ],
    "ranking:detail": [get(u("ranking:detail", RANKING), PFC_READ)],
    "ranking:edit": [get(u("ranking:edit", RANKING), PFC_WRITE), post(u("ranking:edit", RANKING), PFC_WRITE)],
    "ranking:import": [get(u("ranking:import", RANKING), PFC_WRITE), post(u("ranking:import", RANKING), PFC_WRITE)],
    # Posted without its request key: nothing is published, back to the ranking with a message.
    "ranking:publish": [post(u("ranking:publish", RANKING), _redirected(PFC_WRITE, "odes", "admin"))],
    "ranking:version": [
        get(u("ranking:version", RANKING_VERSION), PFC_READ),
        get(u("ranking:version", lambda s: 999999), {**PFC_READ, "odes": 404, "admin": 404, "manager": 404}),
    ],
    "ranking:version_download": [get(u("ranking:version_download", RANKING_VERSION), PFC_READ)],
    # Personal API tokens: every role manages its own (an empty form re-renders with errors);
    # revoking another user's token (here the administrator's) is not found.
    "api_tokens:list": [get(u("api_tokens:list"), signed_in(200)), post(u("api_tokens:list"), signed_in(200))],
    "api_tokens:revoke": [
        get(u("api_tokens:revoke", ADMIN_TOKEN), everyone(405)),  # POST only
        post(u("api_tokens:revoke", ADMIN_TOKEN), {**signed_in(404), "admin": Redirect("api_tokens:list")}),
    ],
    # Read-only API: anonymous 401; cooperations as their pages (another institution's record
    # 404), the PFC as its pages; writes 405 to readers.
    "api:api-root": [get(u("api:api-root"), API_SIGNED_IN)],
    "api:schema": [get(u("api:schema"), API_SIGNED_IN)],
    "api:docs": [get(u("api:docs"), API_SIGNED_IN)],
    "api:cooperation-list": [
        get(u("api:cooperation-list"), API_COOP_AREA),
        post(u("api:cooperation-list"), API_COOP_WRITE),
    ],
    "api:cooperation-detail": [
        get(u("api:cooperation-detail", COOP), API_COOP_VIEWERS),
        post(u("api:cooperation-detail", COOP), API_COOP_WRITE),
    ],
    "api:session-list": [get(u("api:session-list"), API_COOP_AREA)],
    "api:session-detail": [get(u("api:session-detail", SESSION), API_COOP_VIEWERS)],
    "api:training-action-list": [
        get(u("api:training-action-list"), API_PFC),
        post(u("api:training-action-list"), API_PFC_WRITE),
    ],
    "api:training-action-detail": [get(u("api:training-action-detail", ACTION), API_PFC)],
    "api:attendance-list": [get(u("api:attendance-list"), API_PFC)],
    "api:attendance-detail": [get(u("api:attendance-detail", ACTION_SESSION), API_PFC)],
    "api:survey-list": [get(u("api:survey-list"), API_PFC)],
    "api:survey-detail": [get(u("api:survey-detail", SURVEYED_ACTION), API_PFC)],
    "api:indicator-list": [get(u("api:indicator-list", query="?period=2025-2"), API_PFC)],
    "api:region-list": [get(u("api:region-list"), API_PFC)],
    "api:region-detail": [get(u("api:region-detail", lambda s: s.p.regions[0].pk), API_PFC)],
    # The published ranking: the ranking pages' readers (ODES, managers, administrators).
    "api:ranking-list": [
        get(u("api:ranking-list"), API_PFC),
        get(u("api:ranking-list", query="?semester=2025-1"), API_PFC),
        post(u("api:ranking-list"), API_PFC_WRITE),
    ],
    "api:ranking-detail": [get(u("api:ranking-detail", RANKING_VERSION), API_PFC)],
    # Exports: every list downloads for whoever opens its page (the cooperation lists scoped to
    # the focal point's institution: a list, so every focal point gets one); a background export
    # is asked for by POST; a job and its file are their requester's only (oea's here).
    "exports:download": [
        *(get(u("exports:download", lambda s, n=name: n, lambda s, f=fmt: f), COOP_AREA) for name, fmt in COOP_EXPORTS),
        *(get(u("exports:download", lambda s, n=name: n, lambda s, f=fmt: f), PFC_READ) for name, fmt in PFC_EXPORTS),
        # The published ranking: the ranking pages' readers (PFC_READ).
        *(get(u("exports:download", lambda s: "ranking", lambda s, f=fmt: f), PFC_READ) for fmt in ("csv", "xlsx")),
        get(u("exports:download", lambda s: "no-existe", lambda s: "csv"), signed_in(404)),
        get(u("exports:download", lambda s: "acciones", lambda s: "pdf"), signed_in(404)),
    ],
    "exports:request": [
        get(u("exports:request", lambda s: "cooperaciones", lambda s: "csv"), signed_in(405)),
        post(
            u("exports:request", lambda s: "cooperaciones", lambda s: "xlsx"),
            {role: (302 if answer == 200 else answer) for role, answer in COOP_AREA.items()},
            data=new_export,
        ),
        post(
            u("exports:request", lambda s: "asistencia", lambda s: "csv"),
            {role: (302 if answer == 200 else answer) for role, answer in PFC_READ.items()},
            data=new_export,
        ),
    ],
    "exports:job": [get(u("exports:job", EXPORT_JOB), {**signed_in(404), "oea": 200})],
    "exports:job_download": [get(u("exports:job_download", EXPORT_JOB), {**signed_in(404), "oea": 200})],
    # Notifications: each user's own; the signed links of an e-mail work signed out, for their
    # own user only (another signed-in user is refused), and a tampered link is refused.
    "notifications:list": [get(u("notifications:list"), signed_in(200))],
    "notifications:open": [
        post(
            u("notifications:open", lambda s: s.notification.pk),
            {**signed_in(404), "focal_requesting": Redirect(lambda s: reverse("cooperations:detail", args=[COOP(s)]))},
        )
    ],
    "notifications:mark_all_read": [post(u("notifications:mark_all_read"), signed_in(302))],
    "notifications:preferences": [
        get(u("notifications:preferences"), signed_in(200)),
        post(u("notifications:preferences"), signed_in(200)),  # empty form: re-rendered with errors
    ],
    "notifications:signed_preferences": [
        get(u("notifications:signed_preferences", signed_link("preferences")), OWN_LINK),
        get(u("notifications:signed_preferences", signed_link("preferences", tamper=True)), everyone(403)),
    ],
    "notifications:unsubscribe": [
        get(u("notifications:unsubscribe", signed_link("unsubscribe")), OWN_LINK),
        post(
            u("notifications:unsubscribe", signed_link("unsubscribe")),
            OWN_LINK,
            data=lambda s: {"List-Unsubscribe": "One-Click"},
        ),
        post(u("notifications:unsubscribe", signed_link("unsubscribe", tamper=True)), everyone(403)),
    ],
    "profile": [get(u("profile"), signed_in(200)), post(u("profile"), signed_in(302))],
    # Django admin: the site's own pages.
    "admin:index": [get(u("admin:index"), admin_only(200))],
    # The sign-in form shows to everyone (to a signed-in non-staff user with "not authorised");
    # staff are sent on to the index.
    "admin:login": [get(u("admin:login"), {**everyone(200), "admin": Redirect("admin:index")})],
    # POST only; a non-staff visitor (any method) is sent to the admin index, and from there to
    # the admin sign-in.
    "admin:logout": [
        get(u("admin:logout"), {**everyone(Redirect("admin:index")), "admin": 405}),
        post(u("admin:logout"), {**everyone(Redirect("admin:index")), "admin": LOGIN}, logs_out=True),
    ],
    "admin:password_change": [get(u("admin:password_change"), admin_only(200))],
    "admin:password_change_done": [get(u("admin:password_change_done"), admin_only(200))],
    "admin:autocomplete": [
        get(
            u("admin:autocomplete", query="?app_label=cooperations&model_name=focalpoint&field_name=user&term=a"),
            admin_only(200),
        )
    ],
    "admin:jsi18n": [get(u("admin:jsi18n"), admin_only(200))],
    # "View on site": without django.contrib.sites, an absolute address on the request's host.
    "admin:view_on_site": [
        get(
            u("admin:view_on_site", lambda s: ContentType.objects.get_for_model(Cooperation).pk, COOP),
            admin_only(Redirect(lambda s: f"http://testserver/cooperaciones/{COOP(s)}/")),
        )
    ],
    "admin:app_list": [get(u("admin:app_list", lambda s: "cooperations"), admin_only(200))],
    "admin/(?P<url>.*)$": [get(lambda s: "/admin/no-existe/", admin_only(404))],
    "admin:auth_user_password_change": [
        get(u("admin:auth_user_password_change", lambda s: s.w.users["oea"].pk), admin_only(200))
    ],
}

# Django admin: the pages of each registered model, for the administrator (everybody else is
# sent to the admin sign-in). READ_ONLY admins refuse add, change (shown read-only) and delete.
FULL = {"changelist": 200, "add": 200, "change": 200, "history": 200, "delete": 200}
NO_ADD = {"changelist": 200, "add": 403, "change": 200, "history": 200, "delete": 200}
READ_ONLY = {"changelist": 200, "add": 403, "change": 200, "history": 200, "delete": 403}
# label -> (what the administrator gets, whether the admin is a SimpleHistoryAdmin)
ADMIN_MODELS = {
    "auth.group": (FULL, False),
    "auth.user": (FULL, False),
    "axes.accessattempt": (NO_ADD, False),
    "axes.accesslog": (NO_ADD, False),
    "axes.accessfailurelog": (NO_ADD, False),
    "cooperations.country": (FULL, False),
    "cooperations.institution": (FULL, False),
    "cooperations.call": (FULL, False),
    "cooperations.focalpoint": (FULL, False),
    "cooperations.person": (FULL, False),
    "cooperations.cooperation": (FULL, True),
    "cooperations.session": (FULL, True),
    "cooperations.step": (FULL, True),
    "cooperations.participation": (FULL, True),
    "cooperations.question": (FULL, True),
    "cooperations.deliverable": (FULL, True),
    "cooperations.deliverableversion": (READ_ONLY, False),
    "cooperations.answerversion": (READ_ONLY, False),
    "capacity_plan.region": (FULL, False),
    "capacity_plan.organisationalunit": (FULL, False),
    "capacity_plan.theme": (FULL, False),
    "capacity_plan.recordingslot": (FULL, False),
    "capacity_plan.plan": (FULL, False),
    "capacity_plan.component": (FULL, False),
    "capacity_plan.milestone": (FULL, True),
    "capacity_plan.indicator": (FULL, True),
    "capacity_plan.measurement": (FULL, True),
    "capacity_plan.indicatorreview": (FULL, True),
    "capacity_plan.attendance": (FULL, True),
    "capacity_plan.trainingaction": (FULL, True),
    "capacity_plan.publicservant": (FULL, False),
    "reports.reportjob": (READ_ONLY, False),
    "reports.reportversion": (READ_ONLY, False),
    "reports.summaryseries": (READ_ONLY, True),
    "reports.summarycomment": (READ_ONLY, True),
    "certificates.certificate": (READ_ONLY, True),
    "certificates.certificatejob": (READ_ONLY, False),
    "notifications.notification": (NO_ADD, False),
    "notifications.notificationpreference": (FULL, False),
}


def _admin_rows(label: str, pages: dict, simple_history: bool) -> dict[str, list[Case]]:
    app, model = label.split(".")
    prefix = f"admin:{app}_{model}"
    obj = lambda s: quote(s.admin_objects[label][0])  # noqa: E731
    rows = {
        f"{prefix}_changelist": [get(u(f"{prefix}_changelist"), admin_only(pages["changelist"]))],
        f"{prefix}_add": [get(u(f"{prefix}_add"), admin_only(pages["add"]))],
        f"{prefix}_change": [get(u(f"{prefix}_change", obj), admin_only(pages["change"]))],
        f"{prefix}_history": [get(u(f"{prefix}_history", obj), admin_only(pages["history"]))],
        f"{prefix}_delete": [get(u(f"{prefix}_delete", obj), admin_only(pages["delete"]))],
        # The old address of an object: redirects to its change page.
        f"admin/{app}/{model}/<path:object_id>/": [
            get(
                lambda s: f"/admin/{app}/{model}/{obj(s)}/",
                admin_only(Redirect(lambda s: reverse(f"{prefix}_change", args=[obj(s)]))),
            )
        ],
    }
    if simple_history:  # one historical version of the object (django-simple-history)
        rows[f"{prefix}_simple_history"] = [
            get(u(f"{prefix}_simple_history", obj, lambda s: s.admin_objects[label][1]), admin_only(200))
        ]
    return rows


for _label, (_pages, _simple_history) in ADMIN_MODELS.items():
    TABLE.update(_admin_rows(_label, _pages, _simple_history))


# --- URL patterns ---------------------------------------------------------------------------------


def url_pattern_keys(resolver=None, prefix: str = "", namespaces: tuple = ()) -> set[str]:
    """Every URL pattern: "namespace:name", or its full route when it has no name (the route
    joined as Django's ResolverMatch.route joins it)."""
    resolver = resolver or get_resolver()
    keys = set()
    for pattern in resolver.url_patterns:
        route = prefix + (str(pattern.pattern).removeprefix("^") if prefix else str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            keys |= url_pattern_keys(pattern, route, inner)
        else:
            keys.add(":".join(namespaces + (pattern.name,)) if pattern.name else route)
    return keys


def key_of(path: str) -> str:
    match = resolve(path.split("?")[0])
    return match.view_name if match.url_name else match.route


def test_every_url_pattern_has_a_row():
    missing = sorted(url_pattern_keys() - TABLE.keys())
    assert not missing, "URL patterns without a row in TABLE (add what each subject gets):\n  " + "\n  ".join(missing)


def test_every_row_names_a_url_pattern():
    stale = sorted(TABLE.keys() - url_pattern_keys())
    assert not stale, "TABLE rows that match no URL pattern any more:\n  " + "\n  ".join(stale)


def test_every_row_says_what_every_subject_gets():
    incomplete = [
        f"{key} {case.method.upper()}: {sorted(set(SUBJECTS) ^ case.expected.keys())}"
        for key, cases in TABLE.items()
        for case in cases
        if case.expected.keys() != set(SUBJECTS)
    ]
    assert not incomplete, "\n".join(incomplete)


# --- The world ----------------------------------------------------------------------------------


@pytest.fixture
def site(pfc, request):  # noqa: F811
    """The seed plan (loaded first: its fixtures have fixed primary keys), the two-cooperation
    world, the report jobs and versions, and at least one object of every model in the admin."""
    w = request.getfixturevalue("world")
    r = request.getfixturevalue("reports")
    odes = w.users["odes"]
    indicator = pfc.hito4.indicators.first()
    manual = pfc.hito4.indicators.filter(source="manual").first()
    ParticipationFactory(cooperation=w.cooperation)
    plan_services.attendance_record(session=pfc.session, marks={pfc.servants[0].pk: "present"}, by=odes)
    measurement = plan_services.measurement_record(
        indicator=manual,
        year=2025,
        bimester=2,
        value=Decimal("1"),
        note="",
        evidence=upload("acta.pdf", PDF_BYTES, "application/pdf"),
        by=odes,
    )
    plan_services.indicator_review_record(
        indicator=indicator,
        year=2025,
        bimester=2,
        reason="other",
        explanation="Prueba",
        corrective_action="Prueba",
        corrective_action_due=None,
        by=odes,
    )
    SummarySeries.objects.create(cooperation=w.cooperation)
    notification = Notification.objects.create(
        recipient=w.users["focal_requesting"],
        kind="step-due-7",
        key="walk",
        url=reverse("cooperations:detail", args=[w.cooperation.pk]),
        email_status=Notification.EmailStatus.SKIPPED,
    )
    NotificationPreference.objects.create(user=w.users["focal_requesting"], kind="step-due-1", enabled=False)
    access = {
        "username": "nadie",
        "ip_address": "127.0.0.1",
        "user_agent": "pytest",
        "http_accept": "*/*",
        "path_info": "/cuenta/login/",
    }
    AccessAttempt.objects.create(**access, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**access)
    AccessFailureLog.objects.create(**access)
    certs = walk_certificates(
        action=pfc.action,
        cooperation=w.cooperation,
        participation=ParticipationFactory(cooperation=w.cooperation),
        by=odes,
    )

    admin_objects = {}
    for label, (_pages, simple_history) in ADMIN_MODELS.items():
        model = apps.get_model(label)
        obj = (
            Group.objects.get(name=OEA_STAFF)
            if label == "auth.group"
            else w.users["focal_other"]
            if label == "auth.user"
            else model._default_manager.order_by("pk").first()
        )
        assert obj is not None, f"the walk needs one {label}"
        version = obj.history.order_by("history_id").first() if simple_history else None
        assert version is not None or not simple_history, f"the walk needs a historical version of a {label}"
        admin_objects[label] = (obj.pk, version.history_id if version else None)

    now = timezone.now()
    check_in_link = plan_check_in.check_in_link_open(
        session=pfc.session,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=2),
        by=odes,
    )
    check_in = plan_check_in.check_in_record(link=check_in_link, document_number=pfc.servants[0].document_number)
    cache.clear()  # the public pages' rate limits start afresh
    import_job = ImportJob.objects.create(
        kind=ImportKind.PARTICIPANTS,
        created_by=odes,
        file_name="grande.csv",
        requested_at=now,
        expires_at=now + datetime.timedelta(days=1),
        status=ImportJob.Status.DONE,
        report=ImportReport(total=1, new=1).as_json(),
    )

    ranking = ranking_services.ranking_create(year=2025, semester=1, by=odes)
    ranking_version = RankingVersion(
        ranking=ranking,
        number=1,
        created_by=odes,
        created_at=now,
        file_name="ranking-regional-2025-s1-v1.pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        snapshot=ranking_services.ranking_snapshot(ranking=ranking),
    )
    ranking_version.file.save("walk/ranking.pdf", ContentFile(PDF_BYTES), save=False)
    ranking_version.save()

    return SimpleNamespace(
        w=w,
        p=pfc,
        ranking=ranking,
        ranking_version=ranking_version,
        import_job=import_job,
        certs=certs,
        check_in_link=check_in_link,
        check_in=check_in.check_in,
        r=r,
        indicator=indicator,
        manual_indicator=manual,
        measurement=measurement,
        admin_objects=admin_objects,
        notification=notification,
        other_session=SessionFactory(cooperation=w.other),
        other_step=StepFactory(cooperation=w.other),
        shared_step=StepFactory(cooperation=w.cooperation, responsible_institutions=[w.peru, w.paraguay]),
    )


def test_every_rows_urls_lead_to_its_own_pattern(site):
    wrong = [
        f"{key}: {case.method.upper()} {case.url(site)} resolves to {key_of(case.url(site))}"
        for key, cases in TABLE.items()
        for case in cases
        if key_of(case.url(site)) != key
    ]
    assert not wrong, "\n".join(wrong)


# --- The walk -----------------------------------------------------------------------------------


def _matches(response, expected, site) -> bool:
    if isinstance(expected, Redirect):
        return response.status_code == 302 and response["Location"].startswith(expected.target(site))
    return response.status_code == expected


def _shown(expected, site) -> str:
    return f"302 → {expected.target(site)}…" if isinstance(expected, Redirect) else str(expected)


def _got(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        return f"{response.status_code} → {response['Location']}"
    return str(response.status_code)


# The N+1 guard (django-zeal) is on for every request of the walk, except on these pages of the
# Django admin, which load relations row by row in Django's own code: the delete confirmation
# lists every related object by its __str__, the user pages read the user again, the attendance
# form labels each servant with its region, and the institution list shows each one's country.
ADMIN_PAGES_WITH_N_PLUS_ONE = {
    "admin:auth_user_change",
    "admin:auth_user_delete",
    "admin:auth_user_history",
    "admin:auth_user_password_change",
    "admin:cooperations_country_delete",
    "admin:cooperations_institution_changelist",
    "admin:cooperations_institution_delete",
    "admin:cooperations_cooperation_delete",
    "admin:capacity_plan_attendance_add",
    "admin:capacity_plan_attendance_change",
    "admin:capacity_plan_attendance_simple_history",
    "admin:capacity_plan_region_delete",  # lists the ranking entries that protect the region
}


def test_the_pages_exempt_from_the_n_plus_one_guard_are_admin_pages():
    assert ADMIN_PAGES_WITH_N_PLUS_ONE <= TABLE.keys()
    assert all(key.startswith("admin:") for key in ADMIN_PAGES_WITH_N_PLUS_ONE)


@pytest.mark.parametrize("subject", SUBJECTS)
def test_every_url_answers_each_subject_as_the_table_says(site, subject):
    """One subject, every row. Each request runs in a savepoint, so an error in one cannot spoil
    the next, and under the N+1 guard (an N+1 query is reported like a 500), except on the admin
    pages listed above."""
    client = Client(raise_request_exception=True)
    user = None if subject == "anonymous" else site.w.users[subject]
    failures = []
    if user:
        client.force_login(user)
    for key, cases in TABLE.items():
        guard = zeal_ignore() if key in ADMIN_PAGES_WITH_N_PLUS_ONE else nullcontext()
        for case in cases:
            url = case.url(site)
            expected = case.expected[subject]
            label = f"{case.method.upper()} {url}"
            try:
                with guard, transaction.atomic():
                    if case.method == "get":
                        response = client.get(url)
                    else:
                        response = client.post(url, case.data(site) if case.data else {})
                    if response.streaming:  # read to the end: the test client then closes the file
                        b"".join(response.streaming_content)
            except Exception as error:  # a 500 or an N+1 query: report it with the rest
                failures.append(
                    f"{label}: got an exception {type(error).__name__}: {error} "
                    f"expected {_shown(expected, site)}  [{key}]"
                )
                continue
            finally:
                if case.logs_out and user:
                    client.force_login(user)
            if not _matches(response, expected, site):
                failures.append(f"{label}: got {_got(response)} expected {_shown(expected, site)}  [{key}]")
    assert not failures, f"{len(failures)} answers differ for {subject}:\n" + "\n".join(failures)
