"""The expedient page: what it shows, to whom, and the downloads of its documents, index and receipt."""

import csv
import io
import json

import pytest
from django.urls import reverse
from freezegun import freeze_time

from tests.tramits.expedients.factories import ExpedientFactory
from tramits.expedients import services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]


@pytest.fixture
def shared(people, departments):
    """An owner-department expedient with a report asked of the helper department."""
    with freeze_time("2026-03-10 09:00:00+00:00"):
        expedient = ExpedientFactory(department=departments["owner"], in_progress=True)
        task = services.task_request(
            expedient=expedient,
            actor=people["owner"],
            to_department=departments["helper"],
            kind="report",
            description="Informe tècnic de l'habitatge",
        )
    return expedient, task


@freeze_time("2026-03-12 10:00:00+00:00")
def test_the_owner_sees_the_whole_expedient(login, people, shared):
    expedient, _task = shared
    response = login(people["owner"]).get(reverse("backoffice:detail", args=[expedient.reference]))
    assert response.status_code == 200
    page = response.content.decode()
    entry = expedient.opening_entry
    for text in (
        expedient.reference,
        "PADRO-ALTA",
        "En tramitació",
        "Departament PADRO",
        "10/06/2026",  # due date
        entry.reference,
        reverse("backoffice:receipt", args=[entry.reference]),
        "Maria Puig Soler",  # interessat
        "Informe tècnic de l&#x27;habitatge",  # what the other department must do
        "Departament URBANISME",
        "contracte.pdf",  # the application's document with its NTI metadata and hash
        expedient.documents.get().identifier,
        expedient.documents.get().sha256,
        "TD14",
        reverse("backoffice:index", args=[expedient.reference, "json"]),
    ):
        assert text in page, text
    # Timeline newest first, in plain words.
    timeline = response.context["timeline"]
    assert [item.kind for item in timeline] == ["task_requested", "state_changed", "opened"]
    assert timeline[0].text.startswith("S'ha demanat un informe a Departament URBANISME")
    assert response.context["days_left"].days > 50
    assert response.context["can_act"] is True


def test_another_department_gets_a_404(login, people, shared):
    expedient, _task = shared
    client = login(people["outsider"])
    assert client.get(reverse("backoffice:detail", args=[expedient.reference])).status_code == 404
    document = expedient.documents.get()
    assert client.get(reverse("backoffice:document", args=[expedient.reference, document.pk])).status_code == 404
    assert client.get(reverse("backoffice:index", args=[expedient.reference, "json"])).status_code == 404
    assert client.get(reverse("backoffice:receipt", args=[expedient.opening_entry.reference])).status_code == 404
    assert client.get(reverse("backoffice:detail", args=["EXP-2026-999999"])).status_code == 404


def test_the_helping_department_sees_it_and_its_task_but_no_actions(login, people, shared):
    expedient, task = shared
    response = login(people["helper"]).get(reverse("backoffice:detail", args=[expedient.reference]))
    assert response.status_code == 200
    assert response.context["can_act"] is False
    assert response.context["actions"] == []
    assert [item["task"] for item in response.context["tasks"]] == [task]
    assert response.context["tasks"][0]["can_answer"] is True
    assert reverse("backoffice:task_answer", args=[expedient.reference, task.pk]) in response.content.decode()


def test_index_downloads(login, people, shared):
    expedient, _task = shared
    client = login(people["owner"])
    document = expedient.documents.get()

    as_json = client.get(reverse("backoffice:index", args=[expedient.reference, "json"]))
    assert as_json.status_code == 200
    assert as_json["Content-Type"] == "application/json"
    assert "attachment" in as_json["Content-Disposition"]
    index = json.loads(as_json.content)
    assert index["reference"] == expedient.reference
    assert [item["sha256"] for item in index["items"]] == [document.sha256]

    as_csv = client.get(reverse("backoffice:index", args=[expedient.reference, "csv"]))
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode())))
    assert rows[0]["identifier"] == document.identifier

    as_xml = client.get(reverse("backoffice:index", args=[expedient.reference, "xml"]))
    assert as_xml["Content-Type"] == "application/xml"
    assert document.sha256.encode() in as_xml.content

    as_pdf = client.get(reverse("backoffice:index", args=[expedient.reference, "pdf"]))
    assert as_pdf["Content-Type"] == "application/pdf"
    assert as_pdf.content.startswith(b"%PDF-")

    assert client.get(reverse("backoffice:index", args=[expedient.reference, "exe"])).status_code == 404


def test_document_and_receipt_downloads(login, people, shared):
    expedient, _task = shared
    client = login(people["helper"])  # the helping department may read the documents too
    document = expedient.documents.get()
    response = client.get(reverse("backoffice:document", args=[expedient.reference, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 contracte"
    assert "no-store" in response["Cache-Control"]

    receipt = client.get(reverse("backoffice:receipt", args=[expedient.opening_entry.reference]))
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    assert b"".join(receipt.streaming_content).startswith(b"%PDF-")


def test_the_owner_reads_every_answer_in_their_own_language(login, people, departments):
    from wagtail.users.models import UserProfile

    from tests.tramits.api.test_application import application
    from tramits.expedients.filing import filing_register
    from tramits.registre.models import AttachmentKind
    from tramits.registre.services import AttachmentUpload, Party

    document = application()
    _entry, expedient = filing_register(
        channel="electronic",
        applicant=Party(name="Maria Puig Soler", document_number="12345678Z", identified_by="password"),
        subject="Alta al padró",
        procedure_code="PADRO-ALTA",
        attachments=[
            AttachmentUpload(
                "sollicitud.json", json.dumps(document).encode(), "application/json", AttachmentKind.APPLICATION_DATA
            )
        ],
        idempotency_key="detail-application-1",
        department=departments["owner"],
    )
    client = login(people["owner"])
    page = client.get(reverse("backoffice:detail", args=[expedient.reference])).content.decode()
    assert "Què demana la sol·licitud" in page and "D&#x27;on veniu" in page and "Municipi" in page
    profile = UserProfile.get_for_user(people["owner"])
    profile.preferred_language = "es"
    profile.save()
    page = client.get(reverse("backoffice:detail", args=[expedient.reference])).content.decode()
    assert "De dónde venís" in page and "Municipio" in page and "Balaguer" in page
