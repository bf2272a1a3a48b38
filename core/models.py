"""Model pieces shared by every app, and the one table of core: the requests already submitted
(the idempotency keys of the create forms)."""

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableRow:
    """A row written once and never changed or deleted (a version of a document or an answer).
    Mixed in before models.Model."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:  # type: ignore[attr-defined]  # mixed into a model
            raise ValueError(f"{type(self).__name__} rows are immutable.")
        super().save(*args, **kwargs)  # type: ignore[misc]  # models.Model.save

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError(f"{type(self).__name__} rows are immutable.")


class SubmittedRequest(models.Model):
    """A create form's request, by the key the form carried (core.forms.RequestKeyMixin), and
    the page of what it created. Sending the same form again (a double click, the browser
    retrying, the back button) finds it and creates nothing more. Kept a few days (beat)."""

    key = models.UUIDField(_("clave de la solicitud"), unique=True, default=uuid.uuid4, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("enviada por")
    )
    submitted_at = models.DateTimeField(_("enviada el"), auto_now_add=True, db_index=True)
    result_url = models.CharField(_("página del resultado"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("solicitud enviada")
        verbose_name_plural = _("solicitudes enviadas")

    def __str__(self) -> str:
        return str(self.key)
