"""`/registre/entrades/`: filing through the API, idempotency, reading entries and downloading receipts."""

import hashlib

import pytest

from tests.tramits.api.conftest import (
    ENTRIES_URL,
    PDF,
    PNG,
    file_through,
    filing_data,
    new_key,
    pdf_upload,
    private_files,
)
from tramits.api.models import IdempotentRequest
from tramits.documents.models import IssuedDocument
from tramits.expedients.models import Expedient
from tramits.registre.models import RegisterEntry

pytestmark = pytest.mark.django_db


def test_filing_answers_with_the_entry_its_receipt_and_the_expedient(api, people):
    data = filing_data(
        people["citizen"], attachments=[pdf_upload(), pdf_upload("foto.png", PNG, "image/png")], language="es"
    )
    response = file_through(api["citizen"], data)
    assert response.status_code == 201, response.json()
    body = response.json()
    entry, expedient = body["entry"], body["expedient"]
    assert entry["reference"].startswith("E-") and entry["register"] == "E"
    assert entry["applicant"] == {
        "name": "Maria Puig Soler",
        "document_type": "dni",
        "document_number": people["citizen"].document_number,
        "identified_by": "oidc_valid",
    }
    assert entry["representative"] is None
    assert entry["language"] == "es"
    assert [(a["name"], a["size"], a["content_type"], a["sha256"]) for a in entry["attachments"]] == [
        ("contracte.pdf", len(PDF), "application/pdf", hashlib.sha256(PDF).hexdigest()),
        ("foto.png", len(PNG), "image/png", hashlib.sha256(PNG).hexdigest()),
    ]
    assert len(entry["receipt"]["csv"].replace("-", "")) == 20
    assert entry["receipt"]["download_url"].endswith(f"/api/v1/registre/entrades/{entry['reference']}/justificant/")
    assert entry["expedient"]["reference"] == expedient["reference"]
    assert expedient["state"] == "iniciat" and expedient["department"]["code"] == "PADRO"
    assert expedient["procedure_code"] == "PADRO-ALTA" and expedient["due_date"]
    stored = Expedient.objects.get(reference=expedient["reference"])
    assert stored.citizen == people["citizen"] and stored.opening_entry.reference == entry["reference"]


def test_the_same_key_and_body_gives_the_same_answer_and_one_entry(api, people):
    key = new_key()
    first = file_through(api["citizen"], filing_data(people["citizen"]), key)
    again = file_through(api["citizen"], filing_data(people["citizen"]), key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert RegisterEntry.objects.count() == 1 and Expedient.objects.count() == 1


def test_the_same_key_with_another_body_is_a_conflict(api, people):
    key = new_key()
    assert file_through(api["citizen"], filing_data(people["citizen"]), key).status_code == 201
    changed = filing_data(people["citizen"], attachments=[pdf_upload(content=PDF + b"changed")])
    response = file_through(api["citizen"], changed, key)
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert RegisterEntry.objects.count() == 1


def test_keys_of_different_callers_do_not_meet(api, people):
    key = new_key()
    mine = file_through(api["citizen"], filing_data(people["citizen"]), key)
    theirs = file_through(api["other_citizen"], filing_data(people["other_citizen"]), key)
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["entry"]["reference"] != theirs.json()["entry"]["reference"]


def test_an_internal_system_files_for_a_citizen_and_for_the_desk(api, people):
    response = file_through(
        api["service"], filing_data(people["citizen"], channel="in_person", citizen=people["citizen"].pk)
    )
    assert response.status_code == 201, response.json()
    expedient = Expedient.objects.get(reference=response.json()["expedient"]["reference"])
    assert expedient.citizen == people["citizen"]
    assert expedient.opening_entry.channel == "in_person"


def test_reading_an_entry_and_its_receipt(api, people):
    created = file_through(api["citizen"], filing_data(people["citizen"])).json()["entry"]
    detail = api["citizen"].get(f"{ENTRIES_URL}{created['reference']}/")
    assert detail.status_code == 200
    assert detail.json() == created
    receipt = api["citizen"].get(f"{ENTRIES_URL}{created['reference']}/justificant/")
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    assert b"".join(receipt.streaming_content).startswith(b"%PDF")
    listing = api["citizen"].get(ENTRIES_URL).json()
    assert [item["reference"] for item in listing["results"]] == [created["reference"]]
    assert api["other_citizen"].get(ENTRIES_URL).json()["count"] == 0


def test_the_receipt_is_the_real_pdf(api, people, real_receipts):
    created = file_through(api["citizen"], filing_data(people["citizen"])).json()["entry"]
    receipt = api["citizen"].get(f"{ENTRIES_URL}{created['reference']}/justificant/")
    content = b"".join(receipt.streaming_content)
    assert content.startswith(b"%PDF") and len(content) > 5000


def test_a_failed_receipt_does_not_undo_the_filing(api, people, monkeypatch):
    def broken(**kwargs):
        raise OSError("no fonts")

    monkeypatch.setattr("tramits.registre.services.receipt_pdf", broken)
    response = file_through(api["citizen"], filing_data(people["citizen"]))
    assert response.status_code == 201
    receipt = response.json()["entry"]["receipt"]
    assert receipt["ready"] is False and receipt["csv"]  # the code was reserved with the entry
    reference = response.json()["entry"]["reference"]
    assert api["citizen"].get(f"{ENTRIES_URL}{reference}/justificant/").status_code == 503
    monkeypatch.undo()
    download = api["citizen"].get(f"{ENTRIES_URL}{reference}/justificant/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    entry = RegisterEntry.objects.get(reference=reference)
    assert IssuedDocument.objects.get(register_entry=entry).csv == entry.receipt_csv == receipt["csv"].replace("-", "")


def test_a_rejected_filing_frees_its_key(api, people):
    key = new_key()
    bad = file_through(api["citizen"], filing_data(people["citizen"], procedure_code="GEN-APORTACIO"), key)
    assert bad.status_code == 400
    assert IdempotentRequest.objects.count() == 0
    assert file_through(api["citizen"], filing_data(people["citizen"]), key).status_code == 201


def test_each_file_is_stored_once_and_nothing_is_left_by_a_refusal_or_a_repeat(api, people, settings):
    key = new_key()
    created = file_through(api["citizen"], filing_data(people["citizen"]), key)
    assert created.status_code == 201
    entry = RegisterEntry.objects.get(reference=created.json()["entry"]["reference"])
    stored = {path.name for path in private_files(settings)}
    assert len(stored) == entry.attachments.count() == 1  # the receipt is rendered after the response
    assert file_through(api["citizen"], filing_data(people["citizen"]), key).status_code == 200
    assert {path.name for path in private_files(settings)} == stored  # the repeat's copy is gone
    refused = filing_data(people["citizen"], procedure_code="GEN-APORTACIO", expedient_number="EXP-2026-999999")
    assert file_through(api["citizen"], refused).status_code == 400
    assert {path.name for path in private_files(settings)} == stored  # the refusal's copy is gone
