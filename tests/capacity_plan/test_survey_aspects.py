"""The five survey aspects are one vocabulary (SurveyAspect): the model's rating fields, the
survey form, the indicator form and the monitoring report all read it. No database."""

from django.utils import translation

from capacity_plan.forms import IndicatorForm, SurveyResponseForm
from capacity_plan.models import PublicServant, SatisfactionResponse, SurveyAspect

LABELS = ["Claridad", "Utilidad", "Materiales", "Facilitador/a", "Aplicabilidad"]


def test_the_aspects_are_the_rating_fields_of_a_survey_response_in_order():
    assert SatisfactionResponse.DIMENSIONS == ("clarity", "usefulness", "materials", "facilitator", "applicability")
    assert tuple(SurveyAspect.values) == SatisfactionResponse.DIMENSIONS
    with translation.override("es"):
        assert [str(label) for label in SurveyAspect.labels] == LABELS
        assert [
            str(SatisfactionResponse._meta.get_field(name).verbose_name) for name in SatisfactionResponse.DIMENSIONS
        ] == LABELS


def test_the_survey_form_asks_each_aspect_in_order_between_servant_and_comments():
    with translation.override("es"):
        form = SurveyResponseForm(roster=PublicServant.objects.none())
        assert [field.name for field in form.visible_fields()] == ["servant", *SurveyAspect.values, "comments"]
        assert [str(form.fields[name].label) for name in SurveyAspect.values] == LABELS


def test_the_indicator_form_offers_each_aspect_to_tick():
    with translation.override("es"):
        choices = IndicatorForm().fields["survey_aspects"].choices
    assert [value for value, _label in choices] == list(SurveyAspect.values)
    assert [str(label) for _value, label in choices] == LABELS
