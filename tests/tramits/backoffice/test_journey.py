"""The journey of the issue, as a new member of staff would try it, through the admin screens only."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time

from tramits.expedients.models import EventKind, Expedient, State, Task
from tramits.registre.models import Register, RegisterEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_seeded")]


def pdf_upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, f"%PDF-1.4 {text}".encode(), "application/pdf")


@freeze_time("2026-05-12 08:30:00+00:00", tick=True)
def test_from_the_desk_to_the_resolution(login, people, departments):
    # 1. The OAC registers a paper filing.
    desk = login(people["desk"])
    form = desk.get(reverse("backoffice:desk")).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', form)[1]
    filing = {
        "idempotency_key": key,
        "applicant_name": "Maria Puig Soler",
        "applicant_document_type": "dni",
        "applicant_document_number": "12345678Z",
        "applicant_identified_by": "in_person_id",
        "representative_document_type": "dni",
        "procedure_code": "PADRO-ALTA",
        "subject": "Alta al padró al carrer Major, 1",
        "attachments": [pdf_upload("sollicitud.pdf", "sollicitud signada")],
    }
    done = desk.post(reverse("backoffice:desk"), filing, follow=True)
    assert done.status_code == 200
    entry = done.context["entry"]
    expedient = done.context["expedient"]
    assert entry.reference.startswith("E-2026-")
    assert entry.reference in done.content.decode()
    receipt = desk.get(reverse("backoffice:receipt", args=[entry.reference]))
    assert b"".join(receipt.streaming_content).startswith(b"%PDF-")

    # 2. The owner department finds it in its inbox, by the applicant's DNI, and takes it.
    owner = login(people["owner"])
    inbox = owner.get(reverse("backoffice:inbox"), {"box": "new", "q": "12345678Z"})
    assert [row["expedient"].reference for row in inbox.context["rows"]] == [expedient.reference]
    owner.post(reverse("backoffice:assign", args=[expedient.reference]), {"assignee": people["owner"].pk})
    owner.post(reverse("backoffice:start", args=[expedient.reference]))
    mine = owner.get(reverse("backoffice:inbox"), {"box": "mine"})
    assert [row["expedient"].reference for row in mine.context["rows"]] == [expedient.reference]

    # 3. It asks Urbanisme for a report; Urbanisme sees what it must do and answers with its report.
    owner.post(
        reverse("backoffice:task_request", args=[expedient.reference]),
        {
            "to_department": departments["helper"].pk,
            "kind": "report",
            "description": "Informe d'habitabilitat",
            "business_days": 10,
        },
    )
    task = Task.objects.get(expedient=expedient)
    helper = login(people["helper"])
    assert list(helper.get(reverse("backoffice:tasks")).context["tasks"]) == [task]
    detail = helper.get(reverse("backoffice:detail", args=[expedient.reference]))
    assert [item["task"].description for item in detail.context["tasks"]] == ["Informe d'habitabilitat"]
    helper.post(
        reverse("backoffice:task_answer", args=[expedient.reference, task.pk]),
        {
            "state": "done",
            "answer": "Habitatge apte.",
            "report": pdf_upload("informe.pdf", "informe"),
            "report_title": "Informe d'habitabilitat",
        },
    )

    # 4. A correction is requested, and the answer brought to the desk is recorded.
    owner.post(
        reverse("backoffice:correction_request", args=[expedient.reference]), {"description": "Falta el contracte."}
    )
    expedient.refresh_from_db()
    assert expedient.state == State.PENDING_CORRECTION
    owner.post(
        reverse("backoffice:correction_answer", args=[expedient.reference]),
        {"text": "Aporta el contracte.", "documents": [pdf_upload("contracte.pdf", "contracte")]},
    )

    # 5. It is resolved: a resolution document, registered in the outgoing register.
    resolved = owner.post(
        reverse("backoffice:resolve", args=[expedient.reference]),
        {"title": "Resolució d'alta", "text": "S'estima la sol·licitud d'alta al padró.", "confirm": "on"},
        follow=True,
    )
    expedient.refresh_from_db()
    assert expedient.state == State.RESOLVED
    outgoing = RegisterEntry.objects.get(register=Register.OUTGOING)
    assert expedient.resolution_entry == outgoing
    assert outgoing.reference in resolved.content.decode()

    # 6. The index lists every document with its hash, and downloads as JSON and PDF.
    index = json.loads(owner.get(reverse("backoffice:index", args=[expedient.reference, "json"])).content)
    assert [item["document_type"] for item in index["items"]] == ["sollicitud", "informe", "allegacio", "resolucio"]
    assert all(len(item["sha256"]) == 64 for item in index["items"])
    assert owner.get(reverse("backoffice:index", args=[expedient.reference, "pdf"])).content.startswith(b"%PDF-")

    # The timeline tells the whole story, newest first.
    timeline = owner.get(reverse("backoffice:detail", args=[expedient.reference])).context["timeline"]
    kinds = [item.kind for item in timeline]
    assert kinds.index(EventKind.RESOLVED) < kinds.index(EventKind.CORRECTION_ANSWERED)
    assert kinds[-1] == EventKind.OPENED
    for kind in (
        EventKind.ASSIGNED,
        EventKind.STATE_CHANGED,
        EventKind.TASK_REQUESTED,
        EventKind.TASK_ANSWERED,
        EventKind.CORRECTION_REQUESTED,
        EventKind.CORRECTION_ANSWERED,
        EventKind.DOCUMENT_ADDED,
    ):
        assert kind in kinds, kind
    assert Expedient.objects.count() == 1
    assert RegisterEntry.objects.filter(register=Register.INCOMING).count() == 1
