from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.selectors import user_role_labels
from capacity_plan.permissions import PLAN_AREA
from cooperations.permissions import COOPERATIONS_AREA
from dashboards.permissions import SEE_COOPERATION_PANEL, SEE_PLAN_PANEL
from ranking.permissions import SEE_RANKING
from reports.permissions import REPORTS_AREA

# (permission, url name, label) in the order the navigation shows them.
NAVIGATION = (
    (COOPERATIONS_AREA, "cooperations:list", _("Cooperaciones RIAL")),
    (PLAN_AREA, "capacity_plan:home", _("Plan PFC 2025")),
    (REPORTS_AREA, "reports:home", _("Informes")),
    (SEE_COOPERATION_PANEL, "dashboards:cooperations", _("Panel de cooperaciones")),
    (SEE_PLAN_PANEL, "dashboards:plan", _("Panel del PFC")),
    (SEE_RANKING, "ranking:list", _("Ranking regional")),
)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": []}
    items = []
    for permission, url_name, label in NAVIGATION:
        if user.has_perm(permission):
            url = reverse(url_name)
            items.append({"url": url, "label": label, "active": request.path.startswith(url)})
    # One area is current: the longest address the path starts with (/panel/pfc/ over /panel/).
    current = max((item["url"] for item in items if item["active"]), key=len, default=None)
    for item in items:
        item["active"] = item["url"] == current
    if user.is_staff:
        items.append({"url": reverse("admin:index"), "label": _("Administración"), "active": False})
    return {"nav_items": items, "user_roles": user_role_labels(user=user)}
