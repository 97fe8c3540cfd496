"""The Celery application: workers and beat run `celery -A portal worker|beat`.

Every periodic task of the seu is declared here, in one schedule, so its times can be read together.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _task(path: str, schedule: crontab) -> dict:
    return {"task": f"tramits.{path}", "schedule": schedule}


app.conf.beat_schedule = {
    # Registration retries, lost tasks and missing confirmations of submissions.
    "submissions-sweep": _task("submissions.tasks.submissions_sweep", crontab(minute="*/5")),
    # Receipts whose after-commit rendering was lost.
    "registre-receipts-sweep": _task("registre.tasks.register_receipts_sweep", crontab(minute="*/10")),
    # Correction requests whose 10 business days ended; notifications unopened for 10 days.
    "expedients-corrections-expire": _task("expedients.tasks.corrections_expire", crontab(minute=7)),
    "notificacions-expire": _task("notificacions.tasks.notifications_expire", crontab(minute=17)),
    # Nightly: abandoned drafts, then files no row references.
    "wizards-drafts-cleanup": _task("wizards.tasks.drafts_cleanup", crontab(hour=3, minute=17)),
    "documents-orphan-files-sweep": _task("documents.tasks.orphan_files_sweep", crontab(hour=4, minute=41)),
}
