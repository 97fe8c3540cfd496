"""Writes of technical incidents: the register's outages open and close them by themselves.

`tramits.submissions.services.submission_register` records an outage after each deferred
attempt and ends it after each success. Both are safe to call twice and concurrently: the open
incident's row is locked, and the partial unique constraint keeps a single open incident per
kind if two first failures race. Logs carry ids and kinds only, never personal data.
"""

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tramits.incidencies.models import AUTOMATIC_KINDS, AffectedSubmission, IncidentKind, TechnicalIncident

logger = logging.getLogger(__name__)


class IncidentError(Exception):
    """Base of the incidents' domain errors."""


class KindNotAutomatic(IncidentError):
    """Only the automatic kinds are opened and closed by the services; staff manage the others."""


@contextmanager
def incident_bookkeeping() -> Iterator[None]:
    """Wrap incident writes made on a filing's path: a failure is logged and the filing goes on."""
    try:
        yield
    except Exception as error:
        logger.error("incidencies.not_recorded error=%s", type(error).__name__, exc_info=True)


def _check_automatic(kind: str) -> None:
    if kind not in AUTOMATIC_KINDS:
        raise KindNotAutomatic(kind)


def incident_outage_record(
    *,
    kind: str = IncidentKind.REGISTER_UNREACHABLE,
    at: dt.datetime | None = None,
    submission_id: int | None = None,
) -> TechnicalIncident:
    """Open the kind's incident at this failure unless one is open, and count the submission in it once."""
    _check_automatic(kind)
    at = at or timezone.now()
    try:
        incident, opened, counted = _outage_record(kind=kind, at=at, submission_id=submission_id)
    except IntegrityError:
        # A concurrent first failure opened it between our read and our insert: count in theirs.
        incident, opened, counted = _outage_record(kind=kind, at=at, submission_id=submission_id)
    if opened:
        logger.warning("incidencies.opened incident=%s kind=%s", incident.pk, kind)
    if counted:
        logger.info("incidencies.submission_affected incident=%s submission=%s", incident.pk, submission_id)
    return incident


def _outage_record(*, kind: str, at: dt.datetime, submission_id: int | None) -> tuple[TechnicalIncident, bool, bool]:
    with transaction.atomic():
        incident = TechnicalIncident.objects.select_for_update().filter(kind=kind, ended_at__isnull=True).first()
        opened = incident is None
        if opened:
            incident = TechnicalIncident.objects.create(kind=kind, started_at=at)
        elif at < incident.started_at:
            # Calls can arrive out of order; the incident starts at the earliest failure.
            incident.started_at = at
            incident.save(update_fields=["started_at", "updated_at"])
        counted = False
        if submission_id is not None:
            _link, counted = AffectedSubmission.objects.get_or_create(incident=incident, submission_id=submission_id)
            if counted:
                TechnicalIncident.objects.filter(pk=incident.pk).update(
                    submissions_affected=F("submissions_affected") + 1
                )
                incident.refresh_from_db(fields=["submissions_affected"])
    return incident, opened, counted


def incident_outage_end(
    *, kind: str = IncidentKind.REGISTER_UNREACHABLE, at: dt.datetime | None = None
) -> TechnicalIncident | None:
    """Close the kind's open incident at this first success after it; None when none was open."""
    _check_automatic(kind)
    # Every registration asks: one plain read in the usual case, when nothing is open.
    if not TechnicalIncident.objects.filter(kind=kind, ended_at__isnull=True).exists():
        return None
    at = at or timezone.now()
    with transaction.atomic():
        incident = TechnicalIncident.objects.select_for_update().filter(kind=kind, ended_at__isnull=True).first()
        if incident is None:  # another success closed it meanwhile
            return None
        incident.ended_at = max(at, incident.started_at)
        incident.save(update_fields=["ended_at", "updated_at"])
    logger.warning(
        "incidencies.closed incident=%s kind=%s affected=%s", incident.pk, kind, incident.submissions_affected
    )
    return incident
