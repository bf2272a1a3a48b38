from django import forms
from django.utils.translation import gettext_lazy as _

DELIVERY_CHOICES = [
    ("immediate", _("Al momento")),
    ("digest", _("Resumen diario")),
    ("off", _("No recibir correo")),
]


class PreferencesForm(forms.Form):
    """One choice per kind: immediate e-mail, daily digest or no e-mail."""

    def __init__(self, *args, rows: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            initial = "off" if not row["enabled"] else ("digest" if row["digest"] else "immediate")
            self.fields[row["key"]] = forms.ChoiceField(
                label=row["label"],
                help_text=row["description"],
                choices=DELIVERY_CHOICES,
                initial=initial,
                widget=forms.RadioSelect,
            )

    def choices(self) -> dict[str, tuple[bool, bool]]:
        return {key: (value != "off", value == "digest") for key, value in self.cleaned_data.items()}
