"""On PostgreSQL, the same idempotency key sent 10 times in parallel yields one entry and one expedient."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from tests.tramits.api.conftest import client_for, file_through, filing_data
from tramits.api.models import IdempotentRequest
from tramits.expedients.filing import filing_register
from tramits.expedients.models import Expedient
from tramits.registre.models import RegisterEntry
from tramits.registre.services import Party

THREADS = 10

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and real concurrency need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tables_purged", "calendar_seeded"),
]


def in_parallel(work) -> list:
    barrier = threading.Barrier(THREADS)

    def thread(n: int):
        try:
            barrier.wait(timeout=30)
            return work(n)
        finally:
            connections.close_all()  # each thread had its own connection

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(thread, range(THREADS)))


def test_same_key_in_parallel_through_the_api(people, departments, service_token):
    citizen = people["citizen"]

    def work(n: int):
        response = file_through(client_for(service_token), filing_data(citizen, citizen=citizen.pk), "same-key")
        return response.status_code, response.json()

    results = in_parallel(work)
    statuses = sorted(status for status, _body in results)
    assert statuses.count(201) == 1 and statuses.count(200) == THREADS - 1, results
    bodies = {repr(body) for _status, body in results}
    assert len(bodies) == 1, "every answer is the first one"
    assert RegisterEntry.objects.count() == 1
    assert Expedient.objects.count() == 1
    assert IdempotentRequest.objects.count() == 1


def test_same_key_in_parallel_through_the_service(people, departments):
    citizen = people["citizen"]

    def work(n: int):
        entry, expedient = filing_register(
            channel="electronic",
            applicant=Party(name="Maria Puig Soler", document_number=citizen.document_number, identified_by="password"),
            subject="Alta al padró",
            procedure_code="PADRO-ALTA",
            attachments=[("contracte.pdf", b"%PDF-1.4 contracte", "application/pdf")],
            idempotency_key="service-same-key",
            citizen=citizen,
        )
        return entry.pk, expedient.pk

    assert len(set(in_parallel(work))) == 1
    assert RegisterEntry.objects.count() == 1 and Expedient.objects.count() == 1
