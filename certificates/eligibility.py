"""Who earns the certificate of a training action, and why the others do not.

Everyone marked in any session of the action is considered. A servant qualifies when they were
present in at least the action's minimum share of its sessions (`minimum_attendance_percent`,
80 % unless the action says otherwise); for a diplomado they must also have attended at least 24
hours (Ley 30220, art. 43), counted from the sessions they were present in. Justified absences
count as absences. The comparisons are exact (attended × 100 ≥ minimum × sessions), so 79,9 % is
not 80 %; the percentage shown is cut, never rounded up, for the same reason.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from capacity_plan.models import Attendance, PublicServant, TrainingAction
from capacity_plan.models.training import DIPLOMA_MINIMUM_HOURS
from core.formats import number_text


@dataclass(frozen=True)
class Eligibility:
    servant: PublicServant
    sessions_attended: int
    sessions_total: int
    hours_attended: Decimal
    minimum_percent: int
    minimum_hours: Decimal | None  # a diplomado's 24 hours; None for other kinds

    @property
    def percent(self) -> Decimal:
        """The share of sessions attended, cut to one decimal (79,99 reads 79,9)."""
        if not self.sessions_total:
            return Decimal(0)
        exact = Decimal(self.sessions_attended * 100) / Decimal(self.sessions_total)
        return exact.quantize(Decimal("0.1"), rounding=ROUND_DOWN)

    @property
    def meets_attendance(self) -> bool:
        return self.sessions_total > 0 and self.sessions_attended * 100 >= self.minimum_percent * self.sessions_total

    @property
    def meets_hours(self) -> bool:
        return self.minimum_hours is None or self.hours_attended >= self.minimum_hours

    @property
    def qualifies(self) -> bool:
        return self.meets_attendance and self.meets_hours

    @property
    def shortfalls(self) -> list[str]:
        """Why the servant does not qualify, one phrase per rule missed: «23,5 h de 24 h»,
        «75 % de 80 %»."""
        reasons = []
        if not self.meets_hours:
            assert self.minimum_hours is not None  # meets_hours
            reasons.append(
                _("%(hours)s h de %(minimum)s h")
                % {"hours": number_text(self.hours_attended), "minimum": number_text(self.minimum_hours)}
            )
        if not self.meets_attendance:
            reasons.append(
                _("%(percent)s %% de %(minimum)s %%")
                % {"percent": number_text(self.percent), "minimum": self.minimum_percent}
            )
        return reasons


def action_eligibility(*, action: TrainingAction) -> list[Eligibility]:
    """One row per servant marked in any session of the action, in alphabetical order (three
    queries, whatever the number of servants and sessions)."""
    sessions_total = action.sessions.count()
    present = Q(status=Attendance.Status.PRESENT)
    rows = {
        row["servant"]: row
        for row in Attendance.objects.filter(session__action=action)
        .values("servant")
        .annotate(attended=Count("pk", filter=present), hours=Sum("session__duration_hours", filter=present))
        .order_by()
    }
    minimum_hours = DIPLOMA_MINIMUM_HOURS if action.kind == TrainingAction.Kind.DIPLOMA else None
    servants = PublicServant.objects.filter(pk__in=list(rows)).select_related("region")
    return [
        Eligibility(
            servant=servant,
            sessions_attended=rows[servant.pk]["attended"],
            sessions_total=sessions_total,
            hours_attended=rows[servant.pk]["hours"] or Decimal(0),
            minimum_percent=action.minimum_attendance_percent,
            minimum_hours=minimum_hours,
        )
        for servant in servants
    ]
