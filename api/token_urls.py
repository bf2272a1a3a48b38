from django.urls import path

from .views import tokens

app_name = "api_tokens"

urlpatterns = [
    path("", tokens.token_list, name="list"),
    path("<str:digest>/revocar/", tokens.token_revoke, name="revoke"),
]
