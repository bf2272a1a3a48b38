from django.db import migrations

from accounts.roles import FORMER_GROUP_NAMES


def rename_groups(apps, schema_editor):
    """The role groups created under their English names take their Spanish ones (which the admin
    shows); a database created after this change already has them."""
    group_model = apps.get_model("auth", "Group")
    for name, former in FORMER_GROUP_NAMES.items():
        old = group_model.objects.filter(name=former).first()
        if old is None:
            continue
        new = group_model.objects.filter(name=name).first()
        if new is None:
            old.name = name
            old.save(update_fields=["name"])
        else:  # both exist: the members of the old one join the new one
            new.user_set.add(*old.user_set.all())
            old.delete()


def restore_names(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for name, former in FORMER_GROUP_NAMES.items():
        group_model.objects.filter(name=name).update(name=former)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles_hold_no_model_permissions")]

    operations = [migrations.RunPython(rename_groups, restore_names)]
