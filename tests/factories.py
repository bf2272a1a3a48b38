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


# --- Cooperations ------------------------------------------------------------------------------
import datetime  # noqa: E402
import zoneinfo  # noqa: E402

from cooperations import models as cooperation_models  # noqa: E402


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cooperation_models.Country
        django_get_or_create = ("iso_code",)

    iso_code = "PE"
    name = "Perú"
    time_zone = "America/Lima"


COUNTRIES = {
    "PE": ("Perú", "America/Lima"),
    "PY": ("Paraguay", "America/Asuncion"),
    "PA": ("Panamá", "America/Panama"),
    "CL": ("Chile", "America/Santiago"),
    "EC": ("Ecuador", "America/Guayaquil"),
    "MX": ("México", "America/Mexico_City"),
}


def country(iso_code: str):
    name, zone = COUNTRIES[iso_code]
    return CountryFactory(iso_code=iso_code, name=name, time_zone=zone)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cooperation_models.Institution

    name = factory.Sequence(lambda n: f"Ministerio de Trabajo {n}")
    acronym = factory.Sequence(lambda n: f"MT{n}")
    country = factory.LazyFunction(lambda: country("PE"))
    kind = cooperation_models.Institution.Kind.MINISTRY


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cooperation_models.Call
        django_get_or_create = ("number",)

    number = 15
    year = 2022


class CooperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cooperation_models.Cooperation

    title = factory.Sequence(lambda n: f"Cooperación bilateral de prueba {n}")
    short_name = factory.Sequence(lambda n: f"Cooperación {n}")
    topic = "Formación en habilidades digitales"
    call = factory.SubFactory(CallFactory)
    requesting_institution = factory.SubFactory(InstitutionFactory, country=factory.LazyFunction(lambda: country("PE")))
    providing_institution = factory.SubFactory(InstitutionFactory, country=factory.LazyFunction(lambda: country("PY")))
    status = cooperation_models.Cooperation.Status.IN_PROGRESS
    general_objective = "Conocer la experiencia."


class SpecificObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cooperation_models.SpecificObjective

    cooperation = factory.SubFactory(CooperationFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Objetivo específico {n}")


def aware(year, month, day, hour, minute=0, zone="America/Lima"):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=zoneinfo.ZoneInfo(zone))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cooperation_models.Session

    cooperation = factory.SubFactory(CooperationFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = cooperation_models.Session.Kind.REGULAR
    time_zone = "America/Lima"
    starts_at = factory.LazyFunction(lambda: aware(2022, 5, 17, 9))
    ends_at = factory.LazyAttribute(
        lambda session: session.starts_at + datetime.timedelta(hours=3) if session.starts_at else None
    )
    date = factory.LazyAttribute(
        lambda session: (
            session.starts_at.astimezone(zoneinfo.ZoneInfo(session.time_zone)).date() if session.starts_at else None
        )
    )
    recording_access_code = "Af9U=gZ*"


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cooperation_models.Step
        skip_postgeneration_save = True

    cooperation = factory.SubFactory(CooperationFactory)
    text = factory.Sequence(lambda n: f"El MTPE enviará el documento {n}")
    due_date = datetime.date(2024, 6, 25)

    @factory.post_generation
    def responsible_institutions(self, create, extracted, **kwargs):
        """The requesting institution, unless a list is given (responsible_institutions=[…])."""
        if create:
            self.responsible_institutions.set(
                [self.cooperation.requesting_institution] if extracted is None else extracted
            )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cooperation_models.Person

    full_name = factory.Sequence(lambda n: f"Persona Participante {n}")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cooperation_models.Participation

    cooperation = factory.SubFactory(CooperationFactory)
    person = factory.SubFactory(PersonFactory)
    position = "Especialista"
    institution = factory.LazyAttribute(lambda p: p.cooperation.requesting_institution)
    delegation = factory.LazyAttribute(lambda p: p.cooperation.requesting_institution.country)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cooperation_models.Question

    objective = factory.SubFactory(SpecificObjectiveFactory)
    cooperation = factory.LazyAttribute(lambda q: q.objective.cooperation)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"¿Pregunta número {n}?")
    asked_by = factory.LazyAttribute(lambda q: q.cooperation.requesting_institution)


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cooperation_models.Deliverable

    cooperation = factory.SubFactory(CooperationFactory)
    kind = cooperation_models.Deliverable.Kind.WORK_PLAN
    title = "Plan de Trabajo"
    institution = factory.LazyAttribute(lambda d: d.cooperation.requesting_institution)
    is_product = True


def focal_point_for(institution, **kwargs):
    user = user_with_role(FOCAL_POINT, **kwargs)
    cooperation_models.FocalPoint.objects.create(user=user, institution=institution)
    return user


# --- Capacity plan (PFC) ------------------------------------------------------------------------
from decimal import Decimal  # noqa: E402

from capacity_plan import models as plan_models  # noqa: E402


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plan_models.Plan

    name = "Plan de Fortalecimiento de Capacidades Regionales 2025"
    short_name = "PFC 2025"
    year = 2025


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plan_models.Component

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n % 5 + 1)
    name = factory.Sequence(lambda n: f"Componente {n}")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plan_models.Milestone

    component = factory.SubFactory(ComponentFactory)
    number = factory.Sequence(lambda n: n % 12 + 1)
    name = factory.Sequence(lambda n: f"Taller de Liderazgo {n}")
    target_audience = "Gerentes o Directores Regionales de Trabajo y Promoción del Empleo"
    target_audience_size = 25


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plan_models.Indicator

    milestone = factory.SubFactory(MilestoneFactory)
    name = "Porcentaje de asistencia a las sesiones"
    kind = plan_models.Indicator.Kind.PERCENTAGE
    source = plan_models.Indicator.Source.ATTENDANCE_RATE
    target = Decimal("80")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plan_models.Region
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Región {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plan_models.OrganisationalUnit
        django_get_or_create = ("acronym",)

    acronym = "DNT"
    name = "Dirección de Normativa de Trabajo"


class ServantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plan_models.PublicServant

    full_name = factory.Sequence(lambda n: f"Servidora Regional {n}")
    document_number = factory.Sequence(lambda n: f"4{n:07d}")
    region = factory.SubFactory(RegionFactory)
    identity_key = factory.LazyAttribute(
        lambda s: plan_models.PublicServant.make_identity_key(
            document_number=s.document_number, email="", full_name=s.full_name, region_id=s.region.pk
        )
    )


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plan_models.Theme

    name = factory.Sequence(lambda n: f"Temática de prueba {n}")


class TrainingActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plan_models.TrainingAction
        skip_postgeneration_save = True

    kind = plan_models.TrainingAction.Kind.WORKSHOP
    title = factory.Sequence(lambda n: f"Taller de liderazgo transformacional {n}")
    organisational_unit = factory.SubFactory(UnitFactory)
    milestone = factory.SubFactory(MilestoneFactory)
    hours = Decimal("4")
    planned_start = datetime.date(2025, 4, 10)

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_regions.set(extracted)


class ActionSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = plan_models.ActionSession

    action = factory.SubFactory(TrainingActionFactory)
    date = factory.LazyAttribute(lambda s: s.action.planned_start)
    duration_hours = Decimal("4")
