from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render


@login_required
@permission_required("cooperations.access_area", raise_exception=True)
def cooperation_list(request):
    return render(request, "cooperations/cooperation_list.html")
