"""The user's personal API tokens (/cuenta/tokens/): create one (its secret shown once, on the
page that answers the creation, never again) and revoke one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.decorators import permission_view

from .. import selectors, services
from ..forms import TokenForm
from ..permissions import MANAGE_OWN_TOKENS


@never_cache
@permission_view(MANAGE_OWN_TOKENS)
def token_list(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.token_create(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = TokenForm()
    return render(
        request,
        "api/token_list.html",
        {
            "form": form,
            "created": created,
            "tokens": selectors.token_list(user=request.user),
            "docs_url": reverse("api:docs"),
        },
    )


@require_POST
@permission_view(MANAGE_OWN_TOKENS)
def token_revoke(request, digest):
    if not services.token_revoke(user=request.user, digest=digest):
        raise Http404
    messages.success(request, _("Token revocado: deja de funcionar ahora mismo."))
    return redirect("api_tokens:list")
