from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render


@login_required
@permission_required("capacity_plan.access_area", raise_exception=True)
def home(request):
    return render(request, "capacity_plan/home.html")
