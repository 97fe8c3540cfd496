"""On PostgreSQL, concurrent openings take numbers 1..N in time order, with rollbacks giving numbers back."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from tests.tramits.expedients.factories import DepartmentFactory, dni
from tramits.expedients.models import Expedient
from tramits.expedients.services import expedient_open
from tramits.registre.models import Channel, IdentificationMethod, Register
from tramits.registre.services import Party, register_entry_create

THREADS = 24

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and real concurrency need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tables_purged", "no_receipts"),
]


class InjectedRollback(Exception):
    pass


@pytest.fixture
def no_receipts(monkeypatch):
    """Receipts are rendered after commit by a task; this test is about numbers, not PDFs."""
    monkeypatch.setattr("tramits.registre.tasks.register_receipt_generate.delay", lambda *args, **kwargs: None)


def register(department, n: int):
    return register_entry_create(
        register=Register.INCOMING,
        channel=Channel.ELECTRONIC,
        applicant=Party(
            name=f"Persona {n}", document_number=dni(20_000_000 + n), identified_by=IdentificationMethod.OIDC_VALID
        ),
        subject="Alta al padró",
        procedure_code="PADRO-ALTA",
        unit_dir3=department.dir3,
    )


def run_in_threads(work) -> list:
    barrier = threading.Barrier(THREADS)

    def thread(n: int):
        try:
            barrier.wait(timeout=30)
            return work(n)
        except InjectedRollback:
            return None
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(thread, range(THREADS)))


def assert_numbers_without_gaps(expected_count: int) -> None:
    rows = list(Expedient.objects.order_by("number").values_list("year", "number", "opened_at"))
    assert len(rows) == expected_count
    assert [number for _year, number, _at in rows] == list(range(1, expected_count + 1))
    assert len({year for year, _number, _at in rows}) == 1
    opened = [at for _year, _number, at in rows]
    assert opened == sorted(opened), "numbers follow the official time"


def test_concurrent_openings_of_registered_entries():
    department = DepartmentFactory()
    entries = [register(department, n) for n in range(THREADS)]

    def work(n: int):
        with transaction.atomic():
            expedient = expedient_open(
                entry=entries[n], department=department, procedure_code="PADRO-ALTA", subject="Alta"
            )
            if n % 4 == 1:
                raise InjectedRollback
        return expedient.number

    results = run_in_threads(work)
    committed = sorted(number for number in results if number is not None)
    assert len(committed) == THREADS - len(range(1, THREADS, 4))
    assert committed == list(range(1, len(committed) + 1))
    assert_numbers_without_gaps(len(committed))


def test_concurrent_filings_register_and_open_in_one_transaction():
    department = DepartmentFactory()

    def work(n: int):
        with transaction.atomic():
            entry = register(department, n)
            expedient = expedient_open(entry=entry, department=department, procedure_code="PADRO-ALTA", subject="Alta")
            if n % 5 == 2:
                raise InjectedRollback
        return entry.number, expedient.number

    results = [result for result in run_in_threads(work) if result is not None]
    assert len(results) == THREADS - len(range(2, THREADS, 5))
    assert_numbers_without_gaps(len(results))
    # The register and the expedients took their numbers in the same order.
    assert sorted(results) == [(n, n) for n in range(1, len(results) + 1)]
