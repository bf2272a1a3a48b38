"""The notification page, the badge, preferences and the signed links of every e-mail."""

import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse

from accounts.selectors import user_timezone
from notifications.models import Notification, NotificationPreference
from notifications.registry import kinds
from notifications.services import notify, preferences_token, unsubscribe_token

pytestmark = pytest.mark.django_db


def make_notifications(world, user, count):
    url = reverse("cooperations:detail", args=[world.cooperation.pk]) + f"#pregunta-{world.question.pk}"
    for number in range(count):
        notify(
            kind="questions-sent",
            key=f"test:{number}",
            recipients=[user],
            url=url,
            context={"cooperation": "Perú – Paraguay", "asked_by": "MTPE", "count": number + 1, "questions": []},
        )


def test_the_badge_counts_unread_and_opening_one_lands_on_the_question(world, client_for):
    user = world.users["focal_providing"]
    make_notifications(world, user, 2)
    client = client_for(user)
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    assert unread == 3  # these two and world's new deliverable version
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="unread-badge">3<' in home

    notification = Notification.objects.filter(recipient=user, key="test:0").get()
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("cooperations:detail", args=[world.cooperation.pk]) + f"#pregunta-{world.question.pk}"
    )
    assert 'data-testid="unread-badge">2<' in client.get(reverse("home")).content.decode()

    client.post(reverse("notifications:mark_all_read"))
    assert "unread-badge" not in client.get(reverse("home")).content.decode()


def test_another_users_notification_is_not_found(world, client_for):
    make_notifications(world, world.users["focal_providing"], 1)
    notification = Notification.objects.get(key="test:0")
    response = client_for(world.users["focal_requesting"]).post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 404
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_the_list_keeps_its_query_count_whatever_the_number_of_notifications(
    world, client_for, django_assert_max_num_queries
):
    user = world.users["focal_providing"]
    client = client_for(user)
    make_notifications(world, user, 3)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("notifications:list"))
    make_notifications(world, user, 25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("notifications:list"))
    # Keys test:0..2 existed already (no second row): 25 of these, and world's deliverable version.
    assert page.content.decode().count('data-testid="notification"') == 25 + 1


def test_the_preferences_link_works_signed_out_for_its_own_user_only(world, client_for):
    user = world.users["focal_providing"]
    url = reverse("notifications:signed_preferences", args=[preferences_token(user=user)])
    anonymous = Client()
    assert anonymous.get(url).status_code == 200
    chosen_here = {"questions-sent": "off", "step-due-7": "digest"}
    data = {key: chosen_here.get(key, "immediate") for key in kinds()}
    assert anonymous.post(url, data).status_code == 302
    chosen = {p.kind: (p.enabled, p.digest) for p in NotificationPreference.objects.filter(user=user)}
    assert chosen["questions-sent"] == (False, False) and chosen["step-due-7"] == (True, True)

    other = client_for(world.users["focal_requesting"])
    assert other.get(url).status_code == 403
    assert other.post(url, dict.fromkeys(kinds(), "off")).status_code == 403
    assert NotificationPreference.objects.get(user=user, kind="step-due-7").enabled is True

    tampered = url.replace(url.rstrip("/")[-3:], "xyz")
    assert anonymous.get(tampered).status_code == 403
    # A link for one user never opens another's, even when edited to name them.
    assert not NotificationPreference.objects.filter(user=world.users["focal_requesting"]).exists()


def test_one_click_unsubscribe_turns_that_kind_off(world):
    user = world.users["focal_providing"]
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(user=user, kind="questions-sent")])
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=user, kind="questions-sent").enabled is False
    # A token signed for the preferences page is not an unsubscribe token (different salt).
    wrong = reverse("notifications:unsubscribe", args=[preferences_token(user=user)])
    assert Client().post(wrong, {"List-Unsubscribe": "One-Click"}).status_code == 403


def test_the_profile_sets_language_and_zone_and_focal_points_default_to_their_country(world, client_for):
    user = world.users["focal_providing"]  # Paraguay
    assert user_timezone(user) == zoneinfo.ZoneInfo("America/Asuncion")
    client = client_for(user)
    assert client.get(reverse("profile")).status_code == 200
    response = client.post(reverse("profile"), {"language": "en", "time_zone": "America/Lima"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.profile.language == "en" and user_timezone(user) == zoneinfo.ZoneInfo("America/Lima")
    bad = client.post(reverse("profile"), {"language": "en", "time_zone": "Marte/Olimpo"})
    assert bad.status_code == 200 and "Marte/Olimpo" in bad.content.decode()


def test_oea_staff_follow_and_unfollow_a_cooperation(world, client_for):
    client = client_for("oea")
    page = client.get(reverse("cooperations:detail", args=[world.cooperation.pk])).content.decode()
    assert "Seguir (recibir notificaciones)" in page
    client.post(reverse("cooperations:follow", args=[world.cooperation.pk]), {"follow": "1"})
    assert world.cooperation.followers.filter(pk=client.user.pk).exists()
    page = client.get(reverse("cooperations:detail", args=[world.cooperation.pk])).content.decode()
    assert "Dejar de seguir" in page
    client.post(reverse("cooperations:follow", args=[world.cooperation.pk]), {"follow": "0"})
    assert not world.cooperation.followers.filter(pk=client.user.pk).exists()
