"""What the report pages show beyond who may open them (that is the authorization walk's,
tests/test_authorization_walk.py): a version is never served by guessing ids, lists are scoped,
and readers see no edit controls."""

from django.test import Client
from django.urls import reverse


def test_a_version_of_another_kind_or_cooperation_is_not_served_by_guessing_ids(world, reports):
    client = Client()
    client.force_login(world.users["focal_other"])
    response = client.get(reverse("reports:version_download", args=[reports["summary_version"].pk]))
    assert response.status_code == 404
    assert b"%PDF" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_the_home_page_lists_only_the_focal_points_own_cooperations(world, reports):
    client = Client()
    client.force_login(world.users["focal_requesting"])
    page = client.get(reverse("reports:home")).content.decode()
    assert world.cooperation.short_name in page
    assert world.other.short_name not in page
    assert "seguimiento bimestral" not in page


def test_no_edit_controls_for_those_who_only_read(world, reports):
    client = Client()
    client.force_login(world.users["focal_providing"])
    page = client.get(reverse("reports:summaries", args=[world.cooperation.pk])).content.decode()
    assert "Publicar nueva versión" not in page
    client.force_login(world.users["oea"])
    page = client.get(reverse("reports:summaries", args=[world.cooperation.pk])).content.decode()
    assert "Publicar nueva versión" in page
