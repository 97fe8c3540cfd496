"""One contract, two registration backends: `local` (the filing service in process) and `api` (HTTP to the API).

Each test runs against both: the wizard stores a submission while the register is unreachable,
then the backend under test registers it, as the retry would.
"""

import threading
import time

import pytest
from django.db import OperationalError, connection, connections, transaction

from tests.helpers.database import purge_tables
from tests.tramits.wizards.helpers import closed_port, happy_steps, queued
from tramits.api.models import Operation
from tramits.api.services import service_account_token_create
from tramits.expedients.models import Expedient
from tramits.registre.applications import entry_application
from tramits.registre.models import AttachmentKind, RegisterCounter, RegisterEntry
from tramits.registre.selectors import register_entries_without_receipt
from tramits.submissions.backends import RegistrationDeferred, RegistrationRefused, registration_backend
from tramits.submissions.backends.api import ApiBackend
from tramits.submissions.models import Submission

BACKENDS = ["local", "api"]
pytestmark = pytest.mark.django_db(transaction=True)  # the live server sees only committed rows


@pytest.fixture
def backend(request, settings):
    """The backend under test; `api` posts to a live server of this same application."""
    if request.param == "local":
        yield registration_backend("local")
    else:
        live_server = request.getfixturevalue("live_server")
        token = service_account_token_create(
            email="seu@example.org", name="Seu", operations=Operation.values, all_procedures=True
        ).key
        yield ApiBackend(base_url=f"{live_server.url}/api/v1/", token=token, timeout=20)
        # The server renders each receipt once its answer has gone: let it finish before emptying the tables.
        deadline = time.monotonic() + 30
        while register_entries_without_receipt().exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    purge_tables()


@pytest.fixture
def purged():
    yield
    purge_tables()


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_registers_the_application_with_its_documents_and_the_proven_applicant(backend, seu, citizen, register_down):
    submission = queued(seu, "PADRO-ALTA")
    filed = backend.register(submission=submission)
    entry = RegisterEntry.objects.get(reference=filed.register_number)
    assert Expedient.objects.get(reference=filed.expedient_number).opening_entry == entry
    assert filed.receipt_csv == entry.receipt_csv
    assert [item.kind for item in entry.attachments.order_by("position")] == [
        AttachmentKind.APPLICATION_DATA,
        AttachmentKind.APPLICATION_FORM,
        AttachmentKind.DOCUMENT,
    ]
    assert [item.sha256 for item in entry.attachments.order_by("position")] == [
        item.sha256 for item in submission.files.order_by("pk")
    ]
    assert entry_application(entry=entry) == submission.application
    assert (entry.applicant_name, entry.applicant_document_number, entry.applicant_identified_by) == (
        citizen.get_full_name(),
        citizen.document_number,
        "password",
    )
    assert entry.submitted_by_id == citizen.pk or entry.submitted_by is None


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_the_same_submission_twice_is_one_entry(backend, seu, register_down):
    submission = queued(seu, "GEN-INSTANCIA")
    first = backend.register(submission=submission)
    again = backend.register(submission=submission)
    assert again.register_number == first.register_number and again.expedient_number == first.expedient_number
    assert RegisterEntry.objects.count() == 1 and Expedient.objects.count() == 1


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_the_department_the_citizen_chose_receives_it(backend, seu, register_down):
    steps = happy_steps("GEN-INSTANCIA")
    steps[1] = ("sollicitud", {**steps[1][1], "department": "URBANISME"}, {})
    filed = backend.register(submission=queued(seu, "GEN-INSTANCIA", steps))
    assert Expedient.objects.get(reference=filed.expedient_number).department.code == "URBANISME"
    assert RegisterEntry.objects.get(reference=filed.register_number).unit.code == "URBANISME"


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_a_filing_the_register_refuses_writes_nothing(backend, seu, register_down):
    submission = queued(seu, "GEN-INSTANCIA")
    Submission.objects.filter(pk=submission.pk).update(procedure_code="NO-EXISTEIX")
    submission.refresh_from_db()
    with pytest.raises(RegistrationRefused):
        backend.register(submission=submission)
    assert not RegisterEntry.objects.exists() and not Expedient.objects.exists()


@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_a_register_that_cannot_answer_defers(backend, seu, register_down, monkeypatch):
    submission = queued(seu, "GEN-INSTANCIA")
    if isinstance(backend, ApiBackend):
        backend = ApiBackend(base_url=f"http://127.0.0.1:{closed_port()}/api/v1/", token="x", timeout=1)
    else:

        def locked(**kwargs):
            raise OperationalError("could not obtain lock on row in relation")

        monkeypatch.setattr("tramits.submissions.backends.local.filing_register", locked)
    with pytest.raises(RegistrationDeferred):
        backend.register(submission=submission)
    assert not RegisterEntry.objects.exists()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL")
def test_a_register_counter_held_too_long_defers_the_local_filing(seu, register_down, settings, purged):
    """Another transaction holds the register's counter: the filing gives up after the lock timeout, to be retried."""
    first = queued(seu, "GEN-INSTANCIA")
    register_down()
    registration_backend("local").register(submission=first)  # the year's counter row exists now
    steps = happy_steps("GEN-INSTANCIA")
    steps[1] = ("sollicitud", {**steps[1][1], "subject": "Una altra"}, {})
    settings.REGISTRATION_BACKEND = "api"
    second = queued(seu, "GEN-INSTANCIA", steps)
    settings.REGISTRE_LOCK_TIMEOUT_SECONDS = 0.5
    holder_ready, release = threading.Event(), threading.Event()

    def hold_the_counter():
        try:
            with transaction.atomic():
                list(RegisterCounter.objects.select_for_update())
                holder_ready.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_counter)
    holder.start()
    try:
        assert holder_ready.wait(timeout=30)
        with pytest.raises(RegistrationDeferred):
            registration_backend("local").register(submission=second)
    finally:
        release.set()
        holder.join(timeout=30)
    assert RegisterEntry.objects.count() == 1
    assert registration_backend("local").register(submission=second).register_number  # free again: registered
