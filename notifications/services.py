"""Writing notifications and sending their e-mails.

`notify()` runs inside the caller's transaction: the rows are written with the change that
causes them, and their e-mails are queued when that transaction commits (a rolled-back change
notifies nobody). A kind the recipient turned off still gets its in-app row (the notification
page is the full list) but no e-mail (status «skipped»); a kind they take as a daily digest waits
in status «digest» for `digest_send`.

Sending claims a row with one conditional UPDATE (pending -> sending): of two tasks for the same
row, only one sends. A worker that dies mid-send leaves the row «sending»; `stuck_resend` puts it
back to pending after NOTIFICATION_STUCK_MINUTES and queues it once more.
"""

import datetime
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from accounts.selectors import user_language, user_timezone
from core.formats import date_text, datetime_text

from . import registry
from .models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

PREFERENCES_SALT = "notifications.preferences"
UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# After this many failed attempts a notification's e-mail ends «failed» (visible in the admin).
MAX_ATTEMPTS = 5


class TemporarySendError(Exception):
    """The e-mail could not be sent this time; the task retries it later."""


def _preferences_for(users: Iterable[User], kind: str) -> dict[int, NotificationPreference]:
    return {p.user_id: p for p in NotificationPreference.objects.filter(user__in=list(users), kind=kind)}


def notify(
    *,
    kind: str,
    key: str,
    recipients: Iterable[User],
    url: str,
    context: dict | None = None,
    target: models.Model | None = None,
) -> list[Notification]:
    """One notification per recipient (once: a key already given to a recipient is skipped) and
    its e-mail queued on commit. Returns the rows created now."""
    registry.kind_get(kind)  # an unknown kind fails loudly, here rather than at send time
    recipients = [user for user in {user.pk: user for user in recipients}.values() if user.is_active]
    if not recipients:
        return []
    preferences = _preferences_for(recipients, kind)
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    created = []
    for user in recipients:
        preference = preferences.get(user.pk)
        if not user.email or (preference is not None and not preference.enabled):
            status = Notification.EmailStatus.SKIPPED
        elif preference is not None and preference.digest:
            status = Notification.EmailStatus.DIGEST
        else:
            status = Notification.EmailStatus.PENDING
        try:
            with transaction.atomic():  # a savepoint: a duplicate key leaves the caller's transaction usable
                notification = Notification.objects.create(
                    recipient=user,
                    kind=kind,
                    key=key,
                    url=url,
                    context=context or {},
                    target_type=target_type,
                    target_id=target.pk if target is not None else None,
                    email_status=status,
                )
        except IntegrityError:
            continue  # this recipient already has it
        created.append(notification)
    to_send = [n.pk for n in created if n.email_status == Notification.EmailStatus.PENDING]
    if to_send:
        transaction.on_commit(lambda: _enqueue(to_send))
    return created


def _enqueue(ids: Iterable[int]) -> None:
    from .tasks import send_notification

    for pk in ids:
        try:
            send_notification.delay(pk)
        except Exception:  # the broker is down: the row stays pending and the sweep queues it again
            logger.exception("Could not queue notification %s", pk)


def _claim(*, pk: int) -> bool:
    """pending -> sending, in one UPDATE: True for the one caller that got the row."""
    return bool(
        Notification.objects.filter(pk=pk, email_status=Notification.EmailStatus.PENDING).update(
            email_status=Notification.EmailStatus.SENDING,
            sending_since=timezone.now(),
            attempts=F("attempts") + 1,
        )
    )


def notification_send(*, notification_id: int) -> bool:
    """Send one notification's e-mail if it is still pending. True when it was sent now.

    Raises TemporarySendError when sending failed and may be retried (the row is pending again);
    after MAX_ATTEMPTS the row ends «failed» with the error, and the in-app row stays."""
    if not _claim(pk=notification_id):
        return False
    notification = Notification.objects.select_related("recipient__profile").get(pk=notification_id)
    try:
        message = email_message(notifications=[notification], user=notification.recipient)
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        return _failed(notification, error)
    Notification.objects.filter(pk=notification.pk, email_status=Notification.EmailStatus.SENDING).update(
        email_status=Notification.EmailStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def _failed(notification: Notification, error: Exception) -> bool:
    final = notification.attempts >= MAX_ATTEMPTS or isinstance(error, smtplib.SMTPRecipientsRefused)
    status = Notification.EmailStatus.FAILED if final else Notification.EmailStatus.PENDING
    Notification.objects.filter(pk=notification.pk).update(
        email_status=status, last_error=f"{type(error).__name__}: {error}"[:2000], sending_since=None
    )
    logger.warning("Notification %s e-mail failed (attempt %s): %s", notification.pk, notification.attempts, error)
    if final:
        return False
    raise TemporarySendError(str(error)) from error


def stuck_resend(*, now: datetime.datetime | None = None) -> list[int]:
    """Rows left «sending» by a worker that died (for NOTIFICATION_STUCK_MINUTES), and rows still
    pending that long (their task was lost), are queued again, each by one conditional UPDATE."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(minutes=settings.NOTIFICATION_STUCK_MINUTES)
    requeued = []
    stuck = Notification.objects.filter(
        Q(email_status=Notification.EmailStatus.SENDING, sending_since__lt=limit)
        | Q(email_status=Notification.EmailStatus.PENDING, created_at__lt=limit)
    ).values_list("pk", "email_status", "sending_since")
    for pk, status, since in stuck:
        if status == Notification.EmailStatus.SENDING:
            if not Notification.objects.filter(pk=pk, email_status=status, sending_since=since).update(
                email_status=Notification.EmailStatus.PENDING, sending_since=None
            ):
                continue  # it finished (or was taken) meanwhile
        requeued.append(pk)
    _enqueue(requeued)
    return requeued


def digest_send(*, now: datetime.datetime | None = None) -> int:
    """One e-mail per user with the notifications waiting for their daily digest. Returns how many
    e-mails went out."""
    now = now or timezone.now()
    user_ids = (
        Notification.objects.filter(email_status=Notification.EmailStatus.DIGEST)
        .values_list("recipient", flat=True)
        .distinct()
    )
    sent = 0
    for user in User.objects.filter(pk__in=list(user_ids)).select_related("profile"):
        ids = list(
            Notification.objects.filter(recipient=user, email_status=Notification.EmailStatus.DIGEST).values_list(
                "pk", flat=True
            )
        )
        claimed = Notification.objects.filter(pk__in=ids, email_status=Notification.EmailStatus.DIGEST).update(
            email_status=Notification.EmailStatus.SENDING, sending_since=now, attempts=F("attempts") + 1
        )
        if not claimed:
            continue
        rows = list(Notification.objects.filter(pk__in=ids, email_status=Notification.EmailStatus.SENDING))
        try:
            email_message(notifications=rows, user=user, digest=True).send()
        except (smtplib.SMTPException, OSError) as error:
            Notification.objects.filter(pk__in=ids).update(
                email_status=Notification.EmailStatus.DIGEST, last_error=str(error)[:2000], sending_since=None
            )
            continue
        Notification.objects.filter(pk__in=ids).update(email_status=Notification.EmailStatus.SENT, sent_at=now)
        sent += 1
    return sent


# --- Messages -----------------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    return str(settings.SITE_URL) + path


def preferences_token(*, user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=PREFERENCES_SALT, compress=True)


def unsubscribe_token(*, user: User, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def token_user_id(token: str, *, salt: str = PREFERENCES_SALT) -> dict:
    """The payload of a signed link; raises signing.BadSignature when it was tampered with."""
    payload = signing.loads(token, salt=salt)
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise signing.BadSignature("Unexpected payload")
    return payload


def _render_one(notification: Notification, user: User, extra: dict) -> dict:
    kind = registry.kind_get(notification.kind)
    # Dates kept as ISO strings ("due_date") also come as text in the recipient's language
    # ("due_date_text": «7 de junio de 2024»); the moment of the event in the recipient's zone.
    dates = {
        f"{name}_text": date_text(value)
        for name, value in notification.context.items()
        if name.endswith("_date") and isinstance(value, str) and value
    }
    context = {
        **extra,
        **notification.context,
        **dates,
        "created_text": datetime_text(timezone.localtime(notification.created_at)) if notification.created_at else "",
        "notification": notification,
        "user": user,
        "link": absolute_url(notification.url),
    }
    if kind.render_context is not None:
        context.update(kind.render_context(notification, user))
    base = f"notifications/email/{kind.template}"
    return {
        "subject": " ".join(render_to_string(f"{base}_subject.txt", context).split()),
        "text": render_to_string(f"{base}.txt", context).strip(),
        "html": mark_safe(render_to_string(f"{base}.html", context)),  # noqa: S308  # our template, autoescaped
        "kind": kind,
        "link": context["link"],
    }


def notification_titles(notifications: Iterable[Notification]) -> None:
    """Set `.title` (the e-mail's subject, in the current language) and `.kind_label` on each row,
    for the notification page; no query (a kind's render_context is for e-mails only)."""
    known = registry.kinds()
    for notification in notifications:
        kind = known.get(notification.kind)
        notification.kind_label = str(kind.label) if kind else notification.kind  # type: ignore[attr-defined]
        title = ""
        if kind is not None:
            dates = {
                f"{name}_text": date_text(value)
                for name, value in notification.context.items()
                if name.endswith("_date") and isinstance(value, str) and value
            }
            context = {**notification.context, **dates, "notification": notification}
            try:
                title = " ".join(render_to_string(f"notifications/email/{kind.template}_subject.txt", context).split())
            except Exception:  # a kind whose subject needs its render_context: its label
                logger.exception("Could not render the title of notification %s", notification.pk)
        notification.title = title or notification.kind_label  # type: ignore[attr-defined]


def email_message(*, notifications: list[Notification], user: User, digest: bool = False) -> EmailMultiAlternatives:
    """The e-mail for one notification (or a digest of several), in the user's language and zone,
    with the signed preferences link and one-click List-Unsubscribe headers."""
    with translation.override(user_language(user)), timezone.override(user_timezone(user)):
        preferences_url = absolute_url(reverse("notifications:signed_preferences", args=[preferences_token(user=user)]))
        first_kind = notifications[0].kind
        unsubscribe_url = absolute_url(
            reverse("notifications:unsubscribe", args=[unsubscribe_token(user=user, kind=first_kind)])
        )
        common = {"preferences_url": preferences_url, "site_url": settings.SITE_URL}
        parts = [_render_one(notification, user, common) for notification in notifications]
        layout = {**common, "user": user, "parts": parts, "digest": digest}
        if digest:
            subject = str(translation.gettext("Resumen diario de notificaciones (%(count)s)") % {"count": len(parts)})
        else:
            subject = parts[0]["subject"]
        text = render_to_string("notifications/email/base.txt", layout)
        html = render_to_string("notifications/email/base.html", layout)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    if not digest:
        kind = registry.kind_get(first_kind)
        if kind.attachments is not None:
            for filename, content, mimetype in kind.attachments(notifications[0]):
                message.attach(filename, content, mimetype)
    return message


# --- In-app -------------------------------------------------------------------------------------


def notification_mark_read(*, user: User, pk: int) -> Notification | None:
    notification = Notification.objects.filter(recipient=user, pk=pk).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, user: User, choices: dict[str, tuple[bool, bool]]) -> None:
    """choices: kind -> (enabled, digest)."""
    for kind in choices:
        registry.kind_get(kind)
    existing = {p.kind: p for p in NotificationPreference.objects.select_for_update().filter(user=user)}
    changed, new = [], []
    for kind, (enabled, digest) in choices.items():
        preference = existing.get(kind)
        if preference is None:
            new.append(NotificationPreference(user=user, kind=kind, enabled=enabled, digest=digest))
        elif (preference.enabled, preference.digest) != (enabled, digest):
            preference.enabled, preference.digest = enabled, digest
            changed.append(preference)
    NotificationPreference.objects.bulk_update(changed, ["enabled", "digest"])
    NotificationPreference.objects.bulk_create(new, ignore_conflicts=True)


def preference_turn_off(*, user: User, kind: str) -> None:
    registry.kind_get(kind)
    NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"enabled": False})
