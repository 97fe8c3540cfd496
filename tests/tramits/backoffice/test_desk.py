"""The desk form: a paper filing becomes one register entry and one expedient, even when sent twice."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.tramits.backoffice.conftest import JPEG
from tramits.expedients.models import Expedient
from tramits.registre.models import Channel, IdentificationMethod, RegisterEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]


def form_key(client) -> str:
    page = client.get(reverse("backoffice:desk")).content.decode()
    return re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page)[1]


def filing(key: str, **overrides) -> dict:
    data = {
        "idempotency_key": key,
        "applicant_name": "Maria Puig Soler",
        "applicant_document_type": "dni",
        "applicant_document_number": "12345678-z",
        "applicant_identified_by": IdentificationMethod.IN_PERSON_ID,
        "representative_name": "",
        "representative_document_type": "dni",
        "representative_document_number": "",
        "procedure_code": "PADRO-ALTA",
        "subject": "Alta al padró, presentada a l'OAC",
        "attachments": [
            SimpleUploadedFile("sollicitud.pdf", b"%PDF-1.4 sollicitud signada", "application/pdf"),
            SimpleUploadedFile("dni.jpg", JPEG, "image/jpeg"),
        ],
    }
    data.update(overrides)
    return data


def nothing_written() -> bool:
    return not RegisterEntry.objects.exists() and not Expedient.objects.exists()


def test_the_form_carries_a_fresh_key_each_time(login, people, departments):
    client = login(people["desk"])
    first, second = form_key(client), form_key(client)
    assert first != second
    page = client.get(reverse("backoffice:desk")).content.decode()
    for legend in ("Persona interessada", "Representant (si n&#x27;hi ha)", "Sol·licitud", "Documents"):
        assert f"<legend>{legend}</legend>" in page, legend


def test_a_filing_sent_twice_registers_once(login, people, departments):
    client = login(people["desk"])
    key = form_key(client)
    first = client.post(reverse("backoffice:desk"), filing(key))
    second = client.post(reverse("backoffice:desk"), filing(key))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    entry = RegisterEntry.objects.get()
    expedient = Expedient.objects.get()
    assert entry.channel == Channel.IN_PERSON
    assert entry.applicant_document_number == "12345678Z"
    assert entry.applicant_identified_by == IdentificationMethod.IN_PERSON_ID
    assert entry.submitted_by == people["desk"]
    assert entry.unit_dir3 == departments["owner"].dir3
    assert [item.content_type for item in entry.attachments.order_by("position")] == ["application/pdf", "image/jpeg"]
    assert expedient.opening_entry == entry
    assert expedient.department == departments["owner"]
    assert expedient.documents.count() == 2

    done = client.get(first["Location"])
    page = done.content.decode()
    assert entry.reference in page
    assert reverse("backoffice:receipt", args=[entry.reference]) in page
    assert reverse("backoffice:detail", args=[expedient.reference]) in page
    receipt = client.get(reverse("backoffice:receipt", args=[entry.reference]))
    assert b"".join(receipt.streaming_content).startswith(b"%PDF-")


def test_a_representative_files_for_the_applicant(login, people, departments):
    client = login(people["desk"])
    response = client.post(
        reverse("backoffice:desk"),
        filing(
            form_key(client),
            applicant_identified_by=IdentificationMethod.REPRESENTED,
            representative_name="Joan Serra Vila",
            representative_document_type="nie",
            representative_document_number="X1234567L",
        ),
    )
    assert response.status_code == 302
    entry = RegisterEntry.objects.get()
    assert entry.representative_document_number == "X1234567L"
    assert entry.representative_identified_by == IdentificationMethod.IN_PERSON_ID
    assert Expedient.objects.get().interested_parties.count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"applicant_document_number": "12345678A"}, "La lletra del DNI no correspon al número"),
        ({"subject": ""}, "Aquest camp és obligatori"),
        ({"applicant_name": ""}, "Aquest camp és obligatori"),
        ({"procedure_code": "NO-EXISTEIX"}, "Esculliu una opció vàlida"),
        (
            {"attachments": [SimpleUploadedFile("sollicitud.pdf", b"MZ\x90\x00 executable", "application/pdf")]},
            "no és d'un format admès",
        ),
        ({"attachments": []}, "Aquest camp és obligatori"),
        ({"applicant_identified_by": IdentificationMethod.REPRESENTED}, "cal indicar qui és"),
        (
            {
                "representative_name": "Joan Serra Vila",
                "representative_document_type": "nie",
                "representative_document_number": "X1234567A",
            },
            "La lletra del NIE no correspon al número",
        ),
        ({"idempotency_key": ""}, "Aquest camp és obligatori"),
    ],
)
def test_bad_input_shows_errors_and_writes_nothing(login, people, departments, overrides, message):
    client = login(people["desk"])
    response = client.post(reverse("backoffice:desk"), filing(form_key(client), **overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Hi ha un problema" in page
    assert message.replace("'", "&#x27;") in page or message in page
    assert nothing_written()


def test_a_key_reused_for_other_data_is_refused(login, people, departments):
    client = login(people["desk"])
    key = form_key(client)
    client.post(reverse("backoffice:desk"), filing(key))
    response = client.post(reverse("backoffice:desk"), filing(key, subject="Una altra cosa"))
    assert response.status_code == 400
    assert "ja es va registrar amb unes altres dades" in response.content.decode()
    assert RegisterEntry.objects.count() == 1


def test_the_done_page_is_only_for_who_registered_it_or_the_department(login, people, departments):
    client = login(people["desk"])
    done = client.post(reverse("backoffice:desk"), filing(form_key(client)))["Location"]
    assert login(people["owner"]).get(done).status_code == 200
    assert login(people["outsider"]).get(done).status_code == 404
