"""What a view answers after a create form's request (core.services.submit_once)."""

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .services import Submission

T = TypeVar("T")


def redirect_after(
    request: HttpRequest, submission: Submission[T], message: Callable[[T], str]
) -> HttpResponseRedirect:
    """The result's page, with the success message of what was created; or, when the same form
    had already been sent, with a note that nothing was registered again."""
    if submission.created is None:
        messages.info(request, _("Ese formulario ya se había enviado: se muestra lo que se registró entonces."))
    else:
        messages.success(request, message(submission.created))
    return redirect(submission.url)
