import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from reports.permissions import SEE_MONITORING
from rial_site.downloads import serve_private_file

from .. import charts, selectors, services
from ..forms import IndicatorForm, IndicatorReviewForm, MeasurementForm
from ..indicators import format_value
from ..models import Indicator
from ..periods import Bimester
from ..permissions import EDIT_PLAN
from .common import editor_required, requested_period, viewer_required


@viewer_required
def plan_home(request):
    plan = selectors.plan_get()
    if plan is None:
        return render(request, "capacity_plan/no_plan.html")
    period = requested_period(request, plan)
    components = selectors.plan_overview(plan=plan, period=period)
    milestones = [row for _component, rows in components for row in rows]
    actions = selectors.action_status_summary(plan=plan, period=period)
    participation = selectors.participation_summary(plan=plan, period=period)
    return render(
        request,
        "capacity_plan/plan.html",
        {
            "plan": plan,
            "period": period,
            "periods": Bimester.of_year(plan.year),
            "components": components,
            "reach_chart": charts.reach_svg(
                labels=[f"H{row.milestone.number}. {row.milestone.name}" for row in milestones],
                reached=[row.reached for row in milestones],
                targets=[row.milestone.target_audience_size for row in milestones],
            ),
            # The same charts as the bimonthly monitoring report (reports.monitoring).
            "period_actions": actions["totals"],
            "period_rescheduled_out": actions["rescheduled_out"],
            "period_participation": participation["totals"],
            "regions_without_participation": participation["regions_without_participation"],
            "status_chart": charts.actions_by_status_svg(rows=actions["by_unit"]),
            "participation_chart": charts.participation_svg(rows=participation["by_kind"]),
            "objectives": selectors.plan_objectives(plan=plan),
            "can_edit": request.user.has_perm(EDIT_PLAN),
            "can_see_monitoring": request.user.has_perm(SEE_MONITORING),
        },
    )


@viewer_required
def milestone_detail(request, pk):
    milestone = selectors.milestone_get(pk=pk)
    summary = selectors.milestone_summary(milestone=milestone)
    trend, indicators = summary["trend"], summary["indicators"]
    return render(
        request,
        "capacity_plan/milestone.html",
        {
            "milestone": milestone,
            "plan": milestone.component.plan,
            **summary,
            # The document names some regions but fewer or more than it says; naming none means
            # they are still to be chosen, which is said as such.
            "region_discrepancy": milestone.stated_region_count is not None
            and len(summary["regions"]) > 0
            and milestone.stated_region_count != len(summary["regions"]),
            "charts": [
                charts.indicator_trend_svg(
                    name=indicator.name,
                    periods=[period.label.rsplit(" ", 1)[0] for period, _rows in trend],
                    values=[rows[index].value for _period, rows in trend],
                    target=indicator.target,
                    unit="%" if indicator.kind == Indicator.Kind.PERCENTAGE else "",
                )
                for index, indicator in enumerate(indicators)
            ],
            "can_edit": request.user.has_perm(EDIT_PLAN),
        },
    )


@editor_required
def indicator_measurement(request, pk):
    indicator = selectors.indicator_get(pk=pk)
    plan = indicator.milestone.component.plan
    periods = Bimester.of_year(plan.year)
    if indicator.is_computed:
        messages.error(request, _("Este indicador se calcula de los registros; no se escribe a mano."))
        return redirect(indicator.milestone.get_absolute_url())
    form = MeasurementForm(
        request.POST or None,
        request.FILES or None,
        periods=periods,
        indicator=indicator,
        initial={"period": requested_period(request, plan).code},
    )
    if request.method == "POST" and form.is_valid():
        period = Bimester.parse(form.cleaned_data["period"])
        try:
            services.measurement_record(
                indicator=indicator,
                year=period.year,
                bimester=period.number,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data["evidence"],
                by=request.user,
            )
        except ValidationError as error:
            # A refused upload is said under the file; field errors go where core.forms.Form puts them.
            on_file = form.cleaned_data["evidence"] and not hasattr(error, "error_dict")
            form.add_error("evidence" if on_file else None, error)
        else:
            messages.success(
                request,
                _("Se registró el valor %(value)s para %(period)s.")
                % {"value": format_value(indicator, form.cleaned_data["value"]), "period": period.label},
            )
            return redirect(indicator.milestone.get_absolute_url())
    return render(
        request,
        "capacity_plan/indicator_form.html",
        {"indicator": indicator, "form": form, "title": _("Registrar medición")},
    )


@viewer_required
def measurement_evidence(request, pk):
    """The evidence file of a measurement, for those who may see the plan (and its report)."""
    measurement = selectors.measurement_get(pk=pk)
    return serve_private_file(
        measurement.evidence, measurement.evidence_name or os.path.basename(measurement.evidence.name or "")
    )


@editor_required
def indicator_review(request, pk):
    indicator = selectors.indicator_get(pk=pk)
    plan = indicator.milestone.component.plan
    period = requested_period(request, plan)
    form = IndicatorReviewForm(
        request.POST or None,
        instance=selectors.indicator_review_get(indicator=indicator, period=period),
        indicator=indicator,
        period=period,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.indicator_review_record(
            indicator=indicator,
            year=period.year,
            bimester=period.number,
            reason=data["reason"],
            explanation=data["explanation"],
            corrective_action=data["corrective_action"],
            corrective_action_due=data["corrective_action_due"],
            by=request.user,
        )
        messages.success(request, _("Se registró la justificación para %(period)s.") % {"period": period.label})
        return redirect(f"{indicator.milestone.get_absolute_url()}?periodo={period.code}")
    return render(
        request,
        "capacity_plan/indicator_form.html",
        {"indicator": indicator, "form": form, "period": period, "title": _("Justificar indicador fuera de ruta")},
    )


@editor_required
def indicator_edit(request, pk):
    indicator = selectors.indicator_get(pk=pk)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        services.indicator_update(indicator=indicator, fields=form.cleaned_data, by=request.user)
        messages.success(request, _("Se guardó el indicador."))
        return redirect(indicator.milestone.get_absolute_url())
    return render(
        request,
        "capacity_plan/indicator_form.html",
        {"indicator": indicator, "form": form, "title": _("Editar indicador: meta y cálculo")},
    )
