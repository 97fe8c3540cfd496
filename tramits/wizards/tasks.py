"""Periodic cleaning of abandoned drafts; safe to run twice."""

from celery import shared_task

from tramits.wizards.services import drafts_abandoned_delete


@shared_task
def drafts_cleanup() -> int:
    """Delete drafts untouched for WIZARD_DRAFT_TTL_DAYS days, with their files."""
    return drafts_abandoned_delete()
