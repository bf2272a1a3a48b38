from django.contrib.auth.decorators import login_required, permission_required

from ..periods import Bimester, default_bimester


def plan_view(permission: str):
    """Sign-in required (anonymous → sign-in page), then the permission (403 without it)."""
    return lambda view: login_required(permission_required(permission, raise_exception=True)(view))


viewer_required = plan_view("capacity_plan.view_plan")
editor_required = plan_view("capacity_plan.edit_plan")


def requested_period(request, plan) -> Bimester:
    """The period in ?periodo=YYYY-N, or the default one for the plan."""
    try:
        period = Bimester.parse(request.GET.get("periodo", ""))
        if period.year == plan.year:
            return period
    except (ValueError, TypeError):
        pass
    return default_bimester(plan.year)
