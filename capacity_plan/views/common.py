from accounts.decorators import permission_view

from ..periods import Bimester, default_bimester

viewer_required = permission_view("capacity_plan.view_plan")
editor_required = permission_view("capacity_plan.edit_plan")


def requested_period(request, plan) -> Bimester:
    """The period in ?periodo=YYYY-N, or the default one for the plan."""
    try:
        period = Bimester.parse(request.GET.get("periodo", ""))
        if period.year == plan.year:
            return period
    except (ValueError, TypeError):
        pass
    return default_bimester(plan.year)
