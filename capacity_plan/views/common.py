from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ..periods import Bimester, default_bimester
from ..selectors import plan_get


def plan_view(permission: str):
    """Sign-in required, then the permission (403 without it)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


viewer_required = plan_view("capacity_plan.view_plan")
editor_required = plan_view("capacity_plan.edit_plan")


def current_plan():
    plan = plan_get()
    if plan is None:
        raise Http404("No plan loaded.")
    return plan


def requested_period(request, plan) -> Bimester:
    """The period in ?periodo=YYYY-N, or the default one for the plan."""
    try:
        period = Bimester.parse(request.GET.get("periodo", ""))
        if period.year == plan.year:
            return period
    except (ValueError, TypeError):
        pass
    return default_bimester(plan.year)
