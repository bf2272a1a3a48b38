import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import ROLES
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

COOPERATIONS = reverse("cooperations:list")
PLAN = reverse("capacity_plan:home")
REPORTS = reverse("reports:home")
COOPERATION_PANEL = reverse("dashboards:cooperations")
PLAN_PANEL = reverse("dashboards:plan")
RANKING = reverse("ranking:list")

# role -> (navigation entries it must see, pages it must be refused with 403)
EXPECTED = {
    "oea": ({"Cooperaciones RIAL", "Informes", "Panel de cooperaciones"}, [PLAN, PLAN_PANEL, RANKING]),
    "focal": ({"Cooperaciones RIAL", "Informes", "Panel de cooperaciones"}, [PLAN, PLAN_PANEL, RANKING]),
    "odes": ({"Plan PFC 2025", "Informes", "Panel del PFC", "Ranking regional"}, [COOPERATIONS, COOPERATION_PANEL]),
    "manager": (
        {
            "Cooperaciones RIAL",
            "Plan PFC 2025",
            "Informes",
            "Panel de cooperaciones",
            "Panel del PFC",
            "Ranking regional",
        },
        [],
    ),
    "admin": (
        {
            "Cooperaciones RIAL",
            "Plan PFC 2025",
            "Informes",
            "Panel de cooperaciones",
            "Panel del PFC",
            "Ranking regional",
            "Administración",
        },
        [],
    ),
}


def test_the_four_role_groups_exist_after_migrations():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


def test_role_groups_hold_no_model_permissions_the_code_never_checks():
    # The application answers with its own rules; model permissions serve only the admin, which
    # is for administrators.
    for role in ROLES:
        assert list(Group.objects.get(name=role).permissions.all()) == [], role


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_signs_in_with_the_form_and_sees_its_home(client, make_user, role):
    user = make_user(role)

    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("home")
    shown = {str(item["label"]) for item in response.context["nav_items"]}
    assert shown == EXPECTED[role][0]
    assert "Cerrar sesión" in response.content.decode()


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_opens_the_areas_its_navigation_offers(client_for, role):
    client = client_for(role)
    for item in client.get(reverse("home")).context["nav_items"]:
        assert client.get(item["url"]).status_code == 200, item["url"]


@pytest.mark.parametrize("role", [role for role, (_nav, refused) in EXPECTED.items() if refused])
def test_each_role_is_refused_the_pages_it_must_not_see(client_for, role):
    client = client_for(role)
    for url in EXPECTED[role][1]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Acceso denegado" in response.content.decode()


def test_a_manager_cannot_enter_the_django_admin(client_for):
    response = client_for("manager").get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_an_administrator_enters_the_django_admin(client_for):
    assert client_for("admin").get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("url", [reverse("home"), COOPERATIONS, PLAN, REPORTS, COOPERATION_PANEL, PLAN_PANEL, RANKING])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_a_wrong_password_is_refused_in_spanish_and_keeps_the_username(client, make_user):
    user = make_user("oea")
    response = client.post(reverse("login"), {"username": user.username, "password": "no-es-esta"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Por favor, introduzca un nombre de usuario y clave correctos" in body
    assert f'value="{user.username}"' in body


def test_sign_out_ends_the_session(client_for):
    client = client_for("oea")
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_link_works_once(client, make_user, mailoutbox):
    user = make_user("focal")
    client.post(reverse("password_reset"), {"email": user.email})
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "://" in line)
    path = link.split("testserver", 1)[1]

    form_page = client.get(path, follow=True)
    set_password_url = form_page.redirect_chain[-1][0]
    new_password = "otra-clave-segura-2026"
    done = client.post(set_password_url, {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302

    again = client.get(path, follow=True)
    assert "Enlace no válido" in again.content.decode()
    signed_in = client.post(reverse("login"), {"username": user.username, "password": new_password})
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session


def test_password_validators_refuse_a_weak_password(client_for):
    client = client_for("odes")
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "Esta contraseña es demasiado común" in response.content.decode()
