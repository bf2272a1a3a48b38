"""Demo training actions with attendance and surveys, so the plan's indicators move in a fresh
installation. Every row is marked `is_demo` and shown with a «demo» badge; nothing of it comes
from the seed documents. Run by `make setup`; never in production; running it again adds nothing."""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from capacity_plan.models import (
    ActionSession,
    Attendance,
    Milestone,
    OrganisationalUnit,
    Region,
    SatisfactionResponse,
    Theme,
    TrainingAction,
)
from capacity_plan.services import servant_upsert, survey_source_key

FIRST_NAMES = ["Ana", "Luis", "María", "Jorge", "Rosa", "Carlos", "Elena", "Víctor", "Lucía", "Pedro"]
LAST_NAMES = ["Quispe", "Huamán", "Flores", "Mamani", "Rojas", "Torres", "Vargas", "Castillo"]

# (hito, UO acronym, kind, title, start, hours, status)
DEMO_ACTIONS = [
    (
        4,
        "ODES",
        TrainingAction.Kind.WORKSHOP,
        "Taller de Liderazgo Transformacional (demo)",
        datetime.date(2025, 4, 10),
        Decimal("4"),
        TrainingAction.Status.EXECUTED,
    ),
    (
        8,
        "DNT",
        TrainingAction.Kind.COURSE,
        "Curso: Dictamen Económico Laboral (demo)",
        datetime.date(2025, 6, 5),
        Decimal("6"),
        TrainingAction.Status.EXECUTED,
    ),
    (
        5,
        "ODES",
        TrainingAction.Kind.TECHNICAL_ASSISTANCE,
        "Sesión de lanzamiento de la CdP (demo)",
        datetime.date(2025, 9, 18),
        Decimal("2"),
        TrainingAction.Status.PROGRAMMED,
    ),
]


# A virtual workshop with a session on the day the command runs, so that ODES can open check-in
# by link (and try it from a phone) in a fresh installation; every later run adds today's session.
TODAY_TITLE = "Taller virtual: registro de asistencia por enlace (demo)"


class Command(BaseCommand):
    help = "Create demo training actions, attendance and surveys (marked as demo data)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never created in production.")
        if not Milestone.objects.exists():
            self.stdout.write("No plan loaded: skipping demo training data.")
            return
        with transaction.atomic():
            self._session_today()
        if TrainingAction.objects.filter(is_demo=True).exclude(title=TODAY_TITLE).exists():
            self.stdout.write("Demo training data already present.")
            return
        with transaction.atomic():
            count = self._create()
        self.stdout.write(self.style.SUCCESS(f"Demo training data: {count} actions (marked «demo»)."))

    def _session_today(self) -> None:
        """The demo workshop and, if it has none yet, a session today (check-in by link)."""
        today = timezone.localdate()
        action = TrainingAction.objects.filter(is_demo=True, title=TODAY_TITLE).first()
        if action is None:
            unit, _created = OrganisationalUnit.objects.get_or_create(acronym="ODES")
            action = TrainingAction.objects.create(
                kind=TrainingAction.Kind.WORKSHOP,
                title=TODAY_TITLE,
                organisational_unit=unit,
                milestone=Milestone.objects.get(number=4),
                hours=Decimal("2"),
                planned_start=today,
                modality=TrainingAction.Modality.VIRTUAL,
                status=TrainingAction.Status.PROGRAMMED,
                is_demo=True,
            )
            action.target_regions.set(Region.objects.all())
        if not action.sessions.filter(date=today).exists():
            ActionSession.objects.create(
                action=action, date=today, duration_hours=Decimal("2"), topic="Sesión de hoy (demo)"
            )
            self.stdout.write(f"Demo session today: /pfc/acciones/{action.pk}/ (check-in by link).")

    def _create(self) -> int:
        rng = random.Random(2025)
        regions = list(Region.objects.order_by("pk"))
        servants = [
            servant_upsert(
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {n:02d} (demo)",
                region=regions[n % len(regions)],
                document_number=f"9990{n:04d}",  # 8 digits, as every DNI
                position="Especialista regional",
                is_demo=True,
            )
            for n in range(1, 41)
        ]
        theme = Theme.objects.filter(name__icontains="Dictamen").first()
        for number, acronym, kind, title, start, hours, status in DEMO_ACTIONS:
            unit, _created = OrganisationalUnit.objects.get_or_create(acronym=acronym)
            action = TrainingAction.objects.create(
                kind=kind,
                title=title,
                organisational_unit=unit,
                milestone=Milestone.objects.get(number=number),
                hours=hours,
                planned_start=start,
                status=status,
                is_demo=True,
                theme=theme if acronym == "DNT" else None,
                executed_start=start if status == TrainingAction.Status.EXECUTED else None,
            )
            action.target_regions.set(regions)
            if status != TrainingAction.Status.EXECUTED:
                continue
            session = ActionSession.objects.create(action=action, date=start, duration_hours=hours)
            attendees = rng.sample(servants, 30)
            Attendance.objects.bulk_create(
                Attendance(session=session, servant=servant, status="present" if rng.random() < 0.8 else "absent")
                for servant in attendees
            )
            for servant in attendees[:20]:
                ratings = {name: rng.choice([3, 4, 4, 5, 5]) for name in SatisfactionResponse.DIMENSIONS}
                moment = timezone.make_aware(datetime.datetime.combine(start, datetime.time(12, rng.randrange(60))))
                SatisfactionResponse.objects.create(
                    action=action,
                    servant=servant,
                    submitted_at=moment,
                    is_demo=True,
                    **ratings,
                    source_key=survey_source_key(
                        action_id=action.pk,
                        submitted_at=moment,
                        servant_key=servant.identity_key,
                        ratings=tuple(ratings.values()),
                        comments="",
                    ),
                )
        return len(DEMO_ACTIONS)
