"""Writes to cooperation records. Views call these; they check permissions and keep records
consistent (revisions against lost updates, immutable deliverable versions)."""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.forms import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import require
from accounts.roles import FOCAL_POINT
from accounts.services import DemoAccount, demo_user_upsert
from core.formats import names_text
from rial_site.uploads import check_upload

from . import notifications
from .history import RECORD_PARTS, HistoryEntry, cooperation_history, revision_superseded_at
from .invitations import Schedule
from .models import (
    AnswerVersion,
    Call,
    Cooperation,
    Deliverable,
    DeliverableVersion,
    FocalPoint,
    Institution,
    Question,
    Session,
    SpecificObjective,
    Step,
)
from .permissions import (
    ANSWER_QUESTION,
    CREATE_CALL,
    EDIT_COOPERATION,
    FOLLOW_COOPERATION,
    MARK_STEP_DONE,
    REGISTER_DELIVERABLE,
    REMOVE_SESSION,
    SUBMIT_QUESTIONS,
    UPLOAD_DELIVERABLE_VERSION,
    is_editor,
)
from .question_parser import parse_question_list
from .selectors import session_dependents
from .session_notifications import session_invitations_update


class ConcurrentEditError(Exception):
    """Somebody saved the record after the user opened it; nothing was saved.

    `changes` are exactly what others saved since the user opened the page (from `stale_since`,
    the moment the revision the user opened was superseded, None when unknown); with them a
    page can merge the user's edits into the current record."""

    def __init__(
        self,
        changes: list[HistoryEntry],
        *,
        stale_since: datetime.datetime | None = None,
        current_revision: int | None = None,
    ):
        super().__init__("The record changed since it was opened.")
        self.changes = changes
        self.stale_since = stale_since
        self.current_revision = current_revision


def _locked_revision(model: type[Cooperation] | type[Session], pk: int) -> int:
    """The stored revision of a record, its row locked until the transaction ends. (Unpacked
    rather than .get(): a page that merges a stale edit saves twice in one request, and the N+1
    guard would take a second .get() from the same line for a loop.)"""
    (revision,) = model.objects.select_for_update().filter(pk=pk).values_list("revision", flat=True)
    return revision


def _stale(
    *,
    instance: Cooperation | Session | Question,
    expected_revision: int | None,
    current_revision: int,
    show_secrets: bool,
    models_shown: tuple,
    object_pk: int | None = None,
) -> ConcurrentEditError:
    stale_since = (
        revision_superseded_at(instance=instance, revision=expected_revision)
        if expected_revision is not None and expected_revision < current_revision
        else None
    )
    cooperation = instance if isinstance(instance, Cooperation) else instance.cooperation
    changes = (
        cooperation_history(
            cooperation=cooperation,
            show_secrets=show_secrets,
            since=stale_since,
            models_shown=models_shown,
            object_pk=object_pk,
        )
        if stale_since
        else []
    )
    return ConcurrentEditError(changes, stale_since=stale_since, current_revision=current_revision)


@transaction.atomic
def cooperation_save(
    *,
    cooperation: Cooperation,
    expected_revision: int | None,
    by: User,
    parts: Iterable[BaseInlineFormSet] = (),
) -> Cooperation:
    """Save a cooperation (new, or with a form's changes applied) and then its parts (validated
    inline formsets of its objectives, steps, participants…), all in one transaction.

    For an existing record, `expected_revision` is the revision the user opened; if someone
    saved in between, nothing is written and ConcurrentEditError tells what they changed.
    """
    require(by, EDIT_COOPERATION, cooperation if cooperation.pk else None)
    if cooperation.pk is None:
        cooperation.revision = 1
    else:
        current_revision = _locked_revision(Cooperation, cooperation.pk)
        if expected_revision != current_revision:
            raise _stale(
                instance=cooperation,
                expected_revision=expected_revision,
                current_revision=current_revision,
                show_secrets=True,
                models_shown=(Cooperation, *RECORD_PARTS),
            )
        cooperation.revision = current_revision + 1
    is_new = cooperation.pk is None
    cooperation.full_clean()
    cooperation.save()
    for formset in parts:
        formset.instance = cooperation
        formset.save()
    if is_new and is_editor(by):
        cooperation.followers.add(by)  # its creator follows it (notifications)
    return cooperation


def cooperation_follow(*, cooperation: Cooperation, follow: bool, by: User) -> None:
    """OEA staff follow a cooperation (they receive its notifications) or stop following it."""
    require(by, FOLLOW_COOPERATION, cooperation)
    if follow:
        cooperation.followers.add(by)
    else:
        cooperation.followers.remove(by)


@transaction.atomic
def call_create(*, number: int, year: int, by: User) -> Call:
    """A new RIAL call (convocatoria). Its number is unique: a second click, or somebody else
    creating the same call meanwhile, is told it exists instead of making a second one."""
    require(by, CREATE_CALL)
    call = Call(number=number, year=year)
    call.full_clean()
    try:
        with transaction.atomic():
            call.save()
    except IntegrityError:
        raise ValidationError(
            {"number": _("Ya existe una convocatoria con ese número: elíjala en la lista.")}
        ) from None
    return call


@transaction.atomic
def session_save(*, session: Session, expected_revision: int | None, by: User) -> Session:
    """Save a session built by a form. A new session has no revision to check."""
    require(by, EDIT_COOPERATION, session.cooperation)
    before = None
    if session.pk is not None:
        current_revision = _locked_revision(Session, session.pk)
        # Dictionaries, not rows (see _locked_revision: a merged edit saves twice in one request).
        ((day, starts_at, ends_at, status, sequence),) = Session.objects.filter(pk=session.pk).values_list(
            "date", "starts_at", "ends_at", "status", "invitation_sequence"
        )
        session.invitation_sequence = sequence  # the form's copy may be older
        before = Schedule(date=day, starts_at=starts_at, ends_at=ends_at, status=status)
        if expected_revision != current_revision:
            raise _stale(
                instance=session,
                expected_revision=expected_revision,
                current_revision=current_revision,
                show_secrets=True,
                models_shown=(Session,),
                object_pk=session.pk,
            )
        session.revision = current_revision + 1
    session.full_clean()
    session.save()
    # A new day or time, a cancellation: the participants' invitations (e-mailed on commit).
    session_invitations_update(session=session, before=before)
    return session


@transaction.atomic
def session_delete(*, session: Session, by: User) -> None:
    """Delete a session entered by mistake. Its history keeps it (django-simple-history records
    the deletion, with who did it), so the cooperation's history shows it. A session that other
    records depend on is not deleted: the questions answered in it and the steps that follow it
    would silently lose it, so the error names them."""
    require(by, REMOVE_SESSION, session.cooperation)
    locked = Session.objects.select_for_update().filter(pk=session.pk).first()
    if locked is None:
        return  # deleted meanwhile (a second click): nothing left to do
    dependents = session_dependents(session=locked)
    if dependents:
        parts = []
        if dependents.questions:
            parts.append(
                _("las preguntas respondidas en ella (%(questions)s)")
                % {"questions": " · ".join(str(question) for question in dependents.questions)}
            )
        if dependents.steps:
            parts.append(
                _("los pasos que la siguen (%(steps)s)") % {"steps": " · ".join(str(step) for step in dependents.steps)}
            )
        raise ValidationError(
            _(
                "No se puede eliminar la sesión «%(session)s» porque otros registros dependen de ella: %(parts)s. "
                "Asígnelos a otra sesión antes de eliminarla."
            )
            % {"session": locked.display_title, "parts": names_text(parts)},
            code="protected",
        )
    # Those invited to it are told it is cancelled (on commit), with its data as it was.
    session_invitations_update(session=locked, before=Schedule.of(locked), deleted=True)
    locked._history_user = by  # type: ignore[attr-defined]  # django-simple-history's author
    locked.delete()


@transaction.atomic
def step_mark_done(*, step: Step, done: bool, by: User) -> Step:
    """Mark a step done (or pending again), by OEA staff or a focal point of one of its responsible
    institutions. A step is a part of its cooperation's record, so this is a new revision of the
    record: a steps page opened before it is refused as stale instead of silently undoing the mark."""
    require(by, MARK_STEP_DONE, step)
    _cooperation_revision_bump(cooperation_id=step.cooperation_id, by=by)
    step.done = done
    step._history_user = by  # type: ignore[attr-defined]  # django-simple-history's author
    step.save(update_fields=["done"])
    return step


def _cooperation_revision_bump(*, cooperation_id: int, by: User) -> Cooperation:
    """Count a write to one of a cooperation's parts as a new revision of the whole record (locked
    as cooperation_save locks it, so the two never interleave). Its history row records the new
    revision, which a later conflict starts from."""
    current = Cooperation.objects.select_for_update().get(pk=cooperation_id)
    current.revision += 1
    current._history_user = by  # type: ignore[attr-defined]
    current.save(update_fields=["revision", "updated_at"])
    return current


@transaction.atomic
def questions_submit(
    *,
    cooperation: Cooperation,
    objective: SpecificObjective,
    raw_text: str,
    by: User,
    sent_on: datetime.date | None = None,
) -> list[Question]:
    """Turn a pasted list (or one question) into questions under the chosen objective.

    Numbers continue after the objective's last question, in the order pasted. All or nothing.
    """
    require(by, SUBMIT_QUESTIONS, cooperation)
    if objective.cooperation_id != cooperation.pk:
        raise ValidationError({"objective": _("Ese objetivo no pertenece a esta cooperación.")})
    parsed = parse_question_list(raw_text)
    asked_by = _asking_institution(cooperation=cooperation, by=by)
    # Lock the objective row so two people pasting at once never get the same numbers.
    SpecificObjective.objects.select_for_update().get(pk=objective.pk)
    last = Question.objects.filter(objective=objective).aggregate(last=Max("number"))["last"] or 0
    created = []
    for offset, item in enumerate(parsed, start=1):
        question = Question(
            cooperation=cooperation,
            objective=objective,
            number=last + offset,
            text=item.text,
            sub_items="\n".join(item.sub_items),
            asked_by=asked_by,
            submitted_by=by,
            sent_on=sent_on or timezone.localdate(),
            status=Question.Status.SENT,
        )
        question.full_clean()
        question.save()
        created.append(question)
    notifications.questions_sent_notify(cooperation=cooperation, questions=created)
    return created


def _asking_institution(*, cooperation: Cooperation, by: User) -> Institution:
    link = FocalPoint.objects.filter(user=by).select_related("institution").first()
    if link and link.institution_id in (cooperation.requesting_institution_id, cooperation.providing_institution_id):
        return link.institution
    return cooperation.requesting_institution


@transaction.atomic
def question_answer(
    *,
    question: Question,
    expected_revision: int | None,
    text: str,
    attachment: UploadedFile | None,
    by: User,
) -> Question:
    """Save an answer (or a new version of it): a new immutable AnswerVersion with its text and
    attachment (the previous attachment when none is uploaded), which the question then shows.
    Earlier versions and their files stay as they are.

    `expected_revision` is the question's revision the user opened; if someone answered in
    between, nothing is written and ConcurrentEditError tells what they changed."""
    require(by, ANSWER_QUESTION, question)
    current = Question.objects.select_for_update().get(pk=question.pk)
    if expected_revision != current.revision:
        raise _stale(
            instance=current,
            expected_revision=expected_revision,
            current_revision=current.revision,
            show_secrets=False,
            models_shown=(Question,),
            object_pk=current.pk,
        )
    text = (text or "").strip()
    if not text and not attachment and not current.answer_attachment:
        raise ValidationError(_("Escriba la respuesta o adjunte un documento."))
    latest = _answer_version_latest(question=current)
    now = timezone.now()
    version = AnswerVersion(question=current, number=(latest.number if latest else 0) + 1, text=text, answered_by=by)
    version.answered_at = now
    if attachment:
        checked = check_upload(attachment)  # refuses a file without a name (no extension)
        version.attachment = attachment
        version.attachment_name = (attachment.name or "")[:255]
        version.content_type, version.size, version.sha256 = checked.content_type, checked.size, checked.sha256
    elif latest:
        version.attachment = latest.attachment.name
        version.attachment_name = latest.attachment_name
        version.content_type, version.size, version.sha256 = latest.content_type, latest.size, latest.sha256
    version.save()
    # The question shows the latest version; its attachment is that version's stored file.
    current.written_answer = version.text
    current.answer_attachment = version.attachment.name
    current.answer_attachment_name = version.attachment_name
    current.answered_by = by
    current.answered_at = now
    current.status = Question.Status.ANSWERED
    current.revision += 1
    current._history_user = by  # type: ignore[attr-defined]
    current.full_clean()
    current.save()
    return current


def _answer_version_latest(*, question: Question) -> AnswerVersion | None:
    """The question's latest answer version. An answer the question shows that no version holds
    (saved before versions existed, loaded from the seed, edited in the admin) is first kept as a
    version of its own, so that no answer is lost when a new one is saved."""
    latest = question.answer_versions.order_by("-number").first()
    shown = (question.written_answer, question.answer_attachment.name or "")
    if latest is not None and shown == (latest.text, latest.attachment.name or ""):
        return latest
    if latest is None and shown == ("", ""):
        return None
    kept = AnswerVersion(
        question=question,
        number=(latest.number if latest else 0) + 1,
        text=question.written_answer,
        attachment=question.answer_attachment.name or "",
        attachment_name=question.answer_attachment_name,
        answered_by=question.answered_by,
        answered_at=question.answered_at or timezone.now(),
    )
    kept.save()
    return kept


@transaction.atomic
def deliverable_create(
    *,
    cooperation: Cooperation,
    kind: str,
    title: str,
    institution: Institution,
    due_date: datetime.date | None,
    by: User,
    file: UploadedFile | None = None,
    note: str = "",
) -> Deliverable:
    require(by, REGISTER_DELIVERABLE, cooperation)
    if institution.pk not in (
        cooperation.requesting_institution_id,
        cooperation.providing_institution_id,
    ) and not by.has_perm(EDIT_COOPERATION, cooperation):
        raise ValidationError({"institution": _("Elija una de las dos instituciones de la cooperación.")})
    deliverable = Deliverable(
        cooperation=cooperation, kind=kind, title=title, institution=institution, due_date=due_date
    )
    deliverable.full_clean()
    deliverable.save()
    if file:
        deliverable_version_upload(deliverable=deliverable, file=file, note=note, by=by)
    return deliverable


@transaction.atomic
def deliverable_version_upload(
    *, deliverable: Deliverable, file: UploadedFile, note: str, by: User
) -> DeliverableVersion:
    """Store a new immutable version; earlier versions stay as they are."""
    require(by, UPLOAD_DELIVERABLE_VERSION, deliverable)
    checked = check_upload(file)
    Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    last = deliverable.versions.aggregate(last=Max("number"))["last"] or 0
    version = DeliverableVersion(
        deliverable=deliverable,
        number=last + 1,
        file=file,
        original_name=(file.name or "")[:255],  # check_upload refused a file without a name
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        note=note,
        uploaded_by=by,
    )
    version.save()
    notifications.deliverable_version_notify(version=version)
    return version


# Demo accounts: one focal point per ministry of the seed cooperations (make run only).
DEMO_FOCAL_ACRONYMS = ("MTPE", "MTEySS", "MITRADEL", "MTPS", "MT", "STPS")


def demo_focal_points_create(*, password: str) -> list[DemoAccount]:
    accounts = []
    for institution in Institution.objects.filter(acronym__in=DEMO_FOCAL_ACRONYMS).order_by("pk"):
        username = f"focal-{institution.acronym.lower()}"
        user = demo_user_upsert(
            username=username,
            password=password,
            role=FOCAL_POINT,
            first_name=_("Punto focal"),
            last_name=institution.acronym,
        )
        FocalPoint.objects.update_or_create(user=user, defaults={"institution": institution})
        accounts.append(DemoAccount(username=username, role=f"{FOCAL_POINT} ({institution.acronym})"))
    return accounts


def demo_followers_set(*, username: str) -> None:
    """The demo OEA staff user follows every cooperation (its notifications: make run only)."""
    user = User.objects.filter(username=username).first()
    if user is not None:
        user.followed_cooperations.add(*Cooperation.objects.all())
