from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .views import endpoints

app_name = "api"

# Read-only view sets: the router gives list and detail routes only (GET, HEAD, OPTIONS).
router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False  # `?format=` only, no `.json` routes
router.register("cooperations", endpoints.CooperationViewSet, basename="cooperation")
router.register("sessions", endpoints.SessionViewSet, basename="session")
router.register("training-actions", endpoints.TrainingActionViewSet, basename="training-action")
router.register("attendance", endpoints.AttendanceViewSet, basename="attendance")
router.register("surveys", endpoints.SurveyViewSet, basename="survey")
router.register("indicators", endpoints.IndicatorViewSet, basename="indicator")
router.register("regions", endpoints.RegionViewSet, basename="region")
router.register("ranking", endpoints.RankingViewSet, basename="ranking")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from static files (drf-spectacular-sidecar); its start-up script is a file of
    # its own (the split view), so the Content-Security-Policy needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
