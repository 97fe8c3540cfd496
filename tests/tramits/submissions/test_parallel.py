"""Ten parallel final POSTs of one wizard give one submission and one register entry (PostgreSQL)."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client

from tests.helpers.database import purge_tables
from tests.tramits.wizards.helpers import Wizard, happy_steps
from tramits.registre.models import RegisterEntry
from tramits.submissions.models import Status, Submission

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def purged():
    yield
    purge_tables()


def test_ten_parallel_final_posts_give_one_entry(seu, citizen, purged, settings):
    wizard = Wizard(seu, "PADRO-ALTA")
    wizard.fill(happy_steps("PADRO-ALTA"))
    key = re.search(r'name="draft_key" value="([^"]+)"', wizard.check_page().content.decode())[1]
    data = {"PADRO-ALTA-current_step": "revisio", "revisio-declaration": "on", "draft_key": key}
    barrier = threading.Barrier(10)

    def final_post(_):
        client = Client()
        client.cookies = seu.cookies  # the same session, as ten clicks of one browser
        try:
            barrier.wait(timeout=30)
            return client.post(wizard.url("revisio"), data)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(pool.map(final_post, range(10)))

    assert Submission.objects.count() == 1
    submission = Submission.objects.get()
    assert submission.status == Status.REGISTERED, submission.last_error
    assert RegisterEntry.objects.count() == 1
    locations = {response["Location"] for response in responses if response.status_code == 302}
    assert locations == {f"/ca/tramitar/sollicitud/{submission.reference}/"}, [r.status_code for r in responses]
