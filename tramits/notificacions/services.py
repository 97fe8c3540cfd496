"""Writes of notifications: made available, accessed, rejected; each step an event on the expedient.

The services run inside the expedients' own transactions (a savepoint there), so they never import
`tramits.expedients.services`, which calls them.
"""

import datetime as dt
import hashlib
import hmac
import logging
import re
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tramits.expedients.models import (
    CorrectionRequest,
    CorrectionState,
    Event,
    EventKind,
    Expedient,
    ExpedientDocument,
    InterestedParty,
    InterestedRole,
    Suspension,
)
from tramits.expedients.terms import correction_deadline, suspended_due_date, suspension_days
from tramits.notificacions.models import (
    REJECTION_AFTER,
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationState,
)
from tramits.terminis.calendar import official_date

logger = logging.getLogger(__name__)


class NotificationError(Exception):
    """Base of the notifications' domain errors."""


class NotificationPermissionDenied(PermissionDenied, NotificationError):
    """Only the recipient, or someone who may see the expedient in their carpeta, may open it."""


class NotificationInvalid(NotificationError):
    """The notification cannot be made as asked (for example a document of another expedient)."""


# Evidence ------------------------------------------------------------------------------------


def access_ip_hash(ip: str) -> str:
    """A keyed hash of the client's address: evidence that can be matched, never the address itself."""
    if not ip:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), ip.strip().encode(), hashlib.sha256).hexdigest()


_BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
]


def user_agent_summary(user_agent: str) -> str:
    """Browser family, major version and system: enough as evidence, too little to fingerprint anyone."""
    user_agent = user_agent or ""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    version = ""
    if browser:
        token = next(token for token, name in _BROWSERS if name == browser)
        # Safari's own token carries the WebKit build; its version is in "Version/".
        token = "Version/" if browser == "Safari" and "Version/" in user_agent else token
        match = re.search(re.escape(token) + r"(\d+)", user_agent)
        version = match[1] if match else ""
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    summary = " ".join(part for part in (browser, version) if part)
    if system:
        summary = f"{summary} ({system})" if summary else system
    return (summary or ("other" if user_agent else ""))[:200]


# Helpers -------------------------------------------------------------------------------------


def _event(expedient: Expedient, kind: str, *, at: dt.datetime, actor=None, description: str = "", params=None):
    return Event.objects.create(
        expedient=expedient,
        created_at=at,
        actor=actor,
        kind=kind,
        description=(description or "")[:500],
        params=params or {},
    )


def _recipient(expedient: Expedient):
    """Who is notified: the account that filed, else the first interessat with an account (applicant first)."""
    parties = list(InterestedParty.objects.filter(expedient=expedient).select_related("user").order_by("pk"))
    applicants = [party for party in parties if party.role == InterestedRole.APPLICANT]
    others = [party for party in parties if party.role != InterestedRole.APPLICANT]
    if expedient.citizen_id is not None:
        party = next((p for p in parties if p.user_id == expedient.citizen_id), None)
        return expedient.citizen, party or (applicants or parties or [None])[0]
    for party in applicants + others:
        if party.user_id is not None:
            return party.user, party
    return None, (applicants or parties or [None])[0]


def _correction_deadline_from(*, expedient: Expedient, correction: CorrectionRequest, day: dt.date) -> dt.date:
    """Count the 10 business days to correct from `day` (art. 68.1 with 43); the due date follows."""
    deadline = max(correction_deadline(requested_on=day), correction.requested_on)
    correction.deadline = deadline
    correction.save(update_fields=["deadline"])
    suspension = Suspension.objects.filter(correction=correction, ended_on__isnull=True).first()
    if suspension is not None:
        periods = expedient.suspensions.values_list("started_on", "ended_on")
        expedient.due_date = suspended_due_date(
            base_due_date=expedient.base_due_date,
            days_suspended=suspension_days(periods) + (deadline - suspension.started_on).days,
        )
        expedient.save(update_fields=["due_date"])
    return deadline


def _notice_queue(notification_pk: int) -> None:
    from tramits.notificacions.tasks import notification_notice_send

    notification_notice_send.delay(notification_pk)


# Actions -------------------------------------------------------------------------------------


def notification_create(
    *,
    expedient: Expedient,
    kind: NotificationKind | str,
    subject: str,
    body: str = "",
    actor=None,
    correction: CorrectionRequest | None = None,
    expedient_document: ExpedientDocument | None = None,
    issued_document=None,
    at: dt.datetime | None = None,
) -> Notification:
    """Make a notification available in the recipient's carpeta (or record it for paper) and queue the e-mail notice.

    For a correction request notified electronically, the deadline becomes the latest it can be
    (rejection after 10 calendar days, then 10 business days) until access or rejection fixes it.
    The e-mail says only that there is a notification, never what it says.
    """
    if kind not in NotificationKind.values:
        raise NotificationInvalid(f"unknown kind {kind!r}")
    for linked in (correction, expedient_document):
        if linked is not None and linked.expedient_id != expedient.pk:
            raise NotificationInvalid("the linked record belongs to another expedient")
    now = at or timezone.now()
    with transaction.atomic():
        locked = Expedient.objects.select_for_update().get(pk=expedient.pk)
        recipient, party = _recipient(locked)
        channel = NotificationChannel.ELECTRONIC if recipient is not None else NotificationChannel.PAPER
        notification = Notification.objects.create(
            expedient=locked,
            kind=kind,
            channel=channel,
            recipient=recipient,
            interested_party=party,
            language=(getattr(recipient, "language", "") or settings.LANGUAGE_CODE)[:5],
            subject=(subject or "")[:250],
            body=body or "",
            correction=correction,
            expedient_document=expedient_document,
            issued_document=issued_document,
            made_available_at=now,
        )
        params = {"notification": notification.pk, "kind": str(kind), "channel": str(channel)}
        if channel == NotificationChannel.ELECTRONIC:
            params["rejected_if_unopened_after"] = notification.rejection_at.isoformat()
            if correction is not None and correction.state == CorrectionState.PENDING:
                latest = _correction_deadline_from(
                    expedient=locked, correction=correction, day=official_date(now + REJECTION_AFTER)
                )
                params["deadline_at_the_latest"] = latest.isoformat()
        _event(locked, EventKind.NOTIFICATION_AVAILABLE, at=now, actor=actor, description=subject, params=params)
        if channel == NotificationChannel.ELECTRONIC:
            transaction.on_commit(partial(_notice_queue, notification.pk), robust=True)
    if locked is not expedient:
        expedient.due_date = locked.due_date
    logger.info(
        "notificacions.created notification=%s expedient=%s channel=%s", notification.pk, locked.reference, channel
    )
    return notification


def _reject(notification: Notification, expedient: Expedient, *, now: dt.datetime) -> None:
    notification.state = NotificationState.REJECTED
    notification.rejected_at = notification.rejection_at
    notification.save(update_fields=["state", "rejected_at"])
    params = {"notification": notification.pk, "made_available_at": notification.made_available_at.isoformat()}
    correction = notification.correction
    if correction is not None and correction.state == CorrectionState.PENDING:
        deadline = _correction_deadline_from(
            expedient=expedient, correction=correction, day=official_date(notification.rejected_at)
        )
        params["deadline"] = deadline.isoformat()
    _event(expedient, EventKind.NOTIFICATION_REJECTED, at=now, description=notification.subject, params=params)
    logger.info("notificacions.rejected notification=%s expedient=%s", notification.pk, expedient.reference)


def _locked_pair(notification: Notification) -> tuple[Notification, Expedient]:
    """The expedient, then the notification, locked in that order (the order every expedient action uses)."""
    expedient = Expedient.objects.select_for_update().get(pk=notification.expedient_id)
    current = Notification.objects.select_for_update(of=("self",)).select_related("correction").get(pk=notification.pk)
    return current, expedient


def notification_access(*, notification: Notification, user, ip: str = "", user_agent: str = "") -> Notification:
    """Record that the citizen opened the notification, with the evidence; safe to call again.

    Opening it after the 10 calendar days finds it rejected: the rejection is what took effect.
    """
    from tramits.notificacions.selectors import notification_visible

    if not notification_visible(user=user, notification=notification):
        raise NotificationPermissionDenied
    now = timezone.now()
    with transaction.atomic():
        current, expedient = _locked_pair(notification)
        if current.state == NotificationState.PENDING and now >= current.rejection_at:
            _reject(current, expedient, now=now)
        elif current.state == NotificationState.PENDING:
            current.state = NotificationState.ACCESSED
            current.accessed_at = now
            current.accessed_by = user
            current.access_ip_hash = access_ip_hash(ip)
            current.access_user_agent = user_agent_summary(user_agent)
            current.save(update_fields=["state", "accessed_at", "accessed_by", "access_ip_hash", "access_user_agent"])
            params = {
                "notification": current.pk,
                "ip_hash": current.access_ip_hash,
                "user_agent": current.access_user_agent,
            }
            correction = current.correction
            if correction is not None and correction.state == CorrectionState.PENDING:
                deadline = _correction_deadline_from(expedient=expedient, correction=correction, day=official_date(now))
                params["deadline"] = deadline.isoformat()
            _event(
                expedient,
                EventKind.NOTIFICATION_ACCESSED,
                at=now,
                actor=user,
                description=current.subject,
                params=params,
            )
            logger.info("notificacions.accessed notification=%s expedient=%s", current.pk, expedient.reference)
    for field in ("state", "accessed_at", "accessed_by_id", "access_ip_hash", "access_user_agent", "rejected_at"):
        setattr(notification, field, getattr(current, field))
    return current


def notification_reject(*, notification: Notification, now: dt.datetime | None = None) -> bool:
    """Record the rejection of a notification left unopened for 10 calendar days; False if nothing to do."""
    now = now or timezone.now()
    with transaction.atomic():
        current, expedient = _locked_pair(notification)
        if (
            current.channel != NotificationChannel.ELECTRONIC
            or current.state != NotificationState.PENDING
            or now < current.rejection_at
        ):
            return False
        _reject(current, expedient, now=now)
    return True


def notification_notice_send(*, notification: Notification) -> bool:
    """E-mail the recipient that a notification waits in the carpeta, in their language; once only.

    The row is claimed before sending, so two runs never send twice; a failed send gives the claim
    back and raises, for the task to retry.
    """
    recipient = notification.recipient
    address = (getattr(recipient, "notification_email", "") or getattr(recipient, "email", "")) if recipient else ""
    if not address or notification.channel != NotificationChannel.ELECTRONIC:
        return False
    claimed = Notification.objects.filter(pk=notification.pk, notice_sent_at__isnull=True).update(
        notice_sent_at=timezone.now()
    )
    if not claimed:
        return False
    language = getattr(recipient, "language", "") or notification.language or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            context = {
                "reference": notification.expedient.reference,
                "url": settings.SITE_URL + reverse("carpeta:notification", kwargs={"pk": notification.pk}),
                "rejection_date": official_date(notification.rejection_at),
                "language": language,
            }
            subject = " ".join(render_to_string("notificacions/email/notice_subject.txt", context).split())
            body = render_to_string("notificacions/email/notice_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    except Exception:
        Notification.objects.filter(pk=notification.pk).update(notice_sent_at=None)
        raise
    logger.info("notificacions.notice_sent notification=%s language=%s", notification.pk, language)
    return True
