from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.services import token_create


class Command(BaseCommand):
    help = "Create a personal API token for USERNAME and print it (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="manage.py create_api_token", help="the token's name")
        parser.add_argument("--days", type=int, default=90, help=f"validity, 1 to {settings.API_TOKEN_MAX_DAYS} days")

    def handle(self, *args, username, name, days, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        try:
            created = token_create(user=user, name=name, days=days)
        except PermissionDenied:
            raise CommandError(f"{username!r} has no role: there is nothing the API would show them.") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(created.secret)
