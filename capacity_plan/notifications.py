"""PFC notifications: a programmed training action whose date passed unmarked, and an indicator
off track with no justification. Both go to the ODES specialists, who run the plan (the
organisational units that program the actions have no users in the app: the message names the
unit, for the specialist to follow up). Kinds and collectors are registered here (imported by
NotificationsConfig.ready())."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy

from accounts.roles import ODES_SPECIALIST
from notifications import audience
from notifications.registry import register_collector, register_kind
from notifications.services import notify

from . import selectors
from .periods import default_bimester

ACTION_UNMARKED = "action-unmarked"
INDICATOR_OFF_TRACK = "indicator-off-track"
# An action is reported once, on the first run after its date passed; a day the job did not run
# is caught up within this many days (older unmarked actions are on the catalogue, not in e-mails).
UNMARKED_ACTION_WINDOW_DAYS = 14

register_kind(
    ACTION_UNMARKED,
    label=gettext_lazy("Acción formativa sin cerrar"),
    description=gettext_lazy(
        "Cuando pasa la fecha de una acción programada sin marcarla ejecutada, reprogramada o cancelada."
    ),
)
register_kind(
    INDICATOR_OFF_TRACK,
    label=gettext_lazy("Indicador fuera de ruta sin justificar"),
    description=gettext_lazy("Cuando un indicador queda fuera de ruta en el periodo y nadie lo ha justificado."),
)


@register_collector
def actions_unmarked_collect(*, today: datetime.date) -> None:
    """Once per action and date: a rescheduled action whose new date passes is reported again."""
    actions = selectors.actions_past_date_unmarked(today=today, window_days=UNMARKED_ACTION_WINDOW_DAYS)
    if not actions:
        return
    specialists = audience.users_with_role(ODES_SPECIALIST)
    for action in actions:
        last_day = action.planned_end or action.planned_start
        notify(
            kind=ACTION_UNMARKED,
            key=f"action-unmarked:action-{action.pk}:{last_day.isoformat()}",
            recipients=specialists,
            target=action,
            url=action.get_absolute_url(),
            context={
                "action": action.pk,
                "action_title": action.title,
                "unit": str(action.organisational_unit),
                "status": str(action.get_status_display()),
                "planned_date": last_day.isoformat(),
            },
        )


@register_collector
def indicators_off_track_collect(*, today: datetime.date) -> None:
    """Once per indicator and period: the indicators off track in today's period (the one the
    home page shows) that nobody has justified yet."""
    plan = selectors.plan_get()
    if plan is None:
        return
    period = default_bimester(plan.year, today)
    rows = selectors.indicators_off_track_unjustified(plan=plan, period=period)
    if not rows:
        return
    specialists = audience.users_with_role(ODES_SPECIALIST)
    for row in rows:
        indicator = row.indicator
        notify(
            kind=INDICATOR_OFF_TRACK,
            key=f"indicator-off-track:indicator-{indicator.pk}:{period.code}",
            recipients=specialists,
            target=indicator,
            url=f"{reverse('capacity_plan:review', args=[indicator.pk])}?periodo={period.code}",
            context={
                "indicator": indicator.pk,
                "indicator_name": indicator.name,
                "milestone": str(indicator.milestone),
                "period": period.code,
                "value": row.value_text,
                "margin": str(row.status.margin),
            },
        )
