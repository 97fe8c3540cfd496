"""Writes of submissions: store the application, register it through the API, confirm it by e-mail.

The order is the reliability rule of DESIGN.md: the submission is stored in one transaction;
the API is called after it commits, never inside a transaction; when the API cannot be reached
the row stays `received` with its next attempt time (the outbox), and a task retries it. The
same idempotency key on every attempt makes the API return the first entry and expedient.
"""

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from tramits.background import task_start
from tramits.documents.models import IssuedDocument
from tramits.expedients.models import Expedient
from tramits.incidencies.services import incident_bookkeeping, incident_outage_end, incident_outage_record
from tramits.registre.models import AttachmentKind, RegisterEntry
from tramits.registre.services import register_receipt_ensure
from tramits.representacions.services import RepresentationInvalid, representation_request
from tramits.submissions.backends import RegistrationDeferred, RegistrationRefused, registration_backend
from tramits.submissions.models import Status, Submission, SubmissionFile

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 60 * 60


class SubmissionError(Exception):
    """Base of the submissions' domain errors."""


@dataclass(frozen=True)
class FileRef:
    """A checked upload already in private storage, handed to the submission."""

    step: str
    field: str
    label: str
    stored_name: str
    name: str
    content_type: str
    size: int
    sha256: str = ""
    kind: str = AttachmentKind.DOCUMENT


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff: 30 s, 1 min, 2 min… up to one hour between attempts (SUBMISSIONS_FIRST_RETRY_SECONDS)."""
    first = float(getattr(settings, "SUBMISSIONS_FIRST_RETRY_SECONDS", FIRST_RETRY_SECONDS))
    return dt.timedelta(seconds=min(first * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS))


def registering_lease() -> dt.timedelta:
    """How long an attempt may be in flight before the sweep assumes its worker died."""
    return dt.timedelta(seconds=max(60.0, 3 * float(getattr(settings, "TRAMITS_API_TIMEOUT", 10))))


def submission_create(
    *,
    user,
    procedure_code: str,
    idempotency_key: str,
    subject: str,
    answers: dict,
    applicant: dict,
    files: Sequence[FileRef],
    language: str,
    application: dict | None = None,
    reference: str | None = None,
    extra: dict | None = None,
) -> tuple[Submission, bool]:
    """Store a submission and its files (a savepoint in the caller's transaction); the same key returns it.

    Registration is queued on commit: it starts only once the submission is safely stored.
    """
    existing = Submission.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                **({"reference": reference} if reference else {}),
                user=user,
                procedure_code=procedure_code,
                idempotency_key=idempotency_key,
                subject=subject[:500],
                answers=answers,
                application=application or {},
                applicant=applicant,
                extra=extra or {},
                language=language[:5],
            )
            SubmissionFile.objects.bulk_create(
                SubmissionFile(
                    submission=submission,
                    kind=item.kind,
                    sha256=item.sha256,
                    step=item.step,
                    field=item.field,
                    label=item.label[:300],
                    file=item.stored_name,
                    name=item.name[:160],
                    content_type=item.content_type,
                    size=item.size,
                )
                for item in files
            )
    except IntegrityError:
        # Another request with the same key stored it first: theirs is the submission.
        existing = Submission.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing, False
    logger.info("submissions.received submission=%s procedure=%s files=%s", submission.pk, procedure_code, len(files))
    return submission, True


def submission_register(*, submission_id: int) -> Submission:
    """Try to register the submission once, through the registration backend; returns it as it stands afterwards.

    `registered`: done (the confirmation goes out on commit). `received` with `next_attempt_at`:
    the register could not be reached; try again then. `registering`: another attempt holds it.
    `failed_permanently`: the register refused the filing; staff must look at `last_error`.
    Safe to call twice or concurrently: only the caller that claims the row files it. Call it
    outside any transaction: the backend's work is its own transaction, or a remote call.
    """
    now = timezone.now()
    claimed = (
        Submission.objects.filter(pk=submission_id)
        .filter(
            Q(status=Status.RECEIVED) | Q(status=Status.REGISTERING, attempt_started_at__lt=now - registering_lease())
        )
        .update(status=Status.REGISTERING, attempts=F("attempts") + 1, attempt_started_at=now, updated_at=now)
    )
    submission = Submission.objects.select_related("user").get(pk=submission_id)
    if not claimed:
        return submission
    try:
        filed = registration_backend().register(submission=submission)
    except RegistrationRefused as error:
        Submission.objects.filter(pk=submission_id, status=Status.REGISTERING).update(
            status=Status.FAILED_PERMANENTLY, last_error=str(error)[:500], updated_at=timezone.now()
        )
        logger.error("submissions.rejected submission=%s attempts=%s", submission_id, submission.attempts)
        submission.refresh_from_db()
        return submission
    except Exception as error:
        # Unreachable, timed out, locked, 5xx — or anything unexpected: keep it and retry, never lose it.
        delay = retry_delay(submission.attempts)
        Submission.objects.filter(pk=submission_id, status=Status.REGISTERING).update(
            status=Status.RECEIVED,
            last_error=f"{type(error).__name__}: {error}"[:500],
            next_attempt_at=timezone.now() + delay,
            updated_at=timezone.now(),
        )
        level = logging.WARNING if isinstance(error, RegistrationDeferred) else logging.ERROR
        logger.log(
            level,
            "submissions.deferred submission=%s attempts=%s retry_in=%ss error=%s",
            submission_id,
            submission.attempts,
            int(delay.total_seconds()),
            type(error).__name__,
            exc_info=level == logging.ERROR,
        )
        with incident_bookkeeping():
            incident_outage_record(submission_id=submission_id)
        submission.refresh_from_db()
        return submission
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission_id)
        if locked.status != Status.REGISTERED:
            locked.status = Status.REGISTERED
            locked.register_number = filed.register_number
            locked.expedient_number = filed.expedient_number
            locked.receipt_csv = filed.receipt_csv
            locked.receipt_url = filed.receipt_url
            locked.registered_at = filed.registered_at or timezone.now()
            locked.last_error = ""
            locked.next_attempt_at = None
            locked.save()
            _representation_record(submission=locked)
            transaction.on_commit(partial(_registered_follow_up, locked.pk), robust=True)
            logger.info(
                "submissions.registered submission=%s entry=%s expedient=%s attempts=%s",
                locked.pk,
                filed.register_number,
                filed.expedient_number,
                locked.attempts,
            )
    with incident_bookkeeping():
        incident_outage_end()
    return locked


def _representation_record(*, submission: Submission) -> None:
    """A registered GEN-REPRESENTACIO becomes a representation request that staff accept or reject."""
    if submission.procedure_code != "GEN-REPRESENTACIO":
        return
    represented = submission.answers.get("representat", {})
    scope = submission.answers.get("abast", {})
    valid_until = scope.get("valid_until")
    try:
        with transaction.atomic():
            _representation_request_from(submission, represented, scope, valid_until)
    except RepresentationInvalid as error:
        # The filing stands either way: staff see the GEN-REPRESENTACIO expedient and decide on it.
        logger.warning(
            "submissions.representation_not_recorded submission=%s fields=%s",
            submission.pk,
            sorted(getattr(error, "message_dict", {})),
        )


def _representation_request_from(submission: Submission, represented: dict, scope: dict, valid_until) -> None:
    representation_request(
        representative=submission.user,
        represented_name=represented.get("full_name", ""),
        represented_document_number=represented.get("document_number", ""),
        represented_document_type=represented.get("document_type", ""),
        scope="procedures" if scope.get("scope") == "un" else "all",
        procedure_codes=[scope["procedure"]] if scope.get("scope") == "un" and scope.get("procedure") else [],
        valid_until=dt.date.fromisoformat(valid_until) if valid_until else None,
        expedient=Expedient.objects.filter(reference=submission.expedient_number).first(),
    )


def submission_register_later(*, submission: Submission) -> bool:
    """Queue a retry at the submission's next attempt time; False when the broker cannot take it.

    A lost message loses nothing: the periodic sweep finds the row by its `next_attempt_at`.
    """
    from tramits.submissions.tasks import submission_register_task

    if submission_register_task.app.conf.task_always_eager:
        # Embedded mode has no worker to wait for; the sweep (or `manage.py submissions_sweep`) retries.
        return False
    countdown = (
        max((submission.next_attempt_at - timezone.now()).total_seconds(), 0) if submission.next_attempt_at else 0
    )
    try:
        submission_register_task.apply_async((submission.pk,), countdown=countdown, retry=False)
    except Exception as error:
        logger.warning(
            "submissions.queue_failed submission=%s error=%s: %s", submission.pk, type(error).__name__, error
        )
        return False
    return True


def _registered_follow_up(submission_id: int) -> None:
    from tramits.submissions.tasks import submission_confirmation_task

    try:
        task_start(submission_confirmation_task, submission_id)
    except Exception as error:
        logger.warning(
            "submissions.confirmation_queue_failed submission=%s error=%s", submission_id, type(error).__name__
        )


class ReceiptPending(SubmissionError):
    """The receipt PDF is not rendered yet: the confirmation waits for it, to go out with it attached."""


def submission_confirmation_send(*, submission_id: int, wait_for_receipt: bool = False) -> bool:
    """Send the confirmation once (claimed by a conditional update); False when there was nothing to send.

    With `wait_for_receipt`, raises ReceiptPending while the receipt is still being rendered.
    """
    from tramits.submissions.confirmation import submission_registered_notify
    from tramits.submissions.selectors import submission_receipt

    if wait_for_receipt:
        pending = Submission.objects.filter(pk=submission_id, confirmation_sent_at__isnull=True).first()
        if pending is not None and pending.receipt_csv and submission_receipt(submission=pending) is None:
            raise ReceiptPending(submission_id)
    now = timezone.now()
    claimed = Submission.objects.filter(
        pk=submission_id, status=Status.REGISTERED, confirmation_sent_at__isnull=True
    ).update(confirmation_sent_at=now)
    if not claimed:
        return False
    submission = Submission.objects.select_related("user").get(pk=submission_id)
    try:
        submission_registered_notify(submission=submission)
    except BaseException:
        Submission.objects.filter(pk=submission_id, confirmation_sent_at=now).update(confirmation_sent_at=None)
        raise
    return True


def submissions_due(*, now: dt.datetime | None = None):
    """Submissions whose registration should be tried now: retries due, new ones whose task got lost, stuck ones."""
    now = now or timezone.now()
    return Submission.objects.filter(
        Q(status=Status.RECEIVED, next_attempt_at__lte=now)
        | Q(status=Status.RECEIVED, next_attempt_at__isnull=True, created_at__lte=now - dt.timedelta(minutes=2))
        | Q(status=Status.REGISTERING, attempt_started_at__lt=now - registering_lease())
    ).order_by("created_at")


def confirmations_due(*, now: dt.datetime | None = None):
    now = now or timezone.now()
    return Submission.objects.filter(
        status=Status.REGISTERED, confirmation_sent_at__isnull=True, registered_at__lte=now - dt.timedelta(minutes=2)
    ).order_by("registered_at")


def submission_receipt_ensure(*, submission: Submission) -> IssuedDocument | None:
    """The receipt of a registered submission, rendered now if the background work has not yet done it."""
    from tramits.submissions.selectors import submission_receipt

    existing = submission_receipt(submission=submission)
    if existing is not None or not submission.register_number:
        return existing
    entry = RegisterEntry.objects.filter(reference=submission.register_number).first()
    return register_receipt_ensure(entry=entry) if entry is not None else None
