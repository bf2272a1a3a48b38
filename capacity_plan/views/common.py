from accounts.decorators import permission_view

from ..periods import Bimester, default_bimester
from ..permissions import EDIT_PLAN, SEE_PLAN

viewer_required = permission_view(SEE_PLAN)
editor_required = permission_view(EDIT_PLAN)


def requested_period(request, plan) -> Bimester:
    """The period in ?periodo=YYYY-N, or the default one for the plan."""
    try:
        period = Bimester.parse(request.GET.get("periodo", ""))
        if period.year == plan.year:
            return period
    except (ValueError, TypeError):
        pass
    return default_bimester(plan.year)
