"""The panels: cooperations (OEA staff across all of them, a focal point for their
institution), the PFC per bimonthly period and one region's page."""

from django.shortcuts import render

from accounts.decorators import permission_view
from capacity_plan.periods import Bimester
from capacity_plan.selectors import plan_get
from capacity_plan.views.common import requested_period
from core.formats import number_text, percent_text, rating_text
from ranking.permissions import SEE_RANKING

from . import selectors
from .permissions import SEE_COOPERATION_PANEL, SEE_PLAN_PANEL


@permission_view(SEE_COOPERATION_PANEL)
def cooperation_panel(request):
    return render(request, "dashboards/cooperations.html", {"panel": selectors.cooperation_panel(user=request.user)})


def _with_texts(row: dict) -> dict:
    return {
        **row,
        "attendance_rate_text": percent_text(row.get("attendance_rate")),
        "satisfaction_text": rating_text(row.get("satisfaction")),
        "execution_rate_text": percent_text(row.get("execution_rate")),
    }


@permission_view(SEE_PLAN_PANEL)
def plan_panel(request):
    plan = plan_get()
    if plan is None:
        return render(request, "capacity_plan/no_plan.html")
    period = requested_period(request, plan)
    order = request.GET.get("orden", "nombre")
    if order not in selectors.ORDERS:
        order = "nombre"
    panel = selectors.plan_panel(plan=plan, period=period, order=order)
    return render(
        request,
        "dashboards/plan.html",
        {
            "plan": plan,
            "period": period,
            "periods": Bimester.of_year(plan.year),
            "order": order,
            "panel": panel,
            "summary": panel["summary"],
            "totals": _with_texts(panel["totals"]),
            "by_unit": [_with_texts(row) for row in panel["by_unit"]],
            "by_region": [_with_texts(row) for row in panel["by_region"]],
            "regions": [_with_texts(row) for row in panel["regions"]],
            "attendance_rate_text": percent_text(panel["summary"]["attendance_rate"]),
            "satisfaction_text": rating_text(panel["summary"]["satisfaction"]),
            "can_see_ranking": request.user.has_perm(SEE_RANKING),
        },
    )


@permission_view(SEE_PLAN_PANEL)
def region_panel(request, pk):
    region = selectors.region_get(pk=pk)
    plan = plan_get()
    if plan is None:
        return render(request, "capacity_plan/no_plan.html")
    period = requested_period(request, plan)
    panel = selectors.region_panel(plan=plan, period=period, region=region)
    return render(
        request,
        "dashboards/region.html",
        {
            "plan": plan,
            "region": region,
            "period": period,
            "periods": Bimester.of_year(plan.year),
            **panel,
            "participation": _with_texts(panel["participation"]),
            "action_counts": _with_texts(panel["action_counts"]),
            "score_text": number_text((panel["ranked"] or {}).get("score"), 2, fixed=True),
            "can_see_ranking": request.user.has_perm(SEE_RANKING),
        },
    )
