"""The roles of product.md, kept as Django groups.

Group names are stable identifiers (English, as in code); `ROLE_LABELS` gives what users read.
`ROLE_PERMISSIONS` lists each group's model permissions. Every app that adds models grants them
with a data migration that calls `sync_role_permissions`, so a fresh database and an old one end
with the same groups and permissions.
"""

from django.utils.translation import gettext_lazy as _

OEA_STAFF = "OEA staff"
FOCAL_POINT = "Ministry focal point"
ODES_SPECIALIST = "ODES specialist"
MANAGER = "Manager"

ROLES = (OEA_STAFF, FOCAL_POINT, ODES_SPECIALIST, MANAGER)

ROLE_LABELS = {
    OEA_STAFF: _("Personal de la OEA"),
    FOCAL_POINT: _("Punto focal ministerial"),
    ODES_SPECIALIST: _("Especialista ODES"),
    MANAGER: _("Gerencia"),
}

# app label -> codename prefixes granted ("view", "add", "change", "delete") per role.
# A role not named for an app gets nothing in it.
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    OEA_STAFF: {
        "cooperations": ("view", "add", "change", "delete"),
        "reports": ("view",),
    },
    FOCAL_POINT: {
        "cooperations": ("view",),
    },
    ODES_SPECIALIST: {
        "capacity_plan": ("view", "add", "change", "delete"),
        "reports": ("view",),
    },
    MANAGER: {
        "cooperations": ("view",),
        "capacity_plan": ("view",),
        "reports": ("view",),
    },
}


def sync_role_permissions(apps, schema_editor=None) -> None:
    """Create the role groups and give each exactly the permissions ROLE_PERMISSIONS names.

    Written for data migrations (it takes the historical `apps`), and idempotent.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role in ROLES:
        group, _created = group_model.objects.get_or_create(name=role)
        wanted = []
        for app_label, actions in ROLE_PERMISSIONS.get(role, {}).items():
            for permission in permission_model.objects.filter(content_type__app_label=app_label):
                if permission.codename.split("_", 1)[0] in actions:
                    wanted.append(permission)
        group.permissions.set(wanted)
