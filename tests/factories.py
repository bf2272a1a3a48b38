import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.roles import FOCAL_POINT, MANAGER, ODES_SPECIALIST, OEA_STAFF

TEST_PASSWORD = "una-clave-de-prueba-larga"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usuario{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Ana"
    last_name = factory.Sequence(lambda n: f"Prueba {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


class AdministratorFactory(UserFactory):
    is_staff = True
    is_superuser = True


def user_with_role(role: str, **kwargs):
    return UserFactory(role=role, **kwargs)


ROLE_FACTORIES = {
    "oea": lambda **kw: user_with_role(OEA_STAFF, **kw),
    "focal": lambda **kw: user_with_role(FOCAL_POINT, **kw),
    "odes": lambda **kw: user_with_role(ODES_SPECIALIST, **kw),
    "manager": lambda **kw: user_with_role(MANAGER, **kw),
    "admin": lambda **kw: AdministratorFactory(**kw),
}
