"""The roles of product.md, kept as Django groups.

Group names are stable identifiers, in Spanish because the admin lists them as they are (they were
English until accounts 0003 renamed them); `ROLE_LABELS` gives what users read, translated.
`ROLE_PERMISSIONS` lists each group's model permissions (today none: see below). Data migrations
call `sync_role_permissions`, so a fresh database and an old one end with the same groups and
permissions.
"""

from django.utils.translation import gettext_lazy as _

OEA_STAFF = "Personal de la OEA"
FOCAL_POINT = "Punto focal ministerial"
ODES_SPECIALIST = "Especialista ODES"
MANAGER = "Gerencia"

# The names the groups had before accounts 0003 (English), by role.
FORMER_GROUP_NAMES = {
    OEA_STAFF: "OEA staff",
    FOCAL_POINT: "Ministry focal point",
    ODES_SPECIALIST: "ODES specialist",
    MANAGER: "Manager",
}

ROLES = (OEA_STAFF, FOCAL_POINT, ODES_SPECIALIST, MANAGER)

ROLE_LABELS = {
    OEA_STAFF: _("Personal de la OEA"),
    FOCAL_POINT: _("Punto focal ministerial"),
    ODES_SPECIALIST: _("Especialista ODES"),
    MANAGER: _("Gerencia"),
}

# Model permissions granted per role: none. The application checks only the rules named in each
# app's permissions.py (django-rules, answered per object); Django's model permissions serve the
# admin alone, which is for administrators (superusers). A role that needs an admin page one day
# gets it here, by app label and codename prefixes ("view", "add", "change", "delete").
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {}


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
