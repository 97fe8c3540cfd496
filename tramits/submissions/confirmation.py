"""The confirmation e-mail once a submission is registered, with its receipt attached.

Not a formal notification (those, with access evidence, live in `tramits.notificacions`): a
courtesy e-mail; the carpeta shows the state through `tramits.submissions.selectors`.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from tramits.catalogue.procedures import get_procedure
from tramits.submissions.models import Submission
from tramits.submissions.selectors import submission_receipt

logger = logging.getLogger(__name__)
LANGUAGES = {"ca", "es", "en"}


def recipient(submission: Submission) -> str:
    user = submission.user
    return submission.applicant.get("email") or user.notification_email or user.email


def citizen_language(submission: Submission) -> str:
    language = getattr(submission.user, "language", "") or submission.language
    return language if language in LANGUAGES else "ca"


def receipt_of(submission: Submission) -> tuple[str, bytes] | None:
    """The receipt's file name and bytes, to attach, once it is rendered."""
    document = submission_receipt(submission=submission)
    if document is None:
        return None
    with document.file.open("rb") as handle:
        return document.file_name, handle.read()


def submission_registered_notify(*, submission: Submission) -> None:
    """E-mail the confirmation, in the citizen's language, with the receipt PDF attached."""
    language = citizen_language(submission)
    with translation.override(language):
        procedure = get_procedure(submission.procedure_code)
        context = {
            "submission": submission,
            "procedure_title": procedure.title(language) if procedure else submission.subject,
            "site_url": settings.SITE_URL,
            "receipt_path": f"/{language}/verificar/{submission.receipt_csv}/descarrega/"
            if submission.receipt_csv
            else "",
        }
        subject = " ".join(render_to_string("submissions/email/registered_subject.txt", context).split())
        body = render_to_string("submissions/email/registered_body.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[recipient(submission)])
    receipt = receipt_of(submission)
    if receipt is not None:
        message.attach(receipt[0], receipt[1], "application/pdf")
    message.send()
    logger.info("submissions.confirmation_sent submission=%s receipt=%s", submission.pk, receipt is not None)
