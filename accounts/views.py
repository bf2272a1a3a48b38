from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .selectors import user_profile, user_timezone
from .services import profile_save


@login_required
def profile(request):
    """The user's own language and time zone for e-mails and dates."""
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=user_profile(user=request.user))
    if request.method == "POST" and form.is_valid():
        profile_save(
            user=request.user, language=form.cleaned_data["language"], time_zone=form.cleaned_data["time_zone"]
        )
        messages.success(request, _("Perfil guardado."))
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form, "effective_zone": str(user_timezone(request.user))})
