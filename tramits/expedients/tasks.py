"""Follow-up work of expedients, safe to run twice."""

from celery import shared_task

from tramits.expedients.models import CorrectionRequest
from tramits.expedients.selectors import corrections_expired
from tramits.expedients.services import correction_expire


@shared_task
def corrections_expire(correction_pks: list[int] | None = None) -> int:
    """Record the expiry of the given correction requests, or of every overdue one; returns how many expired."""
    if correction_pks is None:
        correction_pks = list(corrections_expired().values_list("pk", flat=True)[:1000])
    expired = 0
    for correction in CorrectionRequest.objects.filter(pk__in=correction_pks).select_related("expedient"):
        expired += correction_expire(correction=correction)
    return expired


# Hourly rather than at midnight only, so a missed run is caught up the same morning.
