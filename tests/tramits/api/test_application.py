"""The application itself through the API: filed as the entry's first documents, returned with the entry."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tramits.api.conftest import ENTRIES_URL, file_through, filing_data, pdf_upload
from tramits.registre.models import AttachmentKind, RegisterEntry


def application(**overrides) -> dict:
    document = {
        "schema": "seu.sollicitud/1",
        "reference": "SOL-PROVA00001",
        "procedure": {"code": "PADRO-ALTA", "title": {"ca": "Alta al padró"}},
        "language": "ca",
        "received_at": "2026-12-01T10:00:00+01:00",
        "applicant": {"name": "Maria Puig Soler", "document_type": "dni", "document_number": "x", "identified_by": "x"},
        "steps": [
            {
                "step": "procedencia",
                "title": {"ca": "D'on veniu", "es": "De dónde venís", "en": "Where you come from"},
                "fields": [
                    {
                        "field": "previous_municipality",
                        "label": {"ca": "Municipi", "es": "Municipio", "en": "Town"},
                        "value": "Balaguer",
                        "display": {"ca": "Balaguer", "es": "Balaguer", "en": "Balaguer"},
                    }
                ],
            }
        ],
        "documents": [],
    }
    document.update(overrides)
    return document


def json_part(document) -> SimpleUploadedFile:
    return SimpleUploadedFile("sollicitud.json", json.dumps(document).encode(), content_type="application/json")


def test_the_application_is_filed_first_and_read_back_with_the_entry(api, people):
    data = filing_data(
        people["citizen"], application=json_part(application()), application_form=pdf_upload("sollicitud.pdf")
    )
    response = file_through(api["citizen"], data)
    assert response.status_code == 201, response.json()
    body = response.json()["entry"]
    assert [item["kind"] for item in body["attachments"]] == ["application_data", "application_form", "document"]
    assert body["application"]["steps"][0]["fields"][0]["value"] == "Balaguer"
    entry = RegisterEntry.objects.get(reference=body["reference"])
    assert entry.attachments.get(kind=AttachmentKind.APPLICATION_DATA).content_type == "application/json"
    again = api["citizen"].get(f"{ENTRIES_URL}{entry.reference}/").json()
    assert again["application"] == body["application"]
    expedient = api["owner"].get(f"/api/v1/expedients/{body['expedient']['reference']}/").json()
    assert [item["document_type"] for item in expedient["documents"]][:2] == ["sollicitud", "sollicitud"]


def test_an_application_that_is_not_the_procedures_is_refused_and_writes_nothing(api, people):
    for bad in (
        json_part(application(procedure={"code": "GEN-INSTANCIA"})),
        json_part({"schema": "una altra cosa"}),
        SimpleUploadedFile("sollicitud.json", b"\xff not json", content_type="application/json"),
    ):
        response = file_through(api["citizen"], filing_data(people["citizen"], application=bad))
        assert response.status_code == 400 and "application" in response.json()["errors"], response.json()
    assert not RegisterEntry.objects.exists()


def test_an_entry_filed_without_an_application_says_so(api, people):
    response = file_through(api["citizen"], filing_data(people["citizen"]))
    assert response.status_code == 201 and response.json()["entry"]["application"] is None
