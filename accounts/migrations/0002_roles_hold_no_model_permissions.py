from django.db import migrations

from accounts.roles import sync_role_permissions


class Migration(migrations.Migration):
    """The role groups held model permissions the code never checked; they now hold exactly
    ROLE_PERMISSIONS (none): the application checks its rules only."""

    dependencies = [
        ("accounts", "0001_role_groups"),
        ("cooperations", "0002_role_permissions"),
        ("capacity_plan", "0002_role_permissions"),
        ("reports", "0002_role_permissions"),
    ]

    operations = [migrations.RunPython(sync_role_permissions, migrations.RunPython.noop)]
