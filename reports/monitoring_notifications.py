"""The managers are told when a bimonthly monitoring report is ready.
Registered here (imported by reports/notifications.py); `monitoring_version_published` is
called by reports.services when a monitoring version is published, in that transaction."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from accounts.roles import MANAGER
from capacity_plan.periods import Bimester
from notifications import audience
from notifications.registry import register_kind
from notifications.services import notify

from .models import ReportVersion

MONITORING_READY = "monitoring-ready"


def _period_label(notification, user) -> dict:
    """«Mar–Abr 2025» in the recipient's language."""
    return {"period_label": Bimester.parse(notification.context.get("period", "")).label}


register_kind(
    MONITORING_READY,
    label=gettext_lazy("Informe de seguimiento listo"),
    description=gettext_lazy("Cuando se publica una versión del informe bimestral de seguimiento del PFC."),
    render_context=_period_label,
)


def monitoring_version_published(*, version: ReportVersion) -> None:
    """Tell the managers (Gerencia) that a monitoring report version is ready; once per version.
    ODES, who request them, follow the job's page instead."""
    notify(
        kind=MONITORING_READY,
        key=f"monitoring-ready:version-{version.pk}",
        recipients=audience.users_with_role(MANAGER),
        target=version,
        url=reverse("reports:version", args=[version.pk]),
        context={
            "version": version.pk,
            "number": version.number,
            "period": f"{version.period_year}-{version.period_number}",
            "label": version.label,
            "generated_date": version.created_at.date().isoformat(),
        },
    )
