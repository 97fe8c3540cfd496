"""A scanned document part the multipart parser would drop gives a clear error at the desk, and nothing is filed."""

import re

import pytest
from django.urls import reverse

from tests.tramits.backoffice import conftest as backoffice
from tests.tramits.documents import multipart_bodies as multipart
from tramits.expedients.models import Expedient
from tramits.registre.models import RegisterEntry

# The back office's fixtures, used here as in tests/tramits/backoffice/.
case_handlers = backoffice.case_handlers
departments, login, people = backoffice.departments, backoffice.login, backoffice.people

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded", "departments")]
PDF = b"%PDF-1.4 sollicitud signada"


def desk_fields(client) -> dict:
    page = client.get(reverse("backoffice:desk")).content.decode()
    return {
        "idempotency_key": re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page)[1],
        "applicant_name": "Maria Puig Soler",
        "applicant_document_type": "dni",
        "applicant_document_number": "12345678-z",
        "applicant_identified_by": "in_person_id",
        "representative_document_type": "dni",
        "procedure_code": "PADRO-ALTA",
        "subject": "Alta al padró",
    }


def post_raw(client, *files: bytes):
    raw = multipart.body(*multipart.fields(desk_fields(client)), *files)
    return client.generic("POST", reverse("backoffice:desk"), raw, content_type=multipart.CONTENT_TYPE)


def test_a_well_formed_raw_body_files_both_documents(login, people):
    client = login(people["desk"])
    response = post_raw(client, *(multipart.file(b"attachments", name, PDF) for name in (b"a.pdf", b"b.pdf")))
    assert response.status_code == 302
    assert RegisterEntry.objects.get().attachments.count() == 2


def test_the_desk_says_a_document_did_not_arrive_and_files_nothing(login, people):
    client = login(people["desk"])
    good, dropped = (multipart.file(b"attachments", name, PDF) for name in (b"sollicitud.pdf", b"dni_\xe9.pdf"))
    response = post_raw(client, good, dropped)
    assert response.status_code == 400
    assert "no s&#x27;ha pogut llegir" in response.content.decode()
    assert not RegisterEntry.objects.exists() and not Expedient.objects.exists()
