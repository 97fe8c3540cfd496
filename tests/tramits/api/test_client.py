"""The one client, with both transports: in process against the real app, and over HTTP against a live server."""

import socket

import pytest
from django.db import transaction

from tests.tramits.expedients.factories import dni
from tramits.api.client import (
    ApiCalledInTransaction,
    ApiRejected,
    ApiUnavailable,
    FilingResult,
    TramitsApiClient,
    api_client,
)
from tramits.api.services import INPROCESS_SERVICE_EMAIL
from tramits.expedients.models import Expedient
from tramits.registre.models import RegisterEntry

PDF = ("contracte.pdf", b"%PDF-1.4 contracte", "application/pdf")


def file_with(api, citizen, key="client-key-1", **overrides) -> FilingResult:
    arguments = {
        "idempotency_key": key,
        "applicant_name": "Maria Puig Soler",
        "applicant_document_number": citizen.document_number,
        "applicant_identified_by": "oidc_valid",
        "subject": "Alta al padró",
        "procedure_code": "PADRO-ALTA",
        "attachments": [PDF],
        "citizen": citizen,
    }
    arguments.update(overrides)
    return api.filing_create(**arguments)


def exercise(api, people) -> None:
    """The same journey whatever the transport: file, repeat, read, act, list, download."""
    citizen = people["citizen"]
    result = file_with(api, citizen)
    assert result.entry.reference.startswith("E-") and result.expedient.state == "iniciat"
    assert result.entry.receipt is not None and result.entry.attachments[0].name == "contracte.pdf"
    assert result.replayed is False
    again = file_with(api, citizen)
    assert again.replayed is True and again.entry == result.entry
    assert RegisterEntry.objects.count() == 1

    reference = result.expedient_reference
    expedient = api.expedient_get(reference)
    assert expedient.department_code == "PADRO" and expedient.documents[0].file_name == "contracte.pdf"
    assert api.entry_get(result.entry_reference).expedient_reference == reference
    assert api.receipt_download(result.entry_reference).startswith(b"%PDF")
    assert api.document_download(reference, 1) == PDF[1]

    owner = api.as_user(people["owner"])
    assert owner.expedient_transition(reference, to_state="en_tramitacio").state == "en_tramitacio"
    document = owner.document_add(
        reference, title="Nota interna", file=("nota.pdf", b"%PDF-1.4 nota", "application/pdf")
    )
    assert document.sequence == 2
    task = owner.task_request(reference, to_department="URBANISME", kind="report", description="Informe")
    helper = api.as_user(people["helper"])
    assert [t.id for t in helper.tasks_list(reference)] == [task.id]
    assert helper.task_answer(reference, task.id, answer="Correcte").state == "done"
    page = owner.expedients_list(q="maria puig")
    assert page.count == 1 and page.results[0].reference == reference
    assert owner.expedients_list(state="resolt").count == 0
    assert owner.timeline(reference).results[0].kind == "opened"

    with pytest.raises(ApiRejected) as refused:
        api.as_user(people["other_citizen"]).expedient_get(reference)
    assert refused.value.status_code == 404
    with pytest.raises(ApiRejected) as invalid:
        file_with(api, citizen, key="client-key-2", applicant_document_number=dni(1)[:-1] + "Ñ")
    assert invalid.value.status_code == 400 and "applicant_document_number" in invalid.value.errors


@pytest.mark.django_db
def test_in_process_transport_against_the_real_app(people, departments, calendar_seeded):
    with api_client() as api:
        assert api.transport_name == "inprocess"
        exercise(api, people)
    assert Expedient.objects.get().citizen == people["citizen"]
    assert Expedient.objects.get().opening_entry.submitted_by == people["citizen"]
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(email=INPROCESS_SERVICE_EMAIL).api_service


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("tables_purged")
def test_http_transport_against_a_live_server(live_server, people, departments, calendar_seeded, service_token):
    with TramitsApiClient(transport="http", base_url=f"{live_server.url}/api/v1/", token=service_token) as api:
        exercise(api, people)


@pytest.mark.django_db
def test_in_process_outside_a_test_transaction_keeps_the_callers_connection(people, departments, calendar_seeded):
    # In a test the connection is inside the test's transaction; the call must leave it usable.
    with api_client() as api:
        file_with(api, people["citizen"])
    assert RegisterEntry.objects.count() == 1


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_api_is_unavailable():
    base_url = f"http://127.0.0.1:{closed_port()}/api/v1/"
    with TramitsApiClient(transport="http", base_url=base_url, token="x") as api, pytest.raises(ApiUnavailable):
        api.expedient_get("EXP-2026-000001")


def test_a_silent_api_times_out_as_unavailable():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)  # accepts the connection, never answers
        base_url = f"http://127.0.0.1:{server.getsockname()[1]}/api/v1/"
        api = TramitsApiClient(transport="http", base_url=base_url, token="x", timeout=0.3)
        with api, pytest.raises(ApiUnavailable, match="timed out"):
            api.expedients_list()


def test_server_errors_are_unavailable(monkeypatch, db):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("tramits.api.views.expedients_for", broken)
    from tramits.api.services import service_account_token_create

    token = service_account_token_create(email="sistema@example.org").key
    with TramitsApiClient(token=token) as api, pytest.raises(ApiUnavailable):
        api.expedients_list()


@pytest.mark.django_db
def test_calling_inside_a_transaction_is_refused(settings):
    settings.TRAMITS_API_CHECK_ATOMIC = True
    with api_client() as api, transaction.atomic(), pytest.raises(ApiCalledInTransaction):
        api.expedients_list()


def test_unknown_transport_is_refused(settings):
    with pytest.raises(ValueError, match="TRAMITS_API_TRANSPORT"):
        TramitsApiClient(transport="carrier-pigeon")
