"""Forms of self check-in: the staff form that opens a session's link, and the public forms of
the check-in and survey pages (no account), which refuse bots with a honeypot field and a
minimum fill time carried in a signed timestamp."""

import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.validators import dni, dni_text

from .forms import _rating
from .models import Region, SatisfactionResponse, SurveyAspect
from .models.plan import LONG_TEXT_MAX_LENGTH, text_length_validator

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"]

STARTED_SALT = "capacity_plan.check_in.started"
IDENTITY_SALT = "capacity_plan.check_in.identity"
IDENTITY_MAX_AGE = 30 * 60  # seconds between typing the DNI and confirming

BOT_MESSAGE = _("No se pudo enviar el formulario. Espere unos segundos y vuelva a intentarlo.")


class CheckInLinkForm(forms.Form):
    opens_at = forms.DateTimeField(label=_("Abre"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS)
    closes_at = forms.DateTimeField(label=_("Cierra"), widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("El cierre debe ser posterior a la apertura."))
        return data


class BotGuardForm(forms.Form):
    """A honeypot field people never see (bots fill it) and the signed moment the form was
    shown: sent back sooner than CHECK_IN_MINIMUM_FILL_SECONDS, or altered, it is refused."""

    website = forms.CharField(
        label=_("No escriba nada en este campo"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt=STARTED_SALT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            started = float(signing.loads(data.get("started", ""), salt=STARTED_SALT, max_age=24 * 3600))
        except (signing.BadSignature, TypeError, ValueError):
            raise ValidationError(BOT_MESSAGE, code="bot") from None
        if data.get("website") or time.time() - started < settings.CHECK_IN_MINIMUM_FILL_SECONDS:
            raise ValidationError(BOT_MESSAGE, code="bot")
        return data

    @property
    def is_bot(self) -> bool:
        return any(error.code == "bot" for error in self.non_field_errors().as_data())


class DocumentForm(BotGuardForm):
    document_number = forms.CharField(
        label=_("DNI"),
        max_length=15,
        help_text=_("8 dígitos."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9 ]*"}),
    )

    field_order = ["document_number", "website", "started"]

    def clean_document_number(self) -> str:
        value = dni_text(self.cleaned_data["document_number"])
        dni(value)
        return value


def identity_dumps(*, document_number: str, link_id: int) -> str:
    """The DNI typed at the first step, signed for the next one (its details or confirmation)."""
    return signing.dumps({"dni": document_number, "link": link_id}, salt=IDENTITY_SALT)


def identity_loads(value: str, *, link_id: int) -> str | None:
    """The DNI signed by identity_dumps for this link (None when altered, expired or another link's)."""
    try:
        data = signing.loads(value or "", salt=IDENTITY_SALT, max_age=IDENTITY_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("link") != link_id or not isinstance(data.get("dni"), str):
        return None
    return data["dni"]


class ServantDetailsForm(forms.Form):
    """Who a participant not known by their DNI is."""

    full_name = forms.CharField(label=_("Nombres y apellidos"), max_length=200)
    email = forms.EmailField(label=_("Correo electrónico"), max_length=254)
    region = forms.ModelChoiceField(label=_("Región (G/DRTPE)"), queryset=Region.objects.all())
    position = forms.CharField(label=_("Cargo"), max_length=200)

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise ValidationError(_("Escriba el nombre."))
        return name


class PublicSurveyForm(forms.Form):
    """The seed's satisfaction survey: the five aspects from 1 (muy malo) to 5 (excelente),
    comments, and whether to answer anonymously."""

    clarity = _rating(SurveyAspect.CLARITY)
    usefulness = _rating(SurveyAspect.USEFULNESS)
    materials = _rating(SurveyAspect.MATERIALS)
    facilitator = _rating(SurveyAspect.FACILITATOR)
    applicability = _rating(SurveyAspect.APPLICABILITY)
    comments = forms.CharField(
        label=_("Comentarios y sugerencias"),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[text_length_validator(LONG_TEXT_MAX_LENGTH)],
    )
    anonymous = forms.BooleanField(
        label=_("Responder de forma anónima (la respuesta no quedará vinculada a su nombre)"), required=False
    )

    def ratings(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in SatisfactionResponse.DIMENSIONS}
