"""Whatever a signed-in user types into the address bar or a form, the answer is a page (with a
Spanish error where the input is wrong), never a server error.

Property-based (hypothesis): the query parameters of every list filter and of the pages that
take a period or a month, and the fields of the main forms (read from the rendered page, so a
field added later is walked too), get extreme values: huge and negative numbers, dates in year
0001 and 9999, 10,000-character strings, NUL and odd Unicode, malformed ids. Every example runs
in a savepoint that is rolled back, so examples do not see each other's rows. Celery jobs are
enqueued on commit, which never comes inside the test's transaction: nothing is rendered.
"""

import contextlib
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import zeal
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from capacity_plan.models import Indicator, Milestone, Region
from cooperations.models import Cooperation, Question
from ranking import services as ranking_services
from tests.factories import (
    ActionSessionFactory,
    AdministratorFactory,
    ServantFactory,
    TrainingActionFactory,
    UnitFactory,
    focal_point_for,
)

pytestmark = pytest.mark.django_db

# Small enough that the whole module stays under ~30 s on the shared two-core machine.
WALK = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- values -----------------------------------------------------------------------------------

EXTREME = [
    "",
    " ",
    "0",
    "-1",
    "-0",
    "1.5",
    "1e309",
    "NaN",
    "inf",
    "-99999999999999999999",
    "9" * 30,
    "2147483648",
    "9223372036854775808",
    "0001-01-01",
    "9999-12-31",
    "0000-00-00",
    "0001-01",
    "9999-12",
    "2025-13",
    "2025-0",
    "99999-1",
    "2025-7",
    "0001-01-01T00:00",
    "9999-12-31 23:30",
    "23:59:60",
    "25:00",
    "x" * 10_000,
    "palabra " * 1_200,
    "\x00",
    "a\x00b",
    "‮evil",
    "😀" * 50,
    "１２３",
    "٣",
    "²",
    "%00",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "true",
    "on",
    "None",
    "[]",
    "{}",
]
# Text without lone surrogates (the test client cannot encode those; a browser cannot send them).
TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
# Half of the values are the listed extremes, the rest any text or integer.
VALUE = st.one_of(st.sampled_from(EXTREME), st.sampled_from(EXTREME), TEXT, st.integers().map(str))


@contextlib.contextmanager
def rolled_back():
    """Run one example in a savepoint and undo it. The N+1 guard (django-zeal) counts queries
    across all the examples of a test here, so it is off inside an example."""
    with zeal.zeal_ignore(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_no_server_error(response, what):
    # The test client re-raises a view's exception; a 5xx answered without one is caught here.
    assert response.status_code < 500, f"{what} answered {response.status_code}"


# --- the data and the users -----------------------------------------------------------------------


class World:
    pass


@pytest.fixture
def world(seed):
    w = World()
    unit = UnitFactory(acronym="ODES")
    regions = list(Region.objects.all()[:3])
    w.action = TrainingActionFactory(
        milestone=Milestone.objects.get(number=4), organisational_unit=unit, regions=regions
    )
    w.session = ActionSessionFactory(action=w.action)
    for number in range(5):
        ServantFactory(region=regions[number % 3])
    w.indicator = Indicator.objects.order_by("pk").first()
    w.cooperation = Cooperation.objects.filter(sessions__isnull=False, questions__isnull=False).distinct().first()
    w.cooperation_session = w.cooperation.sessions.first()
    w.question = Question.objects.filter(cooperation=w.cooperation).first()
    administrator = AdministratorFactory()
    w.ranking = ranking_services.ranking_create(year=2025, semester=1, by=administrator)
    w.admin = Client()
    w.admin.force_login(administrator)
    w.focal = Client()
    w.focal.force_login(focal_point_for(w.cooperation.requesting_institution))
    return w


# --- list filters and pages that take a period --------------------------------------------------


def filter_pages(w):
    """(url, the query parameters the page reads)."""
    return [
        (reverse("cooperations:list"), ["q", "call", "year", "country", "institution", "status", "topic", "page"]),
        (reverse("cooperations:deadlines"), ["page"]),
        (reverse("cooperations:history", args=[w.cooperation.pk]), ["page"]),
        (
            reverse("capacity_plan:actions"),
            [
                "q",
                "organisational_unit",
                "theme",
                "region",
                "milestone",
                "kind",
                "status",
                "month",
                "programmed",
                "page",
            ],
        ),
        (reverse("capacity_plan:catalogue"), ["mes", "region", "organisational_unit"]),
        (reverse("capacity_plan:catalogue_xlsx"), ["mes", "region", "organisational_unit"]),
        (reverse("capacity_plan:home"), ["periodo"]),
        (Milestone.objects.get(number=4).get_absolute_url(), ["periodo"]),
        (reverse("capacity_plan:measurement", args=[w.indicator.pk]), ["periodo"]),
        (reverse("capacity_plan:review", args=[w.indicator.pk]), ["periodo"]),
        (reverse("capacity_plan:guidance"), ["profile"]),
        (reverse("capacity_plan:action_create"), ["hito", "profile"]),
        (reverse("capacity_plan:attendance", args=[w.session.pk]), ["region"]),
        (reverse("reports:home"), ["page"]),
        (reverse("reports:monitoring"), ["periodo", "period"]),
        (reverse("dashboards:plan"), ["periodo", "orden"]),
        (reverse("dashboards:region", args=[w.action.target_regions.first().pk]), ["periodo"]),
    ]


@st.composite
def page_and_query(draw, pages):
    url, names = draw(st.sampled_from(pages))
    query = draw(st.dictionaries(st.sampled_from(names), VALUE, min_size=1, max_size=len(names)))
    return url, query


def test_no_filter_or_period_value_gives_a_server_error(world):
    pages = filter_pages(world)
    many_words = " ".join(f"palabra{number}" for number in range(1_200))

    # Found by an independent attack on the app (issue 12): each one was a 500.
    @example((reverse("capacity_plan:catalogue"), {"mes": "0001-01"}))
    @example((reverse("capacity_plan:catalogue"), {"mes": "9999-12"}))
    @example((reverse("capacity_plan:actions"), {"month": "9999-12"}))
    @example((reverse("capacity_plan:actions"), {"q": many_words}))
    @example((reverse("cooperations:list"), {"q": many_words}))
    @WALK
    @given(page_and_query(pages))
    def walk(case):
        url, query = case
        with rolled_back():
            assert_no_server_error(world.admin.get(url, query), f"GET {url} {query!r:.300}")

    walk()


# --- the main forms -------------------------------------------------------------------------------


class FormReader(HTMLParser):
    """The fields of the page's POST forms, with what a browser would send unchanged:
    [(action, {name: [values]})] (file inputs left out; buttons too, except a named one, which
    says which of a page's forms was sent)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._select_first = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self._form = {}
            self.forms.append((attrs.get("action") or "", self._form))
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self._form.setdefault(name, [])
                return
            self._form.setdefault(name, []).append(attrs.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif tag == "button" and name:
            self._form.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "select" and name:
            self._select, self._select_first = name, None
            self._form.setdefault(name, [])
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self._form[self._select].append(value)
        elif tag == "textarea" and name:
            self._textarea = name
            self._form[name] = [""]

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select:
            if not self._form[self._select] and self._select_first is not None:
                self._form[self._select].append(self._select_first)
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def posted_forms(client, url):
    """[(the URL the form posts to, its fields)] for the POST forms of the page at `url`."""
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}"
    reader = FormReader()
    reader.feed(response.content.decode())
    forms = []
    for action, fields in reader.forms:
        target = urlsplit(action).path or url
        if target in (reverse("set_language"), reverse("logout")):
            continue
        fields.pop("csrfmiddlewaretoken", None)
        forms.append((target, fields))
    assert forms, f"no form found on {url}"
    return forms


def form_pages(w):
    """(client of a user who may use the form, the page that shows it)."""
    cooperation = w.cooperation.pk
    return [
        (w.admin, reverse("capacity_plan:action_create")),
        (w.admin, reverse("capacity_plan:action_edit", args=[w.action.pk])),
        (w.admin, reverse("capacity_plan:action_reschedule", args=[w.action.pk])),
        (w.admin, reverse("capacity_plan:action_cancel", args=[w.action.pk])),
        (w.admin, reverse("capacity_plan:session_create", args=[w.action.pk])),
        (w.admin, reverse("capacity_plan:survey_create", args=[w.action.pk])),
        (w.admin, reverse("capacity_plan:attendance", args=[w.session.pk])),
        (w.admin, reverse("capacity_plan:measurement", args=[w.indicator.pk])),
        (w.admin, reverse("capacity_plan:review", args=[w.indicator.pk])),
        (w.admin, reverse("capacity_plan:indicator_edit", args=[w.indicator.pk])),
        (w.admin, reverse("cooperations:create")),
        (w.admin, reverse("cooperations:edit", args=[cooperation])),
        (w.admin, reverse("cooperations:participants", args=[cooperation])),
        (w.admin, reverse("cooperations:steps", args=[cooperation])),
        (w.admin, reverse("cooperations:session_create", args=[cooperation])),
        (w.admin, reverse("cooperations:session_edit", args=[cooperation, w.cooperation_session.pk])),
        (w.admin, reverse("cooperations:deliverable_create", args=[cooperation])),
        (w.focal, reverse("cooperations:questions_submit", args=[cooperation])),
        (w.admin, reverse("cooperations:question_answer", args=[w.question.pk])),
        (w.admin, reverse("reports:monitoring")),
        (w.admin, reverse("reports:summaries", args=[cooperation])),
        (w.admin, reverse("ranking:list")),
        (w.admin, reverse("ranking:edit", args=[w.ranking.pk])),
        (w.admin, reverse("ranking:import", args=[w.ranking.pk])),
    ]


# Keys a tampered request may add: rows and ids the form never showed.
EXTRA_KEYS = [
    "servant-99999999999999999999999",
    "servant--1",
    "original-0",
    "objectives-TOTAL_FORMS",
    "objectives-999-id",
    "form-TOTAL_FORMS",
    "expected_revision",
    "request_key",
]


@st.composite
def form_and_data(draw, forms):
    client, target, fields = draw(st.sampled_from(forms))
    data = {name: list(values) for name, values in fields.items()}
    names = sorted(fields) + EXTRA_KEYS
    for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True)):
        data[name] = draw(st.lists(VALUE, min_size=1, max_size=2))
    return client, target, data


def test_no_form_field_value_gives_a_server_error(world):
    forms = [
        (client, target, fields) for client, url in form_pages(world) for target, fields in posted_forms(client, url)
    ]

    edit = reverse("cooperations:edit", args=[world.cooperation.pk])
    [(client, _target, fields)] = [form for form in forms if form[1] == edit]
    delete_objective_with_questions = (client, edit, {**fields, "objectives-0-DELETE": ["on"]})
    assert world.cooperation.objectives.order_by("order").first().questions.exists()
    grid = reverse("capacity_plan:attendance", args=[world.session.pk])
    [(client, _target, fields)] = [form for form in forms if form[1] == grid and "servant-" in str(form[2])]
    huge_servant_id = (client, grid, {**fields, "servant-99999999999999999999999": ["present"]})

    # Found by an independent attack on the app (issue 12): each one was a 500.
    @example(delete_objective_with_questions)
    @example(huge_servant_id)
    @WALK
    @given(form_and_data(forms))
    def walk(case):
        client, target, data = case
        with rolled_back():
            assert_no_server_error(client.post(target, data), f"POST {target} {data!r:.500}")

    walk()


def test_the_walk_reads_the_fields_of_the_forms(world):
    """The form reader finds what a browser would send (so the walk mutates real fields)."""
    [(target, fields)] = posted_forms(world.admin, reverse("capacity_plan:action_create"))
    assert target == reverse("capacity_plan:action_create")
    assert {"title", "kind", "hours", "planned_start", "target_regions", "organisational_unit"} <= set(fields)
    assert fields["kind"] and fields["title"] == [""]
