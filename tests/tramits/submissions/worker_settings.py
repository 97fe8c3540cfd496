"""Settings of the Celery worker that the broker tests start: the project's, with e-mail written to files.

Everything else comes from the environment the test gives the worker (DATABASE_URL of the test
database, CELERY_BROKER_URL, PRIVATE_MEDIA_ROOT).
"""

import os

from portal.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["SEU_TEST_MAIL_DIR"]
SUBMISSIONS_FIRST_RETRY_SECONDS = float(os.environ.get("SUBMISSIONS_FIRST_RETRY_SECONDS", "1"))
