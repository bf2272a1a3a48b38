"""Bimonthly monitoring periods: Jan–Feb (1), Mar–Apr (2), … Nov–Dec (6)."""

import datetime
from dataclasses import dataclass

from core.formats import month_abbreviation


@dataclass(frozen=True, order=True)
class Bimester:
    year: int
    number: int  # 1..6

    def __post_init__(self):
        if not 1 <= self.number <= 6:
            raise ValueError("A bimester is numbered 1 to 6.")

    @classmethod
    def containing(cls, day: datetime.date) -> "Bimester":
        return cls(day.year, (day.month - 1) // 2 + 1)

    @classmethod
    def parse(cls, text: str) -> "Bimester":
        """'2025-3' → the third bimester of 2025."""
        year, _sep, number = (text or "").partition("-")
        return cls(int(year), int(number))

    @classmethod
    def of_year(cls, year: int) -> list["Bimester"]:
        return [cls(year, number) for number in range(1, 7)]

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 2 * self.number - 1, 1)

    @property
    def end(self) -> datetime.date:
        if self.number == 6:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 2 * self.number + 1, 1) - datetime.timedelta(days=1)

    @property
    def code(self) -> str:
        return f"{self.year}-{self.number}"

    @property
    def label(self) -> str:
        """ "Mar–Abr 2025" in Spanish (the active language's month abbreviations)."""
        first, second = month_abbreviation(2 * self.number - 1), month_abbreviation(2 * self.number)
        return f"{first}–{second} {self.year}"

    def __str__(self):
        return self.label

    def includes(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def default_bimester(plan_year: int, today: datetime.date | None = None) -> Bimester:
    """The period a page shows first: today's, or the plan year's first or last one."""
    today = today or datetime.date.today()
    if today.year < plan_year:
        return Bimester(plan_year, 1)
    if today.year > plan_year:
        return Bimester(plan_year, 6)
    return Bimester.containing(today)
