import uuid

from django import forms


class ExportRequestForm(forms.Form):
    """Confirms a background export; the key makes a double click one job."""

    request_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
