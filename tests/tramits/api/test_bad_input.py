"""Bad input gets 400 with a clear message per field, and nothing is written: no entry, no expedient, no file."""

import pytest

from tests.tramits.api.conftest import ENTRIES_URL, PDF, file_through, filing_data, new_key, pdf_upload, private_files
from tests.tramits.expedients.factories import dni
from tramits.api.models import IdempotentRequest
from tramits.expedients.models import Expedient
from tramits.registre.models import RegisterEntry

pytestmark = pytest.mark.django_db

WRONG_LETTER = dni(11_111_111)[:-1] + ("A" if dni(11_111_111)[-1] != "A" else "B")

CASES = {
    "missing subject": ({"subject": None}, "subject"),
    "missing applicant": ({"applicant_name": None}, "applicant_name"),
    "wrong DNI letter": ({"applicant_document_number": WRONG_LETTER}, "applicant_document_number"),
    "unknown procedure": ({"procedure_code": "NO-EXISTEIX"}, "procedure_code"),
    "unknown department": ({"department": "NINGU"}, "department"),
    "huge subject": ({"subject": "x" * 501}, "subject"),
    "huge name": ({"applicant_name": "x" * 201}, "applicant_name"),
    "NUL byte": ({"subject": "Alta\x00al padró"}, "subject"),
    "unknown channel": ({"channel": "fax"}, "channel"),
    "empty attachment": ({"attachments": [pdf_upload(content=b"")]}, "attachments"),
    "executable declared as PDF": ({"attachments": [pdf_upload(content=b"MZ\x90\x00" + b"\x00" * 60)]}, "attachments"),
    "format not accepted": (
        {"attachments": [pdf_upload("a.exe", b"MZ\x90\x00" + b"\x00" * 60, "application/x-msdownload")]},
        "attachments",
    ),
    "text declared as PNG": ({"attachments": [pdf_upload("a.png", b"hello", "image/png")]}, "attachments"),
    "too many attachments": ({"attachments": [pdf_upload(f"{n}.pdf") for n in range(21)]}, "attachments"),
    "half a representative": ({"representative_name": "Joan Vila"}, "representative_document_number"),
    "represented without representative": ({"applicant_identified_by": "represented"}, "representative_name"),
    "contribution without expedient": ({"procedure_code": "GEN-APORTACIO"}, "expedient_number"),
    "citizen naming another account": ({"citizen": 999}, "citizen"),
    "citizen at the desk": ({"channel": "in_person"}, "channel"),
    "citizen filing for a stranger": ({"applicant_document_number": dni(44_444_444)}, "applicant_document_number"),
}


def assert_nothing_written(settings) -> None:
    assert RegisterEntry.objects.count() == 0
    assert Expedient.objects.count() == 0
    assert IdempotentRequest.objects.count() == 0
    assert private_files(settings) == []


@pytest.mark.parametrize(("overrides", "field"), CASES.values(), ids=CASES.keys())
def test_bad_filing_is_refused_with_a_message_and_writes_nothing(api, people, settings, overrides, field):
    data = {name: value for name, value in filing_data(people["citizen"], **overrides).items() if value is not None}
    response = file_through(api["citizen"], data)
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid" and body["detail"]
    assert field in body["errors"], body
    assert all(message.strip() for message in body["errors"][field] if isinstance(message, str))
    assert_nothing_written(settings)


def test_messages_follow_the_request_language(api, people, settings):
    response = file_through(api["citizen"], filing_data(people["citizen"], procedure_code="NO-EXISTEIX"))
    assert response.json()["errors"]["procedure_code"] == ["El codi de tràmit no existeix al catàleg."]
    assert response["Content-Language"] == "ca"


@pytest.mark.parametrize("key", [None, "", "amb espais", "x" * 65, "accent-é"])
def test_the_idempotency_key_is_required_and_well_formed(api, people, settings, key):
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    response = api["citizen"].post(ENTRIES_URL, filing_data(people["citizen"]), format="multipart", **headers)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert_nothing_written(settings)


def test_json_is_not_the_filing_format(api, people, settings):
    data = {name: value for name, value in filing_data(people["citizen"]).items() if name != "attachments"}
    response = api["citizen"].post(ENTRIES_URL, data, format="json", HTTP_IDEMPOTENCY_KEY=new_key())
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert_nothing_written(settings)


def test_a_citizen_without_a_document_on_the_profile_cannot_file(api, people, settings):
    people["citizen"].document_number = None
    people["citizen"].save(update_fields=["document_number"])
    response = file_through(api["citizen"], filing_data(None, attachments=[pdf_upload(content=PDF)]))
    assert response.status_code == 400
    assert "perfil" in response.json()["errors"]["applicant_document_number"][0]
    assert_nothing_written(settings)


def test_anonymous_calls_are_refused(client, db):
    response = client.post(ENTRIES_URL, {}, HTTP_IDEMPOTENCY_KEY="a")
    assert response.status_code == 401
    assert client.get("/api/v1/expedients/").status_code == 401
