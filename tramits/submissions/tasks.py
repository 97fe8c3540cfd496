"""Registration retries and confirmations of submissions; every task takes a pk and is safe to run twice."""

import logging

from celery import shared_task
from celery.exceptions import MaxRetriesExceededError

from tramits.submissions.models import Status
from tramits.submissions.services import (
    ReceiptPending,
    confirmations_due,
    retry_delay,
    submission_confirmation_send,
    submission_register,
    submissions_due,
)

logger = logging.getLogger(__name__)
SWEEP_BATCH = 200
RECEIPT_WAITS = 6  # times 5 s: after that the e-mail goes without the PDF, with the link to it


@shared_task(bind=True, max_retries=10)
def submission_register_task(self, submission_pk: int) -> str:
    """Register a submission; while the API is unreachable, retry with exponential backoff."""
    submission = submission_register(submission_id=submission_pk)
    if submission.status == Status.RECEIVED and not self.request.is_eager:
        try:
            raise self.retry(countdown=retry_delay(submission.attempts).total_seconds())
        except MaxRetriesExceededError:
            logger.warning("submissions.retries_exhausted submission=%s (the sweep keeps trying)", submission_pk)
    return submission.status


@shared_task(bind=True, max_retries=5)
def submission_confirmation_task(self, submission_pk: int) -> bool:
    """E-mail the confirmation with the receipt once; wait a little for the receipt if it is being rendered."""
    wait = not self.request.is_eager and self.request.retries < RECEIPT_WAITS
    try:
        return submission_confirmation_send(submission_id=submission_pk, wait_for_receipt=wait)
    except ReceiptPending as pending:
        raise self.retry(countdown=5, max_retries=RECEIPT_WAITS + 5) from pending
    except OSError as error:
        if self.request.is_eager:
            logger.warning("submissions.confirmation_failed submission=%s error=%s", submission_pk, error)
            return False
        raise self.retry(countdown=60 * 2**self.request.retries) from error


@shared_task
def submissions_sweep() -> dict[str, int]:
    """Queue the registrations due (retries, lost tasks, stuck attempts) and the missing confirmations."""
    registrations = list(submissions_due().values_list("pk", flat=True)[:SWEEP_BATCH])
    for pk in registrations:
        submission_register_task.delay(pk)
    confirmations = list(confirmations_due().values_list("pk", flat=True)[:SWEEP_BATCH])
    for pk in confirmations:
        submission_confirmation_task.delay(pk)
    if registrations or confirmations:
        logger.info("submissions.sweep registrations=%s confirmations=%s", len(registrations), len(confirmations))
    return {"registrations": len(registrations), "confirmations": len(confirmations)}
