"""Periodic work of the documents app; safe to run twice."""

import datetime as dt

from celery import shared_task

from tramits.documents.sweeps import orphan_files_delete

# Older than a filing in progress can be: a file younger than this may still be waiting for its row.
ORPHAN_AGE = dt.timedelta(days=1)


@shared_task
def orphan_files_sweep() -> int:
    """Delete the private files no row refers to, a day after they were written."""
    return orphan_files_delete(older_than=ORPHAN_AGE)
