"""The `api` registration backend against a real gunicorn of this project serving the API (PostgreSQL).

The seu (this process) stores a submission while the register is unreachable, then `ApiBackend`
posts it over HTTP to gunicorn, as the retry would in a deployment where the seu runs apart from
the back office. On SQLite the test database lives in memory, where gunicorn cannot see it, so
these are skipped; CI runs them against PostgreSQL.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.db import connection

from tests.helpers.database import purge_tables
from tests.tramits.wizards.helpers import queued
from tramits.api.models import Operation
from tramits.api.services import service_account_token_create
from tramits.expedients.models import Expedient
from tramits.registre.applications import entry_application
from tramits.registre.models import AttachmentKind, RegisterEntry
from tramits.registre.selectors import register_entries_without_receipt
from tramits.submissions.backends.api import ApiBackend

ROOT = Path(__file__).resolve().parents[3]
HOST = "127.0.0.1"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="gunicorn cannot see SQLite's in-memory database"),
    pytest.mark.django_db(transaction=True),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_for(condition, *, seconds: float = 60, what: str = ""):
    """Wait for another process to do its part (not a test of time: the server works at its own pace)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def gunicorn(django_db_setup, django_db_blocker, tmp_path_factory):
    """`gunicorn portal.wsgi` with 2 workers on a free port, on the test database, in the embedded mode."""
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST'] or HOST}:{database['PORT'] or 5432}/{database['NAME']}"
    base = tmp_path_factory.mktemp("gunicorn")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": url,
            "DEBUG": "0",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "CELERY_TASK_ALWAYS_EAGER": "1",  # receipts rendered by the worker after its answer
            "PRIVATE_MEDIA_ROOT": str(base / "private"),
            "MEDIA_ROOT": str(base / "media"),
            "STATIC_ROOT": str(base / "static"),
            "LOG_LEVEL": "WARNING",
        }
    )
    port = free_port()
    log_path = base / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi", "--workers", "2", "--bind", f"{HOST}:{port}"]
    command += ["--timeout", "60", "--log-level", "warning", "--error-logfile", str(log_path)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base_url = f"http://{HOST}:{port}"

    def answers():
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited: {log_path.read_text()[-2000:] if log_path.exists() else ''}")
        try:
            return httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(answers, what="gunicorn to answer /healthz")
        yield {"url": base_url, "private": base / "private"}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def api_backend(gunicorn, settings):
    """The backend under test, with an internal system's token; the register emptied afterwards.

    This process reads the files where the server stores them, as the back office would.
    """
    settings.PRIVATE_MEDIA_ROOT = gunicorn["private"]
    token = service_account_token_create(
        email="seu@example.org", name="Seu", operations=Operation.values, all_procedures=True
    ).key
    yield ApiBackend(base_url=f"{gunicorn['url']}/api/v1/", token=token, timeout=30)
    # The server renders each receipt once its answer has gone: let it finish before emptying the tables.
    wait_for(lambda: not register_entries_without_receipt().exists(), what="the server to render the receipts")
    purge_tables()


def test_gunicorn_registers_the_submission_once_with_its_application_and_documents(api_backend, seu, register_down):
    submission = queued(seu, "PADRO-ALTA")

    filed = api_backend.register(submission=submission)

    entry = RegisterEntry.objects.get(reference=filed.register_number)
    assert Expedient.objects.get(reference=filed.expedient_number).opening_entry == entry
    assert filed.receipt_csv == entry.receipt_csv
    attachments = list(entry.attachments.order_by("position"))
    assert [item.kind for item in attachments] == [
        AttachmentKind.APPLICATION_DATA,
        AttachmentKind.APPLICATION_FORM,
        AttachmentKind.DOCUMENT,
    ]
    assert [item.sha256 for item in attachments] == [item.sha256 for item in submission.files.order_by("pk")]
    assert entry_application(entry=entry) == submission.application

    again = api_backend.register(submission=submission)
    assert (again.register_number, again.expedient_number) == (filed.register_number, filed.expedient_number)
    assert RegisterEntry.objects.count() == 1 and Expedient.objects.count() == 1


def test_the_receipt_rendered_by_gunicorn_after_its_answer_can_be_downloaded(api_backend, seu, register_down):
    filed = api_backend.register(submission=queued(seu, "GEN-INSTANCIA"))
    url = f"{api_backend.base_url}registre/entrades/{filed.register_number}/justificant/"
    headers = {"Authorization": f"Token {api_backend.token}"}

    # The entry answered before its receipt existed; the worker renders it once the answer has gone.
    wait_for(lambda: not register_entries_without_receipt().exists(), what="the receipt to be rendered")
    response = httpx.get(url, headers=headers, timeout=30)

    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
