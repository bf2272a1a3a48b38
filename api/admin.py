from django.contrib import admin
from knox.models import AuthToken

# Personal tokens are created and revoked by their owners (/cuenta/tokens/, create_api_token); an
# administrator cuts a user's tokens by deactivating the user (knox then refuses every one of them).
admin.site.unregister(AuthToken)
