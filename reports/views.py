from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render


@login_required
@permission_required("reports.access_area", raise_exception=True)
def home(request):
    return render(request, "reports/home.html")
