"""{% export_menu "acciones" "asistencia" %}: the «Exportar» button of a list page, with a CSV and
an XLSX link for each named list, each keeping the page's query string (its filters) without the
page number. Lists the user may not export are left out (the menu too, when none is left).

Keyword arguments are added to the query string (`cooperacion=c.pk`: one cooperation's rows, on
its record page), except `size="sm"`, which makes the button small."""

from django import template
from django.urls import reverse

from ..lists import EXPORT_LISTS
from ..models import FileFormat

register = template.Library()


@register.inclusion_tag("exports/_menu.html", takes_context=True)
def export_menu(context, *names: str, size: str = "", **extra: object) -> dict:
    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None)
    for name, value in extra.items():
        query[name] = str(value)
    suffix = f"?{query.urlencode()}" if query else ""
    entries = [
        {
            "title": EXPORT_LISTS[name].title,
            "links": [
                (label, reverse("exports:download", args=[name, value]) + suffix) for value, label in FileFormat.choices
            ],
        }
        for name in names
        if request.user.has_perm(EXPORT_LISTS[name].permission)
    ]
    return {"entries": entries, "size": size}
