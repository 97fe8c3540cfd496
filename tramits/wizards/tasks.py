"""Periodic cleaning of abandoned drafts; safe to run twice."""

from celery import shared_task
from celery.schedules import crontab

from portal.celery import add_periodic
from tramits.wizards.services import drafts_abandoned_delete


@shared_task
def drafts_cleanup() -> int:
    """Delete drafts untouched for WIZARD_DRAFT_TTL_DAYS days, with their files."""
    return drafts_abandoned_delete()


add_periodic("wizards-drafts-cleanup", "tramits.wizards.tasks.drafts_cleanup", crontab(hour=3, minute=17))
