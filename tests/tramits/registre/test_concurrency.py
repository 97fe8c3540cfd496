import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from tramits.registre import services
from tramits.registre.models import RegisterCounter, RegisterEntry

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("register_purged"),
]

THREADS = 24


class InjectedFailure(Exception):
    pass


@pytest.fixture(autouse=True)
def _no_receipts(monkeypatch):
    monkeypatch.setattr(services, "_receipt_queue", lambda entry_pk: None)


def run_in_threads(count: int, work):
    """Start `work(i)` in `count` threads at the same moment; each thread has its own connection."""
    barrier = threading.Barrier(count)

    def run(i: int):
        try:
            barrier.wait(timeout=30)
            return work(i)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(run, i) for i in range(count)]
        return [future.exception() or future.result() for future in futures]


def test_concurrent_filings_with_rollbacks_get_gapless_numbers_in_time_order(make_entry):
    def work(i: int):
        with transaction.atomic():
            entry = make_entry(subject=f"Sol·licitud {i}")
            if i % 4 == 0:
                raise InjectedFailure(entry.number)  # the number taken is given back by the rollback
        return entry.number

    results = run_in_threads(THREADS, work)
    failures = [result for result in results if isinstance(result, InjectedFailure)]
    assert len(failures) == THREADS // 4
    assert not [result for result in results if isinstance(result, Exception) and result not in failures]

    entries = list(RegisterEntry.objects.order_by("number"))
    committed = THREADS - len(failures)
    assert [entry.number for entry in entries] == list(range(1, committed + 1))
    timestamps = [entry.registered_at for entry in entries]
    assert timestamps == sorted(timestamps)
    assert RegisterCounter.objects.get().next_number == committed + 1
    from django.core.management import call_command

    call_command("verify_register", verbosity=0)


def test_same_key_sent_ten_times_at_once_gives_one_entry(make_entry):
    results = run_in_threads(10, lambda i: make_entry(idempotency_key="submission-42").pk)
    assert all(isinstance(result, int) for result in results), results
    assert len(set(results)) == 1
    assert RegisterEntry.objects.count() == 1
    assert RegisterCounter.objects.get().next_number == 2
