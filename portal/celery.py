"""The Celery application: workers and beat run `celery -A portal worker|beat`."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {}


def add_periodic(name: str, task: str, schedule: crontab | float) -> None:
    """Let each app declare its periodic tasks next to the tasks themselves."""
    app.conf.beat_schedule[name] = {"task": task, "schedule": schedule}
