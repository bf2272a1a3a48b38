"""Attendance of a virtual session from its meeting's participants report: Zoom («Participantes»
of a past meeting, CSV) or Microsoft Teams («Informe de asistencia», CSV, UTF-16 with tabs).

A person appears in as many rows as times they joined and left: their minutes are summed. People
are matched to servants by e-mail, then by name (only a name that one servant alone carries);
those left unmatched are listed for ODES to assign by hand or leave out. Whoever stayed at least
the minimum minutes is marked present, everyone else matched absent. Like every import: a
preview first (row-by-row errors; nothing is written while the file has one), the file stashed
as an ImportPreview, then the confirmation writes every mark or none.
"""

import csv
import datetime
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.decorators import require

from ..models import ActionSession, Attendance, ImportKind, ImportPreview, PublicServant
from ..permissions import EDIT_PLAN
from .files import MAX_IMPORT_BYTES, MAX_ROWS, plain
from .previews import import_preview_create, import_preview_delete, import_preview_file, import_preview_get

# Words of the headers (plain: lower case, no accents) in the English and Spanish exports.
NAME_WORDS = ("name", "nombre", "full name", "nombre completo")
EMAIL_WORDS = ("email", "e-mail", "correo")
DURATION_WORDS = ("duration", "duracion", "tiempo en la reunion", "time in meeting")


@dataclass
class MeetingPerson:
    row: int  # the first row of the file that names them
    name: str
    email: str
    minutes: Decimal
    servant: PublicServant | None = None
    matched_by: str = ""  # "correo", "nombre", "a mano" or ""


@dataclass
class MeetingReport:
    source: str = ""  # "Zoom", "Teams" or ""
    minimum_minutes: int = 0
    people: list[MeetingPerson] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)
    rows: int = 0  # data rows read

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def unmatched(self) -> list[tuple[int, MeetingPerson]]:
        return [(index, person) for index, person in enumerate(self.people) if person.servant is None]

    def marks(self) -> dict[int, str]:
        """servant id → present/absent: minutes summed over every person matched to the servant."""
        minutes: dict[int, Decimal] = {}
        for person in self.people:
            if person.servant is not None:
                minutes[person.servant.pk] = minutes.get(person.servant.pk, Decimal(0)) + person.minutes
        return {
            pk: (Attendance.Status.PRESENT if total >= self.minimum_minutes else Attendance.Status.ABSENT).value
            for pk, total in minutes.items()
        }

    def is_present(self, person: MeetingPerson) -> bool:
        return person.minutes >= self.minimum_minutes


# --- Reading the file ----------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    if b"\x00" in content[:400]:  # UTF-16 without its byte order mark
        return content.decode("utf-16-le")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252")  # saved again by a spreadsheet on Windows


def _delimiter(text: str) -> str:
    sample = "\n".join(line for line in text.splitlines()[:40] if line.strip())
    counts = {delimiter: sample.count(delimiter) for delimiter in ("\t", ",", ";")}
    return max(counts, key=lambda delimiter: counts[delimiter])


_DURATION_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*(h|hr|hrs|hora|horas|m|min|mins|minutos?|s|seg|sec|segundos?)\b")


def parse_minutes(value: str) -> Decimal:
    """A duration as the reports write it, in minutes: Zoom's «45» (minutes), Teams' «1h 2m 3s»,
    «1 h 2 min», «45m 12s», «32s», or «1:02:03». ValueError for anything else."""
    text = plain(value).replace("\u00a0", " ")
    if not text:
        raise ValueError(value)
    try:
        minutes = Decimal(text.replace(",", "."))
    except InvalidOperation:
        pass
    else:
        if minutes < 0 or not minutes.is_finite():
            raise ValueError(value)
        return minutes
    clock = re.fullmatch(r"(\d{1,3}):(\d{2})(?::(\d{2}))?", text)
    if clock:
        hours, mins, seconds = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
        return Decimal(hours * 60 + mins) + Decimal(seconds) / 60
    parts = _DURATION_PART.findall(text)
    if not parts or _DURATION_PART.sub("", text).strip():
        raise ValueError(value)
    total = Decimal(0)
    for amount, unit in parts:
        number = Decimal(amount.replace(",", "."))
        total += number * 60 if unit.startswith("h") else number / 60 if unit.startswith("s") else number
    return total


def _column(header: list[str], words: tuple[str, ...], *, starts: bool = False) -> int | None:
    for index, cell in enumerate(header):
        text = plain(cell)
        if any(text.startswith(word) if starts else word in text for word in words):
            return index
    return None


@dataclass
class _Table:
    name: int
    email: int | None
    duration: int
    rows: list[tuple[int, list[str]]]  # (file row number, cells)
    header: list[str]


def _tables(rows: list[list[str]]) -> list[_Table]:
    """Every table of the file: a header with a name and a duration column, and the rows under it
    up to a blank line (Teams' report has three sections; Zoom's, a meeting line first)."""
    tables: list[_Table] = []
    current: _Table | None = None
    for number, cells in enumerate(rows, start=1):
        if not any(cell.strip() for cell in cells):
            current = None
            continue
        name, duration = _column(cells, NAME_WORDS, starts=True), _column(cells, DURATION_WORDS)
        if name is not None and duration is not None and name != duration:
            current = _Table(name=name, email=_column(cells, EMAIL_WORDS), duration=duration, rows=[], header=cells)
            tables.append(current)
        elif current is not None:
            if len(cells) == 1 or (len(cells) > 0 and re.match(r"^\d+\.\s", cells[0].strip())):
                current = None  # a section title («3. In-Meeting Activities»)
                continue
            current.rows.append((number, cells))
    return tables


def _source(text: str, table: _Table) -> str:
    header = " ".join(plain(cell) for cell in table.header)
    if "original" in header or "zoom" in plain(text[:500]) or "guest" in header or "invitado" in header:
        return "Zoom"
    if "upn" in header or "in-meeting" in header or "en la reunion" in header or "role" in header or "rol" in header:
        return "Teams"
    return ""


def _display_names(name: str) -> list[str]:
    """Zoom writes a renamed participant «Nombre actual (nombre original)»: both are tried."""
    names = [name]
    match = re.fullmatch(r"(.+?)\s*\((.+)\)\s*", name)
    if match:
        names += [match.group(1), match.group(2)]
    return [plain(candidate) for candidate in names if plain(candidate)]


def meeting_report_read(*, uploaded: File, minimum_minutes: int) -> MeetingReport:
    """Read and check the whole file (no servants matched yet): people with their summed minutes,
    or row-by-row errors."""
    if uploaded.size > MAX_IMPORT_BYTES:
        raise ValidationError(_("El archivo pesa más de 5 MB."))
    if not (uploaded.name or "").lower().endswith((".csv", ".txt")):
        raise ValidationError(_("Suba el reporte de participantes como CSV (Zoom o Teams)."))
    uploaded.seek(0)
    content = uploaded.read()
    uploaded.seek(0)
    try:
        text = _decode(content)
    except UnicodeDecodeError:
        raise ValidationError(_("No se pudo leer el archivo: no es un CSV de Zoom o Teams.")) from None
    if "\x00" in text:
        raise ValidationError(_("No se pudo leer el archivo: no es un CSV de Zoom o Teams."))
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    if len(rows) > MAX_ROWS + 50:
        raise ValidationError(_("El archivo tiene más de %(max)s filas.") % {"max": MAX_ROWS})
    tables = [table for table in _tables(rows) if table.rows]
    if not tables:
        raise ValidationError(
            _(
                "No se encontró la tabla de participantes: el archivo debe tener columnas de nombre y "
                "duración, como el reporte de participantes de Zoom o el informe de asistencia de Teams."
            )
        )
    # Teams repeats each person in «Participantes» (total time) and «Actividades en la reunión»
    # (each join): the table with the most rows holds each join once; on a tie, the later one.
    table = max(reversed(tables), key=lambda candidate: len(candidate.rows))
    report = MeetingReport(source=_source(text, table), minimum_minutes=minimum_minutes, rows=len(table.rows))
    people: dict[str, MeetingPerson] = {}
    for number, cells in table.rows:
        cells = cells + [""] * (len(table.header) - len(cells))
        name = " ".join(cells[table.name].split())
        email = cells[table.email].strip().lower() if table.email is not None else ""
        if not name and not email:
            report.errors.append((number, _("Falta el nombre del participante.")))
            continue
        try:
            minutes = parse_minutes(cells[table.duration])
        except ValueError:
            report.errors.append(
                (number, _("Duración no válida: «%(value)s».") % {"value": cells[table.duration].strip()})
            )
            continue
        key = f"email:{email}" if email else f"name:{plain(name)}"
        person = people.get(key)
        if person is None:
            people[key] = MeetingPerson(row=number, name=name or email, email=email, minutes=minutes)
        else:
            person.minutes += minutes
    report.people = sorted(people.values(), key=lambda person: person.row)
    for person in report.people:
        person.minutes = person.minutes.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return report


def meeting_report_match(*, report: MeetingReport, by_hand: Mapping[int, PublicServant] | None = None) -> None:
    """Match the report's people to servants: by e-mail, then by a name only one servant has,
    then as chosen by hand (person index → servant), in a fixed number of queries."""
    emails = {person.email for person in report.people if person.email}
    by_email: dict[str, PublicServant] = {}
    if emails:
        for known in PublicServant.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails):
            by_email.setdefault(known.email.lower(), known)
    unmatched = [person for person in report.people if person.email not in by_email or not person.email]
    by_name: dict[str, PublicServant | None] = {}
    if unmatched:
        for named in PublicServant.objects.only("pk", "full_name", "identity_key", "region_id"):
            key = plain(named.full_name)
            by_name[key] = None if key in by_name else named  # None: two servants share the name
    for index, person in enumerate(report.people):
        if person.email and person.email in by_email:
            person.servant, person.matched_by = by_email[person.email], _("correo")
            continue
        for candidate in _display_names(person.name):
            servant = by_name.get(candidate)
            if servant is not None:
                person.servant, person.matched_by = servant, _("nombre")
                break
        if person.servant is None and by_hand and index in by_hand:
            person.servant, person.matched_by = by_hand[index], _("a mano")


def _minimum(minimum_minutes: int) -> int:
    if not 1 <= minimum_minutes <= 24 * 60:
        raise ValidationError(_("Los minutos mínimos van de 1 a 1440."))
    return minimum_minutes


def meeting_import_upload(
    *,
    session: ActionSession,
    uploaded: File,
    minimum_minutes: int,
    by: User,
    now: datetime.datetime | None = None,
) -> tuple[MeetingReport, ImportPreview | None]:
    """Preview the report (nothing is written); a file without errors is stashed for `by` to confirm."""
    require(by, EDIT_PLAN)
    report = meeting_report_read(uploaded=uploaded, minimum_minutes=_minimum(minimum_minutes))
    meeting_report_match(report=report)
    if not report.valid:
        return report, None
    return report, import_preview_create(kind=ImportKind.MEETING, target=session, uploaded=uploaded, by=by, now=now)


@transaction.atomic
def meeting_import_confirm(
    *,
    session: ActionSession,
    token: str,
    minimum_minutes: int,
    by_hand: Mapping[int, int],
    by: User,
    now: datetime.datetime | None = None,
) -> MeetingReport:
    """Write the marks of the report `by` previewed (read and matched again, with the people
    assigned by hand: person index → servant id), all of them or none, and delete its preview."""
    from ..services import attendance_record

    require(by, EDIT_PLAN)
    preview = import_preview_get(token=token, kind=ImportKind.MEETING, target=session, by=by, for_update=True)
    if preview.expires_at <= (now or datetime.datetime.now(datetime.UTC)):
        import_preview_delete(preview=preview)
        raise ValidationError(_("La vista previa venció; vuelva a subir el archivo."))
    report = meeting_report_read(
        uploaded=import_preview_file(preview=preview), minimum_minutes=_minimum(minimum_minutes)
    )
    servants = PublicServant.objects.in_bulk(set(by_hand.values()))
    if len(servants) != len(set(by_hand.values())):
        raise ValidationError(_("Una de las personas elegidas ya no está registrada; vuelva a subir el archivo."))
    meeting_report_match(report=report, by_hand={index: servants[pk] for index, pk in by_hand.items()})
    if not report.valid:
        raise ValidationError(_("El archivo tiene errores; no se importó nada."))
    attendance_record(session=session, marks=report.marks(), by=by)
    import_preview_delete(preview=preview)
    return report
