import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from .roles import MANAGER, ODES_SPECIALIST, OEA_STAFF

if TYPE_CHECKING:
    from .models import Profile

# username -> (role group or None for the administrator, first name, last name)
DEMO_STAFF_USERS = {
    "admin": (None, "Administrador", "Demo"),
    "oea": (OEA_STAFF, "Personal", "OEA"),
    "odes": (ODES_SPECIALIST, "Especialista", "ODES"),
    "gerente": (MANAGER, "Gerente", "Demo"),
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str


def demo_password(*, environment_value: str | None, password_file: Path) -> str:
    """The demo password: the given value, or one generated on first use and kept in a file."""
    if environment_value:
        return environment_value
    if password_file.exists():
        return password_file.read_text().strip()
    password_file.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(12)
    password_file.write_text(password)
    password_file.chmod(0o600)
    return password


@transaction.atomic
def demo_user_upsert(
    *, username: str, password: str, role: str | None, first_name: str = "", last_name: str = ""
) -> User:
    """Create or refresh one demo account; running it again changes nothing but the password."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo users are never created in production.")
    user, _created = User.objects.get_or_create(username=username)
    user.first_name, user.last_name = first_name, last_name
    user.email = f"{username}@demo.invalid"
    user.is_superuser = user.is_staff = role is None
    user.set_password(password)
    user.save()
    if role is not None:
        user.groups.set([Group.objects.get(name=role)])
    return user


def demo_staff_users_create(*, password: str) -> list[DemoAccount]:
    accounts = []
    for username, (role, first_name, last_name) in DEMO_STAFF_USERS.items():
        demo_user_upsert(username=username, password=password, role=role, first_name=first_name, last_name=last_name)
        accounts.append(DemoAccount(username=username, role=role or "Administrator"))
    return accounts


def profile_save(*, user: User, language: str, time_zone: str) -> "Profile":
    """Save the user's language and time zone (the profile is made on first save)."""
    from .models import Profile

    profile, _created = Profile.objects.get_or_create(user=user)
    profile.language, profile.time_zone = language, time_zone
    profile.full_clean()
    profile.save()
    return profile
