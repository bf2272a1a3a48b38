from django import template

from capacity_plan.models import SurveyAspect

register = template.Library()


@register.filter
def aspect_averages(survey: dict) -> list[tuple[object, object]]:
    """(label, average) of each survey aspect, in SurveyAspect's order, from a dict of averages
    keyed by aspect (as SatisfactionResponse aggregates return them)."""
    return [(aspect.label, survey.get(aspect.value)) for aspect in SurveyAspect]
