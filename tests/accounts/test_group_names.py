"""The role groups carry Spanish names, which the admin shows as they are; databases created
with the former English names are renamed by accounts 0003, keeping each group's members."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group

from accounts.roles import FORMER_GROUP_NAMES, ROLES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

rename = importlib.import_module("accounts.migrations.0003_spanish_group_names")


def test_the_admin_lists_the_roles_in_spanish(client_for):
    page = client_for("admin").get("/admin/auth/group/").content.decode()
    for name in ("Personal de la OEA", "Punto focal ministerial", "Especialista ODES", "Gerencia"):
        assert name in page
    assert "OEA staff" not in page and "Ministry focal point" not in page
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


def test_english_named_groups_are_renamed_and_keep_their_members():
    Group.objects.filter(name__in=ROLES).delete()
    member = UserFactory()
    Group.objects.create(name=FORMER_GROUP_NAMES[ROLES[0]]).user_set.add(member)
    Group.objects.create(name=FORMER_GROUP_NAMES[ROLES[1]])
    Group.objects.create(name=ROLES[1]).user_set.add(UserFactory())  # both names exist: merged

    rename.rename_groups(django_apps, None)

    assert not Group.objects.filter(name__in=FORMER_GROUP_NAMES.values()).exists()
    assert list(Group.objects.get(name=ROLES[0]).user_set.all()) == [member]
    assert Group.objects.filter(name=ROLES[1]).count() == 1
