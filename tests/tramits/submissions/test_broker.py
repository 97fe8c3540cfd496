"""End to end with a real Celery worker process on Redis (not eager), and with the broker unreachable.

CI runs them against PostgreSQL with CI_REDIS_BROKER_URL (default redis://127.0.0.1:6379/2). On
SQLite the test database lives in memory, where a worker process cannot see it, so they are skipped.
"""

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from portal.celery import app
from tests.helpers.database import purge_tables
from tests.tramits.wizards.helpers import Wizard, happy_steps
from tramits.registre.models import RegisterEntry
from tramits.submissions.models import Status, Submission
from tramits.submissions.tasks import submissions_sweep

BROKER_URL = os.environ.get("CI_REDIS_BROKER_URL", "redis://127.0.0.1:6379/2")
ROOT = Path(__file__).resolve().parents[3]


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a worker process cannot see SQLite's in-memory test database"
    ),
    pytest.mark.skipif(
        not redis_reachable(BROKER_URL), reason=f"Redis is not reachable at {BROKER_URL} (CI provides it)"
    ),
    pytest.mark.django_db(transaction=True),
]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def celery_using(broker_url: str):
    """This process sends tasks to `broker_url` instead of running them eagerly."""
    keys = ("broker_url", "task_always_eager", "broker_connection_timeout", "broker_connection_retry")
    saved = {key: app.conf[key] for key in keys}

    def reset_pools():
        from kombu import pools

        pools.reset()  # kombu keeps one pool per URL; a closed one must not be handed out again
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.update(
        broker_url=broker_url, task_always_eager=False, broker_connection_timeout=1, broker_connection_retry=False
    )
    reset_pools()
    try:
        yield
    finally:
        app.conf.update(saved)
        reset_pools()


@pytest.fixture(scope="module")
def shared_dirs(tmp_path_factory):
    base = tmp_path_factory.mktemp("worker")
    dirs = {"private": base / "private", "media": base / "media", "mail": base / "mail"}
    for path in dirs.values():
        path.mkdir()
    return dirs


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, shared_dirs):
    """`celery -A portal worker --pool solo -c 1` on the test database and Redis."""
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.tramits.submissions.worker_settings",
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PRIVATE_MEDIA_ROOT": str(shared_dirs["private"]),
        "MEDIA_ROOT": str(shared_dirs["media"]),
        "SEU_TEST_MAIL_DIR": str(shared_dirs["mail"]),
        "REGISTRATION_BACKEND": "local",
        "LOG_LEVEL": "WARNING",
    }
    log = open(shared_dirs["mail"].parent / "worker.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool",
            "solo",
            "-c",
            "1",
            "--purge",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        with celery_using(BROKER_URL):
            deadline = time.monotonic() + 60
            while not app.control.ping(timeout=1):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        "the Celery worker did not start: "
                        + (shared_dirs["mail"].parent / "worker.log").read_text()[-2000:]
                    )
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def web(settings, shared_dirs, seu):
    """This process as the web node: files where the worker finds them, the API down, no e-mail of its own."""
    settings.PRIVATE_MEDIA_ROOT = shared_dirs["private"]
    settings.REGISTRATION_BACKEND = "api"
    settings.TRAMITS_API_URL = f"http://127.0.0.1:{closed_port()}/api/v1/"
    settings.TRAMITS_API_TIMEOUT = 1
    settings.SUBMISSIONS_FIRST_RETRY_SECONDS = 1
    yield seu
    purge_tables()


def wait_for(condition, *, seconds: float = 60, what: str = ""):
    """Wait for another process to do its part (not a test of time: the worker runs at its own pace)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def mails(shared_dirs) -> list[str]:
    return [path.read_text(errors="replace") for path in sorted(shared_dirs["mail"].glob("*.log"))]


def test_worker_registers_a_queued_submission_and_sends_the_email(worker, web, shared_dirs):
    before = len(mails(shared_dirs))
    with celery_using(BROKER_URL):
        wizard = Wizard(web, "GEN-INSTANCIA")
        wizard.fill(happy_steps("GEN-INSTANCIA"))
        response = wizard.submit()
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == Status.RECEIVED  # the API was down for the web node: queued on Redis

    def registered():
        submission.refresh_from_db()
        return submission.status == Status.REGISTERED

    wait_for(registered, what="the worker to register the submission")
    assert RegisterEntry.objects.count() == 1
    new_mails = wait_for(lambda: mails(shared_dirs)[before:], what="the confirmation e-mail")
    assert len(new_mails) == 1
    assert submission.register_number in new_mails[0]
    assert "justificant" in new_mails[0]  # the receipt is attached


def test_broker_unreachable_during_submission_loses_nothing(worker, web, shared_dirs):
    before = len(mails(shared_dirs))
    with celery_using(f"redis://127.0.0.1:{closed_port()}/0"):
        wizard = Wizard(web, "GEN-INSTANCIA")
        wizard.fill(happy_steps("GEN-INSTANCIA"))
        response = wizard.submit()
        assert response.status_code == 302
        page = web.get(response["Location"]).content.decode()
    submission = Submission.objects.get()
    assert submission.status == Status.RECEIVED
    assert submission.reference in page and "Sol·licitud rebuda" in page
    assert submission.files.count() == 3  # the application (data and PDF) and the document
    assert all(Path(django_settings.PRIVATE_MEDIA_ROOT, item.file.name).exists() for item in submission.files.all())
    assert not RegisterEntry.objects.exists()

    # The broker and the API are back; the periodic sweep, run by the worker, finds the submission.
    Submission.objects.filter(pk=submission.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    with celery_using(BROKER_URL):
        submissions_sweep.delay()

        def registered():
            submission.refresh_from_db()
            return submission.status == Status.REGISTERED

        wait_for(registered, what="the sweep to register the submission")
        submissions_sweep.delay()  # a second sweep changes nothing
        new_mails = wait_for(lambda: mails(shared_dirs)[before:], what="the confirmation e-mail")
    assert RegisterEntry.objects.count() == 1
    assert len(new_mails) == 1
    assert submission.attempts == 2
