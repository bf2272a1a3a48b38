import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from notifications import registry
from notifications.models import Notification


class Command(BaseCommand):
    help = (
        "Crea las notificaciones que vencen hoy (plazos, recordatorios…) y envía sus correos. "
        "Ejecutarla dos veces el mismo día no envía nada nuevo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="AAAA-MM-DD: el día para el que calcular (por defecto, hoy).")

    def handle(self, *args, today=None, **options):
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today: «{today}» no es una fecha AAAA-MM-DD.") from None
        else:
            day = timezone.localdate()
        before = Notification.objects.count()
        with transaction.atomic():
            registry.collectors_run(today=day)
        created = Notification.objects.count() - before
        self.stdout.write(f"{day.isoformat()}: {created} notificaciones nuevas.")
