"""Reads of submissions for the carpeta and the confirmation page."""

from django.db.models import QuerySet

from tramits.documents.models import IssuedDocument
from tramits.submissions.models import Status, Submission


def submissions_for(user) -> QuerySet[Submission]:
    """The user's submissions, newest first; `status`/`is_pending` tell those still waiting for registration."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Submission.objects.none()
    return Submission.objects.filter(user=user).order_by("-created_at")


def submissions_pending_for(user) -> QuerySet[Submission]:
    """Received but not registered yet (the API was down): the carpeta's "pending registration" list."""
    return submissions_for(user).filter(status__in=[Status.RECEIVED, Status.REGISTERING])


def submission_get_for(*, user, reference: str) -> Submission | None:
    return submissions_for(user).filter(reference=reference).first()


def submission_receipt(*, submission: Submission) -> IssuedDocument | None:
    """The rendered receipt of a registered submission, or None while it is being rendered."""
    if not submission.receipt_csv:
        return None
    return IssuedDocument.objects.filter(csv=submission.receipt_csv).first()
