"""What the reports app notifies: a new summary version published, to both institutions."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.audience import cooperation_audience
from notifications.registry import register_kind
from notifications.services import notify

from .models import Kind, ReportVersion


def _changes(notification, user) -> dict:
    """What changed since the previous version, in the recipient's language (at send time)."""
    from . import selectors
    from .summary import summary_changes

    version = ReportVersion.objects.filter(pk=notification.context.get("version_id")).defer("snapshot").first()
    if version is None:
        return {"changes": []}
    previous = selectors.previous_version(version=version)
    snapshots = selectors.snapshots_of(versions=[version, previous] if previous else [version])
    changes = summary_changes(snapshots[previous.pk] if previous else None, snapshots[version.pk])
    return {
        "changes": [
            {
                "title": str(section["title"]),
                "added": len(section["added"]),
                "changed": len(section["changed"]),
                "removed": len(section["removed"]),
            }
            for section in changes
        ],
        "first_version": previous is None,
    }


SUMMARY_PUBLISHED = register_kind(
    "summary-published",
    label=_("Nueva versión del resumen"),
    description=_("La OEA publicó una versión del resumen de la cooperación."),
    render_context=_changes,
)


def summary_published_notify(*, version: ReportVersion) -> None:
    """Both institutions' focal points, with the version's label and what changed."""
    if version.kind != Kind.SUMMARY or version.cooperation is None:
        return
    cooperation = version.cooperation
    recipients = cooperation_audience(
        cooperation=cooperation,
        institution_ids=[cooperation.requesting_institution_id, cooperation.providing_institution_id],
    )
    notify(
        kind=SUMMARY_PUBLISHED.key,
        key=f"{SUMMARY_PUBLISHED.key}:version-{version.pk}",
        recipients=recipients,
        target=version,
        url=reverse("reports:version", args=[version.pk]),
        context={
            "cooperation_id": cooperation.pk,
            "cooperation": cooperation.short_name,
            "version_id": version.pk,
            "number": version.number,
            "label": version.label,
            "is_final": version.is_final,
        },
    )


# The monitoring report ready, to the managers: its own module.
from . import monitoring_notifications  # noqa: E402, F401
