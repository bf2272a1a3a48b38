from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.selectors import user_role_labels

# (permission, url name, label) in the order the navigation shows them.
NAVIGATION = (
    ("cooperations.access_area", "cooperations:list", _("Cooperaciones RIAL")),
    ("capacity_plan.access_area", "capacity_plan:home", _("Plan PFC 2025")),
    ("reports.access_area", "reports:home", _("Informes")),
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
    if user.is_staff:
        items.append({"url": reverse("admin:index"), "label": _("Administración"), "active": False})
    return {"nav_items": items, "user_roles": user_role_labels(user=user)}
