import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.services import demo_password, demo_staff_users_create
from cooperations.services import demo_focal_points_create, demo_followers_set


class Command(BaseCommand):
    help = "Create (or refresh) one demo user per role. Never in production."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo users are never created in production (DJANGO_ENV=production).")
        password = demo_password(
            environment_value=os.environ.get("DEMO_PASSWORD"),
            password_file=settings.VAR_DIR / "demo_password",
        )
        accounts = demo_staff_users_create(password=password)
        accounts += demo_focal_points_create(password=password)
        demo_followers_set(username="oea")  # the demo OEA user follows the seed cooperations
        self.stdout.write(self.style.SUCCESS("Demo users (all with the same password):"))
        for account in accounts:
            self.stdout.write(f"  {account.username:<16} {account.role}")
        self.stdout.write(f"  password: {password}")
