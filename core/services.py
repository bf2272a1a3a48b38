"""Writes that every app shares: a create form's request made once however often it is sent."""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import SubmittedRequest

T = TypeVar("T")

# The code of the ValidationError refusing a key another user sent.
REQUEST_KEY_ERROR = "request_key"


def is_request_key_error(error: ValidationError) -> bool:
    """Whether submit_once refused the request's key (a message for the whole form, not a field)."""
    return getattr(error, "code", None) == REQUEST_KEY_ERROR


# How long a submitted request is remembered: far longer than any double click or retry.
SUBMITTED_REQUEST_LIFETIME = datetime.timedelta(days=2)


@dataclass(frozen=True)
class Submission(Generic[T]):
    """What a create form's request led to: `created` is what this request made, or None when the
    same form had already been sent (nothing was made again); `url` is the page of the result."""

    created: T | None
    url: str

    @property
    def repeated(self) -> bool:
        return self.created is None


def submit_once(*, key: uuid.UUID, by: User, create: Callable[[], T], url_of: Callable[[T], str]) -> Submission[T]:
    """Run `create` once per request key, in one transaction with the key's row.

    A second request with the key (sent at the same moment or later) waits for the first to end:
    if the first created, the second creates nothing and gets the first's result page; if the
    first failed (a validation error rolled it back), the second runs `create` itself. A key sent
    by another user is refused: keys are made per form shown, and a result page is not shared."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = SubmittedRequest.objects.create(key=key, submitted_by=by)
        except IntegrityError:
            earlier = SubmittedRequest.objects.filter(key=key, submitted_by=by).first()
            if earlier is None:
                raise ValidationError(
                    _("Este formulario ya se había enviado. Ábralo de nuevo y vuelva a enviarlo."),
                    code=REQUEST_KEY_ERROR,
                ) from None
            return Submission(created=None, url=earlier.result_url)
        created = create()
        row.result_url = url_of(created)
        row.save(update_fields=["result_url"])
    return Submission(created=created, url=row.result_url)


def submitted_requests_delete_expired(*, now: datetime.datetime) -> int:
    """Forget the requests submitted longer ago than a retry could come. Returns how many."""
    deleted, _by_model = SubmittedRequest.objects.filter(submitted_at__lte=now - SUBMITTED_REQUEST_LIFETIME).delete()
    return deleted
