from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import Form, RequestKeyMixin

from .services import REVOCATION_REASON_MAX_LENGTH


class IssueForm(RequestKeyMixin):
    """«Emitir certificados»: its key makes a double click one job."""


class RevokeForm(Form):
    reason = forms.CharField(
        label=_("Motivo de la revocación"),
        max_length=REVOCATION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Queda en el historial del certificado; la página de verificación no lo muestra."),
    )
